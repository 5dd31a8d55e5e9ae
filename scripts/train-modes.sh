#!/usr/bin/env bash
# train-modes.sh [DIR]: fetch the repositories the work-mode model is trained and measured on, at
# the commits used, then train on the training set and evaluate on the held-out sets (repositories
# the model never sees). See docs/modes-model.md for the figures.
#
#   scripts/train-modes.sh ~/modes-data          # clones into ~/modes-data (about 5 GB)
#   MIRRORS=/path/with/owner+name/repo scripts/train-modes.sh   # use existing bare clones
#
# The model it writes, DIR/model.json, is the built-in one when copied to src/classify/model.json.
# TRAIN_MAX (labelled commits per repository, default 3000), TRAIN_C (the inverse strength of the
# penalty on weights, default 0.3) and TRAIN_MIN (default 40) are passed to the trainer; the
# defaults are what leave-one-repository-out over the training set measured best. The fit is
# deterministic: the same repositories at the same commits give the same model.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-${TMPDIR:-/tmp}/agentscan-modes}

# owner/name commit: the training repositories (web, systems, data, infrastructure, docs-heavy and
# agent-heavy projects in TypeScript, JavaScript, Rust, Go, Python, C, C++ and Zig).
TRAIN=(
    "Aider-AI/aider 5dc9490bb35f9729ef2c95d00a19ccd30c26339c"
    "All-Hands-AI/OpenHands 156d0686c46aafb0fa9d291da6421fb6f64dddc0"
    "anthropics/claude-code-action 24dcd50c0568f0fc9e9211213a4fd2d9eb15c4e0"
    "charmbracelet/crush 37f36e93824e5c4f892e4a817f7f628e2682fe14"
    "cline/cline 21cb8d2525bcedf1f4b6890b27a74a14fe7451e4"
    "google-gemini/gemini-cli 5411f113cafae26161b4969b0237b8e1e024e2c2"
    "jdx/mise 70e94a1f89fa27f3bbc2b933c6891a124f5ef04c"
    "jj-vcs/jj 9d905d5432869c7aa9539e6e5c7fece5842bed37"
    "modelcontextprotocol/servers 76d64c822f5125032f89eb71dbdb94e42b434821"
    "openai/openai-agents-python 7f7a44f8dc0650296bd5ab6c745c9bcbaa6ac3b7"
    "wevm/viem 0912a29d5c7abbea5238d6f7c3d750f07d479ace"
    "entireio/cli f446dcfc09fda981a5c373a5f47c54363761fa6e"
    "curl/curl 5c61e168698a72b87437d58ed728bcdea6d5db42"
    "ghostty-org/ghostty 3b9c4e0ddbe953540243af89cf11fad26f297088"
    "biomejs/biome 18883b7dafb8f9581534508fdd5b1e34632f2724"
    "vitejs/vite a98c8d95d552c6fa98ab66fb810f5b39ad5abf49"
    "tauri-apps/tauri a8105eccb2122f003b4a36bbfb747998f53c5f10"
    "oxc-project/oxc 288f9a5188b9409cd0dfa34c25a0419e5eb8443b"
    "grafana/k6 87883075ccd5e3d3fb961a860b3d6e422bbc353b"
    "conventional-changelog/commitlint 1fd1be00701ab48c9baa964e3b8c0c36a451ccc4"
    "nuxt/nuxt 4e0099839c3ea0483e6dc639e4be6d9bdffc3e56"
    "electron/electron 96f3996d8d3ce6e2fcfb86326fc4b953b53936fb"
    "goreleaser/goreleaser cd616d2c080b205bfe0833396e6f2d208253095e"
    "pnpm/pnpm 36e5ae6ac8d03743442f083680fa3015e4a774b3"
    "langfuse/langfuse 62751446149b702b419a9292ddfc2280cdf74b8c"
    "typeorm/typeorm 281bfba42a5813b106bcf5ba79bc7f7251bd1e73"
    "semantic-release/semantic-release 8d905a56e80030c141a71a32c0c4cb870e90470a"
    "payloadcms/payload db7543c2121f0b672e33436447122b5e09ea4f2b"
    "starship/starship 6f33dcec91b758ccbae4ed850eaa6feabff798f9"
    "googleapis/release-please fdaca293b5c9215c7bcae72dd228ba9558120817"
    "open-telemetry/opentelemetry-js 61126358cb5cf06a2004151cbad18e79cbede00a"
    "charmbracelet/bubbletea 73b6d91ac1c3854dd4af046ab5f9e51d3b3b4290"
)
# Never trained on.
HELD_OUT=(
    "denoland/deno 98f9507affc905f088124891add3a8dd63b91f77"
    "argoproj/argo-cd 37ee0097cf851bc2dd7665fc081bbce61a7e836e"
    "excalidraw/excalidraw 4872083c044491b6d5c96ae134a75464f96d6831"
    "vuejs/core e2bede96134f757aad5c5b33ac9be055022dbfc8"
    "pola-rs/polars 4db92c12c08c390f95b517a00ae0afe818e1abf6"
)
# Never trained on either, measured after the first model was shipped: a second look at how the
# model does on histories it has not seen.
LATER=(
    "vitest-dev/vitest c3ba16b35847d27fb9f01f38cdcb047c77e121f8"
    "TanStack/query 40321a0b1b3bdd0afa11f0e439642ab84cdf6afe"
    "commitizen-tools/commitizen b66582e9462d1d6f7e72560fa49a1b2511ae30a2"
    "angular/angular-cli 9a1b250bbd3617ce66ff67730075dcda054b5e79"
    "honojs/hono 28a9c128912de19f3fb28b00ae289c9b93f6f392"
    "python-semantic-release/python-semantic-release c74aa3b99de6d9c721f8bd6d2abfa142298b94c9"
    "trpc/trpc 340811ba5320637fbaf48fccf3dbfdd258bd34db"
)
# Listed before any was measured, with nestjs/nest, angular/angular, swc-project/swc and nrwl/nx,
# which were too large to fetch where the figures were taken: the four measured.
FURTHER=(
    "typescript-eslint/typescript-eslint 56c9ed90d0aee0b5a71cfc39fc76b715b82e3ea8"
    "electron-userland/electron-builder 8e95ad0e00c866c8389ae295ac802ebd9954d2ca"
    "renovatebot/renovate c2dd4f856f068eeda4c10afc3752c35fe1f6cab1"
    "eslint/eslint c27bc926e496985eb7911c09eb60914b2e4b5d0f"
)

