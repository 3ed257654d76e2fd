#!/usr/bin/env bash
# One-shot decisions under load on loopback, bounded in time: sustained durable decisions/s with
# p50/p99 (POST /v1/decisions, K bids each), and in the same run v1 bids/s (POST .../bids) on the
# same build, on SQLite (a temp file, WAL, synchronous=FULL) and on a throwaway PostgreSQL 15.
# Prints the load average before each phase: the machine may be shared.
#   bash bench/run_decisions_load.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [BIDS_PER_DECISION]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
seconds=${2:-10}
connections=${3:-64}
bids=${4:-5}
dir=$(mktemp -d /tmp/dia-decisions.XXXXXX)
export DIA_OPERATOR_TOKEN=load-test-operator-token-0123456789
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "${DIA_PG_DIR:-}" ] && bash scripts/postgres.sh stop "$DIA_PG_DIR"
  rm -rf "$dir"
}
trap cleanup EXIT
fresh_db() {  # $1 = backend: a new empty database
  local n; n=$(date +%s%N)
  if [ "$1" = sqlite ]; then echo "sqlite:$dir/load$n.db"; return; fi
  local base=${DIA_TEST_POSTGRES_URL%/*} port=${DIA_TEST_POSTGRES_URL##*:}
  /usr/lib/postgresql/15/bin/createdb -h 127.0.0.1 -p "${port%%/*}" -U dia "load$n"
  echo "$base/load$n"
}
phase() {  # $1 = backend, $2... = the load client's mode arguments
  local backend=$1 url; shift
  url=$(fresh_db "$backend")
  rm -f "$dir/port"
  "$build/dia" serve --db "$url" --port 0 --port-file "$dir/port" --no-access-log \
    --threads $((connections + 32)) 2>"$dir/server.log" &
  pid=$!
  for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  "$build/tests/dia_service_load" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --seconds "$seconds" --connections "$connections" --rate-guess 12000 "$@" || true
  "$build/dia" ledger check --db "$url" | grep -q '"ok": *true' || echo "LEDGER CHECK FAILED" >&2
  kill "$pid"; wait "$pid" || true; pid=""
}
report() {  # $1 = backend
  echo "$1 decisions ($bids bids each): $(phase "$1" --decisions "$bids")"
  echo "$1 v1 bids: $(phase "$1")"
}
report sqlite
eval "$(bash scripts/postgres.sh start)"
report postgresql
