#!/usr/bin/env bash
# The API judged by schemathesis (every check) against its own OpenAPI document:
# the real server on demo data, signed in as a partner admin (Contoso) and as a
# program operator. Any failure or server error fails the run.
#   BENEFITS_BIN   the `benefits` binary (default target/debug/benefits)
#   ST_MAX_EXAMPLES  examples per operation and phase (default 40)
#   ST_DB          the store to seed and serve (default: a SQLite file in a
#                  temp folder); a postgres:// address must name an empty database
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BENEFITS_BIN:-$PWD/target/debug/benefits}"
ST="$PWD/tools/venv/bin/schemathesis"
CONFIG="$PWD/tests/schemathesis/config.toml"
[ -x "$BIN" ] || { echo "schemathesis.sh: $BIN is not built (cargo build -p benefits-server)" >&2; exit 1; }
[ -x "$ST" ] || { echo "schemathesis.sh: schemathesis is not installed (bash scripts/setup.sh)" >&2; exit 1; }

TMP=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

DB="${ST_DB:-$TMP/st.sqlite3}"
"$BIN" seed-demo --db "$DB" >/dev/null
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
mkdir -p "$TMP/dist"
"$BIN" serve --addr "127.0.0.1:$PORT" --db "$DB" --dist "$TMP/dist" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fsS "$URL/api/health" >/dev/null 2>&1 && break
  sleep 0.1
done

# Signs in; prints "<cookie> <csrf token>".
login() {
  local body
  body=$(curl -fsS -c "$TMP/jar-$1" -H 'Content-Type: application/json' -H 'X-Requested-With: benefits' \
    -d "{\"email\": \"$1\", \"password\": \"$2\"}" "$URL/api/session/login")
  local cookie
  cookie=$(awk '$6 == "__Host-benefits_session" {print $6 "=" $7}' "$TMP/jar-$1")
  printf '%s %s\n' "$cookie" "$(printf '%s' "$body" | python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])')"
}

# Both sessions first: the fuzzing of sign-in trips the login rate limit for this address.
read -r PARTNER_COOKIE PARTNER_CSRF < <(login admin@contoso.example demo-contoso-admin-1)
read -r OPERATOR_COOKIE OPERATOR_CSRF < <(login rewards@program.example demo-operator-7261)

run() {
  local who=$1 cookie=$2 csrf=$3
  echo "==> schemathesis as $who"
  # Signing out would end the session the run uses; logout is covered by tests/session_security.rs.
  ST_SESSION="${cookie#*=}" ST_CSRF="$csrf" "$ST" --config-file "$CONFIG" run "$URL/api/openapi.json" --url "$URL" \
    --checks all --max-examples "${ST_MAX_EXAMPLES:-40}" --exclude-operation-id logout \
    -H "Origin: $URL" ${ST_ARGS:-}
}

status=0
run partner-admin "$PARTNER_COOKIE" "$PARTNER_CSRF" || status=1
run operator "$OPERATOR_COOKIE" "$OPERATOR_CSRF" || status=1
if grep -q "internal error" "$TMP/server.log"; then
  echo "schemathesis.sh: the server logged internal errors:" >&2
  grep "internal error" "$TMP/server.log" | head -20 >&2
  status=1
fi
exit $status
