#!/usr/bin/env bash
# The long run behind the calibrated standard errors (tests/unit/simulation_calibration_test.cpp
# runs 400 x 10^5 auctions per mechanism in CI): 10^8 auctions of each mechanism in one run, the
# simulated revenue against the expected one with z = (mean - expected) / stderr. With calibrated
# errors each |z| exceeds 3 with probability 0.3%. Not in CI (minutes per mechanism).
# Usage: bash bench/simulate_long_run.sh [DIA_BINARY] [AUCTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
dia=${1:-build/release/dia}
auctions=${2:-100000000}
if [ ! -x "$dia" ]; then
  cmake --preset release >/dev/null && cmake --build --preset release --target dia_cli >/dev/null
fi
printf '%-32s %-20s %3s %14s %14s %12s %8s %8s\n' values mechanism n mean expected stderr z seconds
run() {
  "$dia" simulate --values "$1" --mechanism "$2" --bidders "$3" --auctions "$auctions" \
    --seed 20261207 --format json |
    python3 -c '
import json, sys
j = json.load(sys.stdin)
r = j["revenue"]
z = "no var" if r["no_variance"] else "%+.2f" % r["z_score"]
print("%-32s %-20s %3d %14.9f %14.9f %12.3e %8s %8.1f" % (j["values"], j["mechanism"],
      j["bidders"], r["mean"], r["expected"], r["stderr"], z, j["seconds"]))'
}
run "uniform(0,1)" inspection 2
run "discrete(1:0.5,2:0.3,3:0.2)" inspection 1
run "uniform(1,2)" inspection 2
run "uniform(0,1)" second-price 2
run "uniform(0,1)" myerson 2
run "exponential(1)" second-price-reserve 3
