#!/usr/bin/env bash
# Builds the web app into dist/ with Trunk.
#   scripts/build-app.sh            debug build (fast, large)
#   scripts/build-app.sh --release  size build: cargo profile wasm-release + wasm-opt -Oz
# wasm-opt comes from the npm package binaryen 132 in tools/node_modules
# (never Debian's binaryen, whose wasm-opt 108 breaks the module); run
# scripts/setup.sh first on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# Trunk 0.21 runs `cargo build --manifest-path Cargo.toml --bin benefits-app`
# and has no way to name a package, but the workspace's default-members leave
# the app out (so that a plain `cargo test` stays native). A `cargo` shim first
# on PATH adds `-p benefits-app` to Trunk's build calls and nothing else.
REAL_CARGO=$(command -v cargo)
export REAL_CARGO
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
cat > "$shim/cargo" <<'SHIM'
#!/usr/bin/env bash
if [ "${1:-}" = build ]; then
  shift
  exec "$REAL_CARGO" build --package benefits-app "$@"
fi
exec "$REAL_CARGO" "$@"
SHIM
chmod +x "$shim/cargo"
export PATH="$shim:$PATH"

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
"$REAL_CARGO" fetch --target wasm32-unknown-unknown >/dev/null
trunk "${args[@]}"
# The service worker's precache list comes from this build's own files.
node scripts/gen-sw.mjs dist
# Brotli and gzip copies of every text and wasm file, served as they are.
node scripts/compress-dist.mjs dist
echo "build-app: dist/ ready ($(du -sh dist | cut -f1))" >&2
