#!/usr/bin/env bash
# Asymmetric designer performance (docs/asymmetric.md section 4), measured in one run and reported
# as ratios: the staged row generation (the default) against the unstaged one and against the LP
# with every IC row from the start, on quantile grids of 2 classes (lognormal(0,0.5),
# lognormal(1,0.5)) and of 5 bidders uniform on [0, i]. Goals: 2 x 1000 types within 2 s, 5 x 200
# within 10 s. CPU seconds are reported beside wall seconds (the machine may be shared).
# Usage: bash bench/run_asymmetric.sh [build dir, default build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
if [ "$build" = build/release ]; then
  cmake --preset release >/dev/null && cmake --build --preset release --target bm_asymmetric >/dev/null
fi
out=$(mktemp -d)
"./$build/bench/bm_asymmetric" --benchmark_format=json --benchmark_out="$out/bm.json" >/dev/null
python3 - "$out/bm.json" <<'PY'
import json, sys
runs = {b["name"].removesuffix("/iterations:1"): b for b in json.load(open(sys.argv[1]))["benchmarks"]}
unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
wall = lambda b: b["real_time"] * unit[b["time_unit"]]
cpu = lambda b: b["cpu_time"] * unit[b["time_unit"]]
setting = {0: "2 classes", 1: "5 uniform"}
goal = {(0, 1000): 2.0, (1, 200): 10.0}
print("staged row generation (certified = dual gap <= 1e-9):")
for (s, m) in [(0, 100), (0, 200), (0, 400), (0, 1000), (1, 50), (1, 100), (1, 200)]:
    b = runs[f"BM_AsymmetricStaged/{s}/{m}"]
    g = goal.get((s, m))
    verdict = "" if g is None else f"  goal {g:g} s: {'met' if cpu(b) <= g else 'NOT met'} (CPU)"
    print(f"  {setting[s]:<10} m={m:<5} wall {wall(b):8.3f} s  CPU {cpu(b):8.3f} s  revenue "
          f"{b['revenue']:.12f}  gap {b['dual_gap']:.1e}  rounds {b['rounds']:.0f}"
          f"{'' if b['certified'] else '  NOT certified'}{verdict}")
print("ratios against the baselines (CPU time, same run):")
for base in ("Unstaged", "AllIcRows"):
    for key, b in runs.items():
        if not key.startswith(f"BM_Asymmetric{base}/"):
            continue
        s, m = map(int, key.split("/")[1:])
        st = runs[f"BM_AsymmetricStaged/{s}/{m}"]
        rel = abs(b["revenue"] - st["revenue"]) / abs(b["revenue"])
        print(f"  {base:<10} {setting[s]:<10} m={m:<5} {cpu(b):8.3f} s / staged {cpu(st):7.3f} s = "
              f"{cpu(b) / cpu(st):6.2f}x   revenue difference {rel:.1e} relative")
PY
rm -rf "$out"
