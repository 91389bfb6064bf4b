#!/usr/bin/env bash
# End-to-end tests: builds the web app (release) and the `benefits` server,
# then runs the Playwright specs in tests/e2e/ with node's test runner
# against the system Chromium. Screenshots go to tests/e2e/artifacts/.
#   scripts/e2e.sh [--no-build] [extra node --test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi

if [ ! -d tools/node_modules/playwright-core ] || [ ! -d tools/node_modules/axe-core ]; then
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ "$build" = 1 ]; then
  scripts/build-app.sh --release
  cargo build -p benefits-server
fi
command -v chromium >/dev/null || { echo "e2e: chromium is missing; run scripts/setup.sh" >&2; exit 1; }

rm -rf tests/e2e/artifacts
exec node --test --test-concurrency=1 "$@" tests/e2e/
