"""``flopscope.numpy``: the counted NumPy surface (``import flopscope.numpy as fnp``).

Every name is generated from the op table. Results are ``fnp.ndarray`` (= ``FlopscopeArray``)
whose operators are counted like the function spellings. There is no silent fallback to
numpy: names flopscope does not count raise ``AttributeError``.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as _np

from flopscope import _budget
from flopscope._einsum import path as _einsum_path
from flopscope.numpy._factory import build as _build
from flopscope.numpy._ndarray import FlopscopeArray
from flopscope.numpy._ndarray import install as _install
from flopscope.numpy._surface import populate as _populate
from flopscope.ops import all_ops as _all_ops
from flopscope.ops.blocked import BLOCKED as _BLOCKED
from flopscope.ops.blocked import blocked_message as _blocked_message

ndarray = FlopscopeArray

# constants, dtypes and numpy helpers that are not array operations
pi = _np.pi
e = _np.e
inf = _np.inf
nan = _np.nan
newaxis = _np.newaxis
float16, float32, float64 = _np.float16, _np.float32, _np.float64
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, uint16, uint32, uint64 = _np.uint8, _np.uint16, _np.uint32, _np.uint64
bool_, complex64, complex128 = _np.bool_, _np.complex64, _np.complex128
floating, integer, number, dtype = _np.floating, _np.integer, _np.number, _np.dtype
finfo, iinfo = _np.finfo, _np.iinfo
errstate, broadcast, ndindex, ndenumerate, nditer = (
    _np.errstate,
    _np.broadcast,
    _np.ndindex,
    _np.ndenumerate,
    _np.nditer,
)
set_printoptions, get_printoptions, printoptions = (
    _np.set_printoptions,
    _np.get_printoptions,
    _np.printoptions,
)
# the einsum path cache (0.4.0's fnp helpers; flops.einsum_cache_info covers every einsum cache)
clear_einsum_cache = _einsum_path.clear_path_cache
einsum_cache_info = _einsum_path.path_cache_info

_EXTRAS = [
    "ndarray",
    "pi",
    "e",
    "inf",
    "nan",
    "newaxis",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "bool_",
    "complex64",
    "complex128",
    "floating",
    "integer",
    "number",
    "dtype",
    "finfo",
    "iinfo",
    "errstate",
    "broadcast",
    "ndindex",
    "ndenumerate",
    "nditer",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    "clear_einsum_cache",
    "einsum_cache_info",
]
_SUBMODULES = ("linalg", "random", "fft", "testing", "typing", "polynomial")

__all__ = sorted(_populate(globals(), "") + _EXTRAS)

_install(_all_ops(), _build)

# importing the NumPy surface activates the process default budget (0.4.0 behaviour)
_budget.default_context()


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"flopscope.numpy.{name}")
    if name in _BLOCKED:
        raise AttributeError(_blocked_message(name))
    raise AttributeError(
        f"flopscope.numpy does not provide {name!r}. See the op reference in the flopscope "
        "docs for supported operations."
    )


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_SUBMODULES))
