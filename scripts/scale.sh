#!/usr/bin/env bash
# Scale figures (issue 15): a program of PARTNERS partners (default 10,000),
# three offers each (30,000: one transact, one list or trial, one consulting)
# and LINES sales lines (default 5,000,000) over the last two years, all
# through the marketplace feed into a fresh SQLite file that also holds the
# demo partners and accounts. BIG of the lines (default 100,000) go to the demo
# partner Adatum, on a transact offer the feed adds, so that a signed-in
# user can read that partner's workspace.
# Then it measures, with the release binary:
#   - feed ingestion time of each file (GNU time: wall, CPU, peak memory);
#   - the jobs' run time for every partner (`benefits run-jobs`);
#   - the database size;
#   - scripts/load.sh on that database: workspace GET req/s and p99 (Contoso,
#     warm cache; open loop at WORKSPACE_RATE, default 10,000 = half the 20,000
#     target), the operator's partner list (first page and a filtered page),
#     Adatum's 100,000-line workspace, activate/opt-out writes.
#   scripts/scale.sh
#   PARTNERS=1000 LINES=500000 BIG=20000 DURATION=5 scripts/scale.sh   # smaller
#   KEEP=1 scripts/scale.sh     # keep the database (its path is printed)
# docs/LOAD.md records a run. A benchmark, not a test: nothing here asserts a time.
set -euo pipefail

cd "$(dirname "$0")/.."
PARTNERS="${PARTNERS:-10000}"
LINES="${LINES:-5000000}"
BIG="${BIG:-100000}"
[ "$PARTNERS" -ge 1 ] && [ "$BIG" -lt "$LINES" ] || { echo "scale: need PARTNERS >= 1 and BIG < LINES" >&2; exit 2; }

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (Debian package)" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq time; else sudo apt-get update -qq && sudo apt-get install -y -qq time; fi
fi

cargo build --release -p benefits-server --bin benefits
BIN="target/release/benefits"
WORK="$(mktemp -d)"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; fi
DB="$WORK/scale.sqlite3"

"$BIN" seed-demo --db "$DB" > /dev/null

# The last 730 days, oldest first, ending today (UTC): the server's clock
# evaluates as of today, so every line falls in the two years it reads.
for i in $(seq 729 -1 0); do date -u -d "-$i days" +%F; done > "$WORK/days.txt"

echo "generating $PARTNERS partners, $((PARTNERS * 3 + 1)) offers, $LINES sales lines (adatum: $BIG)" >&2
awk -v n="$PARTNERS" 'BEGIN {
  print "partner_id,name,account_email"
  for (p = 1; p <= n; p++) printf "p%05d,Partner %d,account@p%05d.example\n", p, p, p
}' > "$WORK/partners.csv"
awk -v n="$PARTNERS" 'BEGIN {
  print "partner_id,offer_id,type,name,live_on,delisted_on"
  print "adatum,adatum-saas,transact,Adatum SaaS,2023-01-01,"
  for (p = 1; p <= n; p++) {
    printf "p%05d,p%05d-saas,transact,Partner %d SaaS,2023-%02d-01,\n", p, p, p, (p % 12) + 1
    printf "p%05d,p%05d-app,%s,Partner %d App,2024-%02d-15,\n", p, p, (p % 2 ? "trial" : "list"), p, (p % 12) + 1
    printf "p%05d,p%05d-svc,consulting,Partner %d Services,2025-%02d-10,\n", p, p, p, (p % 12) + 1
  }
}' > "$WORK/offers.csv"
# Deterministic (an LCG). Adatum gets the first BIG lines; the rest are spread
# round-robin over the generated partners. Each partner has its own scale (1 to 40
# times), so the program spans every tier; one line in 20 is not billed. A feed
# file holds at most 2,000,000 rows: the lines come in files of 1,000,000.
rm -f "$WORK"/sales-*.csv
awk -v n="$PARTNERS" -v lines="$LINES" -v big="$BIG" -v daysfile="$WORK/days.txt" -v out="$WORK/sales-" 'BEGIN {
  nd = 0
  while ((getline d < daysfile) > 0) day[nd++] = d
  split("fraud cancelled_accidental cancelled_before_use", other, " ")
  seed = 42
  for (i = 1; i <= lines; i++) {
    if ((i - 1) % 1000000 == 0) {
      if (file) close(file)
      file = sprintf("%s%d.csv", out, int((i - 1) / 1000000) + 1)
      print "external_id,partner_id,offer_id,date,amount_usd,status" > file
    }
    seed = (seed * 1103515245 + 12345) % 2147483648
    p = 1 + (i % n)
    pid = i <= big ? "adatum" : sprintf("p%05d", p)
    cents = (seed % 20000 + 500) * ((p * 7) % 40 + 1)
    status = (seed % 20 == 0) ? other[(int(seed / 20) % 3) + 1] : "billed"
    printf "S%09d,%s,%s-saas,%s,%d.%02d,%s\n", i, pid, pid, day[int(seed / 7) % nd], int(cents / 100), cents % 100, status > file
  }
}'
echo "files: $(du -h "$WORK/partners.csv" | cut -f1) partners, $(du -h "$WORK/offers.csv" | cut -f1) offers, $(du -ch "$WORK"/sales-*.csv | tail -1 | cut -f1) sales in $(ls "$WORK"/sales-*.csv | wc -l) files" >&2

# Runs a command under GNU time and prints its output and the figures.
timed() {
  local label="$1"; shift
  if ! /usr/bin/time -v "$@" > "$WORK/out.txt" 2> "$WORK/time.txt"; then
    cat "$WORK/out.txt"; head -40 "$WORK/time.txt" >&2; exit 1
  fi
  cat "$WORK/out.txt"
  awk -v l="$label" -F': ' '
    /Elapsed \(wall clock\)/ {wall = $2}
    /User time/ {user = $2}
    /System time/ {sys = $2}
    /Maximum resident/ {rss = int($2 / 1024)}
    END {printf "== %s: wall %s, CPU %.1f s, peak memory %d MB\n", l, wall, user + sys, rss}' "$WORK/time.txt"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
timed "ingest partners" "$BIN" ingest partners "$WORK/partners.csv" --db "$DB"
timed "ingest offers" "$BIN" ingest offers "$WORK/offers.csv" --db "$DB"
start=$(date +%s.%N)
for f in "$WORK"/sales-*.csv; do
  timed "ingest sales $(basename "$f") ($(($(wc -l < "$f") - 1)) lines)" "$BIN" ingest sales "$f" --db "$DB"
done
echo "== ingest sales, all $LINES lines: wall $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s"
timed "run-jobs (every partner)" "$BIN" run-jobs --db "$DB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The size at rest: fold the write-ahead log into the file first.
if command -v sqlite3 >/dev/null 2>&1; then sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null; fi
echo "== database: $(du -ch "$DB"* | tail -1 | cut -f1) ($(ls "$DB"* | xargs -n1 basename | tr '\n' ' '))"

DB="$DB" BIG_PARTNER=adatum BIG_LOGIN="admin@adatum.example demo-adatum-admin-1" WORKSPACE_RATE="${WORKSPACE_RATE:-10000}" bash scripts/load.sh
if [ -n "${KEEP:-}" ]; then echo "kept: $DB"; fi
