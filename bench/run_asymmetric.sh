#!/usr/bin/env bash
# Asymmetric designer performance (docs/asymmetric.md section 4), measured in one run and reported
# as ratios: the staged row generation (the default) against the unstaged one and against the LP
# with every IC row from the start, on quantile grids of 2 classes (lognormal(0,0.5),
# lognormal(1,0.5)) and of 5 bidders uniform on [0, i]. Goals: 2 x 1000 types within 2 s, 5 x 200
# within 10 s. CPU seconds are reported beside wall seconds (the machine may be shared). Also the
# full LP (every IC row and every value-upper family from the start) at the sizes it can do, and,
# when BASELINE_DIA names another build's `dia` (e.g. main's), `dia design --bidder ... --grid m`
# end to end (solve, ex post rule, baselines) by both binaries in the same run.
# BENCH_FILTER (a regex) runs only some of the benchmarks.
# Usage: [BASELINE_DIA=path/to/dia] [BENCH_FILTER=regex] bash bench/run_asymmetric.sh [build dir, default build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
if [ "$build" = build/release ]; then
  cmake --preset release >/dev/null &&
    cmake --build --preset release --target bm_asymmetric dia_cli >/dev/null
fi
out=$(mktemp -d)
"./$build/bench/bm_asymmetric" --benchmark_filter="${BENCH_FILTER:-.}" --benchmark_format=json --benchmark_out="$out/bm.json" >/dev/null
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
    b = runs.get(f"BM_AsymmetricStaged/{s}/{m}")
    if b is None:
        continue
    g = goal.get((s, m))
    verdict = "" if g is None else f"  goal {g:g} s: {'met' if cpu(b) <= g else 'NOT met'} (CPU)"
    print(f"  {setting[s]:<10} m={m:<5} wall {wall(b):8.3f} s  CPU {cpu(b):8.3f} s  revenue "
          f"{b['revenue']:.12f}  gap {b['dual_gap']:.1e}  rounds {b['rounds']:.0f}"
          f"{'' if b['certified'] else '  NOT certified'}{verdict}")
print("ratios against the baselines (CPU time, same run):")
for base in ("FullLp", "Unstaged", "AllIcRows"):
    for key, b in runs.items():
        if not key.startswith(f"BM_Asymmetric{base}/"):
            continue
        s, m = map(int, key.split("/")[1:])
        st = runs.get(f"BM_AsymmetricStaged/{s}/{m}")
        if st is None:
            continue
        rel = abs(b["revenue"] - st["revenue"]) / abs(b["revenue"])
        print(f"  {base:<10} {setting[s]:<10} m={m:<5} {cpu(b):8.3f} s / staged {cpu(st):7.3f} s = "
              f"{cpu(b) / cpu(st):6.2f}x   revenue difference {rel:.1e} relative")
PY
if [ -n "${BASELINE_DIA:-}" ]; then
  echo "dia design end to end, CPU seconds (user + system), this build against $BASELINE_DIA:"
  cpu_of() { /usr/bin/time -f '%U %S' -o "$out/t" "$@" >"$out/j" && awk '{print $1 + $2}' "$out/t"; }
  revenue_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["revenue"]["inspection"])' "$out/j"; }
  for setting in "2 1000" "5 200"; do
    set -- $setting
    if [ "$1" = 2 ]; then
      args=(--bidder 'lognormal(0,0.5)' --bidder 'lognormal(1,0.5)' --grid "$2")
    else
      args=(--bidder 'uniform(0,1)' --bidder 'uniform(0,2)' --bidder 'uniform(0,3)'
        --bidder 'uniform(0,4)' --bidder 'uniform(0,5)' --grid "$2")
    fi
    ours=$(cpu_of "./$build/dia" design "${args[@]}" --format json)
    ours_revenue=$(revenue_of)
    base=$(cpu_of "$BASELINE_DIA" design "${args[@]}" --format json)
    base_revenue=$(revenue_of)
    python3 -c 'import sys; o, b, ro, rb = map(float, sys.argv[3:]); print(f"  {sys.argv[1]} x {sys.argv[2]:<5} this {o:7.2f} s  baseline {b:7.2f} s  = {b / o:5.2f}x   revenue {ro:.12f} vs {rb:.12f}")' "$1" "$2" "$ours" "$base" "$ours_revenue" "$base_revenue"
  done
fi
rm -rf "$out"
