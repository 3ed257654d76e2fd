#!/usr/bin/env bash
# CPU time (user + system) of `dia design` on the corners whose ex post rule is the Border lottery
# on a fine grid, baseline against new in one run, with each side's status, revenue, error and
# implementation (the speed of trying the hierarchy form before the transfer form's largest
# network, src/solvers/border_rule.cpp).
# Usage: bash bench/run_ironed_lottery.sh BASELINE_DIA [NEW_DIA]
set -uo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bash bench/run_ironed_lottery.sh BASELINE_DIA [NEW_DIA]}
new=${2:-build/ci/dia}
times=$(mktemp)
trap 'rm -f "$times"' EXIT
for c in "lognormal(0,1)|3" "pareto(1,4)|3" "lognormal(0,1)|5" "uniform(1,2)|2" "pareto(1,1.5)|3"; do
  IFS='|' read -r spec n <<<"$c"
  for b in "$base" "$new"; do
    out=$(/usr/bin/time -f '%U %S %e' -o "$times" timeout 300 "$b" design --values "$spec" \
      --bidders "$n" --format json 2>/dev/null)
    read -r u s e <"$times"
    printf '%-22s %-40s cpu %6.2f wall %6.2f  %s\n' "$spec n=$n" "$b" "$(echo "$u + $s" | bc)" "$e" \
      "$(echo "$out" | python3 -c 'import json, sys
j = json.load(sys.stdin)
print(j["status"], repr(j["revenue"]["inspection"]), j["solver"]["estimated_relative_error"],
      j["implementation"], "audit passed" if j["audit"]["passed"] else "audit FAILED")')"
  done
done
