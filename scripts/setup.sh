#!/usr/bin/env bash
# Installs every tool the project needs, skipping what is already present at the
# right version. Safe to run again; a warm run takes seconds.
# Versions are pinned here and in Trunk.toml (see ../shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
SCHEMATHESIS_VERSION=4.32.5

log() { printf '[setup] %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

# 1. wasm target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The release build of the app compiles the standard library for size
# (scripts/build-app.sh): it needs its sources.
if ! rustup component list --installed | grep -q '^rust-src'; then
  log "adding rust component rust-src"
  rustup component add rust-src
fi

# 2. Trunk (0.22 needs a newer rustc than this machine has)
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (several minutes on a cold machine)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 3. wasm-bindgen CLI, the exact version in Cargo.lock (no --locked: see TOOLCHAIN.md)
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' Cargo.lock)
if [ -z "$WB_VERSION" ]; then
  echo "setup: cannot read the wasm-bindgen version from Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ] \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  log "installing wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# 4. Debian packages: Chromium + driver for browser tests (never Debian's binaryen)
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v sqlite3 >/dev/null || need_apt+=(sqlite3)
# PostgreSQL's server binaries for scripts/pg.sh (the tests' throwaway server, issue 13)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# 5. Node tools (wasm-opt from npm binaryen, playwright-core, axe-core, esbuild), from the lock file
if [ ! -x tools/node_modules/.bin/wasm-opt ] \
   || [ "$(tools/node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ] \
   || [ ! -d tools/node_modules/playwright-core ] \
   || [ ! -d tools/node_modules/esbuild ] \
   || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  log "npm ci in tools/"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

# 6. schemathesis (PyPI), pinned, in a virtualenv under tools/ (scripts/schemathesis.sh)
if [ "$(tools/venv/bin/schemathesis --version 2>/dev/null | awk '{print $3}')" != "$SCHEMATHESIS_VERSION" ]; then
  log "installing schemathesis $SCHEMATHESIS_VERSION into tools/venv"
  python3 -m venv tools/venv
  tools/venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# 7. The tests' mail server: aiosmtpd (PyPI) in a virtualenv, delivering into a Maildir
AIOSMTPD_VERSION=1.4.6
if [ "$(tools/smtp-venv/bin/python -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" != "$AIOSMTPD_VERSION" ]; then
  log "installing aiosmtpd $AIOSMTPD_VERSION into tools/smtp-venv"
  if ! python3 -m venv tools/smtp-venv 2>/dev/null; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv tools/smtp-venv
  fi
  tools/smtp-venv/bin/pip install --quiet "aiosmtpd==$AIOSMTPD_VERSION"
fi

log "tools ready: $(trunk --version), wasm-bindgen $WB_VERSION, wasm-opt $(tools/node_modules/.bin/wasm-opt --version | awk '{print $3}'), $(chromium --version 2>/dev/null | head -1), $(tools/venv/bin/schemathesis --version)"
