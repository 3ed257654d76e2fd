#!/usr/bin/env bash
# Mutation testing of the checks: each mutant below is one small semantic change (a sed
# substitution on one line) to code that decides whether dia's numbers, money or verdicts are
# right. For each: apply it, build the test targets, run the tests that should notice, restore
# the file. A mutant is KILLED when a test fails (or the build breaks), SURVIVED otherwise; a
# substitution that no longer matches its file is NOT APPLIED (the list needs updating) and
# makes the script fail. The file is always restored, even on Ctrl-C.
#
# Usage: scripts/mutate.sh [PATTERN]
#   PATTERN (grep -E, optional) selects the mutants whose file or description matches.
#   DIA_MUTATE_DRY=1: only check that every substitution still applies (seconds).
#   DIA_MUTATE_BUILD=build/ci (default): an already configured build directory; the script
#   builds in it (-j2) and leaves it rebuilt from the restored sources.
# Service mutants run the service tests on SQLite only unless DIA_TEST_POSTGRES_URL is set.
# The whole list takes ~1 h on 2 cores (each mutant relinks the test binaries); see
# docs/testing.md for the last score.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${DIA_MUTATE_BUILD:-build/ci}
pattern=${1:-.}
core_targets=(dia_cli dia_unit_tests dia_property_tests dia_golden_tests)
unit=dia_unit_tests
service="dia_cli dia_service_tests dia_service_load"

killed=0 survived=0 not_applied=0
survivors=()
backup=""
restore() {
  if [ -n "$backup" ]; then
    cp "$backup" "$current"
    rm -f "$backup"
    backup=""
  fi
}
trap 'restore; exit 130' INT TERM
trap restore EXIT

# mutant FILE SED_EXPRESSION CTEST_REGEX DESCRIPTION [TARGETS]
# TARGETS (default: the CLI and the unit, property and golden tests) must hold every test
# CTEST_REGEX selects.
mutant() {
  local file=$1 expr=$2 tests=$3 what=$4 targets=${5:-${core_targets[*]}}
  printf '%s %s\n' "$file" "$what" | grep -Eq -- "$pattern" || return 0
  current=$file
  backup=$(mktemp)
  cp "$file" "$backup"
  sed -i -e "$expr" "$file"
  if cmp -s "$file" "$backup"; then
    restore
    not_applied=$((not_applied + 1))
    printf 'NOT APPLIED  %-42s %s\n' "$file" "$what"
    return 0
  fi
  if [ -n "${DIA_MUTATE_DRY:-}" ]; then  # only check that the substitution applies
    restore
    printf 'APPLIES      %-42s %s\n' "$file" "$what"
    return 0
  fi
  local verdict
  # shellcheck disable=SC2086  # TARGETS is a list
  if ! nice cmake --build "$build" -j2 --target $targets >/tmp/dia-mutate-build.log 2>&1
  then
    verdict="KILLED (build)"
  elif ctest --test-dir "$build" -R "$tests" -j2 --timeout 900 >/tmp/dia-mutate-test.log 2>&1
  then
    verdict="SURVIVED"
  else
    verdict="KILLED"
  fi
  restore
  if [ "$verdict" = SURVIVED ]; then
    survived=$((survived + 1))
    survivors+=("$file: $what")
  else
    killed=$((killed + 1))
  fi
  printf '%-13s %-42s %s\n' "$verdict" "$file" "$what"
}

# ---- the audit (src/audit) ----
mutant src/audit/audit.cpp \
  's/report.max_ic_violation <= tolerances.ic \* scale/report.max_ic_violation <= 1e-3 * scale/' \
  '^Audit' 'IC tolerance tolerances.ic * scale -> 1e-3 * scale' "$unit"
mutant src/audit/audit.cpp \
  's/report.max_plan_violation <= 1e-12/report.max_plan_violation <= 1e-3/' \
  '^Audit' 'plan over-shipping tolerance 1e-12 -> 1e-3' "$unit"
mutant src/audit/audit.cpp \
  's/report.max_monotonicity_violation <= tolerances.ll/true/' \
  '^Audit' 'monotonicity no longer required for n >= 2' "$unit"
mutant src/audit/audit.cpp \
  's/report.max_border_violation <= tolerances.border/true/' \
  '^Audit' "Border's threshold rows no longer checked" "$unit"
mutant src/audit/audit.cpp \
  's/rent\[k\] - v\[k\] \* x\[k\], -rent\[k\]/-rent[k]/' \
  '^Audit' 'limited liability R <= v X no longer checked' "$unit"
mutant src/audit/audit.cpp \
  's/report.dual_gap <= tolerances.dual_gap/true/' \
  '^Audit' 'dual gap no longer checked' "$unit"
mutant src/audit/deviation_envelope.cpp \
  's/if (k > 0) envelope\[k\]/if (k > 1) envelope[k]/' \
  '^Audit' 'deviation envelope skips the second type' "$unit"

# ---- the simulator (src/simulation) ----
mutant src/simulation/inspection_rule.cpp \
  's/const double g = (std::pow(hi, n_) - std::pow(lo, n_)) \* cells \/ n_;/const double g = std::pow(hi, n_ - 1);/' \
  'Calibration|Simulation\.' 'grid rule G_k = F_k^(n-1) instead of the cell average' "$unit"
mutant src/simulation/monte_carlo.cpp \
  's/s.deviation2 += unsold \* shift \* shift;//' \
  'Calibration|Simulation\.' 'unsold auctions left out of the variance' "$unit"
mutant src/simulation/monte_carlo.cpp \
  's/std::sqrt(std::max(0.0L, var) \/ n)/std::sqrt(std::max(0.0L, var) \/ (1.5L * n))/' \
  'Calibration' 'standard error understated by sqrt(1.5)' "$unit"
