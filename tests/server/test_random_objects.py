"""``fnp.random.RandomState(seed)`` served remotely: the constructor allow-list of
``flopscope.server.calls`` and the counted methods of the opaque handle it returns.

Costs are compared with the same calls in-process (exact integers), draws with numpy's own
``np.random.RandomState``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgpack
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.server import calls
from flopscope.server.codec import ProtocolError
from tests.server.conftest import TOKEN
from tests.server.wire import Raw, T, number

RS = "random.RandomState"


def _rs(c: Raw, *args: Any, **kwargs: Any) -> msgpack.ExtType:
    return c.ok("RandomState", *args, module="random", **kwargs)


def _in_process(fn: Callable[[], Any]) -> tuple[int, Any]:
    with flops.BudgetContext(flop_budget=10**12, quiet=True) as b:
        out = fn()
    return b.flops_used, out


# -- the allow-list ------------------------------------------------------------------------


def test_the_allow_list_names_classes_with_counted_method_rows() -> None:
    from flopscope.ops import all_ops

    assert set(calls.CONSTRUCTORS) == {("random", "RandomState")}
    for module, name in calls.CONSTRUCTORS:
        rows = [op for op in all_ops() if op.module == f"{module}.{name}"]
        assert len([op for op in rows if op.counted]) >= 40, (module, name)


def test_resolve_gives_the_constructor_without_a_row() -> None:
    op, fn = calls.resolve("RandomState", "random", None, calls.RandomRows(0), calls.ErrorState())
    assert op is None
    a, b = fn(3), fn(3)
    assert type(a) is fnp.random.RandomState and a is not b
    assert (
        a.randint(0, 1000, size=4).tolist() == np.random.RandomState(3).randint(0, 1000, 4).tolist()
    )


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("Generator", "random"),
        ("SeedSequence", "random"),
        ("MT19937", "random"),
        ("RandomState", ""),
        ("RandomState", "random.RandomState"),
        ("RandomState", "numpy.random"),
        ("randomstate", "random"),
        ("RandomState.__init__", "random"),
        ("__class__", "random.RandomState"),
    ],
)
def test_only_listed_constructors_resolve(c: Raw, name: str, module: str) -> None:
    with pytest.raises(ProtocolError):
        calls.resolve(name, module, None, calls.RandomRows(0), calls.ErrorState())
    r = c.call(name, 0, module=module)
    assert r["error"]["type"] == "ProtocolError", r
    assert r["budget"]["used"] == 0
    assert number(c.put(np.zeros(1))) == 1  # no handle was made


# -- construction --------------------------------------------------------------------------


def test_construction_is_free_unlogged_and_gives_an_opaque_handle(c: Raw) -> None:
    r = c.call("RandomState", 0, module="random")
    assert r["ok"] and r["shapes"] == {str(number(r["result"])): [None, "RandomState"]}
    assert r["budget"]["used"] == 0
    assert c.req("summary")["result"]["operations"] == {}
    err = c.req("get", handle=r["result"])
    assert err["error"]["type"] == "TypeError"  # an object, not an array
    cost, _ = _in_process(lambda: fnp.random.RandomState(0))
    assert cost == 0


@pytest.mark.parametrize(
    "seed",
    [0, 2**32 - 1, None, [1, 2, 3], T(4, 5), True],
    ids=["0", "max", "None", "list", "tuple", "bool"],
)
def test_seeds_numpy_accepts(c: Raw, seed: Any) -> None:
    h = _rs(c, seed)
    got = c.get(c.ok("randint", h, 0, 2**31, module=RS, size=T(5)))
    if seed is None:
        assert got.shape == (5,)  # fresh entropy: nothing to compare with
        return
    local = tuple(msgpack.unpackb(seed.data)) if isinstance(seed, msgpack.ExtType) else seed
    assert got.tolist() == np.random.RandomState(local).randint(0, 2**31, size=5).tolist()


def test_seed_from_an_uploaded_array_and_by_keyword(c: Raw) -> None:
    key = np.array([7, 11, 13], dtype=np.uint32)
    for h in (_rs(c, c.put(key)), _rs(c, seed=c.put(key))):
        got = c.get(c.ok("random_sample", h, module=RS, size=T(4)))
        np.testing.assert_array_equal(got, np.random.RandomState(key).random_sample(4))


@pytest.mark.parametrize("seed", [1.5, -1, 2**32, "abc", [1.0, 2.0], {"a": 1}])
def test_bad_seeds_raise_numpys_errors(c: Raw, seed: Any) -> None:
    with pytest.raises(Exception) as native:
        np.random.RandomState(seed)
    r = c.call("RandomState", seed, module="random")
    assert r["error"] == {"type": type(native.value).__name__, "message": str(native.value)}
    assert r["budget"]["used"] == 0


def test_wrong_arguments_raise_numpys_type_errors(c: Raw) -> None:
    assert c.call("RandomState", 0, 1, module="random")["error"]["type"] == "TypeError"
    assert c.call("RandomState", module="random", sead=0)["error"]["type"] == "TypeError"
    g = c.ok("default_rng", 0, module="random")  # a server object is no seed, as in-process
    with pytest.raises(Exception) as native:
        fnp.random.RandomState(fnp.random.default_rng(0))
    assert c.call("RandomState", g, module="random")["error"]["type"] == type(native.value).__name__
    # two arguments are not an index: no indexing size bound may answer MemoryError first
    a = c.put(np.ones(3))
    assert c.call("RandomState", a, [0] * 1_200_000, module="random")["error"]["type"] == (
        "TypeError"
    )


# -- counted methods -------------------------------------------------------------------------

#: (method, remote args, local args, kwargs) with a fixed seed; costs compared in-process
METHODS: list[tuple[str, tuple, tuple, dict]] = [
    ("beta", (2.0, 3.0), (2.0, 3.0), {"size": (3, 4)}),
    ("normal", (), (), {"size": 5}),
    ("randn", (3, 4), (3, 4), {}),
    ("rand", (), (), {}),
    ("randint", (0, 10), (0, 10), {"size": (2, 3)}),
    ("binomial", (10, 0.5), (10, 0.5), {"size": 7}),
    ("choice", (12,), (12,), {"size": 5, "replace": False}),
    ("permutation", (9,), (9,), {}),
    ("dirichlet", ([1.0, 2.0, 3.0],), ([1.0, 2.0, 3.0],), {"size": 4}),
    ("multinomial", (10, [0.2, 0.3, 0.5]), (10, [0.2, 0.3, 0.5]), {"size": 2}),
    ("standard_t", (3.0,), (3.0,), {"size": (2, 2)}),
    ("bytes", (12,), (12,), {}),
]


def _wire(x: Any) -> Any:
    return T(*x) if isinstance(x, tuple) else x


@pytest.mark.parametrize(
    ("method", "rargs", "largs", "kwargs"), METHODS, ids=[m[0] for m in METHODS]
)
def test_methods_bill_and_draw_like_in_process(
    c: Raw, method: str, rargs: tuple, largs: tuple, kwargs: dict
) -> None:
    h = _rs(c, 42)
    before = c.used()
    r = c.call(method, h, *rargs, module=RS, **{k: _wire(v) for k, v in kwargs.items()})
    assert r["ok"], r
    cost, want = _in_process(lambda: getattr(fnp.random.RandomState(42), method)(*largs, **kwargs))
    assert r["budget"]["used"] - before == cost > 0
    got = c.get(r["result"]) if isinstance(r["result"], msgpack.ExtType) else r["result"]
    plain = getattr(np.random.RandomState(42), method)(*largs, **kwargs)
    assert np.asarray(got).tolist() == np.asarray(want).tolist() == np.asarray(plain).tolist()
    ops = c.req("summary")["result"]["operations"]
    assert ops[f"random.RandomState.{method}"]["calls"] == 1


def test_exact_costs_and_the_ledger(c: Raw) -> None:
    h = _rs(c, 0)
    c.ok("beta", h, 2.0, 3.0, module=RS, size=T(3, 4))  # 12 draws × 16
    c.ok("uniform", h, module=RS, size=5)  # 5 draws × 1
    c.ok("multivariate_normal", h, c.put(np.zeros(3)), c.put(np.eye(3)), module=RS, size=4)
    ops = c.req("summary")["result"]["operations"]
    got = {k: (v["flop_cost"], v["calls"]) for k, v in ops.items()}
    assert got == {
        "random.RandomState.beta": (192, 1),
        "random.RandomState.uniform": (5, 1),
        "random.RandomState.multivariate_normal": (
            _in_process(
                lambda: fnp.random.RandomState(0).multivariate_normal(np.zeros(3), np.eye(3), 4)
            )[0],
            1,
        ),
    }
    assert c.used() == sum(cost for cost, _ in got.values())


def test_seed_get_state_and_set_state_are_free(c: Raw) -> None:
    h = _rs(c, 1)
    state = c.ok("get_state", h, module=RS)
    first = c.get(c.ok("rand", h, 3, module=RS))
    assert c.ok("set_state", h, state, module=RS) is None
    np.testing.assert_array_equal(c.get(c.ok("rand", h, 3, module=RS)), first)
    assert c.ok("seed", h, 9, module=RS) is None
    np.testing.assert_array_equal(
        c.get(c.ok("rand", h, 3, module=RS)), np.random.RandomState(9).rand(3)
    )
    assert c.used() == 9  # three draws of three; the helpers are free and unlogged
    ops = c.req("summary")["result"]["operations"]
    assert {k: (v["flop_cost"], v["calls"]) for k, v in ops.items()} == {
        "random.RandomState.rand": (9, 3)
    }


def test_methods_on_a_freed_or_foreign_handle_fail(proc_url: str) -> None:
    a, b = Raw(proc_url), Raw(proc_url)
    h = _rs(a, 0)
    err = b.call("rand", h, module=RS)
    assert err["error"] == {"type": "ProtocolError", "message": f"unknown handle {number(h)}"}
    assert a.req("free", handles=[h])["ok"]
    assert a.call("rand", h, module=RS)["error"]["type"] == "ProtocolError"
    arr = a.put(np.zeros(2))  # a method of another class's row rejects an array owner
    assert a.call("rand", arr, 2, module=RS)["error"]["type"] in ("TypeError", "AttributeError")
    assert a.used() == 0 and b.used() == 0
    a.close()
    b.close()


# -- streams -------------------------------------------------------------------------------


def test_streams_are_independent_of_sessions_and_of_the_module_stream(proc_url: str) -> None:
    a, b = Raw(proc_url), Raw(proc_url)
    want = np.random.RandomState(0).standard_normal(8)
    ha, hb = _rs(a, 0), _rs(b, 0)
    a.ok("seed", 0, module="random")  # the session's module-level stream
    a.ok("standard_normal", module="random", size=10)
    xa = a.get(a.ok("standard_normal", ha, module=RS, size=3))
    xb = b.get(b.ok("standard_normal", hb, module=RS, size=8))
    np.testing.assert_array_equal(xb, want)
    np.testing.assert_array_equal(xa, want[:3])
    ha2 = _rs(a, 0)  # a second one in the same session starts afresh
    np.testing.assert_array_equal(a.get(a.ok("standard_normal", ha2, module=RS, size=2)), want[:2])
    np.testing.assert_array_equal(a.get(a.ok("standard_normal", ha, module=RS, size=5)), want[3:])
    module_draw = a.get(a.ok("standard_normal", module="random", size=2))
    np.testing.assert_array_equal(module_draw, np.random.RandomState(0).standard_normal(12)[10:])
    a.close()
    b.close()


def test_a_refused_method_call_does_not_move_the_stream(c: Raw) -> None:
    assert c.req("admin", token=TOKEN, action="open", budget=100)["ok"]
    h = _rs(c, 5)
    refused = c.call("beta", h, 2.0, 3.0, module=RS, size=10)  # 10 draws × 16 > 100
    assert refused["error"]["type"] == "BudgetExhaustedError"
    assert refused["budget"] == {"used": 0, "limit": 100, "remaining": 100}
    got = c.get(c.ok("beta", h, 2.0, 3.0, module=RS, size=3))
    np.testing.assert_array_equal(got, np.random.RandomState(5).beta(2.0, 3.0, size=3))
    assert c.req("summary")["result"]["operations"]["random.RandomState.beta"]["calls"] == 1
    assert c.used() == 48


def test_construction_needs_an_open_budget_like_every_call(proc_url: str) -> None:
    c = Raw(proc_url)
    assert c.req("admin", token=TOKEN, action="close")["ok"]
    r = c.call("RandomState", 0, module="random")
    assert r["error"]["type"] == "NoBudgetContextError"
    c.close()


def test_constructed_objects_count_against_the_handle_cap(proc_url: str) -> None:
    c = Raw(proc_url)
    held = [_rs(c, i) for i in range(200)]  # the fixture's cap is 200 handles
    assert c.call("RandomState", 0, module="random")["error"]["type"] == "MemoryError"
    assert c.req("free", handles=[held[0]])["ok"]
    assert number(_rs(c, 0)) == 201
    c.close()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 20), lam=st.floats(0.5, 50.0))
def test_any_seed_draws_and_bills_like_numpy(proc_url: str, seed: int, n: int, lam: float) -> None:
    c = Raw(proc_url)
    try:
        r = c.call("poisson", _rs(c, seed), lam, module=RS, size=n)
        cost, want = _in_process(lambda: fnp.random.RandomState(seed).poisson(lam, size=n))
        assert r["budget"]["used"] == cost
        np.testing.assert_array_equal(c.get(r["result"]), want)
        np.testing.assert_array_equal(want, np.random.RandomState(seed).poisson(lam, size=n))
    finally:
        c.close()
