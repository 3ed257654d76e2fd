#!/usr/bin/env bash
# Load test of `dia serve` on loopback, bounded in time: sustained durable bids/s, p50/p99; then
# /v1/health and bid latency with and without 500 idle + 500 slow connections (one header byte
# per second).
#   bash bench/run_service_load.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [BASELINE_BUILD_DIR]
# With BASELINE_BUILD_DIR (a build of another commit, e.g. a `git worktree` of main), its `dia`
# runs under the same clients in the same run, and the ratios new/baseline are printed.
# Runs on SQLite (a temp file, WAL, synchronous=FULL) and on a throwaway PostgreSQL 15; on each,
# the new build also runs dia-lottery-v2 bids (a commitment, then after the close a reveal: both
# phases reported) on a fresh server, so v1 and v2 compare in the same run.
# DIA_LOAD_BACKENDS (default "sqlite postgresql") picks the backends, e.g. DIA_LOAD_BACKENDS=postgresql.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
seconds=${2:-10}
connections=${3:-64}
baseline=${4:-}
source bench/load_common.sh load
start() {  # $1 = dia, $2 = db url
  serve "$1" "$2" --threads $((connections + 32))
}
stop() { stop_server; }
run() {  # $1 = dia, $2 = backend; prints the load client's JSON, then the slow-connection JSON
  local url; url=$(fresh_db "$2")
  start "$1" "$url"
  "$build/tests/dia_service_load" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --seconds "$seconds" --connections "$connections" --rate-guess 12000 || true
  "$build/dia" ledger check --db "$url" | grep -q '"ok": *true' || echo "LEDGER CHECK FAILED" >&2
  stop
  url=$(fresh_db "$2")
  start "$1" "$url"
  "$build/tests/dia_slow_connections" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --idle 500 --slow 500 --seconds 3 || echo '{}'
  stop
}
sealed() {  # $1 = backend: the load client's JSON for dia-lottery-v2 bids on the new build
  local url; url=$(fresh_db "$1")
  start "$build/dia" "$url"
  "$build/tests/dia_service_load" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --seconds "$seconds" --connections "$connections" --rate-guess 12000 \
    --protocol dia-lottery-v2 || true
  "$build/dia" ledger check --db "$url" | grep -q '"ok": *true' || echo "LEDGER CHECK FAILED" >&2
  stop
}
report() {  # $1 = backend
  local new old
  new=$(run "$build/dia" "$1")
  echo "$1: $new"
  echo "$1 dia-lottery-v2: $(sealed "$1")"
  [ -z "$baseline" ] && return
  old=$(run "$baseline/dia" "$1")
  echo "$1 baseline: $old"
  python3 - "$1" "$new" "$old" <<'PY'
import json, sys
backend, new, old = sys.argv[1], *[[json.loads(l) for l in s.splitlines()] for s in sys.argv[2:]]
(load, slow), (load0, slow0) = new, old
r = lambda a, b: f"{a / b:.3g}" if b else "n/a"
print(f"{backend} new/baseline: bids/s {r(load['bids_per_second'], load0['bids_per_second'])}, "
      f"p50 {r(load['p50_ms'], load0['p50_ms'])}, p99 {r(load['p99_ms'], load0['p99_ms'])}")
for name, s in (("new", slow), ("baseline", slow0)):
    l = s.get("loaded", {})
    print(f"{backend} {name}, 500 idle + 500 slow connections: health "
          f"{l.get('health')}, bid {l.get('bid')}, failed requests {l.get('failures')} "
          f"(without them: health {s.get('baseline', {}).get('health')})")
PY
}
for backend in ${DIA_LOAD_BACKENDS:-sqlite postgresql}; do
  [ "$backend" = postgresql ] && eval "$(bash scripts/postgres.sh start)"
  report "$backend"
done
