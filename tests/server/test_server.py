"""End to end against a real ``python -m flopscope.server`` process on loopback TCP."""

from __future__ import annotations

import msgpack
import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from tests import programs
from tests.programs import QUICKSTART_OPS
from tests.server.conftest import TOKEN
from tests.server.wire import QUICKSTART_FLOPS, A, H, Raw, S, T, number, quickstart


def test_hello_reports_protocol_capabilities_and_limits(proc_url: str) -> None:
    c = Raw(proc_url, greet=False)
    reply = c.req("hello", client="tests", protocol=[1])
    assert reply["ok"] and reply["protocol"] == 1
    assert reply["server"] == "flopscope 0.5.0"
    assert reply["capabilities"] == ["call", "put", "get", "free", "summary", "admin"]
    assert reply["ops"] > 500
    assert reply["limits"]["max_array_bytes"] == 8 << 20
    assert reply["limits"]["budget"] == 10**9
    assert reply["budget"] == {"used": 0, "limit": 10**9, "remaining": 10**9}


def test_version_mismatch_and_requests_before_hello_fail_clearly(proc_url: str) -> None:
    c = Raw(proc_url, greet=False)
    early = c.call("add", 1, 2)
    assert early["error"] == {"type": "ProtocolError", "message": "send 'hello' first"}
    bad = c.req("hello", client="future", protocol=[2, 3])
    assert bad["error"]["type"] == "ProtocolError"
    assert "client speaks protocol [2, 3], server speaks 1" in bad["error"]["message"]
    assert c.req("hello", client="tests", protocol=[1, 2])["ok"]
    assert c.call("add", 1, 2)["ok"]


def test_quickstart_bills_exactly_and_matches_in_process(c: Raw) -> None:
    h = quickstart(c)
    summary = c.req("summary")
    assert summary["budget"]["used"] == QUICKSTART_FLOPS
    ops = summary["result"]["operations"]
    assert {k: v["flop_cost"] for k, v in ops.items()} == QUICKSTART_OPS
    with flops.BudgetContext(10**8, quiet=True):
        x = programs.quickstart(fnp)
    np.testing.assert_array_equal(c.get(h), np.asarray(x))


def test_results_carry_shape_dtype_and_scalars(c: Raw) -> None:
    a = c.put(np.arange(6.0).reshape(2, 3))
    r = c.call("sum", a, axis=T(0, 1))
    assert r["shapes"][str(number(r["result"]))] == [[], "float64", 15.0]
    r = c.call("transpose", a)
    assert r["shapes"][str(number(r["result"]))] == [[3, 2], "float64"]
    assert r["budget"]["used"] == 5  # sum of 6 numbers: 5 adds; transpose is free
    r = c.call("shape", a)
    assert r["result"] == msgpack.ExtType(6, msgpack.packb([2, 3]))
    r = c.call("eigh", c.put(np.eye(2)), module="linalg")
    assert r["result"].code == 6 and len(r["shapes"]) == 2
    r = c.call("multiply", c.put(np.ones(1, "complex64")), 2)
    assert r["shapes"][str(number(r["result"]))] == [[1], "complex64"]


def test_indexing_get_and_set(c: Raw) -> None:
    a = c.put(np.arange(12, dtype=np.int64).reshape(3, 4))
    row = c.ok("__getitem__", a, T(1, S(None, None, 2)))
    assert c.get(row).tolist() == [4, 6]
    fancy = c.ok("__getitem__", a, [0, 2])
    assert c.get(fancy).tolist() == [[0, 1, 2, 3], [8, 9, 10, 11]]
    assert c.ok("__setitem__", a, T(0, msgpack.ExtType(5, b"")), -1) is None
    assert c.get(a)[0].tolist() == [-1, -1, -1, -1]
    err = c.call("__getitem__", a, T(5, 0))
    assert err["error"]["type"] == "IndexError"
    assert c.used() == 0  # indexing is free


def test_ufunc_methods_and_generators(c: Raw) -> None:
    a = c.put(np.arange(1.0, 5.0))
    r = c.req("call", op="reduce", module="ufunc", ufunc="subtract", args=[a])
    assert r["ok"] and r["shapes"][str(number(r["result"]))][2] == -8.0
    # the ufunc field only matters to module "ufunc"; elsewhere any value is ignored, and
    # one that cannot be a cache key is resolved without the per-session cache
    for ignored in ([1], {"a": 1}, 3):
        r = c.req("call", op="add", args=[1, 2], ufunc=ignored)
        assert r["ok"] and r["shapes"][str(number(r["result"]))][2] == 3, r
    g = c.ok("default_rng", 7, module="random")
    r = c.call("normal", g, 0.0, 1.0, module="random.Generator", size=T(3))
    expected = np.random.default_rng(7).normal(0.0, 1.0, size=3)
    np.testing.assert_array_equal(c.get(r["result"]), expected)


