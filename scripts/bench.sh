#!/usr/bin/env bash
# bench.sh: agentscan against C git on the same repositories, same machine, same run.
#
#   scripts/bench.sh                  # generated repository (100k commits) and git/git if found
#   GITGIT=/path/to/git.git scripts/bench.sh
#   RUNS=5 COMMITS=200000 scripts/bench.sh
#   SECTIONS="served" scripts/bench.sh      # some of: repos store served bigblob (default: all
#                                           # but bigblob, which writes a 1 GiB file)
#   GENERATED=0 SECTIONS=repos scripts/bench.sh   # git/git only, without the generated repository
#
# Each measurement is the median wall time of RUNS runs after one warm-up (SLOW_RUNS for the line
# counts, which take half a minute each on git/git); peak memory (max RSS) comes from GNU time when
# it is installed. Prints one line per comparison with the ratio agentscan ÷ git (below 1 means
# agentscan is faster):
#
#   messages       agentscan scan --stats none   vs  git log --format=%H%n%an%n%ae%n%B
#   messages/file  the same scan into a new database file, as a first scan by a user writes it
#   paths          agentscan scan --stats paths  vs  git log --name-only
#   lines          agentscan scan --stats lines  vs  git log --numstat
#   served         200 repositories on loopback: cloned and scanned as one process and as 4
#                  shards, merged and reported (vs git clone --bare of the same 200)
#
# Scans write to a fresh in-memory database unless the label says file. For the cost of each stage
# (walk, detection, classification, store writes) run the criterion benchmarks:
#   AGENTSCAN_BENCH_REPO=/path/to/git.git cargo bench --bench pipeline
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-1}
COMMITS=${COMMITS:-100000}
WORK=${WORK:-${TMPDIR:-/tmp}/agentscan-bench}
GITGIT=${GITGIT:-}
SECTIONS=${SECTIONS:-repos store served}
GENERATED=${GENERATED:-1}
mkdir -p "$WORK"
want() { [[ " $SECTIONS " == *" $1 "* ]]; }

cargo build --release --quiet --bin agentscan --example gen_store
BIN=$PWD/target/release/agentscan
GEN_STORE=$PWD/target/release/examples/gen_store

gen="$WORK/generated-$COMMITS.git"
repos=()
if want repos && [ "$GENERATED" != 0 ]; then
    if [ ! -d "$gen" ]; then
        echo "generating $gen ($COMMITS commits)…" >&2
        scripts/gen-repo.sh "$gen" "$COMMITS"
    fi
    repos+=("$gen")
fi
if [ -z "$GITGIT" ]; then
    for candidate in /work/.mirror/git+git/repo ../git.git ../git; do
        if [ -d "$candidate" ] && git -C "$candidate" rev-parse -q --verify HEAD >/dev/null 2>&1; then
            GITGIT=$candidate
            break
        fi
    done
fi
[ -n "$GITGIT" ] && repos+=("$GITGIT")

# wall CMD...: wall seconds of one run, output discarded.
wall() {
    local s e
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN {print e - s}'
}

