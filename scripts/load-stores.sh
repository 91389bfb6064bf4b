#!/usr/bin/env bash
# Issue 13's figures: the workspace GET and activate/opt-out writes, req/s and
# p99, on SQLite with one app server, and on PostgreSQL with one and with two
# app servers sharing the database (release build, demo data seeded fresh for
# each, jobs off, loopback only). Everything runs on this machine's cores:
# the servers, PostgreSQL and wrk share them, so read the figures side by side.
#   scripts/load-stores.sh                 # all three set-ups, 10 s per step
#   DURATION=5 SETUPS="pg-2" scripts/load-stores.sh
# With two servers each gets its own wrk (half the connections; its own
# benefits for the writes) and the figures add up: req/s summed, p99 the worse.
# docs/SCALE.md records a run.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
SETUPS="${SETUPS:-sqlite-1 pg-1 pg-2}"
command -v wrk >/dev/null || { echo "load-stores: wrk is missing (scripts/load.sh installs it)" >&2; exit 2; }

cargo build --release -p benefits-server --bin benefits
BIN="target/release/benefits"
WORK="$(mktemp -d)"
PIDS=()
PG_DIR=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  PIDS=()
  if [ -n "$PG_DIR" ]; then bash scripts/pg.sh stop "$PG_DIR"; PG_DIR=""; fi
}
trap 'cleanup; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts a server on $1; adds its address to BASES.
start_server() {
  local port
  port=$(free_port)
  RUST_LOG=warn "$BIN" serve --jobs-every-minutes 0 --addr "127.0.0.1:$port" --db "$1" --dist "$WORK/no-dist" >> "$WORK/serve.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 200); do curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
  BASES+=("http://127.0.0.1:$port")
}

# Signs the Contoso admin in through $1; sets COOKIE and CSRF.
sign_in() {
  local login
  login=$(curl -fsS -D "$WORK/headers" -H 'X-Requested-With: benefits' -H 'Content-Type: application/json' \
    -d '{"email":"admin@contoso.example","password":"demo-contoso-admin-1"}' "$1/api/session/login")
  COOKIE=$(grep -i '^set-cookie:' "$WORK/headers" | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/' | tr -d '\r')
  CSRF=$(printf '%s' "$login" | sed -E 's/.*"csrf_token":"([^"]*)".*/\1/')
}

# wrk's report → "req/s p50 p99" (latencies in ms).
summarise() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%d %.2f %.2f\n", rps, p50, p99 }' "$1"
}

# each_server NAME PATH WRK-COMMAND…: runs the command against every server
# at once (the server's address + PATH appended).
each_server() {
  local name=$1 path=$2; shift 2
  local i=0 pids=()
  for base in "${BASES[@]}"; do
    i=$((i + 1))
    FIRST_BENEFIT=$(( (i - 1) * 4 / ${#BASES[@]} + 1 )) "$@" "$base$path" > "$WORK/$name.$i.txt" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  local rps=0 p50=0 p99=0
  for f in "$WORK/$name".*.txt; do
    read -r r a b < <(summarise "$f")
    rps=$((rps + r))
    p50=$(awk -v x="$p50" -v y="$a" 'BEGIN { print (y > x ? y : x) }')
    p99=$(awk -v x="$p99" -v y="$b" 'BEGIN { print (y > x ? y : x) }')
    grep -h '^activation responses' "$f" || true
    # Every GET must have been answered 200: a refused one is cheap and would flatter the figure.
    if grep -q 'Non-2xx' "$f"; then echo "load-stores: $name: $(grep -h 'Non-2xx' "$f")" >&2; cat "$f" >&2; exit 1; fi
  done
  RESULT="$rps req/s, p50 ${p50} ms, p99 ${p99} ms"
}

TABLE=()
for setup in $SETUPS; do
  store=${setup%-*}
  servers=${setup#*-}
  echo "== $setup: $store, $servers app server(s)"
  if [ "$store" = pg ]; then
    out=$(bash scripts/pg.sh env)
    eval "$out"
    DB="$BENEFITS_TEST_PG"
  else
    DB="$WORK/load-$setup.sqlite3"
  fi
  "$BIN" seed-demo --db "$DB" > /dev/null
  BASES=()
  for _ in $(seq 1 "$servers"); do start_server "$DB"; done
  sign_in "${BASES[0]}"
  per=$((CONNECTIONS / servers))
  # Warm every server's evaluation cache, then the peak GET rate.
  for base in "${BASES[@]}"; do curl -fsS -o /dev/null -H "Cookie: $COOKIE" "$base/api/partners/contoso/workspace"; done
  each_server get /api/partners/contoso/workspace wrk -t1 -c"$per" -d"${DURATION}s" --latency -H "Cookie: $COOKIE"
  TABLE+=("| $setup | workspace GET, $CONNECTIONS connections | $RESULT |")
  # Writes: 4 connections in all, each alternating activate and opt-out on its own benefit.
  wthreads=$((4 / servers))
  each_server write "" env COOKIE="$COOKIE" CSRF="$CSRF" wrk -t"$wthreads" -c"$wthreads" -d"${DURATION}s" --latency -s scripts/load/activate.lua
  TABLE+=("| $setup | activate/opt-out, 4 connections | $RESULT |")
  cleanup
done

echo
echo "| set-up | scenario | result |"
echo "|---|---|---|"
printf '%s\n' "${TABLE[@]}"
