#!/usr/bin/env bash
# Builds the Debian package with CPack from the build tree, checks its control fields, unpacks it
# (dpkg-deb -x, without installing it on this machine) and runs the packaged /usr/bin/dia. The
# libraries are in Debian's multiarch directory, nothing in the package carries debug info (that
# is in the optional dia-dbgsym package) and the package stays small even from a RelWithDebInfo
# tree.
# Usage: package_test.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$build" && cpack -G DEB -B "$tmp/out" >/dev/null)
deb=$(ls "$tmp"/out/dia_*_*.deb)
ls "$tmp"/out/dia-dbgsym_*_*.ddeb >/dev/null  # the debug info, optional
[ "$(dpkg-deb -f "$deb" Package)" = dia ]
size=$(stat -c %s "$deb")
((size < 40 * 1024 * 1024)) || { echo "$deb is $size bytes: debug info left in?" >&2; exit 1; }
dpkg-deb -f "$deb" Depends | grep -q libpqxx  # dpkg-shlibdeps found the binary's libraries
dpkg-deb -x "$deb" "$tmp/root"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in usr/bin/dia usr/include/dia/service.hpp usr/lib/$multiarch/cmake/dia/diaConfig.cmake \
  usr/lib/$multiarch/libdia_solvers.a; do
  test -e "$tmp/root/$f" || { echo "missing /$f in $deb" >&2; exit 1; }
done
if find "$tmp/root/usr/lib" -maxdepth 1 -name '*.a' | grep -q .; then
  echo "static libraries in /usr/lib instead of /usr/lib/$multiarch" >&2
  exit 1
fi
# No debug sections in the binary or in any member of the static libraries.
lib=$tmp/root/usr/lib/$multiarch
if readelf -S "$tmp/root/usr/bin/dia" "$lib"/*.a | grep -q '\.debug_info'; then
  echo "debug info left in the package" >&2
  exit 1
fi
"$tmp/root/usr/bin/dia" --help | grep -q "dia serve\|serve"
echo "ok: $(basename "$deb") ($size bytes): $(dpkg-deb -f "$deb" Depends)"
