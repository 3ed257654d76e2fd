#!/usr/bin/env bash
# The hard corners of issue 16, timed in one run against a baseline binary (the main this branch
# started from, 259dd80): wall time of each `dia design`, the ratio, the CPU time (user + system,
# which a machine shared with other jobs inflates less than the wall time) and each side's status,
# revenue and stated error, so that speed is never read apart from correctness.
# Usage: bash bench/run_corners.sh BASELINE_DIA [NEW_DIA] [TIMEOUT_SECONDS]
#   e.g. git worktree add --detach ../base 259dd80 && (cd ../base && cmake --preset ci &&
#        cmake --build build/ci --target dia_cli) && bash bench/run_corners.sh ../base/build/ci/dia
# Each command is bounded by TIMEOUT_SECONDS (default 300); a timeout prints as such.
set -uo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bash bench/run_corners.sh BASELINE_DIA [NEW_DIA] [TIMEOUT_SECONDS]}
new=${2:-build/ci/dia}
limit=${3:-300}
data=tests/data
cases=(
  "lognormal(0,1)|3"
  "lognormal(0,1)|5"
  "lognormal(0,1)|10"
  "lognormal(0,0.5)|20"
  "pareto(1,4)|3"
  "pareto(1,1.5)|50"
  "pareto(1,1.1)|2"
  "pareto(1,1.1)|50"
  "pareto(1,1.5)|2"
  "pareto(1,1.5)|3"
  "lognormal(0,1)|2"
  "uniform(1,2)|2"
  "mixture(0.5:uniform(0,1),0.5:uniform(2,3))|3"
  "mixture(0.75:uniform(0,3),0.25:uniform(3,8))|2"
  "mixture(0.9:uniform(0,1),0.1:uniform(100,101))|1"
  "mixture(0.999:uniform(0,1),0.001:uniform(1000,1001))|1"
  "mixture(0.001:uniform(0,1),0.999:uniform(1000,1001))|1"
  "@negative-allocation-n20.txt|20"
  "@lp-fails-1219-atoms-n2.txt|2"
  "@lp-fails-pareto-1459-atoms-n2.txt|2"
  "pareto(1,3)|2|--ic dominant"
)
cpu_file=$(mktemp)
trap 'rm -f "$cpu_file"' EXIT
run() {  # binary spec bidders [flags...] -> "seconds|cpu seconds|status|revenue|error"
  local start end out
  start=$(date +%s.%N)
  out=$(/usr/bin/time -f '%U %S' -o "$cpu_file" timeout "$limit" "$1" design --values "$2" \
    --bidders "$3" "${@:4}" --format json 2>/dev/null)
  local rc=$?
  end=$(date +%s.%N)
  local cpu
  cpu=$(awk '/^[0-9.]+ [0-9.]+$/ {printf "%.1f", $1 + $2}' "$cpu_file")
  python3 -c '
import json, sys
seconds, rc, text, cpu = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
if rc == 124: print(f"{seconds:.1f}|{cpu}|timeout|-|-"); sys.exit()
try:
    j = json.loads(text)
    status, revenue = j["status"], j["revenue"]["inspection"]
    if j["revenue"].get("inspection_dsic") is not None:  # --ic dominant: the DSIC revenue
        status, revenue = "dsic", j["revenue"]["inspection_dsic"]
    error = j["solver"]["estimated_relative_error"]
    print("%.1f|%s|%s|%.10g|%.1e" % (seconds, cpu, status, revenue, error))
except Exception:
    print(f"{seconds:.1f}|{cpu}|exit {rc}|-|-")
' "$(echo "$end - $start" | bc)" "$rc" "$out" "$cpu"
}
printf '%-56s %8s %8s %6s %9s %8s  %-34s %-34s\n' case base_s new_s ratio base_cpu new_cpu \
  "base: status revenue error" "new: status revenue error"
for c in "${cases[@]}"; do
  IFS='|' read -r spec n flags <<<"$c"
  read -ra extra <<<"$flags"
  label="$spec n=$n${flags:+ $flags}"
  if [[ $spec == @* ]]; then
    file=$data/${spec#@}
    label="${spec#@} n=$n"
    spec=$(cat "$file")
    [[ ${file} == *negative-allocation* ]] && spec=$(tail -n +2 "$file")
  fi
  IFS='|' read -r bs bc bst brev berr <<<"$(run "$base" "$spec" "$n" "${extra[@]}")"
  IFS='|' read -r ns nc nst nrev nerr <<<"$(run "$new" "$spec" "$n" "${extra[@]}")"
  ratio=$(echo "scale=2; $bs / ($ns + 0.05)" | bc)
  printf '%-56s %8s %8s %6s %9s %8s  %-34s %-34s\n' "${label:0:56}" "$bs" "$ns" "$ratio" "$bc" \
    "$nc" "$bst $brev $berr" "$nst $nrev $nerr"
done
