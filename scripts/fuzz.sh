#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...]: run each fuzz target (all by default) for SECONDS (default 60)
# with cargo-fuzz on the nightly toolchain, from corpora seeded with what the fixtures hold:
# their commit messages, the built-in signature and rule files, dates and repository lists.
# A crash stops the run with the input saved under fuzz/artifacts/TARGET/; replay it with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…
# FUZZ_BUILD=--dev builds without optimisation (quicker to build, slower to run: CI's smoke).
# FUZZ_JOBS=N runs N targets at once (default 1); each target's log is kept in fuzz/logs/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(message record loaders delta pack dates sources)

command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
# Every target at once: they share one build of the library.
cargo +nightly fuzz build ${FUZZ_BUILD:-}

# Seeds, rebuilt each run from the repository's own files.
seeds=fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{message,record,loaders,delta,pack,dates,sources}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
n=0
for script in fixtures/*.sh; do
    name=$(basename "$script" .sh)
    [ "$name" = lib ] && continue
    bash "$script" "$scratch/$name" >/dev/null 2>&1 || continue
    git -C "$scratch/$name" rev-parse -q --verify HEAD >/dev/null || continue
    for id in $(git -C "$scratch/$name" rev-list --all); do
        n=$((n + 1))
        git -C "$scratch/$name" log -1 --format=%B "$id" >"$seeds/message/$n"
        cp "$seeds/message/$n" "$seeds/record/$n"
    done
    echo "$scratch/$name" >>"$seeds/sources/list"
done
{ printf '\0'; cat src/signatures/agents.toml; } >"$seeds/loaders/signatures"
{ printf '\1'; sed -n '1,80p' src/signatures/agents.toml; } >"$seeds/loaders/overrides"
{ printf '\2'; cat src/classify/modes.toml; } >"$seeds/loaders/rules"
printf '\3{"version":1,"modes":["build","fix","test","orchestrate","operate","understand","plan","analyze","communicate"],"bias":[0,0,0,0,0,0,0,0,0],"weights":[["w:add",[1,0,0,0,0,0,0,0,0]]]}' >"$seeds/loaders/model"
for d in 2026-03 2026-03-15 2026-02-30 1970-01-01 9999-12-31 2026-W07 2026-Q1; do
    printf '%s' "$d" >"$seeds/dates/$d"
done
printf 'https://github.com/owner/name\ngit@github.com:owner/name.git\n../up/there # comment\n' \
    >"$seeds/sources/urls"

mkdir -p fuzz/logs
# run_target T: fuzz T for the time given; its log goes to fuzz/logs/T.log.
run_target() {
    local t=$1
    mkdir -p "fuzz/corpus/$t"
    # -rss_limit_mb: a reader that trusts a size it read from input is a crash here.
    cargo +nightly fuzz run ${FUZZ_BUILD:-} "$t" "fuzz/corpus/$t" "$seeds/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        2>"fuzz/logs/$t.log"
}
# report T STATUS: the target's final figures, or the end of its log when it failed.
report() {
    echo "fuzz: $1 for ${seconds}s"
    [ "$2" -eq 0 ] || tail -40 "fuzz/logs/$1.log" >&2
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|cov: ' "fuzz/logs/$1.log" | tail -3
}

jobs=${FUZZ_JOBS:-1}
for t in "${targets[@]}"; do
    # At most $jobs targets at once; each leaves its exit status beside its log.
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    { rc=0; run_target "$t" || rc=$?; echo "$rc" >"fuzz/logs/$t.status"; } &
done
wait
status=0
for t in "${targets[@]}"; do
    rc=$(cat "fuzz/logs/$t.status" 2>/dev/null || echo 1)
    report "$t" "$rc"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
