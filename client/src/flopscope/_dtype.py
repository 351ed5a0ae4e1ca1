"""A small pure-Python stand-in for ``numpy.dtype`` and the byte <-> list conversions.

Only the dtypes the protocol allows exist. ``dtype("float64") == "float64"``, ``== "f8"``
and ``== fnp.float64`` all hold, as they do in numpy.
"""

from __future__ import annotations

import struct
from typing import Any

#: name -> (struct format of one element, itemsize, kind, numpy short string)
_INFO: dict[str, tuple[str, int, str, str]] = {
    "bool": ("?", 1, "b", "b1"),
    "int8": ("b", 1, "i", "i1"),
    "int16": ("h", 2, "i", "i2"),
    "int32": ("i", 4, "i", "i4"),
    "int64": ("q", 8, "i", "i8"),
    "uint8": ("B", 1, "u", "u1"),
    "uint16": ("H", 2, "u", "u2"),
    "uint32": ("I", 4, "u", "u4"),
    "uint64": ("Q", 8, "u", "u8"),
    "float16": ("e", 2, "f", "f2"),
    "float32": ("f", 4, "f", "f4"),
    "float64": ("d", 8, "f", "f8"),
    "complex64": ("f", 8, "c", "c8"),
    "complex128": ("d", 16, "c", "c16"),
}

#: other spellings numpy accepts for the same dtypes
_ALIASES = {
    "bool_": "bool",
    "?": "bool",
    "b1": "bool",
    "int": "int64",
    "float": "float64",
    "complex": "complex128",
    "double": "float64",
    "single": "float32",
    "half": "float16",
    "cdouble": "complex128",
    "csingle": "complex64",
    "byte": "int8",
    "ubyte": "uint8",
    "short": "int16",
    "ushort": "uint16",
    "intc": "int32",
    "uintc": "uint32",
    "longlong": "int64",
    "ulonglong": "uint64",
    "intp": "int64",
    "uintp": "uint64",
    "d": "float64",
    "f": "float32",
    "e": "float16",
    "D": "complex128",
    "F": "complex64",
    "l": "int64",
    "q": "int64",
    "i": "int32",
    "h": "int16",
    "b": "int8",
    "B": "uint8",
    "H": "uint16",
    "I": "uint32",
    "L": "uint64",
    "Q": "uint64",
}
for _name, (_f, _size, _kind, _short) in _INFO.items():
    _ALIASES[_short] = _name
    _ALIASES["<" + _short] = _name
    _ALIASES["=" + _short] = _name
    _ALIASES["|" + _short] = _name


def canonical(spec: Any) -> str:
    """The protocol dtype name of ``spec`` (a name, a :class:`dtype`, a Python type)."""
    if isinstance(spec, dtype):
        return spec.name
    if isinstance(spec, type) and getattr(spec, "_flopscope_dtype", None):
        return spec._flopscope_dtype  # type: ignore[attr-defined]
    if spec is bool:
        return "bool"
    if spec is int:
        return "int64"
    if spec is float:
        return "float64"
    if spec is complex:
        return "complex128"
    if isinstance(spec, str):
        name = spec if spec in _INFO else _ALIASES.get(spec)
        if name is not None:
            return name
    raise TypeError(f"data type {spec!r} not understood (flopscope-client supports {names()})")


def names() -> list[str]:
    return list(_INFO)


class dtype:  # noqa: N801 - numpy's spelling
    """numpy-like dtype: ``.name``, ``.kind``, ``.itemsize``, ``.char``; equal to its names."""

    __slots__ = ("name",)

    def __init__(self, spec: Any) -> None:
        object.__setattr__(self, "name", canonical(spec))

    @property
    def itemsize(self) -> int:
        return _INFO[self.name][1]

    @property
    def kind(self) -> str:
        return _INFO[self.name][2]

    @property
    def str(self) -> str:
        short = _INFO[self.name][3]
        return "|" + short if self.itemsize == 1 else "<" + short

    @property
    def type(self) -> type:
        return scalar_type(self.name)

    def __eq__(self, other: object) -> bool:
        try:
            return self.name == canonical(other)
        except TypeError:
            return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"dtype({self.name!r})"

    def __str__(self) -> str:
        return self.name

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("dtype objects are immutable")


_SCALAR_TYPES: dict[str, type] = {}


def scalar_type(name: str) -> type:
    """A class standing for ``numpy.<name>`` (``fnp.float64``): usable as a dtype argument,
    and callable like numpy's scalar types (``fnp.float32(1.5)`` gives a Python number)."""
    if name not in _SCALAR_TYPES:
        kind = _INFO[name][2]
        base = {"b": bool, "i": int, "u": int, "f": float, "c": complex}[kind]

        def new(cls: type, value: Any = 0) -> Any:
            return bool(value) if base is bool else base(value)

        _SCALAR_TYPES[name] = type(
            "bool_" if name == "bool" else name,
            (),
            {"_flopscope_dtype": name, "__new__": new, "__module__": "flopscope.numpy"},
        )
    return _SCALAR_TYPES[name]


# -- bytes <-> Python values ---------------------------------------------------------------


def to_list(data: bytes, name: str, shape: tuple[int, ...]) -> Any:
    """Nested Python lists (``tolist()``) from C-order little-endian bytes."""
    fmt, size, kind, _ = _INFO[name]
    count = len(data) // size
    if kind == "c":
        flat_parts = struct.unpack(f"<{2 * count}{fmt}", data)
        flat: list[Any] = [
            complex(flat_parts[i], flat_parts[i + 1]) for i in range(0, 2 * count, 2)
        ]
    else:
        flat = list(struct.unpack(f"<{count}{fmt}", data))
    return _nest(flat, shape)


def _nest(flat: list[Any], shape: tuple[int, ...]) -> Any:
    if not shape:
        return flat[0]
    if len(shape) == 1:
        return flat
    step = len(flat) // shape[0] if shape[0] else 0
    return [_nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def from_values(values: list[Any], name: str) -> bytes:
    """Little-endian bytes of a flat list of Python numbers in dtype ``name``."""
    fmt, _, kind, _ = _INFO[name]
    if kind == "c":
        parts: list[float] = []
        for v in values:
            c = complex(v)
            parts.extend((c.real, c.imag))
        return struct.pack(f"<{len(parts)}{fmt}", *parts)
    return struct.pack(f"<{len(values)}{fmt}", *values)
