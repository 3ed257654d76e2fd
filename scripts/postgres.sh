#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the service tests and the load test.
#   eval "$(bash scripts/postgres.sh start)"   # initdb in a temp dir, start on its own port, and
#                                              # print: export DIA_TEST_POSTGRES_URL=... DIA_PG_DIR=...
#   bash scripts/postgres.sh stop "$DIA_PG_DIR" # stop it and delete the directory
# As root the server runs as the unprivileged `postgres` user (initdb refuses root).
# The port is $DIA_PG_PORT (default: a free port from 55432 up).
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
as_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
start)
  [ -x "$bin/initdb" ] || { echo "postgresql-15 is not installed (scripts/install_deps.sh)" >&2; exit 1; }
  dir=$(mktemp -d /tmp/dia-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  port=${DIA_PG_PORT:-55432}
  if [ -z "${DIA_PG_PORT:-}" ]; then
    while (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
  fi
  as_user "$bin/initdb" -D "$dir/data" -A trust -U dia --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=50" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U dia dia
  echo "export DIA_TEST_POSTGRES_URL=postgresql://dia@127.0.0.1:$port/dia DIA_PG_DIR=$dir"
  ;;
stop)
  dir=${2:-${DIA_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || exit 0
  as_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: scripts/postgres.sh start | stop DIR" >&2
  exit 2
  ;;
esac
