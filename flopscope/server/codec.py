"""Wire values of protocol v1 (docs/protocol.md): msgpack headers with extension types.

Decoding never touches session state: handles and uploaded arrays come out as the markers
:class:`Handle` and :class:`ArrayRef`, validated (allow-listed dtype, sane shape) but not yet
allocated, so that the caps can be checked before a single byte is copied.
"""

from __future__ import annotations

import math
import threading
from typing import Any, NamedTuple

import msgpack
import numpy as np

PROTOCOL = 1

EXT_HANDLE, EXT_ARRAY, EXT_COMPLEX, EXT_SLICE, EXT_ELLIPSIS, EXT_TUPLE, EXT_DTYPE = range(1, 8)

#: the only dtypes that travel or live on the server (no object, void, str, datetime)
DTYPES: dict[str, np.dtype] = {
    name: np.dtype(name).newbyteorder("<") if np.dtype(name).itemsize > 1 else np.dtype(name)
    for name in (
        "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 "
        "float16 float32 float64 complex64 complex128"
    ).split()
}
#: dtype kinds allowed in any argument or result
ALLOWED_KINDS = frozenset("biufc")
MAX_NDIM = 64  # numpy's own limit


class ProtocolError(Exception):
    """A request that does not follow the protocol (reported under this class name)."""


class Handle(NamedTuple):
    """A handle number as sent by the client (resolved against the session later)."""

    number: int


class ArrayRef(NamedTuple):
    """An uploaded array: dtype, shape and the index of the buffer holding its bytes."""

    dtype: np.dtype
    shape: tuple[int, ...]
    index: int

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


#: ext types nested in ext types: each level is a fresh C unpacker whose context lives on the
#: C stack (tens of KiB), so deep nesting would overflow the stack before Python's
#: recursion limit notices; real values nest a few levels (a slice in a tuple in a tuple)
MAX_EXT_DEPTH = 32
_depth = threading.local()


def _payload(data: bytes) -> Any:
    depth = getattr(_depth, "n", 0)
    if depth >= MAX_EXT_DEPTH:
        raise ProtocolError(f"extension types nested deeper than {MAX_EXT_DEPTH} levels")
    _depth.n = depth + 1
    try:
        return msgpack.unpackb(data, raw=False, strict_map_key=True, ext_hook=_ext_hook)
    finally:
        _depth.n = depth


def _int(x: Any, what: str) -> int:
    if type(x) is not int:
        raise ProtocolError(f"{what} must be an int, got {type(x).__name__}")
    return x


def _dtype(name: Any) -> np.dtype:
    if type(name) is not str or name not in DTYPES:
        raise ProtocolError(f"dtype {name!r} is not served (allowed: {', '.join(DTYPES)})")
    return DTYPES[name]


def _ext_hook(code: int, data: bytes) -> Any:
    if code == EXT_HANDLE:
        n = _int(_payload(data), "a handle")
        if n < 0:
            raise ProtocolError(f"unknown handle {n}")
        return Handle(n)
    if code == EXT_ARRAY:
        p = _payload(data)
        if type(p) is not list or len(p) != 3:
            raise ProtocolError("an array ext is [dtype_str, shape_list, buffer_index]")
        dt = _dtype(p[0])
        if type(p[1]) is not list or len(p[1]) > MAX_NDIM:
            raise ProtocolError("an array's shape must be a list of at most 64 ints")
        shape = tuple(_int(d, "a dimension") for d in p[1])
        if any(d < 0 for d in shape):
            raise ProtocolError("negative dimensions are not allowed")
        return ArrayRef(dt, shape, _int(p[2], "a buffer index"))
    if code == EXT_COMPLEX:
        p = _payload(data)
        if type(p) is not list or len(p) != 2 or not all(type(x) in (int, float) for x in p):
            raise ProtocolError("a complex ext is [real, imag]")
        return complex(p[0], p[1])
    if code == EXT_SLICE:
        p = _payload(data)
        if type(p) is not list or len(p) != 3:
            raise ProtocolError("a slice ext is [start, stop, step]")
        for x in p:
            if x is not None and type(x) is not int and not isinstance(x, Handle):
                raise ProtocolError("slice bounds must be ints or nil")
        return slice(*p)
    if code == EXT_ELLIPSIS:
        return Ellipsis
    if code == EXT_TUPLE:
        p = _payload(data)
        if type(p) is not list:
            raise ProtocolError("a tuple ext holds a list")
        return tuple(p)
    if code == EXT_DTYPE:
        return _dtype(_payload(data))
    raise ProtocolError(f"unknown ext type {code}")


