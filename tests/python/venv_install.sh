#!/usr/bin/env bash
# Installs the Python module into a fresh virtual environment without network access (pip
# --no-index; numpy from Debian through --system-site-packages), reusing the CMake build tree
# BUILD_DIR, then imports it from outside the source tree and runs the example.
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/../.." && pwd)"
build_dir="$1"
python="${2:-/usr/bin/python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir/python" "$work/python"   # pip builds in place: keep the source tree clean
rm -rf "$work/python/build" "$work/python/"*.egg-info
"$python" -m venv --system-site-packages "$work/venv"
DIA_BUILD_DIR="$build_dir" PIP_NO_INDEX=1 "$work/venv/bin/pip" install -q --no-build-isolation \
  --disable-pip-version-check "$work/python"
cd "$work"
"$work/venv/bin/python" -c "import dia, sys; assert dia.__file__.startswith('$work/venv'), dia.__file__"
"$work/venv/bin/python" "$source_dir/examples/python_design.py" >"$work/example.out"
grep -q "gain +22.2%" "$work/example.out"
# A bare venv without the wheel package (setuptools < 70.1 needs it): a message saying what to
# install, not pip's "invalid command 'bdist_wheel'".
"$python" -m venv "$work/bare"
if ! "$work/bare/bin/python" -c "import wheel" 2>/dev/null; then
  if PIP_NO_INDEX=1 "$work/bare/bin/pip" install -q --no-build-isolation \
      --disable-pip-version-check "$work/python" >"$work/bare.out" 2>&1; then
    echo "a bare venv without wheel installed dia: the check in setup.py did not run"; exit 1
  fi
  grep -q "apt-get install python3-wheel" "$work/bare.out"
fi
echo "venv install ok"
