#!/usr/bin/env bash
# Program-scale benchmark (issue 15, "Scale figures"): a fresh SQLite file with
# the demo accounts, then PARTNERS partners (default 10,000, the demo's three
# included), 3 offers each (~30,000), and LINES sales lines (default 5,000,000)
# through the feed, BIG (default 100,000) of them Contoso's in the last year.
# Measures, on the release build: feed ingestion (GNU time), the jobs for all
# partners, workspace GET req/s and p99 (warm cache; open loop at half the
# peak), the operator's partner list (first page, a filtered page) p99,
# activate/opt-out writes/s and p99, and the database size.
#   bash scripts/scale.sh
#   PARTNERS=1000 LINES=500000 BIG=100000 DURATION=5 bash scripts/scale.sh   # smaller
# A benchmark, not a test: docs/LOAD.md records a run. Needs ~1 GB of disk for
# the default size. Runs on 127.0.0.1 only.
set -euo pipefail

cd "$(dirname "$0")/.."
PARTNERS="${PARTNERS:-10000}"
LINES="${LINES:-5000000}"
BIG="${BIG:-100000}"
DURATION="${DURATION:-10}"
PORT="${PORT:-18282}"
BASE="http://127.0.0.1:${PORT}"
export TZ=UTC

for tool in wrk /usr/bin/time; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    pkg=$([ "$tool" = wrk ] && echo wrk || echo time)
    echo "installing $pkg (Debian package)" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$pkg"; else sudo apt-get update -qq && sudo apt-get install -y -qq "$pkg"; fi
  fi
done

# SKIP_BUILD=1: use the release binaries already built (e.g. while another build holds the target lock).
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -p benefits-server --bin benefits --example fixed_rate
BIN="${BIN:-target/release/benefits}"
FIXED_RATE="${FIXED_RATE:-target/release/examples/fixed_rate}"
WORK="${SCALE_DIR:-$(mktemp -d)}"
DB="$WORK/scale.sqlite3"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  [ -n "${SCALE_DIR:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" seed-demo --db "$DB" > /dev/null
NOW=$(date -u +%s)
GEN=$((PARTNERS - 3))

# Deterministic generators (awk; dates relative to today, so the evaluation
# reads them): generated partners g00001…, three offers each (transact, list,
# consulting); the lines spread over the two years before today, every status.
awk -v n="$GEN" 'BEGIN {
  print "partner_id,name,account_email"
  for (p = 1; p <= n; p++) printf "g%05d,Generated Partner %d,account@g%05d.example\n", p, p, p
}' > "$WORK/partners.csv"
awk -v n="$GEN" -v now="$NOW" 'BEGIN {
  print "partner_id,offer_id,type,name,live_on,delisted_on"
  for (p = 1; p <= n; p++) {
    live = strftime("%Y-%m-%d", now - 86400 * (400 + p % 300), 1)
    printf "g%05d,g%05d-saas,transact,SaaS %d,%s,\n", p, p, p, live
    printf "g%05d,g%05d-list,list,Listing %d,%s,\n", p, p, p, live
    printf "g%05d,g%05d-pro,consulting,Consulting %d,%s,\n", p, p, p, live
  }
}' > "$WORK/offers.csv"
awk -v n="$GEN" -v lines="$((LINES - BIG))" -v big="$BIG" -v now="$NOW" 'BEGIN {
  split("billed billed billed billed billed billed fraud cancelled_accidental cancelled_before_use", st, " ")
  print "external_id,partner_id,offer_id,date,amount_usd,status"
  seed = 42
  for (i = 1; i <= lines; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    p = (i % n) + 1
    day = strftime("%Y-%m-%d", now - 86400 * (1 + seed % 720), 1)
    cents = (seed % 500000) - 10000
    sign = cents < 0 ? "-" : ""; if (cents < 0) cents = -cents
    printf "S%08d,g%05d,g%05d-%s,%s,%s%d.%02d,%s\n", i, p, p, (i % 3 == 0 ? "list" : "saas"), day, sign, int(cents / 100), cents % 100, st[(seed % 9) + 1]
  }
  # The large partner: Contoso (a demo account signs in to it), BIG lines in the last year.
  for (i = 1; i <= big; i++) {
    day = strftime("%Y-%m-%d", now - 86400 * (1 + i % 364), 1)
    printf "BIG%07d,contoso,contoso-insights,%s,%d.%02d,%s\n", i, day, 20 + i % 180, i % 100, (i % 50 == 0 ? "fraud" : "billed")
  }
}' > "$WORK/sales.csv"
echo "generated: $GEN partners (+3 demo), $(($(wc -l < "$WORK/offers.csv") - 1)) offers, $(($(wc -l < "$WORK/sales.csv") - 1)) sales lines ($(du -h "$WORK/sales.csv" | cut -f1))"

