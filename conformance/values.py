"""Argument descriptions: JSON data that every backend turns into the same inputs.

An array is described by shape, dtype and a deterministic constructor (``linspace``,
``arange``, ``full`` or literal ``values``), evaluated in numpy and handed to the backend's
``asarray``, so every backend starts from bit-identical data. Tuples, slices, dtypes and
complex numbers are tagged dicts; lists, numbers, strings and ``None`` are themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

#: literal ``values`` arrays larger than this are not described (the case stays call-only)
MAX_LITERAL = 4096


class Undescribable(TypeError):
    """A value with no JSON description (callables, generators, object arrays...)."""


def describe(v: Any) -> Any:
    """JSON description of an argument value."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, np.generic):  # before float/int: np.float64 is a float
        return {"scalar": describe(v.item()), "dtype": v.dtype.name}
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else {"float": repr(v)}
    if isinstance(v, complex):
        return {"complex": [v.real, v.imag]}
    if isinstance(v, tuple):
        return {"tuple": [describe(e) for e in v]}
    if isinstance(v, list):
        return [describe(e) for e in v]
    if isinstance(v, slice):
        return {"slice": [describe(v.start), describe(v.stop), describe(v.step)]}
    if v is Ellipsis:
        return {"ellipsis": True}
    if isinstance(v, np.dtype):
        return {"dtype": v.name}
    if isinstance(v, type) and issubclass(v, np.generic):
        try:
            return {"dtype": np.dtype(v).name}
        except TypeError as exc:  # abstract types (np.floating) name no dtype
            raise Undescribable(v.__name__) from exc
    if isinstance(v, np.ndarray):
        return describe_array(v)
    raise Undescribable(type(v).__name__)


def describe_array(a: np.ndarray) -> dict[str, Any]:
    """Shape, dtype and the simplest constructor that rebuilds ``a`` bit for bit."""
    if a.dtype.kind not in "biufc":
        raise Undescribable(f"array of dtype {a.dtype}")
    a = np.asarray(a)
    head: dict[str, Any] = {"shape": list(a.shape), "dtype": a.dtype.name}
    for desc in _candidates(a):
        try:
            rebuilt = build_array({**head, **desc})
        except (OverflowError, ValueError):  # a step beyond the dtype's range
            continue
        if _same(rebuilt, a):
            return {**head, **desc}
    if a.size > MAX_LITERAL:
        raise Undescribable(f"array of {a.size} elements")
    flat = a.ravel()
    if a.dtype.kind == "c":
        data: list[Any] = [[_num(z.real), _num(z.imag)] for z in flat.tolist()]
    else:
        data = [_num(x) for x in flat.tolist()]
    return {**head, "ctor": "values", "data": data}


def _num(x: Any) -> Any:
    """A JSON number; NaN and infinities as tagged strings (their sign and payload bits are
    not kept: every NaN becomes numpy's)."""
    if isinstance(x, float) and not math.isfinite(x):
        return {"float": repr(float(x))}
    return x


def _candidates(a: np.ndarray) -> list[dict[str, Any]]:
    if a.size == 0:
        return [{"ctor": "full", "value": 0}]
    flat = a.ravel()
    first, last = flat[0].item(), flat[-1].item()
    out: list[dict[str, Any]] = []
    if a.dtype.kind != "c":
        out.append({"ctor": "full", "value": _num(first)})
        if a.dtype.kind in "iub" or a.size < 2:
            step = int(flat[1]) - int(flat[0]) if a.size > 1 and a.dtype.kind in "iu" else 1
            out.append({"ctor": "arange", "start": first, "step": step})
        if a.dtype.kind == "f" and a.size > 1 and math.isfinite(first) and math.isfinite(last):
            out.append({"ctor": "linspace", "lo": first, "hi": last})
    return out


def _same(x: np.ndarray, a: np.ndarray) -> bool:
    return x.shape == a.shape and x.dtype == a.dtype and x.tobytes() == a.tobytes()


def build_array(desc: dict[str, Any]) -> np.ndarray:
    """The numpy array a description names."""
    shape, dtype = tuple(desc["shape"]), np.dtype(desc["dtype"])
    n = math.prod(shape)
    ctor = desc["ctor"]
    if ctor == "full":
        return np.full(shape, _value(desc["value"]), dtype=dtype)
    if ctor == "arange":
        return (desc["start"] + desc["step"] * np.arange(n)).astype(dtype).reshape(shape)
    if ctor == "linspace":
        return np.linspace(desc["lo"], desc["hi"], n).astype(dtype).reshape(shape)
    if ctor == "values":
        data = desc["data"]
        if dtype.kind == "c":
            pairs = [complex(_value(r), _value(i)) for r, i in data]
            return np.array(pairs, dtype=dtype).reshape(shape)
        return np.array([_value(x) for x in data], dtype=dtype).reshape(shape)
    raise ValueError(f"unknown constructor {ctor!r}")


def _value(x: Any) -> Any:
    return float(x["float"]) if isinstance(x, dict) else x


def build(desc: Any, asarray: Callable[[np.ndarray], Any], dtype: Callable[[str], Any]) -> Any:
    """The value a description names; arrays go through ``asarray``, dtypes through ``dtype``."""
    if isinstance(desc, list):
        return [build(e, asarray, dtype) for e in desc]
    if not isinstance(desc, dict):
        return desc
    if "ctor" in desc:
        return asarray(build_array(desc))
    if "tuple" in desc:
        return tuple(build(e, asarray, dtype) for e in desc["tuple"])
    if "slice" in desc:
        return slice(*(build(e, asarray, dtype) for e in desc["slice"]))
    if "ellipsis" in desc:
        return Ellipsis
    if "dtype" in desc and "scalar" in desc:
        return np.dtype(desc["dtype"]).type(build(desc["scalar"], asarray, dtype))
    if "dtype" in desc:
        return dtype(desc["dtype"])
    if "complex" in desc:
        return complex(*desc["complex"])
    if "float" in desc:
        return float(desc["float"])
    raise ValueError(f"unknown description {desc!r}")


def numpy_build(desc: Any) -> Any:
    """Build for numpy: plain arrays and numpy dtypes."""
    return build(desc, lambda a: a, np.dtype)
