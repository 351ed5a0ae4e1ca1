"""NEP 13 / NEP 18 routing: numpy functions and ufuncs applied to ``FlopscopeArray``s.

``np.exp(a)`` and ``np.sum(a)`` reach the same rows (and so bill the same) as ``fnp.exp(a)``
and ``fnp.sum(a)``. ``np.add.reduce`` is ``fnp.sum`` with numpy's default ``axis=0``; other
ufunc methods (``np.subtract.reduce``, ``np.multiply.outer``...) are priced by the generic
``ufunc.<method>`` rows and logged as ``<ufunc>.<method>``. numpy functions without a row
return ``NotImplemented``, so numpy raises its own ``TypeError``: nothing runs uncounted.
"""

from __future__ import annotations

import math
from time import perf_counter
from typing import Any

import numpy as np

from flopscope.numpy import _symcall
from flopscope.numpy._factory import build, normalize_axis, run_counted, shape_of, wrap
from flopscope.ops import lookup

_MODULES = {"numpy.linalg": "linalg", "numpy.fft": "fft", "numpy.random": "random"}


def route_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    if method == "__call__":
        op = lookup(ufunc.__name__)
        if op is None:
            return NotImplemented
        return build(op)(*inputs, **kwargs)
    if method == "reduce" and ufunc is np.add:
        return build(lookup("sum"))(inputs[0], **{"axis": 0, **kwargs})
    priced = _ufunc_method_inputs(method, inputs, kwargs)
    if priced is None:
        return NotImplemented
    result = run_counted(
        lookup(method, "ufunc"),
        priced,
        getattr(ufunc, method),
        inputs,
        kwargs,
        perf_counter(),
        name=f"{ufunc.__name__}.{method}",
    )
    if method == "at":
        _symcall.written(inputs[0], None, f"{ufunc.__name__}.at")  # drops a symmetric tag
        return None  # in place, like numpy
    out = kwargs.get("out")
    if out is not None:
        return out[0] if isinstance(out, tuple) and len(out) == 1 else out
    return wrap(result)


def _ufunc_method_inputs(method: str, inputs: tuple, kwargs: dict) -> tuple | None:
    """Analytical inputs of ``ufunc.<method>`` (numpy passes method arguments as kwargs)."""
    if method in ("reduce", "accumulate"):
        s = shape_of(inputs[0])
        return (s, normalize_axis(kwargs.get("axis", 0), len(s)))
    if method == "outer":
        return (math.prod(shape_of(inputs[0])) * math.prod(shape_of(inputs[1])),)
    if method == "reduceat":
        return (math.prod(shape_of(inputs[0])),)
    if method == "at":
        idx = inputs[1]
        whole = isinstance(idx, slice) or idx is Ellipsis
        return (math.prod(shape_of(inputs[0] if whole else idx)),)
    return None


def route_function(func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    module = _MODULES.get(getattr(func, "__module__", ""), "")
    op = lookup(func.__name__, module)
    if op is None:
        return NotImplemented
    return build(op)(*args, **kwargs)
