#!/usr/bin/env bash
# Installs what dia needs, builds the `ci` preset and runs every test suite (unit, property,
# golden, service with the OpenRTB type check), after the fuzzers for about a minute
# (scripts/fuzz.sh). A throwaway PostgreSQL 15 runs for the service tests and is always stopped.
# With DIA_SANITIZE=1, then the same suites again under AddressSanitizer and
# UndefinedBehaviorSanitizer (the `dev` preset, Debug, in build/dev), without the statistical
# calibration runs, which only repeat auctions. Not yet on by default: that pass has not been run
# to the end on the 2-core CI machine (time and findings unmeasured), and a CI that has never
# passed it cannot land (docs/testing.md).
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

if [ -n "${DIA_SANITIZE:-}" ]; then
  cmake --preset dev -DDIA_BUILD_PYTHON=OFF -DDIA_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build --preset dev --target dia_cli dia_unit_tests dia_property_tests dia_golden_tests \
    dia_service_tests dia_service_load dia_slow_connections
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --preset dev --parallel 2 -L 'unit|property|golden|service' -E '^Calibration\.'
fi
