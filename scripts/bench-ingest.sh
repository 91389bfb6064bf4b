#!/usr/bin/env bash
# Ingestion benchmark: a generated sales feed of LINES lines (default 1,000,000)
# for PARTNERS partners (default 1,000), ingested by the release `benefits
# ingest` into a fresh SQLite file, then ingested again (which must change
# nothing). Wall time and peak memory come from GNU time (`/usr/bin/time -v`).
#   scripts/bench-ingest.sh
#   LINES=100000 PARTNERS=100 scripts/bench-ingest.sh
# The README records a run.
set -euo pipefail

cd "$(dirname "$0")/.."
LINES="${LINES:-1000000}"
PARTNERS="${PARTNERS:-1000}"

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq time; else sudo apt-get update -qq && sudo apt-get install -y -qq time; fi
fi

cargo build --release -p benefits-server --bin benefits
BIN="target/release/benefits"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/bench.sqlite3"

# The generator: deterministic, one transact offer per partner, sales spread
# over 2024-2025 with every status the feed knows.
awk -v n="$PARTNERS" 'BEGIN {
  print "partner_id,name,account_email"
  for (p = 1; p <= n; p++) printf "p%04d,Partner %d,account@p%04d.example\n", p, p, p
}' > "$WORK/partners.csv"
awk -v n="$PARTNERS" 'BEGIN {
  print "partner_id,offer_id,type,name,live_on,delisted_on"
  for (p = 1; p <= n; p++) printf "p%04d,p%04d-saas,transact,Partner %d SaaS,2024-01-%02d,\n", p, p, p, (p % 28) + 1
}' > "$WORK/offers.csv"
awk -v n="$PARTNERS" -v lines="$LINES" 'BEGIN {
  split("billed billed billed billed billed billed fraud cancelled_accidental cancelled_before_use", st, " ")
  print "external_id,partner_id,offer_id,date,amount_usd,status"
  seed = 42
  for (i = 1; i <= lines; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    p = (i % n) + 1
    day = seed % 700
    y = 2024 + int(day / 350); d = day % 350; m = int(d / 30) + 1; dd = (d % 28) + 1
    cents = (seed % 500000) - 10000
    sign = cents < 0 ? "-" : ""; if (cents < 0) cents = -cents
    printf "S%08d,p%04d,p%04d-saas,%04d-%02d-%02d,%s%d.%02d,%s\n", i, p, p, y, m, dd, sign, int(cents / 100), cents % 100, st[(seed % 9) + 1]
  }
}' > "$WORK/sales.csv"
echo "generated $(($(wc -l < "$WORK/sales.csv") - 1)) sales lines for $PARTNERS partners ($(du -h "$WORK/sales.csv" | cut -f1))"

"$BIN" ingest partners "$WORK/partners.csv" --db "$DB"
"$BIN" ingest offers "$WORK/offers.csv" --db "$DB"

measure() {
  local label="$1"
  if ! /usr/bin/time -v "$BIN" ingest sales "$WORK/sales.csv" --db "$DB" > "$WORK/out.txt" 2> "$WORK/time.txt"; then
    head -20 "$WORK/time.txt" >&2
    exit 1
  fi
  local wall rss cpu
  wall="$(grep 'Elapsed (wall clock)' "$WORK/time.txt" | awk '{print $NF}')"
  rss="$(grep 'Maximum resident set size' "$WORK/time.txt" | awk '{print $NF}')"
  cpu="$(grep -E 'User time|System time' "$WORK/time.txt" | awk '{s += $NF} END {printf "%.1f", s}')"
  printf '%-6s %s | wall %s | CPU %s s | peak RSS %d MB\n' "$label" "$(cat "$WORK/out.txt")" "$wall" "$cpu" "$((rss / 1024))"
}
measure "first"
measure "again"
if ! grep -q ": 0 inserted, 0 updated, $LINES unchanged" "$WORK/out.txt"; then
  echo "re-ingesting the same file changed rows" >&2
  exit 1
fi
echo "database: $(du -h "$DB" | cut -f1)"
