#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and measurements (issue 13).
#   scripts/pg.sh start        # prints its data folder on stderr, its URL on stdout
#   scripts/pg.sh stop DIR     # stops the server in DIR and deletes DIR
#   eval "$(scripts/pg.sh env)"  # starts one and exports PG_DIR and BENEFITS_TEST_PG
#   scripts/pg.sh createdb URL NAME  # creates database NAME on URL's server, prints its URL
# The cluster is made by initdb in a fresh temporary folder with the C locale
# (text sorts by bytes, as SQLite's BINARY collation does), listens on
# 127.0.0.1 on a free port and on a socket inside its folder only, and admits
# one superuser, `benefits`, by a random password (scram-sha-256): nothing is
# shared with a system PostgreSQL. PostgreSQL refuses to run as root, so as
# root the server runs as the `postgres` user (Debian's package makes it) or,
# where that is missing, as a system user `benefits-pg` this script creates.
set -euo pipefail

log() { printf '[pg] %s\n' "$*" >&2; }
die() { printf 'pg.sh: %s\n' "$*" >&2; exit 1; }

# Debian installs the server binaries outside PATH; take the newest version.
bindir() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "no PostgreSQL server binaries (initdb): install Debian's postgresql package (scripts/setup.sh does)"
  echo "$d"
}

# The user the server runs as, and the command prefix that runs as that user.
run_as_user() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  if ! id benefits-pg >/dev/null 2>&1; then
    log "creating the system user benefits-pg (PostgreSQL refuses to run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin benefits-pg
  fi
  echo benefits-pg
}

as_user() {
  local user=$1; shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bin user dir port password
  bin=$(bindir)
  user=$(run_as_user)
  # mktemp's folder is private (0700); the server's user must own it, and
  # /tmp (its parent) is readable by everyone.
  dir=$(mktemp -d "${TMPDIR:-/tmp}/benefits-pg.XXXXXX")
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  printf '%s\n' "$password" > "$dir/pwfile"
  [ "$(id -u)" -eq 0 ] && chown -R "$user" "$dir"
  as_user "$user" "$bin/initdb" -D "$dir/data" -U benefits --pwfile="$dir/pwfile" \
    -A scram-sha-256 --locale=C --encoding=UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  rm -f "$dir/pwfile"
  port=$(free_port)
  # fsync stays on: a test that kills a server must see what a real one keeps.
  as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
    || { cat "$dir/server.log" >&2; die "pg_ctl start failed"; }
  echo "$port" > "$dir/port"
  local url="postgres://benefits:$password@127.0.0.1:$port/postgres"
  printf '%s\n' "$url" > "$dir/url"
  [ "$(id -u)" -eq 0 ] && chown "$user" "$dir/port" "$dir/url"
  chmod 600 "$dir/url"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') in $dir on 127.0.0.1:$port (stop: scripts/pg.sh stop $dir)"
  START_DIR=$dir
  START_URL=$url
}

stop() {
  local dir=${1:-}
  [ -n "$dir" ] && [ -d "$dir/data" ] || die "usage: scripts/pg.sh stop DIR (the folder start printed)"
  local bin user
  bin=$(bindir)
  user=$(stat -c %U "$dir/data")
  as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || log "the server in $dir was not running"
  rm -rf "$dir"
}

createdb() {
  local url=${1:-} name=${2:-}
  [ -n "$url" ] && [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "usage: scripts/pg.sh createdb URL NAME (NAME: lower-case letters, digits, _)"
  local psql
  psql="$(bindir)/psql"
  [ -x "$psql" ] || psql=$(command -v psql) || die "no psql (Debian's postgresql-client)"
  "$psql" -q -v ON_ERROR_STOP=1 -d "$url" -c "CREATE DATABASE $name" >/dev/null
  echo "${url%/*}/$name"
}

case "${1:-}" in
  start) start; echo "$START_URL" ;;
  env) start; printf 'export PG_DIR=%q BENEFITS_TEST_PG=%q\n' "$START_DIR" "$START_URL" ;;
  stop) stop "${2:-}" ;;
  createdb) createdb "${2:-}" "${3:-}" ;;
  *) die "usage: scripts/pg.sh start | env | stop DIR | createdb URL NAME" ;;
esac