def test_errors_keep_numpy_class_names_and_do_not_charge(c: Raw) -> None:
    a = c.put(np.ones((2, 3)))
    b = c.put(np.ones((4, 5)))
    before = c.used()
    assert c.call("matmul", a, b)["error"]["type"] == "ValueError"
    assert c.call("sum", a, axis=7)["error"]["type"] == "AxisError"
    sing = c.put(np.zeros((2, 2)))
    assert c.call("inv", sing, module="linalg")["error"]["type"] == "LinAlgError"
    assert c.call("nope")["error"]["type"] == "ProtocolError"
    assert c.call("fromfile", "/etc/passwd")["error"]["type"] == "PermissionError"
    assert c.used() == before


def test_refused_op_costs_nothing_and_changes_nothing(c: Raw) -> None:
    assert c.req("admin", token=TOKEN, action="open", budget=1000)["ok"]
    c.ok("seed", 3, module="random")
    out = c.put(np.zeros(100))
    huge = c.call("randn", 100, module="random")  # 100 draws × 16 > 1000
    assert huge["error"]["type"] == "BudgetExhaustedError"
    assert huge["budget"] == {"used": 0, "limit": 1000, "remaining": 1000}
    assert c.call("add", out, 1.0, out=out)["ok"]  # 100 FLOPs fit
    assert c.call("multiply", out, 2.0, out=out)["ok"]
    assert (
        c.call("matmul", c.put(np.ones((10, 10))), c.put(np.ones((10, 10))))["error"]["type"]
        == "BudgetExhaustedError"
    )
    assert c.get(out).tolist() == [2.0] * 100  # (0 + 1) * 2; the refused matmul wrote nothing
    first = c.get(c.ok("randn", 3, module="random"))  # the refused draw did not move the stream
    np.testing.assert_array_equal(first, np.random.RandomState(3).randn(3))
    ops = c.req("summary")["result"]["operations"]
    assert {k: (v["flop_cost"], v["calls"]) for k, v in ops.items()} == {
        "add": (100, 1),
        "multiply": (100, 1),
        "random.randn": (48, 1),
    }


def test_sessions_have_their_own_handles_and_random_streams(proc_url: str) -> None:
    a, b = Raw(proc_url), Raw(proc_url)
    ha = a.put(np.full(3, 7.0))
    hb = b.put(np.full(3, 9.0))
    assert number(ha) == number(hb) == 1  # handle numbers are per session
    assert b.get(H(1)).tolist() == [9.0, 9.0, 9.0]
    assert a.get(H(1)).tolist() == [7.0, 7.0, 7.0]
    err = b.req("get", handle=H(number(a.put(np.zeros(1)))))
    assert err["error"] == {"type": "ProtocolError", "message": "unknown handle 2"}
    a.ok("seed", 5, module="random")
    b.ok("seed", 5, module="random")
    xa = a.get(a.ok("rand", 4, module="random"))
    b.ok("rand", 1, module="random")  # b's stream moves, a's does not
    xb = b.get(b.ok("rand", 3, module="random"))
    np.testing.assert_array_equal(xb, xa[1:])
    assert a.used() == 4 and b.used() == 4


def test_admin_needs_the_token(proc_url: str) -> None:
    c = Raw(proc_url)
    for action, extra in [
        ("open", {"budget": 10**12}),
        ("close", {}),
        ("reset", {}),
        ("limits", {"max_array_bytes": 10**12}),
        ("set_cost_model", {"cost_model": "mac"}),
        ("sessions", {}),
    ]:
        for token in ({}, {"token": "guess"}, {"token": 12}):
            r = c.req("admin", action=action, **extra, **token)
            assert r["error"]["type"] == "PermissionError", r
    c.ok("multiply", c.put(np.ones(10)), 2.0)
    assert c.req("summary")["budget"] == {"used": 10, "limit": 10**9, "remaining": 10**9 - 10}
    hello = c.req("hello", client="tests", protocol=[1])
    assert hello["limits"]["max_array_bytes"] == 8 << 20


