# Installs the Python module `dia` (docs/report.md, "Python"): with network access
#   python3 -m venv ENV && ENV/bin/pip install ./python        # setuptools, wheel, numpy from PyPI
# or offline on Debian (python3-numpy, python3-setuptools and python3-wheel installed)
#   python3 -m venv --system-site-packages ENV
#   ENV/bin/pip install --no-index --no-build-isolation ./python
# The compiled core is built by the project's own CMake (target dia_python) for the Python that
# runs pip. Set DIA_BUILD_DIR to reuse an existing build tree configured for that same Python
# (e.g. build/release), else build/python-<version> is configured.
import os
import pathlib
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# setuptools before 70.1 builds wheels with the `wheel` package: without it pip stops with the
# cryptic "invalid command 'bdist_wheel'" (e.g. --no-build-isolation in a bare venv).
try:
    import wheel  # noqa: F401
except ImportError:
    import setuptools
    if tuple(int(p) for p in setuptools.__version__.split(".")[:2]) < (70, 1):
        sys.exit("dia: building needs the 'wheel' package with setuptools "
                 f"{setuptools.__version__}: apt-get install python3-wheel (and create the venv "
                 "with --system-site-packages), or pip install wheel, or drop "
                 "--no-build-isolation so that pip fetches it")

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        suffix = sysconfig.get_config_var("EXT_SUFFIX")  # e.g. .cpython-311-x86_64-linux-gnu.so
        tag = sysconfig.get_config_var("SOABI") or "python"
        build = pathlib.Path(os.environ.get("DIA_BUILD_DIR") or ROOT / "build" / f"python-{tag}")
        if not (build / "CMakeCache.txt").exists():
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja",
                "-DCMAKE_BUILD_TYPE=Release", "-DDIA_BUILD_TESTS=OFF",
                "-DDIA_BUILD_BENCHMARKS=OFF", f"-DPython_EXECUTABLE={sys.executable}"])
        subprocess.check_call(["cmake", "--build", str(build), "--target", "dia_python", "-j",
                               os.environ.get("DIA_JOBS", "2")])
        built = build / "python" / "dia" / f"_dia{suffix}"
        if not built.exists():
            sys.exit(f"dia: {build} builds the module for another Python (no {built.name}); "
                     f"unset DIA_BUILD_DIR to build one for {sys.executable}")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(
    packages=["dia"],
    ext_modules=[Extension("dia._dia", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
