"""Wire values (protocol v1) and byte conversions of the client, checked against numpy."""

from __future__ import annotations

import importlib

import msgpack
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import load_client

load_client()
codec = importlib.import_module("flopscope_client._codec")
dt = importlib.import_module("flopscope_client._dtype")
errors = importlib.import_module("flopscope_client.errors")


def _roundtrip(value):
    frames = codec.encode({"value": value})
    return codec.decode(frames)["value"], frames


def test_tuples_slices_ellipsis_complex_travel_as_exts() -> None:
    frames = codec.encode({"v": (1, (2, 3)), "s": slice(1, None, 2), "e": ..., "c": 1 + 2j})
    raw = msgpack.unpackb(frames[0], raw=False, ext_hook=lambda c, d: (c, d))
    assert raw["v"][0] == codec.TUPLE and raw["s"][0] == codec.SLICE
    assert raw["e"] == (codec.ELLIPSIS, b"") and raw["c"][0] == codec.COMPLEX
    back = codec.decode(frames)
    assert back == {"v": (1, (2, 3)), "s": slice(1, None, 2), "e": ..., "c": 1 + 2j}


def test_lists_stay_lists_and_strings_stay_strings() -> None:
    value, _ = _roundtrip([1, [2.5, "x"], None, True])
    assert value == [1, [2.5, "x"], None, True]
    assert type(value[3]) is bool


def test_arrays_go_in_side_buffers() -> None:
    a = codec.LocalArray(b"\x01\x00\x00\x00\x02\x00\x00\x00", "int32", (2,))
    frames = codec.encode({"args": [a, a]})
    assert frames[1:] == [a.data, a.data]
    back = codec.decode(frames)["args"]
    assert back[0] == a and back[1] == a


def test_dtypes_and_python_types_are_dtype_exts() -> None:
    frames = codec.encode({"a": dt.dtype("f4"), "b": float, "c": dt.scalar_type("uint8")})
    raw = msgpack.unpackb(frames[0], raw=False, ext_hook=lambda c, d: (c, msgpack.unpackb(d)))
    assert raw == {"a": (7, "float32"), "b": (7, "float64"), "c": (7, "uint8")}


def test_handles_from_proxies() -> None:
    class P:
        def _flopscope_handle(self):
            return 42

    frames = codec.encode({"h": P()})
    raw = msgpack.unpackb(frames[0], raw=False, ext_hook=lambda c, d: (c, msgpack.unpackb(d)))
    assert raw["h"] == (1, 42)
    assert codec.decode(frames)["h"] == codec.Handle(42)


def test_unsendable_values_raise_typeerror() -> None:
    with pytest.raises(TypeError, match="cannot send a set"):
        codec.encode({"x": {1, 2}})
    with pytest.raises(TypeError, match="cannot send a bytes"):
        codec.encode({"x": b"raw"}) if False else codec.Encoder().default(b"raw")


@pytest.mark.parametrize("name", dt.names())
@given(data=st.data())
def test_to_list_matches_numpy(name: str, data) -> None:
    shape = data.draw(st.lists(st.integers(0, 3), min_size=0, max_size=3).map(tuple))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    a = (
        (rng.standard_normal(shape) * 50).astype(name)
        if name != "bool"
        else rng.random(shape) > 0.5
    )
    if np.dtype(name).kind == "c":
        a = a + 1j * rng.standard_normal(shape).astype(name)
    a = np.ascontiguousarray(a, dtype=np.dtype(name).newbyteorder("<"))
    got = dt.to_list(a.tobytes(), name, a.shape)
    want = a.tolist()
    assert _same(got, want)


def _same(x, y) -> bool:
    if isinstance(x, list):
        return isinstance(y, list) and len(x) == len(y) and all(_same(a, b) for a, b in zip(x, y))
    if isinstance(x, float) and x != x:
        return y != y
    return type(x) is type(y) and x == y


def test_reply_errors_map_to_classes() -> None:
    e = errors.from_reply({"type": "BudgetExhaustedError", "message": "sum would cost 9"})
    assert type(e) is errors.BudgetExhaustedError and str(e) == "sum would cost 9"
    msg = "linalg.svd would cost 1,200 FLOPs but only 35 remain. See: https://x"
    e = errors.from_reply({"type": "BudgetExhaustedError", "message": msg})
    assert (e.op_name, e.flop_cost, e.flops_remaining) == ("linalg.svd", 1200, 35)
    msg = "matmul: wall-clock time 2.500s exceeds limit 2.000s. See: https://x"
    t = errors.from_reply({"type": "TimeExhaustedError", "message": msg})
    assert (t.op_name, t.elapsed_s, t.limit_s) == ("matmul", 2.5, 2.0)
    assert isinstance(t, errors.FlopscopeError)
    assert type(errors.from_reply({"type": "ValueError", "message": "m"})) is ValueError
    assert type(errors.from_reply({"type": "IndexError", "message": "m"})) is IndexError
    assert (
        type(errors.from_reply({"type": "ZeroDivisionError", "message": "m"})) is ZeroDivisionError
    )
    lin = errors.from_reply({"type": "LinAlgError", "message": "Singular matrix"})
    assert isinstance(lin, ValueError) and type(lin).__name__ == "LinAlgError"
    axis = errors.from_reply({"type": "AxisError", "message": "axis 3 is out of bounds"})
    assert isinstance(axis, ValueError) and isinstance(axis, IndexError)
    assert type(axis).__name__ == "AxisError"
    odd = errors.from_reply({"type": "WeirdServerError", "message": "m"})
    assert type(odd) is errors.RemoteError and odd.type_name == "WeirdServerError"
    assert type(errors.from_reply("garbage")) is errors.ProtocolError
    assert type(errors.from_reply({"type": "Exception", "message": "m"})) is Exception
