"""Values on the wire (protocol v1): msgpack with extension types, arrays in side buffers.

Encoding turns client objects into msgpack: proxies become handle exts, tuples ext 6,
slices ext 4, ``...`` ext 5, complex numbers ext 3, dtypes ext 7 and local byte arrays
(:class:`LocalArray`) ext 2 with their bytes appended to the message's buffer list.
Decoding does the reverse; handles come back as :class:`Handle` and are turned into proxies
by the connection (which has the reply's ``shapes`` metadata).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgpack

from ._dtype import canonical, dtype

HANDLE, ARRAY, COMPLEX, SLICE, ELLIPSIS, TUPLE, DTYPE = 1, 2, 3, 4, 5, 6, 7


@dataclass(frozen=True)
class Handle:
    """A server handle number as decoded from a reply (before it becomes a proxy)."""

    number: int


@dataclass(frozen=True)
class LocalArray:
    """Array bytes held by the client: C order, little-endian, ``dtype`` a protocol name."""

    data: bytes
    dtype: str
    shape: tuple[int, ...]


# packs a plain int in one C call (no Python callback, so the GIL makes it thread-safe);
# ``msgpack.packb`` builds a Packer per call, 5× slower, on every handle sent
_pack_int = msgpack.Packer().pack


def _packb(obj: Any, default: Any) -> bytes:
    return msgpack.packb(obj, use_bin_type=True, strict_types=True, default=default)


class Encoder:
    """One message's encoder: collects the side buffers its array values reference."""

    def __init__(self) -> None:
        self.buffers: list[bytes] = []

    def default(self, obj: Any) -> Any:
        handle = getattr(obj, "_flopscope_handle", None)
        if handle is not None:
            return msgpack.ExtType(HANDLE, _pack_int(handle()))
        if isinstance(obj, tuple):
            return msgpack.ExtType(TUPLE, _packb(list(obj), self.default))
        if isinstance(obj, bool):  # strict_types: bool subclasses never reach here, but be safe
            return bool(obj)
        if isinstance(obj, int):  # IntEnum and other int subclasses
            return int(obj)
        if isinstance(obj, float):
            return float(obj)
        if isinstance(obj, str):
            return str(obj)
        if isinstance(obj, list):
            return list(obj)
        if isinstance(obj, dict):
            return dict(obj)
        if isinstance(obj, complex):
            return msgpack.ExtType(COMPLEX, msgpack.packb([obj.real, obj.imag]))
        if isinstance(obj, slice):
            parts = [_index_or_none(p) for p in (obj.start, obj.stop, obj.step)]
            return msgpack.ExtType(SLICE, _packb(parts, self.default))
        if obj is Ellipsis:
            return msgpack.ExtType(ELLIPSIS, b"")
        if isinstance(obj, LocalArray):
            self.buffers.append(obj.data)
            payload = [obj.dtype, list(obj.shape), len(self.buffers) - 1]
            return msgpack.ExtType(ARRAY, msgpack.packb(payload))
        if isinstance(obj, dtype) or getattr(obj, "_flopscope_dtype", None):
            return msgpack.ExtType(DTYPE, msgpack.packb(canonical(obj)))
        if obj is int or obj is float or obj is complex or obj is bool:
            return msgpack.ExtType(DTYPE, msgpack.packb(canonical(obj)))
        index = getattr(type(obj), "__index__", None)
        if index is not None:  # integer-like objects (numpy ints are not here: no numpy)
            return int(index(obj))
        raise TypeError(f"flopscope-client cannot send a {type(obj).__name__} to the server")

    def pack(self, obj: Any) -> bytes:
        return _packb(obj, self.default)


def _index_or_none(x: Any) -> Any:
    if x is None or isinstance(x, int):
        return x
    handle = getattr(x, "_flopscope_handle", None)
    if handle is not None:  # a 0-d remote integer used in a slice: numpy calls __index__
        return x.__index__()
    return x


def encode(header: dict[str, Any]) -> list[bytes]:
    """The frames ``[header, *buffers]`` of one request."""
    enc = Encoder()
    head = enc.pack(header)
    return [head, *enc.buffers]


def decode(frames: list[bytes]) -> dict[str, Any]:
    """A reply's header with ext values decoded (arrays as :class:`LocalArray`)."""
    buffers = frames[1:]

    def ext_hook(code: int, data: bytes) -> Any:
        if code == HANDLE:
            return Handle(int(msgpack.unpackb(data)))
        if code == TUPLE:
            return tuple(msgpack.unpackb(data, raw=False, ext_hook=ext_hook))
        if code == ARRAY:
            name, shape, index = msgpack.unpackb(data, raw=False)
            return LocalArray(bytes(buffers[index]), canonical(name), tuple(shape))
        if code == COMPLEX:
            re, im = msgpack.unpackb(data)
            return complex(re, im)
        if code == SLICE:
            return slice(*msgpack.unpackb(data, raw=False, ext_hook=ext_hook))
        if code == ELLIPSIS:
            return Ellipsis
        if code == DTYPE:
            return dtype(msgpack.unpackb(data, raw=False))
        return msgpack.ExtType(code, data)

    header = msgpack.unpackb(frames[0], raw=False, strict_map_key=False, ext_hook=ext_hook)
    if not isinstance(header, dict):
        raise TypeError("reply header is not a map")
    return header
