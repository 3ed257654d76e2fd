#!/usr/bin/env bash
# Installs what dia needs, builds the `ci` preset and runs every test suite (unit, property,
# golden, service), then the fuzzers for about a minute (scripts/fuzz.sh). A throwaway PostgreSQL
# 15 runs for the service tests and is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh >/dev/null
cmake --preset ci >/dev/null
cmake --build --preset ci
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop "$DIA_PG_DIR"' EXIT
export DIA_TEST_POSTGRES_URL
ctest --preset ci --parallel 2
bash scripts/fuzz.sh
