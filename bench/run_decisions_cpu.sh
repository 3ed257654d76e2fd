#!/usr/bin/env bash
# The server's CPU time per decision (POST /v1/decisions, K bids each), this build against a
# baseline build, interleaved ROUNDS times on fresh databases: on a machine shared with other work
# the decisions/s move with the load, while the CPU the server spends per decision (user + system,
# from /proc, over a window in the middle of the load, divided by the decisions the server counted
# in the same window through GET /metrics) moves much less. Prints the load average per run.
#   bash bench/run_decisions_cpu.sh BUILD_DIR BASELINE_BUILD_DIR [BACKEND] [ROUNDS] [CONNECTIONS]
# BACKEND is sqlite (default) or postgresql (starts a throwaway PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
baseline=$2
backend=${3:-sqlite}
rounds=${4:-3}
connections=${5:-64}
source bench/load_common.sh decisions-cpu
[ "$backend" = postgresql ] && eval "$(bash scripts/postgres.sh start)"
decided() {  # the decisions the server has answered with 201
  curl -s -H "Authorization: Bearer $DIA_OPERATOR_TOKEN" "http://127.0.0.1:$(cat "$dir/port")/metrics" |
    awk '/^dia_http_requests_total\{method="POST",path="\/v1\/decisions",status="201"\}/ {print $2}'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() {  # $1 = label, $2 = dia
  serve "$2" "$(fresh_db "$backend")" --no-access-log --threads $((connections + 32))
  local pid=${pids[0]} load t0 t1 c0 c1
  load=$(cut -d' ' -f1 /proc/loadavg)
  "$build/tests/dia_service_load" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --seconds 8 --connections "$connections" --rate-guess 12000 --decisions 5 >"$dir/load.json" &
  local client=$!
  sleep 2
  t0=$(cpu_ticks "$pid") c0=$(decided)
  sleep 4
  t1=$(cpu_ticks "$pid") c1=$(decided)
  wait "$client" || true
  stop_server
  python3 - "$1" "$load" "$dir/load.json" "$t0" "$t1" "${c0:-0}" "${c1:-0}" <<'PY'
import json, os, sys
label, load, path = sys.argv[1:4]
t0, t1, c0, c1 = map(float, sys.argv[4:8])
r = json.load(open(path))
per = 1e6 * (t1 - t0) / os.sysconf("SC_CLK_TCK") / max(c1 - c0, 1)
print(f"| {label} | {load} | {r['per_second']:,.0f} | {r['p99_ms']:.1f} | {r['errors']} | "
      f"{per:.0f} | {c1 - c0:.0f} |")
PY
}
echo "| build | load | decisions/s | p99 ms | errors | server CPU us/decision | decisions measured |"
echo "|---|---|---|---|---|---|---|"
for _ in $(seq "$rounds"); do
  run new "$build/dia"
  run baseline "$baseline/dia"
done
