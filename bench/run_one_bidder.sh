#!/usr/bin/env bash
# One-bidder performance, measured in one run on this machine and reported as ratios:
#   - the sweep and the audit at m = 10^6 types, and the whole `dia design` command on a
#     10^6-line empirical file (hyperfine);
#   - the sweep against the CLP LP at m = 250, 500, 1000 (LP: one solve each; long, not in CI).
# Usage: bash bench/run_one_bidder.sh [--no-lp]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
out=$(mktemp -d)
filter='BM_(Sweep|Audit|Lp)/'
[ "${1:-}" = "--no-lp" ] && filter='BM_(Sweep|Audit)/'
./build/release/bench/bm_one_bidder --benchmark_filter="$filter" --benchmark_format=json \
  --benchmark_out="$out/bm.json" >/dev/null
python3 - "$out/bm.json" <<'PY'
import json, sys
runs = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
def seconds(b):
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return b["real_time"] * scale
for name, b in sorted(runs.items()):
    print(f"{name:<28} {seconds(b):12.6f} s")
for m in (250, 500, 1000):
    lp, sw = runs.get(f"BM_Lp/{m}/iterations:1"), runs.get(f"BM_Sweep/{m}")
    if lp and sw:
        print(f"ratio LP / sweep at m = {m}: {seconds(lp) / seconds(sw):.3g}")
PY
python3 -c "
import random
random.seed(7)
with open('$out/values.csv','w') as f:
    for _ in range(1000000): f.write(f'{random.lognormvariate(0,1):.9f}\n')
"
hyperfine --warmup 1 --runs 5 -N \
  "./build/release/dia design --values empirical($out/values.csv) --format json" \
  --export-json "$out/hf.json" | grep -E "Time|Range"
rm -rf "$out"
