#!/usr/bin/env bash
# What the metrics and the access log cost on the hot path: durable bids/s of this build against a
# baseline build (one without them, e.g. main's), alternating A and B ROUNDS times on the same
# machine in one run so that load from elsewhere hits both; also this build with --no-access-log.
# Prints each round and the ratio of the medians.
#   bash bench/observe_overhead.sh BUILD_DIR BASELINE_BUILD_DIR [SECONDS] [ROUNDS] [BACKEND]
# BACKEND sqlite (default) or postgresql (starts a throwaway PostgreSQL 15).
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1 baseline=$2 seconds=${3:-8} rounds=${4:-3} backend=${5:-sqlite}
source bench/load_common.sh observe
[ "$backend" = postgresql ] && eval "$(bash scripts/postgres.sh start)"
once() {  # $1 = dia, then extra serve flags: prints bids/s
  local dia=$1; shift
  serve "$dia" "$(fresh_db "$backend")" --threads 96 "$@"
  "$build/tests/dia_service_load" --port "$(cat "$dir/port")" --token "$DIA_OPERATOR_TOKEN" \
    --seconds "$seconds" --connections 64 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["bids_per_second"])'
  stop_server
}
new=() old=() quiet=()
for r in $(seq "$rounds"); do
  new+=("$(once "$build/dia")")
  old+=("$(once "$baseline/dia")")
  quiet+=("$(once "$build/dia" --no-access-log)")
  echo "round $r ($backend): bids/s new ${new[-1]}, baseline ${old[-1]}, new without access log ${quiet[-1]}"
done
python3 - "${new[*]}" "${old[*]}" "${quiet[*]}" <<'PY'
import statistics, sys
new, old, quiet = [statistics.median(map(float, s.split())) for s in sys.argv[1:]]
print(f"median bids/s: new {new:.0f}, baseline {old:.0f}, new without access log {quiet:.0f}")
print(f"new/baseline {new / old:.3f}; new without access log/baseline {quiet / old:.3f}")
PY
