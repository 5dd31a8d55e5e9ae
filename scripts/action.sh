#!/usr/bin/env bash
# The body of the GitHub Action in action.yml: scan, then write the Markdown report to the job
# summary and the HTML and JSON reports to a folder for upload.
#
# Inputs arrive as environment variables (never interpolated into this script, so a branch name or
# an organisation name cannot inject shell code):
#   AGENTSCAN           the binary (default: agentscan on PATH)
#   INPUT_PATH          repositories or folders to scan, whitespace-separated (default: .)
#   INPUT_GITHUB_ORG    GitHub organisations, whitespace-separated (replaces INPUT_PATH)
#   INPUT_GITHUB_USER   GitHub users, whitespace-separated (replaces INPUT_PATH)
#   INPUT_GITHUB_PRS    true: also read pull requests
#   INPUT_SINCE, INPUT_UNTIL, INPUT_BY, INPUT_STATS, INPUT_MIN_AUTHORS
#   INPUT_ANONYMIZE     true: pseudonyms instead of names and emails
#   INPUT_SHARD         K/N: scan only that shard of the listed repositories
#   AGENTSCAN_DB        the scan database (default: $RUNNER_TEMP/agentscan.db)
#   CLONE_DIR           where clones of remote repositories are kept (default: agentscan's)
#   REPORT_DIR          where agentscan.html and agentscan.json go (default: $RUNNER_TEMP/agentscan-report)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT   set by the runner; optional elsewhere
#
# Exit status: 0 when everything was scanned; 0 with a warning when some repositories could not be
# scanned (scan exit 1: the report covers the others); the scan's status when it failed outright.
set -euo pipefail

bin=${AGENTSCAN:-agentscan}
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
export AGENTSCAN_DB=${AGENTSCAN_DB:-$tmp/agentscan.db}
report_dir=${REPORT_DIR:-$tmp/agentscan-report}
mkdir -p "$report_dir"

is_true() { [[ ${1:-} =~ ^([Tt]rue|TRUE|1|[Yy]es)$ ]]; }

scan=(scan --quiet)
shared=()
for org in ${INPUT_GITHUB_ORG:-}; do scan+=(--github-org "$org"); done
for user in ${INPUT_GITHUB_USER:-}; do scan+=(--github-user "$user"); done
if [[ -z ${INPUT_GITHUB_ORG:-}${INPUT_GITHUB_USER:-} ]]; then
    read -r -a paths <<<"${INPUT_PATH:-.}"
    [[ ${#paths[@]} -gt 0 ]] || paths=(.)
    scan+=("${paths[@]}")
fi
if is_true "${INPUT_GITHUB_PRS:-}"; then scan+=(--github-prs); fi
[[ -z ${INPUT_SHARD:-} ]] || scan+=(--shard "$INPUT_SHARD")
[[ -z ${CLONE_DIR:-} ]] || scan+=(--clone-dir "$CLONE_DIR")
[[ -z ${INPUT_STATS:-} ]] || scan+=(--stats "$INPUT_STATS")
[[ -z ${INPUT_SINCE:-} ]] || shared+=(--since "$INPUT_SINCE")
[[ -z ${INPUT_UNTIL:-} ]] || shared+=(--until "$INPUT_UNTIL")
[[ -z ${INPUT_BY:-} ]] || shared+=(--by "$INPUT_BY")
[[ -z ${INPUT_MIN_AUTHORS:-} ]] || shared+=(--min-authors "$INPUT_MIN_AUTHORS")
if is_true "${INPUT_ANONYMIZE:-}"; then shared+=(--anonymize); fi

status=0
"$bin" "${scan[@]}" "${shared[@]}" --format json --output "$report_dir/agentscan.json" || status=$?
if [[ $status -eq 1 ]]; then
    echo "::warning title=agentscan::some repositories could not be scanned (see the log above); the report covers the others"
elif [[ $status -ne 0 ]]; then
    echo "::error title=agentscan::the scan failed (exit $status)"
    exit "$status"
fi

"$bin" report "${shared[@]}" --format html --output "$report_dir/agentscan.html"
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    "$bin" report "${shared[@]}" --format markdown >>"$GITHUB_STEP_SUMMARY"
else
    "$bin" report "${shared[@]}" --format markdown
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    {
        echo "report-dir=$report_dir"
        echo "html=$report_dir/agentscan.html"
        echo "json=$report_dir/agentscan.json"
        echo "database=$AGENTSCAN_DB"
    } >>"$GITHUB_OUTPUT"
fi
