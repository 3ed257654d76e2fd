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
source bench/load_common.sh decisions
phase() {  # $1 = backend, $2... = the load client's mode arguments
  local backend=$1 url; shift
  url=$(fresh_db "$backend")
  serve "$build/dia" "$url" --no-access-log --threads $((connections + 32))
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  "$build/tests/dia_service_load" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --seconds "$seconds" --connections "$connections" --rate-guess 12000 "$@" || true
  "$build/dia" ledger check --db "$url" | grep -q '"ok": *true' || echo "LEDGER CHECK FAILED" >&2
  stop_server
}
report() {  # $1 = backend
  echo "$1 decisions ($bids bids each): $(phase "$1" --decisions "$bids")"
  echo "$1 v1 bids: $(phase "$1")"
}
report sqlite
eval "$(bash scripts/postgres.sh start)"
report postgresql