# median X...: the median of the numbers given.
median() {
    printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

# median_time N CMD...: median wall seconds of N runs (after one warm-up).
median_time() {
    local runs=$1 times=() i
    shift
    "$@" >/dev/null 2>&1 || true
    for ((i = 0; i < runs; i++)); do
        times+=("$(wall "$@")")
    done
    median "${times[@]}"
}

# peak_mb CMD...: maximum resident set size in MB, or "?" without GNU time.
peak_mb() {
    if /usr/bin/time -f %M true >/dev/null 2>&1; then
        /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'
    else
        echo "?"
    fi
}

# first_scan DB STATS REPO: a first scan, into a database that does not exist yet (a file store
# kept between runs would make every run after the first a no-op re-scan).
first_scan() {
    local db=$1 stats=$2 repo=$3
    [ "$db" = ":memory:" ] || rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    "$BIN" scan --quiet --db "$db" --stats "$stats" "$repo"
}

compare() {
    local label=$1 repo=$2 stats=$3 runs=$4 db=:memory:
    shift 4
    case $label in */file) db=$WORK/bench.db ;; esac
    local ours theirs ratio mem
    # Runs alternate between the two, so that a machine that slows down or speeds up during the
    # measurement shifts both sides alike.
    local a=() b=() i
    first_scan "$db" "$stats" "$repo" >/dev/null 2>&1 || true
    git -C "$repo" "$@" >/dev/null 2>&1 || true
    for ((i = 0; i < runs; i++)); do
        a+=("$(wall first_scan "$db" "$stats" "$repo")")
        b+=("$(wall git -C "$repo" "$@")")
    done
    ours=$(median "${a[@]}")
    theirs=$(median "${b[@]}")
    ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN {print a / b}')
    [ "$db" = ":memory:" ] || rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    mem=$(peak_mb "$BIN" scan --quiet --db "$db" --stats "$stats" "$repo")
    printf '%-28s %-16s agentscan %6.3fs  git %6.3fs  ratio %5.2fx  peak %s MB\n' \
        "$(basename "$(dirname "$repo")")/$(basename "$repo")" "$label" "$ours" "$theirs" "$ratio" "$mem"
}

echo "machine: $(nproc) cores, $(git --version), agentscan $("$BIN" --version | cut -d' ' -f2), runs: $RUNS"
want repos && for repo in "${repos[@]}"; do
    n=$(git -C "$repo" rev-list --count HEAD)
    echo "== $repo ($n commits)"
    compare "messages" "$repo" none "$RUNS" log --format=%H%n%an%n%ae%n%B
    compare "messages/file" "$repo" none "$RUNS" log --format=%H%n%an%n%ae%n%B
    compare "paths" "$repo" paths "$RUNS" log --name-only
    compare "lines" "$repo" lines "$SLOW_RUNS" log --numstat
done

# The store: a re-scan with nothing new over 100 repositories, and a report over a million rows.
if want store; then
many="$WORK/many"
if [ ! -d "$many/repo-099.git" ]; then
    echo "generating 100 repositories of 300 commits…" >&2
    mkdir -p "$many"
    for i in $(seq -w 0 99); do
        scripts/gen-repo.sh "$many/repo-0$i.git" 300 40 >/dev/null
    done
fi
rm -f "$WORK/many.db" "$WORK/many.db-wal" "$WORK/many.db-shm"
"$BIN" scan --quiet --db "$WORK/many.db" "$many" >/dev/null
t=$(median_time "$RUNS" "$BIN" scan --quiet --db "$WORK/many.db" "$many")
printf '%-28s %-16s agentscan %6.3fs\n' "100 repositories" "re-scan, no news" "$t"

million="$WORK/million.db"
if [ ! -f "$million" ]; then
    echo "generating a store of 1,000,000 commits…" >&2
    "$GEN_STORE" "$million" 1000000 50
fi
t=$(median_time "$RUNS" "$BIN" report --db "$million")
mem=$(peak_mb "$BIN" report --db "$million")
printf '%-28s %-16s agentscan %6.3fs  peak %s MB (the store is memory-mapped)\n' "1,000,000 stored commits" "report" "$t" "$mem"
fi

# Past one machine: 200 repositories served by `git daemon` on loopback, cloned and scanned with
# --jobs 2 as one process, then as 4 shards one after another (as 4 machines would run them at
# once) with a merge and a report over the 4 stores. C git's reference: the same 200 clones with
# `git clone --bare`, one after another.
# bigblob: one commit adding a 1 GiB text file, scanned with line counts; peak memory against
# git log --numstat on the same repository (opt in: SECTIONS=bigblob).
if want bigblob; then
    big="$WORK/bigblob"
    if [ ! -f "$big/.git/HEAD" ] || ! git -C "$big" rev-parse -q --verify HEAD >/dev/null; then
        rm -rf "$big"
        git init -q "$big"
        # `yes` ends on SIGPIPE when head has enough, which pipefail would take for a failure.
        { yes "a line of a very large generated file" || true; } | head -c $((1 << 30)) >"$big/big.txt"
        git -C "$big" add big.txt
        git -C "$big" -c user.name=Big -c user.email=big@example.com commit -qm "Add a 1 GiB file"
        rm "$big/big.txt"
    fi
    t=$(median_time 1 "$BIN" scan --quiet --db :memory: --stats lines "$big")
    mem=$(peak_mb "$BIN" scan --quiet --db :memory: --stats lines "$big")
    gt=$(median_time 1 git -C "$big" log --numstat)
    gmem=$(peak_mb git -C "$big" log --numstat)
    printf '%-28s %-16s agentscan %6.3fs  git %6.3fs  peak %s MB (git %s MB)\n' \
        "a 1 GiB blob" "lines" "$t" "$gt" "$mem" "$gmem"
