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
