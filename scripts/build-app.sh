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
release=0
for a in "$@"; do
  case "$a" in
    --release) args+=(--release); release=1 ;;
    *) echo "build-app: unknown option $a (only --release)" >&2; exit 2 ;;
  esac
done

# Trunk must not download anything: fetch crates first, then build offline.
cargo fetch --target wasm32-unknown-unknown >/dev/null
if [ "$release" = 1 ]; then
  # The release (size) build compiles the standard library with the app,
  # optimised for size, and aborts on a panic without formatting its message
  # (std's panic and formatting machinery is ~10% of the first load). This is
  # the stable toolchain itself with its unstable flags allowed
  # (RUSTC_BOOTSTRAP): the size recipe of Leptos's own book, with no nightly
  # compiler to install. It needs the rust-src component (scripts/setup.sh).
  # A debug build (trunk serve, the browser tests) keeps the panic messages.
  # Only the wasm32 target's flags change: cargo adds these to
  # .cargo/config.toml's (scripts/split-wasm.sh builds its native splitter
  # without any of this).
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  # BENEFITS_PANIC_MESSAGES=1 keeps the messages, to read a panic in the
  # browser's console (a bigger build, for diagnosis).
  if [ "${BENEFITS_PANIC_MESSAGES:-0}" != 1 ]; then
    # No file/line of a panic's location and no Debug formatting either (the
    # app shows nothing through `{:?}`): ~3 KB less on the first load.
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
  fi
  # Trunk builds offline: fetch the standard library's own dependencies first.
  cargo fetch --manifest-path "$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml" >/dev/null
fi
# A plain Trunk build: its post-build hook splits the wasm and writes the
# service worker (scripts/post-build.sh).
trunk "${args[@]}"
echo "build-app: dist/ ready ($(du -sh dist | cut -f1))" >&2
