#!/usr/bin/env bash
# One-shot decisions and bids under load on loopback, bounded in time, in one run: sustained
# durable decisions/s with p50/p99 (POST /v1/decisions, K bids each) and v1 bids/s (POST .../bids),
# on SQLite (a temp file, WAL, synchronous=FULL; one server) and on a throwaway PostgreSQL 15 with
# 1, 2 and 3 `dia serve` on one database (docs/api.md, "Several nodes"; the load client's
# connections spread over the servers). With BASELINE_BUILD_DIR (e.g. main's build) its `dia` runs
# the shapes it supports (one server per database) under the same clients in the same run.
# Prints the load average before each phase (the machine may be shared), then one table.
#   bash bench/run_decisions_load.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [BIDS_PER_DECISION]
#                                    [BASELINE_BUILD_DIR]
# DIA_LOAD_NODES (default "1 2 3") picks the PostgreSQL node counts; DIA_BASELINE_NODES
# (default "1") those the baseline runs too (a baseline with several nodes: main from 22fb426 on).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
seconds=${2:-10}
connections=${3:-64}
bids=${4:-5}
baseline=${5:-}
source bench/load_common.sh decisions
results=$dir/results
phase() {  # $1 = dia, $2 = backend, $3 = servers, then the load client's mode arguments
  local dia=$1 backend=$2 nodes=$3 url; shift 3
  url=$(fresh_db "$backend")
  for _ in $(seq "$nodes"); do
    serve "$dia" "$url" --no-access-log --threads $((connections + 32))
  done
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  "$build/tests/dia_service_load" --port "$(ports)" --token "$DIA_OPERATOR_TOKEN" \
    --seconds "$seconds" --connections "$connections" --rate-guess 12000 "$@" || true
  "$build/dia" ledger check --db "$url" | grep -q '"ok": *true' || echo "LEDGER CHECK FAILED" >&2
  stop_server
}
report() {  # $1 = label, $2 = dia, $3 = backend, $4 = servers
  local d b
  d=$(phase "$2" "$3" "$4" --decisions "$bids")
  b=$(phase "$2" "$3" "$4")
  echo "$3 x$4 $1 decisions ($bids bids each): $d"
  echo "$3 x$4 $1 v1 bids: $b"
  printf '%s %s %s decisions %s\n%s %s %s bids %s\n' "$3" "$4" "$1" "${d:-{\}}" "$3" "$4" "$1" \
    "${b:-{\}}" >>"$results"
}
report new "$build/dia" sqlite 1
[ -n "$baseline" ] && report baseline "$baseline/dia" sqlite 1
eval "$(bash scripts/postgres.sh start)"
for nodes in ${DIA_LOAD_NODES:-1 2 3}; do
  report new "$build/dia" postgresql "$nodes"
  if [ -n "$baseline" ] && [[ " ${DIA_BASELINE_NODES:-1} " == *" $nodes "* ]]; then
    report baseline "$baseline/dia" postgresql "$nodes"
  fi
done
python3 - "$results" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    backend, nodes, label, kind, text = line.split(" ", 4)
    rows.setdefault((backend, nodes, label), {})[kind] = json.loads(text)
cell = lambda r: f"{r.get('per_second', 0):,.0f} | {r.get('p50_ms', 0):.1f} | {r.get('p99_ms', 0):.1f}"
print("| backend | servers | build | decisions/s | p50 ms | p99 ms | bids/s | p50 ms | p99 ms |")
print("|---|---|---|---|---|---|---|---|---|")
for (backend, nodes, label), r in rows.items():
    print(f"| {backend} | {nodes} | {label} | {cell(r['decisions'])} | {cell(r['bids'])} |")
PY