def decode_header(frame: bytes) -> dict[str, Any]:
    """The request header as a dict (raises :class:`ProtocolError` for anything else)."""
    try:
        header = msgpack.unpackb(frame, raw=False, strict_map_key=True, ext_hook=_ext_hook)
    except ProtocolError:
        raise
    except Exception as exc:  # msgpack raises many types for garbage; all mean the same
        raise ProtocolError(f"header is not valid msgpack: {type(exc).__name__}") from None
    if type(header) is not dict:
        raise ProtocolError(f"header must be a map, got {type(header).__name__}")
    return header


def peek_id(frame: bytes) -> int | None:
    """Best-effort request id of a header that failed to decode (for the error reply)."""
    try:
        header = msgpack.unpackb(frame, raw=False, strict_map_key=False, ext_hook=_ignore_ext)
    except Exception:
        return None
    if type(header) is dict:
        rid = header.get("id")
        if type(rid) is int:
            return rid
    return None


def _ignore_ext(code: int, data: bytes) -> None:
    return None


# -- encoding ------------------------------------------------------------------------------


def ext(code: int, payload: Any) -> msgpack.ExtType:
    packed = msgpack.packb(payload, use_bin_type=True, strict_types=True, default=_default)
    return msgpack.ExtType(code, packed)


_new_ext = tuple.__new__


def pack_uint(n: int) -> bytes:
    """msgpack's encoding of ``n >= 0`` (``packb`` builds a Packer per call: 5× slower)."""
    if n < 0x80:
        return _FIXINT[n]
    if n < 0x10000:
        return (b"\xcc" + n.to_bytes(1, "big")) if n < 0x100 else (b"\xcd" + n.to_bytes(2, "big"))
    if n < 0x100000000:
        return b"\xce" + n.to_bytes(4, "big")
    return msgpack.packb(n)


_FIXINT = [bytes((i,)) for i in range(0x80)]


def handle_ext(number: int) -> msgpack.ExtType:
    # ExtType's validating constructor is Python code; the fields here are known good
    return _new_ext(msgpack.ExtType, (EXT_HANDLE, pack_uint(number)))


def _default(x: Any) -> Any:
    """What msgpack cannot pack by itself (tuples arrive here under ``strict_types``)."""
    if isinstance(x, tuple):
        return ext(EXT_TUPLE, list(x))
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    if isinstance(x, (complex, np.complexfloating)):
        return ext(EXT_COMPLEX, [float(x.real), float(x.imag)])
    if isinstance(x, str):
        return str(x)
    if isinstance(x, dict):
        return {str(k): v for k, v in x.items()}
    if isinstance(x, list):
        return list(x)
    if isinstance(x, slice):
        return ext(EXT_SLICE, [x.start, x.stop, x.step])
    if x is Ellipsis:
        return msgpack.ExtType(EXT_ELLIPSIS, b"")
    if isinstance(x, np.dtype) or (isinstance(x, type) and issubclass(x, np.generic)):
        return ext(EXT_DTYPE, np.dtype(x).name)
    raise TypeError(f"cannot send a {type(x).__name__}")


_PACKERS = threading.local()  # a Packer is not thread-safe; one per dispatcher/worker


def encode(header: dict[str, Any]) -> bytes:
    try:
        packer = _PACKERS.packer
    except AttributeError:
        packer = _PACKERS.packer = msgpack.Packer(
            use_bin_type=True, strict_types=True, default=_default
        )
    # ``_default`` packs nested exts with ``packb``, never with this packer (not reentrant);
    # ``pack`` resets the packer when it raises
    return packer.pack(header)


_NAMES: dict[np.dtype, str] = {}


def dtype_name(dt: np.dtype) -> str:
    """``dt.name`` (a Python-level property in numpy: cached, it is on every reply)."""
    name = _NAMES.get(dt)
    if name is None:
        name = _NAMES[dt] = dt.name
    return name


def scalar_value(a: np.ndarray) -> Any:
    """The Python value of a 0-d array, as it travels in ``shapes``."""
    v = a.item()
    if isinstance(v, complex):
        return ext(EXT_COMPLEX, [v.real, v.imag])
    return v
