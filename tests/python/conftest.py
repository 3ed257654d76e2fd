# The CLI the Python module must agree with: $DIA_CLI (set by ctest), else build/*/dia.
import glob
import json
import os
import subprocess

import pytest


def _cli():
    path = os.environ.get("DIA_CLI")
    if path:
        return path
    found = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "build", "*", "dia")))
    if not found:
        pytest.skip("set DIA_CLI to the dia executable")
    return found[0]


@pytest.fixture(scope="session")
def cli():
    path = _cli()

    def run(*args, expect=0):
        done = subprocess.run([path, *args], capture_output=True, text=True, timeout=300)
        assert done.returncode in (expect if isinstance(expect, tuple) else (expect,)), done.stderr
        return json.loads(done.stdout) if done.stdout and "--format" in args else done

    return run
