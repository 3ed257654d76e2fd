#!/usr/bin/env bash
# `dia design --values 'empirical(FILE)'` on a 10^6-line file (issue 14, "Speed where users feel
# it"): CPU time (user + sys) and peak memory (maximum resident set) of this tree's CLI against a
# baseline binary, measured in the same run, best of R runs each, reported with their ratios.
# Usage: bash bench/run_empirical.sh BASELINE_DIA [CANDIDATE_DIA] [RUNS]
#   e.g. bash bench/run_empirical.sh /work/main/build/ci/dia build/ci/dia 3
# The file: 10^6 values of a lognormal(0, 0.5) with 6 decimals (distinct almost everywhere),
# generated reproducibly by awk with a fixed seed. The two binaries' outputs (the JSON and the text
# table) must be byte for byte identical: the script fails otherwise.
set -euo pipefail
baseline=${1:?usage: run_empirical.sh BASELINE_DIA [CANDIDATE_DIA] [RUNS]}
candidate=${2:-build/ci/dia}
runs=${3:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
awk 'BEGIN { srand(14); print "value";
  for (i = 0; i < 1000000; ++i) {
    u1 = rand(); u2 = rand(); if (u1 < 1e-300) u1 = 1e-300;
    printf "%.6f\n", exp(0.5 * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2)) } }' \
  >"$dir/values.csv"
measure() {  # prints "cpu_seconds max_rss_kb" of the best (least CPU) of $runs runs
  local best_cpu="" best_rss=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%U %S %M' -o "$dir/time" "$1" design --values "empirical($dir/values.csv)" \
      --format json >"$dir/out.json"
    read -r user sys rss <"$dir/time"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
    if [[ -z $best_cpu ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
      best_cpu=$cpu best_rss=$rss
    fi
  done
  echo "$best_cpu $best_rss"
}
read -r base_cpu base_rss < <(measure "$baseline")
cp "$dir/out.json" "$dir/base.json"
read -r cand_cpu cand_rss < <(measure "$candidate")
"$baseline" design --values "empirical($dir/values.csv)" >"$dir/base.txt"
"$candidate" design --values "empirical($dir/values.csv)" >"$dir/out.txt"
python3 - "$dir/base.json" "$dir/out.json" "$dir/base.txt" "$dir/out.txt" <<PY
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ra, rb = a["revenue"]["inspection"], b["revenue"]["inspection"]
print(f"10^6-line empirical file, best of $runs runs, same machine, same run")
print(f"  baseline  {'$baseline':<28} CPU {$base_cpu:6.3f} s  max RSS {$base_rss / 1024:7.1f} MB")
print(f"  candidate {'$candidate':<28} CPU {$cand_cpu:6.3f} s  max RSS {$cand_rss / 1024:7.1f} MB")
print(f"  ratio candidate/baseline: CPU {$cand_cpu / $base_cpu:.3f}, memory {$cand_rss / $base_rss:.3f}")
print(f"  revenue baseline {ra!r}, candidate {rb!r}, relative difference {abs(ra - rb) / abs(ra):.1e}")
same = [open(sys.argv[i], "rb").read() == open(sys.argv[i + 1], "rb").read() for i in (1, 3)]
print(f"  outputs byte for byte identical: JSON {same[0]}, text {same[1]}")
sys.exit(0 if all(same) else 1)
PY
