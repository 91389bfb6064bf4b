#!/usr/bin/env bash
# Builds the web app into dist/ with Trunk: `trunk build` offline, with the
# pinned tools first on PATH (a plain `trunk build` at the root does the same).
#   scripts/build-app.sh            debug build (fast, large)
#   scripts/build-app.sh --release  size build: cargo profile wasm-release + wasm-opt -Oz
# wasm-opt comes from the npm package binaryen 132 in tools/node_modules
# (never Debian's binaryen, whose wasm-opt 108 breaks the module); run
# scripts/setup.sh first on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  echo "build-app: tools/node_modules/.bin/wasm-opt is missing; run scripts/setup.sh (or: cd tools && npm ci)" >&2
  exit 1
fi

args=(build --offline)
for a in "$@"; do
  case "$a" in
    --release) args+=(--release) ;;
    *) echo "build-app: unknown option $a (only --release)" >&2; exit 2 ;;
  esac
done

# Trunk must not download anything: fetch crates first, then build offline.
cargo fetch --target wasm32-unknown-unknown >/dev/null
# A plain Trunk build: its post-build hook splits the wasm and writes the
# service worker (scripts/post-build.sh).
trunk "${args[@]}"
echo "build-app: dist/ ready ($(du -sh dist | cut -f1))" >&2