# repo OWNER/NAME [COMMIT]: a bare clone whose HEAD is COMMIT (or the default branch's tip).
repo() {
    local slug=$1 commit=${2:-} path
    if [ -n "${MIRRORS:-}" ] && [ -d "$MIRRORS/${slug/\//+}/repo" ]; then
        path=$MIRRORS/${slug/\//+}/repo
    else
        path=$DIR/${slug/\//+}.git
        [ -d "$path" ] || git clone -q --bare "https://github.com/$slug.git" "$path"
    fi
    if [ -n "$commit" ] && [ "$(git --git-dir="$path" rev-parse HEAD)" != "$commit" ]; then
        git --git-dir="$path" update-ref refs/heads/agentscan-train "$commit"
        git --git-dir="$path" symbolic-ref HEAD refs/heads/agentscan-train
    fi
    echo "$path"
}

# repos ARRAY ENTRY...: ARRAY becomes the bare clones of the "owner/name commit" entries.
repos() {
    local -n paths=$1
    local entry slug commit
    shift
    paths=()
    for entry in "$@"; do
        read -r slug commit <<<"$entry"
        paths+=("$(repo "$slug" "$commit")")
    done
}

mkdir -p "$DIR"
repos train "${TRAIN[@]}"
repos held "${HELD_OUT[@]}"
repos later "${LATER[@]}"
repos further "${FURTHER[@]}"

cargo build --release --quiet --example train_modes
bin=target/release/examples/train_modes
"$bin" train "$DIR/model.json" "${train[@]}"
"$bin" eval "$DIR/model.json" "${held[@]}"
echo "the seven measured later:"
"$bin" eval "$DIR/model.json" "${later[@]}"
echo "the four measured after that:"
"$bin" eval "$DIR/model.json" "${further[@]}"
echo "leave-one-repository-out over the training set:"
"$bin" loo "${train[@]}"
