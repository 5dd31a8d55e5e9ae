#!/usr/bin/env bash
# gen-repo.sh DEST [COMMITS] [FILES]: a large synthetic repository for benchmarks, written with
# git fast-import in seconds. One commit per hour from 2022 on, 12 authors, a mix of human commits,
# Claude Code / Copilot / Aider trailers, bot authors and merges' worth of text, each commit
# changing one or two of FILES files by a few lines.
set -euo pipefail
dest=$1
commits=${2:-100000}
files=${3:-2000}
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
rm -rf "$dest"
git init -q --bare "$dest"
LC_ALL=C awk -v n="$commits" -v files="$files" 'BEGIN {
    srand(42)
    split("ann bob carol dave erin frank grace heidi ivan judy mallory oscar", who, " ")
    t = 1640995200
    for (i = 1; i <= n; i++) {
        t += 3600
        a = who[(i % 12) + 1]
        kind = i % 10
        msg = "Change " i ": adjust module " (i % 97) "\n\nLonger explanation of change " i ".\nIt touches a couple of files and keeps the tests green.\n"
        author = a " <" a "@example.com>"
        if (kind == 3) msg = msg "\nCo-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>\n"
        if (kind == 5) msg = msg "\n\xf0\x9f\xa4\x96 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-Authored-By: Claude Opus 4.6 (1M context) <noreply@anthropic.com>\n"
        if (kind == 7) author = "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>"
        if (kind == 8 && i % 20 == 8) author = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
        if (kind == 9) msg = msg "\nSigned-off-by: " author "\n"
        printf "commit refs/heads/main\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\n", i, author, t, author, t, length(msg), msg
        if (i > 1) printf "from :%d\n", i - 1
        for (f = 0; f < 1 + (i % 2); f++) {
            path = "src/dir" (int((i * 7 + f * 13) % files) % 50) "/file" ((i * 7 + f * 13) % files) ".rs"
            body = ""
            for (l = 0; l < 3 + (i % 5); l++) body = body "fn f" i "_" l "() { /* change " i " */ }\n"
            printf "M 100644 inline %s\ndata %d\n%s\n", path, length(body), body
        }
        printf "\n"
    }
}' | git -C "$dest" fast-import --quiet
git -C "$dest" symbolic-ref HEAD refs/heads/main
git -C "$dest" repack -adq
