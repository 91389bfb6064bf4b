#!/usr/bin/env bash
# Every test of the project, as CI runs it: native Rust tests (domain + server,
# the server's on SQLite and again on a throwaway PostgreSQL),
# the domain and the app built for wasm32, the app's browser tests in headless
# Chromium, the release build with its size budget, schemathesis against the
# real server, and the end-to-end journeys (Playwright + Chromium). Installs
# what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never
# One build per run: incremental caches would only double the disk it needs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

step() { printf '\n==> %s\n' "$*"; }

step "setup (skips what is already installed)"
bash scripts/setup.sh

step "native tests: crates/domain and crates/server"
cargo test --locked --workspace --exclude benefits-app
# The vendored splitter (not a workspace member): its chunk merging (chunk_limit).
cargo test --locked -p wasm_split_cli_support

step "the server suite again on PostgreSQL (a throwaway server: initdb in a temp folder, a free port)"
eval "$(bash scripts/pg.sh env)"
trap 'bash scripts/pg.sh stop "$PG_DIR"' EXIT
BENEFITS_TEST_PG="$BENEFITS_TEST_PG" cargo test --locked -p benefits-server

step "crates/domain builds for wasm32-unknown-unknown"
cargo build --locked -p benefits-domain --target wasm32-unknown-unknown

step "app component tests in headless Chromium (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked -p benefits-app --target wasm32-unknown-unknown

step "release build of the app, with its size report"
bash scripts/build-app.sh --release
# The first load must stay within the product budget, 150 KB brotli (the
# wire-budget e2e test measures it again in Chromium). A direct visit to a
# lazy route also fetches that route's modules: the heaviest (the console
# and Partner 360: the chunk merge keeps code off the partner pages first)
# is ~383 KB brotli in all (~398 KB before one type-erased resource replaced
# a LocalResource per response type); the ceiling guards against growth.
# Chromium gets those modules dictionary-compressed (the report's dcb column).
bash scripts/size-report.sh dist --budget-kb 150 --route-ceiling-kb 390

cargo build --locked -p benefits-server --bin benefits

step "the API judged against its OpenAPI document by schemathesis (partner admin and operator)"
BENEFITS_BIN="$PWD/target/debug/benefits" bash scripts/schemathesis.sh

step "the same against the server on PostgreSQL (a fresh database on the throwaway server)"
BENEFITS_BIN="$PWD/target/debug/benefits" ST_DB="$(bash scripts/pg.sh createdb "$BENEFITS_TEST_PG" schemathesis)" bash scripts/schemathesis.sh
bash scripts/pg.sh stop "$PG_DIR"
trap - EXIT

step "end-to-end journeys in headless Chromium against the real server"
BENEFITS_BIN="$PWD/target/debug/benefits" node --test --test-concurrency=1 tests/e2e/
