#!/usr/bin/env bash
# Installs the Debian 12 packages dia needs to build, test and benchmark (idempotent; run as root).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang-format clang libclang-rt-14-dev
  libboost-dev coinor-libclp-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libexpected-dev libpcg-cpp-dev libtbb-dev
  libgtest-dev librapidcheck-dev libbenchmark-dev hyperfine
  libcpp-httplib-dev libsqlite3-dev libpqxx-dev postgresql-15 libssl-dev wrk curl
  pybind11-dev python3-dev python3-numpy python3-pytest python3-venv python3-prometheus-client chromium
  librsvg2-bin
  python3-setuptools python3-wheel python3-pip   # pip install ./python offline (bdist_wheel)
  python3-scipy                                  # tests/python checks the scipy.stats names
)
# Node and npm for the OpenRTB type check (tests/openrtb): Debian's, unless a node is already
# installed (e.g. NodeSource's, whose nodejs package conflicts with Debian's npm).
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
