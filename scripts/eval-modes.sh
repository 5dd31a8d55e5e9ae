#!/usr/bin/env bash
# eval-modes.sh REPO [REPO...]: accuracy of the work-mode classifier on repositories whose authors
# write Conventional Commits. The type prefix is hidden from the classifier and compared with the
# mode the type names (see examples/eval_modes.rs). Prints accuracy, per-mode precision and recall,
# and a confusion matrix per repository and over all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
    echo "usage: scripts/eval-modes.sh REPO [REPO...]" >&2
    exit 2
fi
cargo run --quiet --release --example eval_modes -- "$@"