fi

want served || exit 0
served="$WORK/served"
if [ ! -d "$served/repo-199.git" ]; then
    echo "generating 200 repositories of 200 commits to serve…" >&2
    mkdir -p "$served"
    for i in $(seq -w 0 199); do
        scripts/gen-repo.sh "$served/repo-$i.git" 200 40 >/dev/null
    done
fi
port=$((20000 + RANDOM % 20000))
git daemon --export-all --base-path="$served" --listen=127.0.0.1 --port="$port" --reuseaddr \
    --pid-file="$WORK/daemon.pid" --detach
trap 'kill "$(cat "$WORK/daemon.pid")" 2>/dev/null || true' EXIT
sleep 1
urls="$WORK/urls.txt"
for i in $(seq -w 0 199); do echo "git://127.0.0.1:$port/repo-$i.git"; done >"$urls"
fresh() { rm -rf "$WORK/clones" "$WORK"/shard-*.db* "$WORK"/one.db* "$WORK/all.db"* "$WORK/gitclones"; }
fresh
s=$(date +%s.%N)
"$BIN" scan --quiet --jobs 2 --repos-file "$urls" --clone-dir "$WORK/clones" --db "$WORK/one.db" >/dev/null || true
one=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
fresh
s=$(date +%s.%N)
for k in 0 1 2 3; do
    "$BIN" scan --quiet --jobs 2 --repos-file "$urls" --shard "$k/4" --clone-dir "$WORK/clones" \
        --db "$WORK/shard-$k.db" >/dev/null || true
done
sharded=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
merge=$(wall "$BIN" merge --output "$WORK/all.db" "$WORK"/shard-{0,1,2,3}.db)
report=$(median_time "$RUNS" "$BIN" report --db "$WORK/shard-0.db" --db "$WORK/shard-1.db" \
    --db "$WORK/shard-2.db" --db "$WORK/shard-3.db")
report_one=$(median_time "$RUNS" "$BIN" report --db "$WORK/all.db")
mkdir -p "$WORK/gitclones"
s=$(date +%s.%N)
while read -r url; do git clone -q --bare "$url" "$WORK/gitclones/$(basename "$url")"; done <"$urls"
gitclone=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {print e - s}')
per_min() { awk -v t="$1" 'BEGIN {printf "%.0f", 200 * 60 / t}'; }
printf '%-28s %-16s agentscan %6.3fs  %s repositories/min  git clone %6.3fs  ratio %5.2fx\n' \
    "200 served repositories" "one process" "$one" "$(per_min "$one")" "$gitclone" \
    "$(awk -v a="$one" -v b="$gitclone" 'BEGIN {print a / b}')"
printf '%-28s %-16s agentscan %6.3fs  %s repositories/min (each shard %s/min)\n' \
    "200 served repositories" "4 shards in turn" "$sharded" "$(per_min "$sharded")" \
    "$(awk -v t="$sharded" 'BEGIN {printf "%.0f", 50 * 60 / (t / 4)}')"
printf '%-28s %-16s agentscan %6.3fs  report over 4 stores %6.3fs  over the merged one %6.3fs\n' \
    "4 shard stores" "merge" "$merge" "$report" "$report_one"
fresh
