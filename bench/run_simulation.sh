#!/usr/bin/env bash
# Monte Carlo throughput of `dia simulate` (2 bidders, uniform(0,1) values unless named): auctions
# per second at 1 and 2 threads, and the speedup ratio against the 1-thread run measured in the
# same process. Target: >= 2e7 auctions/s with 2 threads, ratio near 2.
# Usage: bash bench/run_simulation.sh [benchmark filter regex]
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/bench-simulation
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDIA_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target bm_simulation >/dev/null
out=$(mktemp -d)
"$build/bench/bm_simulation" --benchmark_filter="${1:-BM_Simulate_}" --benchmark_format=json \
  --benchmark_out="$out/bm.json" >/dev/null
python3 - "$out/bm.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
rate = {}
for b in runs:
    name, threads = b["name"].split("/")[0], int(b["name"].split("/")[1])
    rate[(name, threads)] = b["items_per_second"]
print(f"{'benchmark':<30}{'1 thread':>14}{'2 threads':>14}{'ratio':>8}")
for name in dict.fromkeys(n for n, _ in rate):
    one, two = rate.get((name, 1)), rate.get((name, 2))
    ratio = f"{two / one:8.2f}" if one and two else ""
    print(f"{name:<30}{one or 0:14.4g}{two or 0:14.4g}{ratio}")
PY
rm -rf "$out"
