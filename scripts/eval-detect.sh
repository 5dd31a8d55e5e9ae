#!/usr/bin/env bash
# Measure detection against the labelled corpus in tests/corpus (labels decided by reading):
# precision and recall per repository, per agent and overall, and every disagreement.
#   scripts/eval-detect.sh                 # all repositories
#   scripts/eval-detect.sh crush uv        # some
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release --example eval_detect -- "$@"