mutant src/simulation/strategic_audit.cpp \
  's/out.incentive_compatible = g.gain <= 1e-9/out.incentive_compatible = g.gain <= 1e-3/' \
  'AuditNegative|Simulation\.Audit' 'strategic audit IC threshold 1e-9 -> 1e-3' "$unit"
mutant src/simulation/inspection_rule.cpp \
  's/rho_\[k\] = x_\[k\] > 0 ? reward_scale_ \* std::min(v_\[k\], rent \/ x_\[k\])/rho_[k] = x_[k] > 0 ? reward_scale_ * std::min(v_[k], 0.999 * rent \/ x_[k])/' \
  'Calibration|Simulation\.' 'grid rule pays 0.1% less reward' "$unit"

# ---- the service's money (src/service) ----
mutant src/service/reward.cpp \
  's/const double margin = 2 + 1e-12 \* static_cast<double>(bid);/const double margin = 0;/' \
  '^Lottery\.' 'reward: no margin around the best double estimate' "$unit"
mutant src/service/reward.cpp \
  's/<= 1e-6L ? nearest : std::ceil(scaled)/<= 1e-6L ? nearest : std::floor(scaled)/' \
  '^Lottery\.' 'reward: grid values rounded down to micros (reward rounds up)' "$unit"
mutant src/service/reward.cpp \
  's/if (shift > 64) return 0;/if (shift > 60) return 0;/' \
  '^Lottery\.' 'reward: a large denominator exponent taken as a zero reward' "$unit"
mutant src/service/house.cpp \
  's/std::llabs(observed - a.deposit) <= a.tolerance/std::llabs(observed - a.deposit) < a.tolerance/' \
  'Backends/(ServiceTest|BorderTest)' 'inspection at exactly the tolerance counted as a lie' "$service"
mutant src/service/house.cpp \
  's/legs.push_back({account_id("cash", a.winner_id), reward})/legs.push_back({account_id("revenue", 0), reward})/' \
  'Backends/(ServiceTest|BorderTest)' 'settlement posts the reward to revenue, not to the winner' "$service"
mutant src/service/house.cpp \
  's/{account_id("escrow", a.winner_id), a.deposit}}/{account_id("revenue", 0), a.deposit}}/' \
  'Backends/(ServiceTest|BorderTest)' 'the deposit goes to revenue, not escrow' "$service"
mutant src/service/house.cpp \
  's/if (amount > kMaxFundedMicros - funded)/if (amount > kMaxFundedMicros - funded + 1)/' \
  'Backends/(ServiceTest|BorderTest)' 'funding cap off by one micro' "$service"

# ---- the Border lottery ----
mutant src/solvers/border_lottery_flow.cpp \
  's/if (out.max_reduced_form_error > kReducedFormTolerance) {/if (out.max_reduced_form_error > 1e-2) {/' \
  'BorderLottery|HierarchyLottery|Lottery|Dominant' 'transfer lottery accepted 1e-2 away from X' "$unit"
mutant src/solvers/border_lottery_flow.cpp \
  's/out.lower_bidder_wins += static_cast<double>(n \* p\[i\] \* gain\[i\]);/out.lower_bidder_wins += static_cast<double>(p[i] * gain[i]);/' \
  'BorderLottery|HierarchyLottery|Lottery|Dominant' "transfer lottery's lower-bidder share not times n" "$unit"
mutant src/implementation/border_lottery.cpp \
  's/rest = tau < 1 ? (v - tau) \/ (1 - tau) : 1.0;/rest = v;/' \
  'BorderLottery|HierarchyLottery|Lottery|Simulation|Calibration' 'transfer draw reuses the lower draw for keep' "$unit"
mutant src/implementation/border_lottery.cpp \
  's/if (u < x0 + x1) return 1;/if (u < x1) return 1;/' \
  'BorderLottery|Lottery|Simulation|Calibration' 'profile draw: bidder 1 wins below x1 instead of x0 + x1' "$unit"
mutant src/implementation/border_lottery.cpp \
  's/const double pair = i == j ? 2 \* e : e + x\[j \* m + i\];/const double pair = i == j ? 2 * e : e;/' \
  'BorderLottery|Lottery' 'pair check ignores the other bidder' "$unit"
mutant src/implementation/border_lottery.cpp \
  's/    if (excess > 0) {/    if (excess > 1e-6) {/' \
  'BorderLottery|HierarchyLottery|Lottery|Simulation' 'enforce_border tolerates an excess of 1e-6' "$unit"

# ---- solver error estimates (their tests belong to the numerics work) ----
mutant src/solvers/one_bidder_ode.cpp \
  's/fine->estimated_error += std::fabs(fine->revenue - coarse->revenue) \/ fine->revenue;//' \
  'OneBidderOde|DesignContinuousGolden|DesignGolden|ErrorEstimateGolden' 'ODE error estimate drops the fine-vs-coarse difference'
mutant src/solvers/symmetric_design.cpp \
  's/return {value, (\*hi - \*lo) \/ std::fabs(value)};/return {value, 0.0};/' \
  'Symmetric|DesignContinuousGolden|DesignGolden|ErrorEstimateGolden' 'Richardson error estimate (the spread of the extrapolations) returns 0'

total=$((killed + survived))
echo
echo "mutation score: $killed killed of $total ($survived survived, $not_applied not applied)"
for s in "${survivors[@]}"; do echo "  survived: $s"; done
# Rebuild from the restored sources, so the build directory matches the tree again.
[ -n "${DIA_MUTATE_DRY:-}" ] || nice cmake --build "$build" -j2 --target "${core_targets[@]}" >/dev/null 2>&1 || true
[ "$not_applied" -eq 0 ]
