#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml), so that a plain `trunk build` or
# `trunk serve` produces the complete app: split the wasm at its lazy routes
# (scripts/split-wasm.sh), then write the service worker with this build's
# precache list (scripts/gen-sw.mjs), then the compressed copies
# (scripts/compress-dist.mjs). One hook, because Trunk runs the hooks
# of a stage at the same time and the service worker lists the split files.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt 132 from npm (never Debian's 108, see ../shared/TOOLCHAIN.md).
export PATH="$PWD/tools/node_modules/.bin:$PATH"
bash scripts/split-wasm.sh
node scripts/gen-sw.mjs "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
# Last: brotli and gzip copies of every text and wasm file, served as they are.
node scripts/compress-dist.mjs "$TRUNK_STAGING_DIR"
# Release: each lazy module also compressed with the main module as its
# dictionary (`.dcb`, RFC 9842), for a browser that kept the main module
# (crates/wasm-split/src/dictionary.rs; the server picks it, http/spa.rs).
if [ "${TRUNK_PROFILE:-debug}" = release ]; then
  shopt -s nullglob
  mains=("$TRUNK_STAGING_DIR"/benefits-app-*_bg.wasm)
  [ "${#mains[@]}" -eq 1 ] || { echo "post-build: expected one main module in $TRUNK_STAGING_DIR, found ${#mains[@]}" >&2; exit 1; }
  env -u RUSTC_BOOTSTRAP -u CARGO_UNSTABLE_BUILD_STD -u CARGO_UNSTABLE_BUILD_STD_FEATURES \
    "${REAL_CARGO:-cargo}" run --quiet --locked --release --package benefits-wasm-split -- \
    dcb "${mains[0]}" "$TRUNK_STAGING_DIR"/split_*.wasm "$TRUNK_STAGING_DIR"/chunk_*.wasm
fi
