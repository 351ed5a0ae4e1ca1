"""``finfo`` and ``iinfo`` for the protocol's dtypes, in pure Python (no round trip).

The limits are facts of IEEE 754 and two's complement; values are Python numbers (numpy
returns scalars of the dtype), equal to numpy's.
"""

from __future__ import annotations

import struct
from typing import Any

from ._dtype import canonical, dtype

#: float name -> (mantissa bits, exponent bits, struct format)
_FLOATS = {"float16": (10, 5, "e"), "float32": (23, 8, "f"), "float64": (52, 11, "d")}
_PRECISION = {"float16": 3, "float32": 6, "float64": 15}
_COMPLEX_PART = {"complex64": "float32", "complex128": "float64"}


def _round(x: float, fmt: str) -> float:
    """``x`` rounded to the float format (numpy's ``resolution`` is stored in the dtype)."""
    return struct.unpack(fmt, struct.pack(fmt, x))[0]


class finfo:  # noqa: N801 - numpy's spelling
    """Machine limits of a floating dtype (a complex dtype gives those of its parts)."""

    def __init__(self, spec: Any) -> None:
        name = canonical(spec)
        name = _COMPLEX_PART.get(name, name)
        if name not in _FLOATS:
            raise ValueError(f"data type {name!r} not inexact")
        nmant, nexp, fmt = _FLOATS[name]
        self.dtype = dtype(name)
        self.bits = 1 + nexp + nmant
        self.nmant, self.nexp, self.iexp = nmant, nexp, nexp
        self.maxexp = 2 ** (nexp - 1)
        self.minexp = 1 - self.maxexp + 1
        self.machep, self.negep = -nmant, -nmant - 1
        self.eps = 2.0**-nmant
        self.epsneg = 2.0 ** (-nmant - 1)
        self.max = (2.0 - 2.0**-nmant) * 2.0 ** (self.maxexp - 1)
        self.min = -self.max
        self.tiny = self.smallest_normal = 2.0**self.minexp
        self.smallest_subnormal = 2.0 ** (self.minexp - nmant)
        self.precision = _PRECISION[name]
        self.resolution = _round(10.0**-self.precision, fmt)

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution}, min={self.min:.6e}, max={self.max:.6e}, "
            f"dtype={self.dtype.name})"
        )


class iinfo:  # noqa: N801 - numpy's spelling
    """Machine limits of an integer dtype."""

    def __init__(self, spec: Any) -> None:
        name = canonical(spec)
        d = dtype(name)
        if d.kind not in "iu":
            raise ValueError(f"Invalid integer data type {d.kind!r}.")
        self.dtype = d
        self.kind = d.kind
        self.bits = 8 * d.itemsize
        if d.kind == "u":
            self.min, self.max = 0, 2**self.bits - 1
        else:
            self.min, self.max = -(2 ** (self.bits - 1)), 2 ** (self.bits - 1) - 1

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype.name})"
