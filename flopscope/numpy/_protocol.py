"""NEP 13 / NEP 18 routing: numpy functions and ufuncs applied to ``FlopscopeArray``s.

``np.exp(a)`` and ``np.sum(a)`` reach the same rows (and so bill the same) as ``fnp.exp(a)``
and ``fnp.sum(a)``. Ufunc methods (``np.add.reduce``, ``np.multiply.outer``...) are priced by
the generic ``ufunc.<method>`` rows and logged as ``<ufunc>.<method>``.
"""

from __future__ import annotations

import math
from time import perf_counter
from typing import Any

import numpy as np

from flopscope.numpy._factory import build, normalize_axis, run_counted, shape_of, wrap
from flopscope.ops import lookup

_MODULES = {"numpy.linalg": "linalg", "numpy.fft": "fft", "numpy.random": "random"}


def route_ufunc(ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    if method == "__call__":
        op = lookup(ufunc.__name__)
        if op is None:
            return NotImplemented
        return build(op)(*inputs, **kwargs)
    if method in ("reduce", "accumulate"):
        if method == "reduce" and ufunc is np.add:
            return build(lookup("sum"))(inputs[0], **{"axis": 0, **kwargs})
        a = inputs[0]
        s = shape_of(a)
        inputs_ = (s, normalize_axis(kwargs.get("axis", 0), len(s)))
    elif method == "outer":
        inputs_ = (math.prod(shape_of(inputs[0])) * math.prod(shape_of(inputs[1])),)
    elif method == "reduceat":
        inputs_ = (math.prod(shape_of(inputs[0])),)
    elif method == "at":
        idx = inputs[1]
        n = math.prod(shape_of(inputs[0])) if isinstance(idx, slice) else math.prod(shape_of(idx))
        inputs_ = (n,)
    else:
        return NotImplemented
    op = lookup(f"ufunc.{method}")
    out = kwargs.get("out")
    result = run_counted(
        op,
        inputs_,
        getattr(ufunc, method),
        inputs,
        kwargs,
        perf_counter(),
        name=f"{ufunc.__name__}.{method}",
    )
    if method == "at":
        return None
    if out is not None:
        return out[0] if isinstance(out, tuple) and len(out) == 1 else out
    return wrap(result)


def route_function(func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    module = _MODULES.get(getattr(func, "__module__", ""), "")
    op = lookup(func.__name__, module)
    if op is None:
        return NotImplemented
    return build(op)(*args, **kwargs)
