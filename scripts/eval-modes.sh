#!/usr/bin/env bash
# eval-modes.sh REPO [REPO...]: accuracy of the work-mode classifier on repositories whose authors
# write Conventional Commits. The type prefix is hidden from the classifier and compared with the
# mode the type names (see examples/eval_modes.rs). Prints accuracy, per-mode precision and recall,
# and a confusion matrix per repository and over all of them.
#
# eval-modes.sh --loo REPO [REPO...]: the learned model instead, leave one repository out: for
# each repository, a model trained on the others is measured on it, beside the rules alone
# (accuracy, macro-F1, per-mode precision and recall, confusion; see examples/train_modes.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then
    echo "usage: scripts/eval-modes.sh [--loo] REPO [REPO...]" >&2
    exit 2
fi
if [ "$1" = "--loo" ]; then
    shift
    exec cargo run --quiet --release --example train_modes -- loo "$@"
fi
cargo run --quiet --release --example eval_modes -- "$@"
