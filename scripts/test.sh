#!/usr/bin/env bash
# Installs what dia needs, builds the `ci` preset and runs every test suite (unit, property,
# golden, service with the OpenRTB type check), after the fuzzers for about a minute
# (scripts/fuzz.sh). A throwaway PostgreSQL 15 runs for the service tests and is always stopped.
# Then the unit, property and golden suites again under AddressSanitizer and
# UndefinedBehaviorSanitizer (the `dev` preset, Debug at -O1, undefined behaviour fatal, in
# build/dev), without the statistical calibration runs, which only repeat auctions.
# DIA_SANITIZE=0 skips that pass (e.g. locally); DIA_SANITIZE=full adds the service suite (SQLite
# and PostgreSQL) under the sanitizers, not in CI by default because it has not yet been run to the
# end (docs/testing.md has the measured times, the cost estimate and the findings).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh >/dev/null
cmake --preset ci >/dev/null
cmake --build --preset ci
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop "$DIA_PG_DIR"' EXIT
export DIA_TEST_POSTGRES_URL
# IAB's OpenRTB 2.6 TypeScript definitions and tsc, as pinned (the OpenRTB type-check test).
npm ci --prefix tests/openrtb --no-audit --no-fund >/dev/null
bash scripts/fuzz.sh
ctest --preset ci --parallel 2

sanitize=${DIA_SANITIZE:-1}
if [ "$sanitize" != 0 ]; then
  targets=(dia_cli dia_unit_tests dia_property_tests dia_golden_tests)
  labels='unit|property|golden'
  if [ "$sanitize" = full ]; then
    targets+=(dia_service_tests dia_service_load dia_slow_connections)
    labels+='|service'
  fi
  cmake --preset dev -DDIA_BUILD_PYTHON=OFF -DDIA_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build --preset dev --target "${targets[@]}"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --preset dev --parallel 2 -L "$labels" -E '^Calibration\.'
fi
