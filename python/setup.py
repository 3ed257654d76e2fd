# Installs the Python module `dia` into the current environment without network access:
#   python3 -m venv --system-site-packages ENV     # numpy from Debian's python3-numpy
#   ENV/bin/pip install --no-index --no-build-isolation ./python
# The compiled core is built by the project's own CMake (target dia_python). Set DIA_BUILD_DIR to
# reuse an existing build tree (e.g. build/release), else build/python-install is configured.
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(os.environ.get("DIA_BUILD_DIR") or ROOT / "build" / "python-install")
        if not (build / "CMakeCache.txt").exists():
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja",
                "-DCMAKE_BUILD_TYPE=Release", "-DDIA_BUILD_TESTS=OFF",
                "-DDIA_BUILD_BENCHMARKS=OFF", f"-DPython_EXECUTABLE={sys.executable}"])
        subprocess.check_call(["cmake", "--build", str(build), "--target", "dia_python", "-j",
                               os.environ.get("DIA_JOBS", "2")])
        built = next((build / "python" / "dia").glob("_dia*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(
    packages=["dia"],
    ext_modules=[Extension("dia._dia", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
