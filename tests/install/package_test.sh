#!/usr/bin/env bash
# Builds the Debian package with CPack from the build tree, checks its control fields, unpacks it
# (dpkg-deb -x, without installing it on this machine) and runs the packaged /usr/bin/dia.
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$build" && cpack -G DEB -B "$tmp/out" >/dev/null)
deb=$(ls "$tmp"/out/dia_*_*.deb)
[ "$(dpkg-deb -f "$deb" Package)" = dia ]
dpkg-deb -f "$deb" Depends | grep -q libpqxx  # dpkg-shlibdeps found the binary's libraries
dpkg-deb -x "$deb" "$tmp/root"
for f in usr/bin/dia usr/include/dia/service.hpp usr/lib/cmake/dia/diaConfig.cmake; do
  test -e "$tmp/root/$f" || { echo "missing /$f in $deb" >&2; exit 1; }
done
"$tmp/root/usr/bin/dia" --help | grep -q "dia serve\|serve"
echo "ok: $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
