"""Fuzzing the wire: 10^4 hostile messages never crash the server, never change a budget
except through a priced op, and never touch another session."""

from __future__ import annotations

import random

import msgpack
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flopscope.server import Server
from tests.server.wire import A, H, Raw, T, number

OPS = [
    "add", "multiply", "sum", "mean", "einsum", "matmul", "zeros", "ones", "arange", "reshape",
    "transpose", "__getitem__", "__setitem__", "sqrt", "maximum", "sort", "where", "concatenate",
    "randn", "normal", "inv", "fft", "fromfile", "seterr", "astype", "full", "linspace", "cumsum",
]  # fmt: skip
KEYS = [
    "v", "id", "kind", "op", "module", "args", "kwargs", "value", "handle", "handles", "token",
    "action", "protocol", "client", "ufunc", "by_namespace", "cost_model", "session", "budget",
]  # fmt: skip
KINDS = ["hello", "call", "put", "get", "free", "summary", "admin", "bye", ""]
MODULES = ["", "linalg", "fft", "random", "random.Generator", "ufunc", "nope"]

small_ints = st.integers(-3, 8)
scalars = st.one_of(
    st.none(), st.booleans(), small_ints, st.integers(-(2**63), 2**64 - 1),
    st.floats(allow_nan=True), st.text(max_size=6), st.sampled_from(["O", "U8", "ij,j->i", "1"]),
    st.binary(max_size=6),
)  # fmt: skip


def _ext(children: st.SearchStrategy) -> st.SearchStrategy:
    payload = st.one_of(
        st.binary(max_size=12),
        st.builds(lambda x: msgpack.packb(x, use_bin_type=True), st.one_of(small_ints, scalars)),
        st.builds(
            lambda d, s, i: msgpack.packb([d, s, i]),
            st.sampled_from(["float64", "int8", "object", "V8", "bool", 3]),
            st.lists(st.integers(-2, 4), max_size=3),
            st.integers(-1, 3),
        ),
    )
    return st.builds(msgpack.ExtType, st.integers(0, 10), payload)


values = st.recursive(
    st.one_of(scalars, _ext(None)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS + ["axis", "out", "dtype"]), inner, max_size=3),
    ),
    max_leaves=8,
)


#: arguments a well-formed call may get (handles 1 and 2 exist in the fuzzing session)
plausible = st.one_of(
    st.integers(-2, 4),
    st.floats(-3, 3),
    st.sampled_from([H(1), H(2), H(3), T(0), T(1, 2), None]),
    st.lists(st.floats(-3, 3), min_size=1, max_size=3),
)


@st.composite
def messages(draw: st.DrawFn) -> list[bytes]:
    if draw(st.booleans()):  # a well-formed call: priced ops and numpy's own errors
        call = {
            "v": 1,
            "id": draw(st.integers(0, 2**31)),
            "kind": "call",
            "op": draw(st.sampled_from(OPS)),
            "args": draw(st.lists(plausible, max_size=3)),
        }
        if draw(st.booleans()):
            call["kwargs"] = {"axis": draw(st.one_of(st.none(), st.integers(-1, 1)))}
        return [msgpack.packb(call, use_bin_type=True)]
    header: dict = {}
    if draw(st.booleans()):
        header.update({"v": 1, "id": draw(st.integers(0, 2**40))})
    header["kind"] = draw(st.one_of(st.sampled_from(KINDS), scalars))
    if draw(st.booleans()):
        header["op"] = draw(st.one_of(st.sampled_from(OPS), scalars))
        header["module"] = draw(st.one_of(st.sampled_from(MODULES), scalars))
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=4)):
        header[key] = draw(values)
    if draw(st.booleans()):
        header["args"] = draw(st.lists(values, max_size=4))
    raw = msgpack.packb(header, use_bin_type=True)
    shape = draw(st.sampled_from(["whole", "truncated", "garbage", "not-a-map"]))
    if shape == "truncated":
        raw = raw[: draw(st.integers(0, max(0, len(raw) - 1)))]
    elif shape == "garbage":
        raw = draw(st.binary(max_size=40))
    elif shape == "not-a-map":
        raw = msgpack.packb(draw(values), use_bin_type=True)
    buffers = draw(st.lists(st.binary(max_size=24), max_size=2))
    return [raw, *buffers]


def variants(frames: list[bytes], other: list[bytes], seed: int) -> list[list[bytes]]:
    """Ten messages from one structure: as drawn, truncated, bit-flipped, spliced."""
    rnd = random.Random(seed)
    raw, rest = frames[0], frames[1:]
    out = [frames]
    out += [[raw[: len(raw) * k // 4], *rest] for k in (1, 2, 3)]
    for _ in range(3):
        flipped = bytearray(raw or b"\0")
        flipped[rnd.randrange(len(flipped))] ^= 1 << rnd.randrange(8)
        out.append([bytes(flipped), *rest])
    out.append([raw, raw, *rest])  # the header again as a buffer
    out.append([raw + other[0], *other[1:]])  # two headers glued together
    out.append([raw + b"\xc0", *rest])  # trailing data
    return out


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=st.lists(messages(), min_size=10, max_size=10), seed=st.integers(0, 2**32))
def _fuzz(fuzzer: Raw, batch: list[list[bytes]], seed: int, log: list[int]) -> None:
    used = fuzzer.used()
    for i, structure in enumerate(batch):
        for frames in variants(structure, batch[i - 1], seed + i):
            reply = fuzzer.raw(*frames)
            log[0] += 1
            assert set(reply) >= {"v", "id", "ok", "budget"}, reply
            now = reply["budget"]["used"]
            if not reply["ok"]:
                assert set(reply["error"]) == {"type", "message"}
                assert now == used, (frames, reply)  # errors never move a budget
            elif now != used:
                assert now > used and reply.get("shapes") is not None, (frames, reply)
                log[1] += 1
            used = now


def test_fuzz_ten_thousand_messages(thread_server: Server) -> None:
    victim = Raw(thread_server.url)
    kept = victim.put(np.arange(4.0))
    victim.ok("multiply", kept, 3.0)
    fuzzer = Raw(thread_server.url)
    fuzzer.put(np.ones(3))  # handles 1 and 2 exist here too: lookalikes find only its own
    fuzzer.put(np.ones(2, dtype=np.int64))
    log = [0, 0]
    _fuzz(fuzzer, log=log)
    assert log[0] >= 10_000
    # the success path is exercised too (61 alone, 38 in the whole suite: Hypothesis also
    # draws literals of the imported modules, so the examples shift as the suite grows)
    assert log[1] >= 20
    summary = fuzzer.req("summary")
    total = sum(v["flop_cost"] for v in summary["result"]["operations"].values())
    assert total == summary["budget"]["used"]  # every FLOP charged is a recorded, priced op
    # the other session is untouched and the server still serves both
    assert victim.req("summary")["budget"]["used"] == 4
    assert victim.get(kept).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert number(victim.ok("add", kept, 1.0)) == 3
    assert fuzzer.ok("add", 1, 2) is not None
    ref = fuzzer.req("put", (b"\0" * 8,), value=A("float64", [1]))
    assert ref["ok"]