def test_operator_controls_another_session(proc_url: str) -> None:
    operator = Raw(proc_url)
    # sessions of earlier tests may linger until the next reaping tick: find the new one
    before = set(operator.req("admin", token=TOKEN, action="sessions")["result"])
    player = Raw(proc_url)
    player.ok("multiply", player.put(np.ones(10)), 2.0)
    sessions = operator.req("admin", token=TOKEN, action="sessions")["result"]
    (key,) = set(sessions) - before
    assert sessions[key]["used"] == 10 and sessions[key]["handles"] == 2
    r = operator.req("admin", token=TOKEN, action="close", session=key)
    assert r["ok"] and r["result"]["flops_used"] == 10
    closed = player.call("add", 1, 2)
    assert closed["error"]["type"] == "NoBudgetContextError"
    assert closed["budget"] == {"used": 10, "limit": None, "remaining": None}
    operator.req("admin", token=TOKEN, action="open", session=key, budget=50)
    assert player.call("multiply", player.put(np.ones(60)), 2.0)["error"]["type"] == (
        "BudgetExhaustedError"
    )
    operator.req("admin", token=TOKEN, action="set_cost_model", session=key, cost_model="fma")
    a = player.put(np.ones((2, 3)))
    assert player.call("matmul", a, player.put(np.ones((3, 2))))["budget"]["used"] == 24
    operator.req("admin", token=TOKEN, action="reset", session=key)
    assert player.req("summary")["budget"] == {"used": 0, "limit": 50, "remaining": 50}
    r = operator.req("admin", token=TOKEN, action="limits", session=key, max_handles=3)
    assert r["result"]["max_handles"] == 3
    assert player.call("add", 1, 2)["error"]["type"] == "MemoryError"  # 4 handles held


def test_caps_refuse_before_allocating(c: Raw) -> None:
    big = c.call("zeros", T(1024, 1024, 2))  # 16 MiB > 8 MiB per array
    assert big["error"]["type"] == "MemoryError" and "exceeds the cap" in big["error"]["message"]
    up = c.req("put", (b"",), value=A("float64", [1 << 21]))
    assert up["error"]["type"] == "MemoryError"
    wrong = c.req("put", (b"\0" * 7,), value=A("float64", [1]))
    assert wrong["error"]["type"] == "ValueError"
    obj = c.req("put", (b"",), value=A("object", [1]))
    assert obj["error"]["type"] == "ProtocolError"
    assert c.call("zeros", 3, dtype="O")["error"]["type"] == "TypeError"
    assert c.call("array", [1, 2], "U8")["error"]["type"] == "TypeError"
    assert c.call("einsum", "a", c.put(np.ones(2)))["ok"]  # subscripts are not dtypes
    assert c.call("outer", c.put(np.ones(2048)), c.put(np.ones(2048)))["error"]["type"] == (
        "MemoryError"
    )
    assert c.used() == 0


def test_session_memory_is_counted_once_per_buffer_and_freed(c: Raw) -> None:
    a = c.put(np.ones(1 << 19))  # 4 MiB
    views = [c.ok("reshape", a, T(512, 1024)) for _ in range(10)]  # views: no new memory
    held = [c.put(np.ones(1 << 19)) for _ in range(7)]  # 8 × 4 MiB = the 32 MiB cap
    r = c.req("put", (np.ones(1 << 19).tobytes(),), value=A("float64", [1 << 19]))
    assert r["error"]["type"] == "MemoryError"
    assert "would hold 37,748,736 bytes (cap 33,554,432)" in r["error"]["message"]
    freed = c.req("free", handles=[a, *views, *held])
    assert freed["result"] == 18
    assert c.req("free", handles=[a])["result"] == 0  # freeing twice is harmless
    c.put(np.ones(1 << 19))


