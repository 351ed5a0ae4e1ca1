"""Build hook for the optional C fast path (``flopscope._speedups``).

Everything else about the package is declared in pyproject.toml. The extension is optional:
when it cannot be compiled (no C compiler, free-threaded Python), the install still
succeeds and flopscope uses the pure-Python fast path, which bills identically.
"""

import sys
import sysconfig

from setuptools import Extension, setup

free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
ext_modules = (
    []
    if free_threaded or sys.implementation.name != "cpython"
    else [Extension("flopscope._speedups", ["flopscope/_speedups.c"], optional=True)]
)
setup(ext_modules=ext_modules)
