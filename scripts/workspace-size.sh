#!/usr/bin/env bash
# The size of the demo partner Contoso's workspace response, as the server
# sends it (fresh demo data seeded for today).
#   bash scripts/workspace-size.sh [BENEFITS_BINARY]   (default target/debug/benefits)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/benefits}
TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" seed-demo --db "$TMP/db.sqlite3" >/dev/null
mkdir "$TMP/dist"
"$BIN" serve --addr "127.0.0.1:$PORT" --db "$TMP/db.sqlite3" --dist "$TMP/dist" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID; rm -rf "$TMP"' EXIT
URL="http://127.0.0.1:$PORT"
for _ in $(seq 50); do curl -fsS "$URL/api/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS -c "$TMP/jar" -H 'Content-Type: application/json' -H 'X-Requested-With: benefits' \
  -d '{"email": "admin@contoso.example", "password": "demo-contoso-admin-1"}' "$URL/api/session/login" >/dev/null
curl -fsS -b "$TMP/jar" "$URL/api/partners/contoso/workspace" -o "$TMP/ws.json"
printf 'workspace of contoso: %s bytes raw, %s bytes gzip -9\n' "$(wc -c < "$TMP/ws.json")" "$(gzip -9c "$TMP/ws.json" | wc -c)"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("by field:", {k: len(json.dumps(v, separators=(",", ":"))) for k, v in d.items()})' "$TMP/ws.json"
