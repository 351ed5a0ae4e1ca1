"""Wire values: every extension type decodes to what it names, and nothing else gets in."""

from __future__ import annotations

import msgpack
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flopscope.server import codec
from flopscope.server.codec import ArrayRef, Handle, ProtocolError, decode_header, encode, peek_id
from tests.server.wire import A, H, S, T


def _decode(value: object) -> object:
    return decode_header(msgpack.packb({"x": value}, use_bin_type=True))["x"]


def test_extension_types_decode() -> None:
    assert _decode(H(7)) == Handle(7)
    assert _decode(A("float32", [2, 3], 1)) == ArrayRef(np.dtype("<f4"), (2, 3), 1)
    assert _decode(A("float32", [2, 3], 1)).nbytes == 24
    assert _decode(msgpack.ExtType(3, msgpack.packb([1.5, -2]))) == complex(1.5, -2)
    assert _decode(S(1, None, -1)) == slice(1, None, -1)
    assert _decode(msgpack.ExtType(5, b"")) is Ellipsis
    assert _decode(T(1, T(2, S()), [3])) == (1, (2, slice(None)), [3])
    assert _decode(msgpack.ExtType(7, msgpack.packb("int16"))) == np.dtype("int16")
    assert _decode("1") == "1"  # a string is a string


@pytest.mark.parametrize(
    "bad",
    [
        msgpack.ExtType(1, msgpack.packb("1")),  # handle must be an int
        msgpack.ExtType(1, msgpack.packb(-1)),
        msgpack.ExtType(1, b"\xc1"),
        A("object", [1]),
        A("V8", [1]),
        A("<f8", [1]),
        A("float64", [-1]),
        A("float64", [1] * 65),
        msgpack.ExtType(2, msgpack.packb(["float64", [1]])),
        msgpack.ExtType(2, msgpack.packb(["float64", 3, 0])),
        msgpack.ExtType(3, msgpack.packb(["1", 2])),
        msgpack.ExtType(4, msgpack.packb([1.5, 2, 3])),
        msgpack.ExtType(4, msgpack.packb([1, 2])),
        msgpack.ExtType(6, msgpack.packb(3)),
        msgpack.ExtType(7, msgpack.packb("O")),
        msgpack.ExtType(8, b""),
        msgpack.ExtType(127, b""),
    ],
)
def test_bad_extensions_are_protocol_errors(bad: msgpack.ExtType) -> None:
    with pytest.raises(ProtocolError):
        _decode(bad)


@pytest.mark.parametrize(
    "frame", [b"", b"\xc1", b"\x93\x01", msgpack.packb([1]), msgpack.packb({1: 2})]
)
def test_headers_must_be_string_keyed_maps(frame: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_header(frame)


def test_peek_id_reads_what_it_can() -> None:
    assert peek_id(msgpack.packb({"id": 4, 1: 2})) == 4
    assert peek_id(msgpack.packb({"id": "4"})) is None
    assert peek_id(b"\xc1") is None


def test_encode_tuples_complex_dtypes_and_numpy_scalars() -> None:
    out = msgpack.unpackb(
        encode({"r": (1, np.int64(2), np.float32(0.5), 1 + 2j, np.dtype("int8"), np.float64)}),
        raw=False,
    )["r"]
    assert out.code == codec.EXT_TUPLE
    items = msgpack.unpackb(out.data, raw=False)
    assert items[:3] == [1, 2, 0.5]
    assert items[3] == msgpack.ExtType(3, msgpack.packb([1.0, 2.0]))
    assert items[4] == msgpack.ExtType(7, msgpack.packb("int8"))
    assert items[5] == msgpack.ExtType(7, msgpack.packb("float64"))
    with pytest.raises(TypeError):
        encode({"r": object()})


def test_dtype_allow_list() -> None:
    assert set(codec.DTYPES) == {
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "complex64", "complex128",
    }  # fmt: skip
    assert all(dt.byteorder in "<|=" for dt in codec.DTYPES.values())


@given(st.integers(0, 2**64 - 1))
def test_pack_uint_is_msgpacks_encoding(n: int) -> None:
    assert codec.pack_uint(n) == msgpack.packb(n)
    assert msgpack.unpackb(codec.handle_ext(n).data) == n


def test_encode_recovers_after_a_value_it_cannot_pack() -> None:
    # the per-thread Packer is reused: a failed pack must not leave bytes behind
    with pytest.raises(TypeError):
        encode({"x": object()})
    assert msgpack.unpackb(encode({"a": 1})) == {"a": 1}
