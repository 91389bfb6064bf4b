#!/usr/bin/env bash
# Builds and runs the product on demo data: installs what is missing, builds the
# web app and the server, seeds an embedded SQLite database on first run, serves.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

ADDR="${BENEFITS_ADDR:-127.0.0.1:8080}"
DB="${BENEFITS_DB:-data/benefits.sqlite3}"

bash scripts/setup.sh
bash scripts/build-app.sh --release
cargo build --locked --release -p benefits-server --bin benefits
if [ ! -s "$DB" ]; then
  ./target/release/benefits seed-demo --db "$DB"
else
  echo "Using the existing database $DB (delete it to start again from demo data)."
fi
echo "Open http://$ADDR/ in a browser."
exec ./target/release/benefits serve --addr "$ADDR" --db "$DB" --dist dist
