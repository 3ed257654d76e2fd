#!/usr/bin/env bash
# Load test of `dia serve` on loopback, bounded in time: sustained durable bids/s, p50/p99.
#   bash bench/run_service_load.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
# Runs on SQLite (a temp file, WAL, synchronous=FULL) and on a throwaway PostgreSQL 15, each with
# dia-lottery-v1 bids (one request) and then dia-lottery-v2 bids (a commitment, then after the
# close a reveal: both phases reported) on a fresh server, so the two compare in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
seconds=${2:-10}
connections=${3:-64}
dir=$(mktemp -d /tmp/dia-load.XXXXXX)
export DIA_OPERATOR_TOKEN=load-test-operator-token-0123456789
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  [ -n "${DIA_PG_DIR:-}" ] && bash scripts/postgres.sh stop "$DIA_PG_DIR"
  rm -rf "$dir"
}
trap cleanup EXIT
run() {  # $1 = db url, $2 = label, $3... = extra options of the load client
  rm -f "$dir/port"
  "$build/dia" serve --db "$1" --port 0 --port-file "$dir/port" --threads $((connections + 32)) \
    2>"$dir/server.log" &
  pid=$!
  for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  echo -n "$2: "
  "$build/tests/dia_service_load" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --seconds "$seconds" --connections "$connections" --rate-guess 12000 "${@:3}" || true
  "$build/dia" ledger check --db "$1" | grep '"ok"'
  kill "$pid"; wait "$pid" || true; pid=""
}
run "sqlite:$dir/load.db" "sqlite v1"
run "sqlite:$dir/load-v2.db" "sqlite v2" --protocol dia-lottery-v2
eval "$(bash scripts/postgres.sh start)"
run "$DIA_TEST_POSTGRES_URL" "postgresql v1"
run "$DIA_TEST_POSTGRES_URL" "postgresql v2" --protocol dia-lottery-v2
