#!/usr/bin/env bash
# Installs what dia needs, builds the `ci` preset and runs every test suite (unit, property, golden).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh >/dev/null
cmake --preset ci >/dev/null
cmake --build --preset ci
ctest --preset ci --parallel 2