def test_malformed_frames_get_clear_errors_and_the_server_keeps_serving(c: Raw) -> None:
    def kind_of(reply: dict) -> str:
        return reply["error"]["type"]

    assert kind_of(c.raw(b"\xc1garbage")) == "ProtocolError"
    assert c.raw(b"\xc1")["id"] is None
    assert kind_of(c.raw(msgpack.packb([1, 2]))) == "ProtocolError"
    assert kind_of(c.raw(msgpack.packb({"v": 1, "kind": "call"}))) == "ProtocolError"
    assert c.raw(msgpack.packb({"v": 1, "id": 5, "kind": 3}))["id"] == 5
    assert kind_of(c.raw(msgpack.packb({"v": 2, "id": 5, "kind": "call"}))) == "ProtocolError"
    assert kind_of(c.raw(msgpack.packb({"v": 1, "id": 5, "kind": "zap"}))) == "ProtocolError"
    trunc = msgpack.packb({"v": 1, "id": 9, "kind": "call", "op": "add", "args": [1, 2]})[:-3]
    assert kind_of(c.raw(trunc)) == "ProtocolError"
    assert kind_of(c.call("add", "1", 2)) in ("TypeError", "UFuncTypeError")
    assert kind_of(c.req("get", handle="1")) == "ProtocolError"  # a string is never a handle
    assert kind_of(c.req("free", handles=["1"])) == "ProtocolError"
    assert kind_of(c.req("get", handle=H(99))) == "ProtocolError"
    assert kind_of(c.req("call", op=["add"], args=[])) == "ProtocolError"
    assert kind_of(c.req("call", op="add", args={"x": 1})) == "ProtocolError"
    assert kind_of(c.req("call", op="add", args=[b"\x01", 2])) == "ProtocolError"
    timestamp = msgpack.Timestamp(0)  # ext -1, which msgpack decodes by itself
    assert kind_of(c.req("call", op="array", args=[[timestamp]])) == "ProtocolError"
    ext9 = msgpack.ExtType(9, b"")
    assert kind_of(c.req("call", op="add", args=[ext9, 1])) == "ProtocolError"
    assert kind_of(c.req("call", op="add", args=[A("float64", [2], 3), 1])) == "ProtocolError"
    assert kind_of(c.req("put", (b"\0" * 16,), value=A("float64", [-2]))) == "ProtocolError"
    assert kind_of(c.req("put", (), value=A("<f8", [1]))) == "ProtocolError"
    assert kind_of(c.req("summary", cost_model="free")) == "ProtocolError"
    deep = 1
    for _ in range(3000):  # each level a nested C unpacker: this once overflowed the stack
        deep = T(deep)
    assert "nested deeper" in c.req("call", op="add", args=[deep, 1])["error"]["message"]
    assert kind_of(c.raw(b"\x91" * 100_000 + b"\x01")) == "ProtocolError"
    nested: list = [1]
    for _ in range(900):
        nested = [nested]
    assert not c.req("call", op="add", args=[nested, 1])["ok"]
    assert c.used() == 0
    assert c.ok("add", 1, 2) is not None  # still serving


def test_transfers_both_ways(c: Raw) -> None:
    for a in (
        np.arange(3.0),
        np.zeros((0, 3)),
        np.array([True, False]),
        np.array([1 + 2j], dtype=np.complex64),
        np.arange(6, dtype=np.uint16).reshape(2, 3),
        np.float32(2.5) * np.ones(()),
    ):
        back = c.get(c.put(a))
        assert back.dtype == a.dtype and back.shape == a.shape
        np.testing.assert_array_equal(back, a)
    t = c.ok("transpose", c.put(np.arange(6).reshape(2, 3)))
    assert c.get(t).tolist() == [[0, 3], [1, 4], [2, 5]]  # non-contiguous: sent in C order
    listed = c.req("put", value=[[1, 2], [3, 4]])
    assert listed["shapes"][str(number(listed["result"]))] == [[2, 2], "int64"]
    scalar = c.req("put", value=3.5)
    assert scalar["shapes"][str(number(scalar["result"]))] == [[], "float64", 3.5]
    assert c.req("put", value=["a"])["error"]["type"] == "TypeError"
    path = c.call("einsum_path", "ij,jk->ik", c.put(np.ones((2, 3))), c.put(np.ones((3, 2))))
    steps, report = msgpack.unpackb(path["result"].data, raw=False)
    assert steps == [msgpack.ExtType(6, msgpack.packb([0, 1]))]  # nested tuples stay tuples
    assert "Complete contraction" in report
    assert list(c.req("summary", by_namespace=True)["result"]["by_namespace"]) == ["None"]
    assert c.call("bytes", 4, module="random")["result"].__class__ is bytes
    r = c.call("sum", c.put(np.ones(3)), dtype="complex64")
    assert list(r["shapes"].values())[0][:2] == [[], "complex64"]


