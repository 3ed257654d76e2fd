#!/usr/bin/env bash
# Installs what dia needs, builds the release preset, and designs the optimal inspection auction
# for one bidder with uniform(0,1) values beside the classic auctions. Extra args go to `dia design`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
./build/release/dia design --values "uniform(0,1)" --rows 11 "$@"
