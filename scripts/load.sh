#!/usr/bin/env bash
# Load test of `benefits serve` (release build) on seeded demo data, on 127.0.0.1 only.
# Bounded: each scenario runs DURATION seconds (default 10). Usage:
#   scripts/load.sh            # build, seed a temp DB, run the three scenarios
#   DURATION=5 THREADS=2 CONNECTIONS=32 scripts/load.sh
#   DB=path/to.sqlite3 scripts/load.sh   # an existing database that holds the demo
#                                        # accounts (scripts/scale.sh); kept afterwards
# WORKSPACE_RATE (default 2500) is the fixed rate of the open-loop p99 step.
# Results (req/s, latency percentiles) are printed; docs/LOAD.md records a run.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION="${DURATION:-10}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-18181}"
WORKSPACE_RATE="${WORKSPACE_RATE:-2500}"
BASE="http://127.0.0.1:${PORT}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk; else sudo apt-get update -qq && sudo apt-get install -y -qq wrk; fi
fi

cargo build --release -p benefits-server --bin benefits --example fixed_rate
BIN="target/release/benefits"
FIXED_RATE="target/release/examples/fixed_rate"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${DB:-}" ]; then
  [ -f "$DB" ] || { echo "load: DB=$DB does not exist" >&2; exit 2; }
else
  DB="$WORK/load.sqlite3"
  "$BIN" seed-demo --db "$DB" > "$WORK/seed.txt"
fi
# Jobs off: the hourly jobs would run at start, inside the measurements
# (scripts/scale.sh times them on their own).
RUST_LOG=warn "$BIN" serve --jobs-every-minutes 0 --addr "127.0.0.1:${PORT}" --db "$DB" --dist "$WORK/no-dist" > "$WORK/serve.log" 2>&1 &
SERVER_PID=$!
# Up to two minutes: on a large database (scripts/scale.sh: 771 MB) the
# server checks its foreign keys before it listens, ~10 s or more.
up=""
for _ in $(seq 1 1200); do
  if curl -fsS "$BASE/api/health" >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$up" ]; then
  echo "load: the server did not answer on $BASE; its log:" >&2
  cat "$WORK/serve.log" >&2
  exit 1
fi

# Signs in; sets COOKIE and CSRF.
sign_in() {
  local login
  login=$(curl -fsS -D "$WORK/headers" -H 'X-Requested-With: benefits' -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" "$BASE/api/session/login")
  COOKIE=$(grep -i '^set-cookie:' "$WORK/headers" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/' | tr -d '\r')
  CSRF=$(printf '%s' "$login" | sed -E 's/.*"csrf_token":"([^"]*)".*/\1/')
}
# The operator first (the partner list), then the Contoso admin (the transact
# partner with 18 months of sales) for everything else.
sign_in rewards@program.example demo-operator-7261
OPERATOR_COOKIE=$COOKIE
sign_in admin@contoso.example demo-contoso-admin-1

# Activation (scripts/load/activate.lua): each wrk thread alternates activate
# and opt-out on its own unlocked benefit.

cat > "$WORK/evaluate.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open(os.getenv("EVAL_INPUT"), "r")
wrk.body = f:read("*a")
f:close()
LUA

echo "== GET /api/partners/contoso/workspace (${DURATION}s, ${THREADS} threads, ${CONNECTIONS} connections)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Cookie: ${COOKIE}" "$BASE/api/partners/contoso/workspace" | tee "$WORK/peak.txt"
PEAK=$(awk '/^Requests\/sec:/ {print int($2)}' "$WORK/peak.txt")

# p99 at fixed rates, open loop (latency counted from each request's due time):
# WORKSPACE_RATE (half the target), and half the peak just measured.
HALF=$((PEAK / 2))
for RATE in "$WORKSPACE_RATE" "$HALF"; do
  echo "== GET /api/partners/contoso/workspace at a fixed ${RATE} req/s, ${DURATION}s"
  "$FIXED_RATE" "$BASE/api/partners/contoso/workspace" "$RATE" "$DURATION" "$COOKIE"
done

# wrk cannot hold a fixed rate; fewer connections give a lower rate, to read p99 below saturation.
echo "== GET /api/partners/contoso/workspace, light load (${DURATION}s, 1 thread, 4 connections)"
wrk -t1 -c4 -d"${DURATION}s" --latency -H "Cookie: ${COOKIE}" "$BASE/api/partners/contoso/workspace"

echo "== POST activate / opt-out, alternating (${DURATION}s, 4 threads x 1 connection: one benefit each)"
COOKIE="$COOKIE" CSRF="$CSRF" wrk -t4 -c4 -d"${DURATION}s" --latency -s scripts/load/activate.lua "$BASE"

# The operator's partner list: the first page, and a searched, filtered and
# sorted page (read from the per-partner summary table, paged in the database).
for QUERY in "limit=50" "q=partner%2012&offer_type=transact&sort=mbs&desc=true&limit=50"; do
  echo "== GET /api/operator/partners?${QUERY} (${DURATION}s, 1 thread, 4 connections)"
  wrk -t1 -c4 -d"${DURATION}s" --latency -H "Cookie: ${OPERATOR_COOKIE}" "$BASE/api/operator/partners?${QUERY}"
  echo "== GET /api/operator/partners?${QUERY} at a fixed 20 req/s (a busy console), ${DURATION}s"
  "$FIXED_RATE" "$BASE/api/operator/partners?${QUERY}" 20 "$DURATION" "$OPERATOR_COOKIE"
done

# A partner with many sales lines (BIG_PARTNER, signed in as BIG_LOGIN="email
# password"; set by scripts/scale.sh): the server's cost of a large workspace,
# cache warm, compressed as a browser asks for it.
if [ -n "${BIG_PARTNER:-}" ]; then
  read -r big_email big_password <<< "${BIG_LOGIN:?BIG_LOGIN=\"email password\" of a user of BIG_PARTNER}"
  contoso_cookie=$COOKIE contoso_csrf=$CSRF
  sign_in "$big_email" "$big_password"
  BIG_COOKIE=$COOKIE
  COOKIE=$contoso_cookie CSRF=$contoso_csrf
  curl -fsS -o "$WORK/big.br" -H "Cookie: ${BIG_COOKIE}" -H 'Accept-Encoding: br' "$BASE/api/partners/${BIG_PARTNER}/workspace"
  curl -fsS -o "$WORK/big.json" -H "Cookie: ${BIG_COOKIE}" "$BASE/api/partners/${BIG_PARTNER}/workspace"
  echo "workspace of ${BIG_PARTNER}: $(wc -c < "$WORK/big.json") bytes of JSON, $(wc -c < "$WORK/big.br") bytes brotli"
  echo "== GET /api/partners/${BIG_PARTNER}/workspace, br (${DURATION}s, 1 thread, 4 connections)"
  wrk -t1 -c4 -d"${DURATION}s" --latency -H "Cookie: ${BIG_COOKIE}" -H 'Accept-Encoding: br' "$BASE/api/partners/${BIG_PARTNER}/workspace"
fi

echo "== POST /api/evaluate, EVALUATE.md example (${DURATION}s, ${THREADS} threads, ${CONNECTIONS} connections)"
EVAL_INPUT="crates/domain/tests/data/example-input.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/evaluate.lua" "$BASE/api/evaluate"