def test_error_state_is_per_session(proc_url: str) -> None:
    a, b = Raw(proc_url), Raw(proc_url)
    old = a.ok("seterr", all="raise")
    assert old == {"divide": "warn", "over": "warn", "under": "ignore", "invalid": "warn"}
    assert a.ok("geterr")["divide"] == "raise"
    zero = a.put(np.zeros(2))
    assert a.call("divide", 1.0, zero)["error"]["type"] == "FloatingPointError"
    assert b.ok("geterr")["divide"] == "warn"  # the other session is untouched
    assert b.call("divide", 1.0, b.put(np.zeros(2)))["ok"]
    assert a.call("seterr", divide="nonsense")["error"]["type"] == "ValueError"
    a.ok("seterr", **old)
    assert a.call("divide", 1.0, zero)["ok"]


@pytest.mark.parametrize(
    ("op", "module", "ufunc"),
    [
        ("configure", "", None),
        ("__class__", "", None),
        ("__init__", "", None),
        ("system", "os", None),
        ("add.__globals__", "", None),
        ("numpy.add", "", None),
        ("add", "numpy", None),
        ("reduce", "ufunc", "__class__"),
        ("__call__", "ufunc", "add"),
        ("reduce", "ufunc", "sum"),  # a row, but not a ufunc
        ("sum", "linalg", None),
    ],
)
def test_only_the_op_table_resolves_names(c: Raw, op: str, module: str, ufunc: str) -> None:
    r = c.req("call", op=op, module=module, ufunc=ufunc, args=[c.put(np.ones(2))])
    assert r["error"]["type"] == "ProtocolError", r
    assert r["budget"]["used"] == 0


def test_summary_repricing_is_display_only(c: Raw) -> None:
    c.ok("matmul", c.put(np.ones((2, 3))), c.put(np.ones((3, 2))))
    mac = c.req("summary", cost_model="mac")
    assert mac["result"]["flops_used"] == 12 and mac["budget"]["used"] == 20
    assert c.req("summary")["result"]["flops_used"] == 20


WRONG = [1.5, "x", [1], {"a": 1}, None, True, T(1), H(1)]
VALID = [
    *(("put", "value", v) for v in (1.5, [1], True, T(1), H(1))),  # array-likes, a handle
    ("get", "handle", H(1)),
    ("summary", "by_namespace", True),
    ("summary", "cost_model", None),  # the default
    ("hello", "protocol", [1]),
    ("admin", "session", None),  # the sender's own session
]


@pytest.mark.parametrize(
    ("kind", "field", "good"),
    [
        ("call", "op", {"args": [1, 2]}),
        ("call", "module", {"op": "add", "args": [1, 2]}),
        ("call", "args", {"op": "add"}),
        ("call", "kwargs", {"op": "add", "args": [1, 2]}),
        ("call", "ufunc", {"op": "reduce", "module": "ufunc", "args": [[1.0]]}),
        ("put", "value", {}),
        ("get", "handle", {}),
        ("free", "handles", {}),
        ("summary", "by_namespace", {}),
        ("summary", "cost_model", {}),
        ("hello", "protocol", {"client": "t"}),
        ("admin", "token", {"action": "sessions"}),
        ("admin", "action", {"token": TOKEN}),
        ("admin", "session", {"token": TOKEN, "action": "reset"}),
        ("admin", "budget", {"token": TOKEN, "action": "open"}),
    ],
)
def test_wrong_types_in_every_field(c: Raw, kind: str, field: str, good: dict) -> None:
    c.put(np.ones(2))  # handle 1 exists: a handle where a string belongs is still wrong
    before = c.req("summary")["budget"]
    for bad in WRONG:
        r = c.req(kind, **{**good, field: bad})
        if r["ok"]:  # the few values in WRONG that are right for this field
            assert (kind, field, bad) in VALID, (kind, field, bad)
            assert r["budget"] == before or (kind, field) == ("admin", "session")
            before = r["budget"]
            continue
        assert r["error"]["type"] in {
            "ProtocolError", "TypeError", "PermissionError", "ValueError", "MemoryError"
        }, r  # fmt: skip
        assert r["budget"] == before
    for field_name, bad in (("v", 2), ("v", "1"), ("id", "3"), ("id", 1.0), ("kind", 7)):
        header = {"v": 1, "id": 99, "kind": kind, **good, field_name: bad}
        r = c.raw(msgpack.packb(header, use_bin_type=True))
        assert r["error"]["type"] == "ProtocolError" and r["budget"] == before
    assert c.ok("add", 1, 2) is not None
