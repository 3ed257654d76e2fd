#!/usr/bin/env bash
# n-bidder performance, measured in one run on this machine and reported as ratios: a certified
# solve (structured construction + audit) for N = 2..10 on a 10^4-cell grid, and against the full
# CLP LP with Border rows at m = 200 and 400 (LP: one solve each; long, not in CI).
# Usage: bash bench/run_symmetric.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
out=$(mktemp -d)
./build/release/bench/bm_symmetric --benchmark_format=json --benchmark_out="$out/bm.json" >/dev/null
python3 - "$out/bm.json" <<'PY'
import json, sys
runs = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
def seconds(b):
    return b["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
family = {0: "uniform(0,1)", 1: "beta(2,5)"}
print("certified structured solves on 10^4 cells (goal: each within 2 s):")
for f in (0, 1):
    for n in range(2, 11):
        b = runs[f"BM_CertifiedStructured/{f}/10000/{n}"]
        print(f"  {family[f]:<13} N={n:<2} {seconds(b):8.4f} s   dual gap {b['dual_gap']:.1e}"
              f"{'' if b['certified'] else '  NOT certified'}")
print("ratio full CLP LP / structured solve + audit:")
for f in (0, 1):
    for m in (200, 400):
        for n in (2, 5, 10):
            lp = runs[f"BM_FullLp/{f}/{m}/{n}/iterations:1"]
            s = runs[f"BM_CertifiedStructured/{f}/{m}/{n}"]
            note = "" if s["certified"] else f"  (gap {s['dual_gap']:.1e} > 1e-5: the designer uses the LP)"
            print(f"  {family[f]:<13} m={m} N={n:<2} LP {seconds(lp):8.3f} s  structured "
                  f"{seconds(s) * 1e3:7.3f} ms  ratio {seconds(lp) / seconds(s):9.3g}{note}")
PY
rm -rf "$out"