timed() {
  local label="$1"; shift
  if ! /usr/bin/time -v "$@" > "$WORK/out.txt" 2> "$WORK/time.txt"; then cat "$WORK/time.txt" >&2; exit 1; fi
  printf '%-28s wall %s, peak memory %s MB\n' "$label" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")" \
    "$(awk -F': ' '/Maximum resident/ {printf "%d", $2 / 1024}' "$WORK/time.txt")"
}
echo "== feed ingestion"
timed "partners" "$BIN" ingest partners "$WORK/partners.csv" --db "$DB"
timed "offers" "$BIN" ingest offers "$WORK/offers.csv" --db "$DB"
timed "sales" "$BIN" ingest sales "$WORK/sales.csv" --db "$DB"
echo "== jobs for all partners (benefits run-jobs)"
timed "run-jobs" "$BIN" run-jobs --db "$DB"
echo "database: $(du -h "$DB" | cut -f1) ($(du -b "$DB" | cut -f1) bytes)"

RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:${PORT}" --db "$DB" --dist "$WORK/no-dist" > "$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done

login() {
  local body
  body=$(curl -fsS -D "$WORK/headers" -H 'X-Requested-With: benefits' -H 'Content-Type: application/json' -d "$1" "$BASE/api/session/login")
  COOKIE=$(grep -i '^set-cookie:' "$WORK/headers" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/' | tr -d '\r')
  CSRF=$(printf '%s' "$body" | sed -E 's/.*"csrf_token":"([^"]*)".*/\1/')
}

login '{"email":"admin@contoso.example","password":"demo-contoso-admin-1"}'
PARTNER_COOKIE="$COOKIE"; PARTNER_CSRF="$CSRF"
WS="$BASE/api/partners/contoso/workspace"
echo "== the large partner ($BIG lines): one workspace GET, then a page of its sales"
curl -fsS -o /dev/null -w 'workspace cold: %{time_total}s, %{size_download} bytes (no compression)\n' -H "Cookie: $PARTNER_COOKIE" "$WS"
curl -fsS -o /dev/null -w 'workspace warm: %{time_total}s, %{size_download} bytes brotli\n' -H "Cookie: $PARTNER_COOKIE" -H 'Accept-Encoding: br' "$WS"
curl -fsS -o /dev/null -w 'sales page of 50: %{time_total}s\n' -H "Cookie: $PARTNER_COOKIE" "$BASE/api/partners/contoso/sales?limit=50&desc=true"

echo "== GET workspace, warm cache (${DURATION}s, 2 threads, 32 connections)"
wrk -t2 -c32 -d"${DURATION}s" --latency -H "Cookie: ${PARTNER_COOKIE}" "$WS" | tee "$WORK/peak.txt"
PEAK=$(awk '/^Requests\/sec:/ {print int($2)}' "$WORK/peak.txt")
echo "== GET workspace at a fixed $((PEAK / 2)) req/s (half the peak), ${DURATION}s"
"$FIXED_RATE" "$WS" "$((PEAK / 2))" "$DURATION" "$PARTNER_COOKIE"

login '{"email":"rewards@program.example","password":"demo-operator-7261"}'
for q in "" "?tier=0&offer_type=transact&sort=mbs&desc=true&offset=100"; do
  echo "== GET /api/operator/partners$q at a fixed 100 req/s, ${DURATION}s"
  curl -fsS -o /dev/null -w 'one request: %{time_total}s\n' -H "Cookie: $COOKIE" "$BASE/api/operator/partners$q"
  "$FIXED_RATE" "$BASE/api/operator/partners$q" 100 "$DURATION" "$COOKIE"
done

# Writes: each wrk thread alternates activate and opt-out on its own unlocked
# benefit of Contoso's, carrying the ETag into the next If-Match (as scripts/load.sh).
cat > "$WORK/activate.lua" <<LUA
local benefits = {"listing-optimization", "promotion-resources", "sales-enablement", "technical-presales"}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("bid", benefits[((counter - 1) % #benefits) + 1])
end
function init(args)
  version = 0
  activate = true
end
function request()
  local action = activate and "activate" or "opt-out"
  return wrk.format("POST", "/api/partners/contoso/benefits/" .. bid .. "/" .. action, {
    ["Cookie"] = "${PARTNER_COOKIE}", ["X-CSRF-Token"] = "${PARTNER_CSRF}", ["If-Match"] = '"' .. version .. '"'
  }, "")
end
function response(status, headers, body)
  if status == 200 then
    version = tonumber(string.match(headers["etag"] or headers["ETag"], "%d+"))
    activate = not activate
  elseif status ~= 412 then
    activate = not activate
  end
end
LUA
echo "== POST activate / opt-out, alternating (${DURATION}s, 4 threads x 1 connection)"
wrk -t4 -c4 -d"${DURATION}s" --latency -s "$WORK/activate.lua" "$BASE"
echo "database after the run: $(du -h "$DB" | cut -f1)"
