#!/usr/bin/env bash
# Installs the build tree into a temporary prefix (cmake --install), runs the installed `dia`, and
# builds and runs tests/install/consumer against it with find_package(dia): one small file.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
"$tmp/prefix/bin/dia" --help >/dev/null
test -f "$tmp/prefix/include/dia/service.hpp" && test -f "$tmp/prefix/include/dia/simulation.hpp"
cmake -S "$source/tests/install/consumer" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
"$tmp/build/dia_consumer"
