"""The client against a real server process: proxies, operators, indexing, transfers, errors.

Costs are compared with the same calls in-process (exact integers); values with numpy.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import threading
from typing import Any

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from tests.programs import QUICKSTART_CALLS, QUICKSTART_OPS, QUICKSTART_TOTAL, quickstart

from .conftest import CLIENT_SRC, Server, load_client


def _mods(pkg: Any) -> tuple[Any, Any]:
    return importlib.import_module(f"{pkg.__name__}.numpy"), importlib.import_module(
        f"{pkg.__name__}.client"
    )


def _used(pkg: Any) -> int:
    return int(pkg.budget_summary_dict()["flops_used"])


def _local(x: Any, cl: Any) -> np.ndarray:
    data, dtype, shape = cl.download(x)
    return np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<")).reshape(shape)


def _inprocess_cost(fn: Any) -> tuple[int, Any]:
    with flops.BudgetContext(flop_budget=10**15, quiet=True) as b:
        out = fn()
    return b.flops_used, out


# -- the quick start -------------------------------------------------------------------------


def test_quickstart_bills_the_documented_total(client: Any) -> None:
    cfnp, _ = _mods(client)
    h = quickstart(cfnp)
    summary = client.budget_summary_dict()
    assert summary["flops_used"] == QUICKSTART_TOTAL
    got = {k: (v["flop_cost"], v["calls"]) for k, v in summary["operations"].items()}
    assert got == {k: (v, QUICKSTART_CALLS[k]) for k, v in QUICKSTART_OPS.items()}
    x = quickstart(fnp)  # the same values as in-process
    _, cl = _mods(client)
    assert _local(h, cl).tobytes() == np.asarray(x).tobytes()


# -- metadata and conversions ------------------------------------------------------------------


def test_metadata_needs_no_round_trip(client: Any) -> None:
    cfnp, cl = _mods(client)
    a = cfnp.zeros((3, 4, 5), dtype="float32")
    conn = importlib.import_module(f"{client.__name__}._conn").connection()
    before = conn.requests
    assert a.shape == (3, 4, 5) and a.ndim == 3 and a.size == 60
    assert a.dtype == "float32" and a.dtype == cfnp.float32 and a.itemsize == 4
    assert a.nbytes == 240 and len(a) == 3
    assert isinstance(a, cfnp.ndarray) and isinstance(a, client.FlopscopeArray)
    s = cfnp.sum(a)
    after_sum = conn.requests
    assert float(s) == 0.0 and int(s) == 0 and bool(s) is False and complex(s) == 0j
    assert conn.requests == after_sum  # a 0-d result carries its value
    assert after_sum == before + 1


def test_scalar_conversions_and_their_errors(client: Any) -> None:
    cfnp, _ = _mods(client)
    a = cfnp.array([[1.5, 2.5], [3.5, 4.5]])
    assert float(a[1, 0]) == 3.5 and int(a[1, 1]) == 4
    assert a[0, 0].item() == 1.5 and a.item(3) == 4.5 and a.item(0, 1) == 2.5
    assert cfnp.array([7]).item() == 7 and float(cfnp.array([[2.0]]).sum()) == 2.0
    with pytest.raises(ValueError, match="ambiguous"):
        bool(a)
    with pytest.raises(TypeError, match="length-1"):
        float(a)
    with pytest.raises(TypeError, match="unsized"):
        len(a[0, 0])
    with pytest.raises(TypeError, match="0-d"):
        iter(a[0, 0])
    i = cfnp.array(3)
    assert [10, 20, 30, 40][i] == 40 and range(10)[i] == 3
    with pytest.raises(TypeError, match="integer scalar"):
        [1, 2][cfnp.array(1.0)]
    with pytest.raises(TypeError, match="unhashable"):
        hash(a)


def test_copies_are_server_copies_and_pickling_is_refused(client: Any) -> None:
    import copy
    import pickle

    cfnp, _ = _mods(client)
    a = cfnp.array([1.0, 2.0])
    for b in (copy.copy(a), copy.deepcopy(a)):
        assert b is not a and b._flopscope_handle() != a._flopscope_handle()
        b[0] = 9.0
        assert a.tolist() == [1.0, 2.0] and b.tolist() == [9.0, 2.0]
    with pytest.raises(TypeError, match="cannot pickle"):
        pickle.dumps(a)
    with pytest.raises(TypeError, match="cannot pickle"):
        pickle.dumps(cfnp.random.default_rng(0))


def test_tolist_repr_iteration(client: Any) -> None:
    cfnp, _ = _mods(client)
    a = cfnp.arange(6).reshape(2, 3)
    assert a.tolist() == [[0, 1, 2], [3, 4, 5]] and a.dtype == "int64"
    assert repr(a) == "array([[0, 1, 2], [3, 4, 5]])"
    assert repr(cfnp.ones(2, dtype="float32")) == "array([1.0, 1.0], dtype=float32)"
    assert str(a[1]) == "[3, 4, 5]" and f"{a[0, 1]:>3}" == "  1"
    assert [row.tolist() for row in a] == [[0, 1, 2], [3, 4, 5]]
    assert [int(v) for v in a[1]] == [3, 4, 5]
    b = cfnp.array([True, False])
    assert b.tolist() == [True, False] and b.dtype == "bool"
    c = cfnp.array([1 + 2j, 3.5j])
    assert c.tolist() == [1 + 2j, 3.5j] and c.dtype == "complex128"


@pytest.mark.parametrize(
    "dtype",
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 "
    "complex64 complex128".split(),
)
def test_bytes_travel_both_ways(client: Any, dtype: str) -> None:
    cfnp, cl = _mods(client)
    rng = np.random.default_rng(7)
    want = (rng.standard_normal((3, 5)) * 40).astype(dtype)
    want = np.ascontiguousarray(want, dtype=np.dtype(dtype).newbyteorder("<"))
    up = cl.upload(want.tobytes(), dtype, want.shape)
    assert up.shape == (3, 5) and up.dtype == dtype
    assert up.tobytes() == want.tobytes()
    assert up.tolist() == want.tolist() or dtype.startswith(("float", "complex"))
    got = cfnp.frombuffer(want.tobytes(), dtype=dtype).reshape(3, 5)
    assert got.tobytes() == want.tobytes() and got.shape == (3, 5)
    with pytest.raises(ValueError):
        cl.upload(want.tobytes()[:-1], dtype, want.shape)  # wrong length


def test_lists_and_scalars_become_arrays_like_in_process(client: Any) -> None:
    cfnp, cl = _mods(client)
    for value in ([[1, 2], [3, 4]], [1.5, 2], 3, 2.5, [True, False], [1j, 2]):
        before = _used(client)
        remote = cfnp.array(value)
        cost = _used(client) - before
        want_cost, want = _inprocess_cost(lambda v=value: fnp.array(v))
        assert cost == want_cost
        assert remote.dtype == np.asarray(want).dtype.name and remote.shape == np.shape(want)
        assert _local(remote, cl).tobytes() == np.asarray(want).tobytes()
    x = cfnp.asarray([1.0, 2.0])
    assert cfnp.add(x, 0, out=x) is x  # the server names the same object: the same proxy


# -- operators --------------------------------------------------------------------------------


def _dunders() -> list[tuple[str, str, str]]:
    pkg = load_client()
    names = importlib.import_module(f"{pkg.__name__}._names")
    return [(d, op, role) for d, (op, role) in sorted(names.dunders().items())]


_INTEGER_OPS = {"bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift", "invert"}


@pytest.mark.parametrize(("dunder", "op", "role"), _dunders())
def test_each_operator_bills_and_computes_like_in_process(
    client: Any, dunder: str, op: str, role: str
) -> None:
    cfnp, cl = _mods(client)
    if op in _INTEGER_OPS:
        x, y = np.arange(1, 13).reshape(3, 4), np.arange(4) % 3 + 1
    elif op == "matmul":
        x, y = np.linspace(0.1, 0.9, 12).reshape(3, 4), np.linspace(0.8, 0.2, 16).reshape(4, 4)
    else:
        x, y = np.linspace(0.1, 0.9, 12).reshape(3, 4), np.linspace(0.8, 0.2, 4)
    rx = cl.upload(np.ascontiguousarray(x).tobytes(), x.dtype.name, x.shape)
    ry = cl.upload(np.ascontiguousarray(y).tobytes(), y.dtype.name, y.shape)
    fx, fy = fnp.asarray(x.copy()), fnp.asarray(y.copy())

    def apply(a: Any, b: Any) -> Any:
        if role == "unary":
            return getattr(a, dunder)()
        if role == "inplace":
            return getattr(a, dunder)(b)
        return getattr(a, dunder)(b)

    if role == "reflected":  # ``x.__rop__(y)`` computes ``y op x``: give it sensible shapes
        rx, ry, fx, fy = ry, rx, fy, fx
    before = _used(client)
    remote = apply(rx, ry)
    cost = _used(client) - before
    want_cost, want = _inprocess_cost(lambda: apply(fx, fy))
    assert cost == want_cost
    if role == "inplace":
        assert remote is rx  # ``a += b`` keeps the object
        want = fx
    if isinstance(want, tuple):  # divmod
        assert len(remote) == len(want)
        for r, w in zip(remote, want):
            assert _local(r, cl).tobytes() == np.asarray(w).tobytes()
    else:
        assert _local(remote, cl).tobytes() == np.asarray(want).tobytes()


def test_reflected_operators_with_python_numbers(client: Any) -> None:
    cfnp, cl = _mods(client)
    a = cfnp.array([1.0, 2.0, 4.0])
    assert (2 - a).tolist() == [1.0, 0.0, -2.0]
    assert (1 / a).tolist() == [1.0, 0.5, 0.25]
    assert (2**a).tolist() == [2.0, 4.0, 16.0]
    assert ([1, 1, 1] + a).tolist() == [2.0, 3.0, 5.0]
    assert (-a).tolist() == [-1.0, -2.0, -4.0] and abs(-a).tolist() == a.tolist()
    assert (a == 2.0).tolist() == [False, True, False]
    assert (a != 2.0).tolist() == [True, False, True]
    with pytest.raises(TypeError):
        a + object()


def test_counted_methods_are_rows(client: Any) -> None:
    cfnp, cl = _mods(client)
    x = np.linspace(0.1, 0.9, 12).reshape(3, 4)
    rx = cl.upload(x.tobytes(), "float64", x.shape)
    fx = fnp.asarray(x.copy())
    for call in (
        lambda a: a.sum(axis=0),
        lambda a: a.mean(),
        lambda a: a.max(axis=1),
        lambda a: a.cumsum(),
        lambda a: a.std(),
        lambda a: a.argmax(),
        lambda a: a.dot(a.T),
        lambda a: a.round(1),
        lambda a: a.clip(0.2, 0.5),
        lambda a: a.trace(),
        lambda a: a.ravel(),
        lambda a: a.conj(),
        lambda a: a.reshape(4, 3).transpose(),
        lambda a: a.reshape((2, 6)).astype("float32"),
        lambda a: a.flatten(),
        lambda a: a.copy().squeeze(),
        lambda a: a.swapaxes(0, 1),
        lambda a: a.T,
        lambda a: a.real,
        lambda a: a.take([0, 2]),
        lambda a: a.compress([True, False, True], axis=0),
        lambda a: a.nonzero(),
    ):
        before = _used(client)
        remote = call(rx)
        cost = _used(client) - before
        want_cost, want = _inprocess_cost(lambda c=call: c(fx))
        assert cost == want_cost
        if isinstance(want, tuple):
            remote, want = remote[0], want[0]
        assert _local(remote, cl).tobytes() == np.asarray(want).tobytes()


def test_in_place_sort_bills_the_sort_row(client: Any) -> None:
    cfnp, cl = _mods(client)
    x = np.array([3.0, 1.0, 2.0, 0.5])
    r = cl.upload(x.tobytes(), "float64", x.shape)
    before = _used(client)
    assert r.sort() is None
    cost = _used(client) - before
    fx = fnp.asarray(x.copy())
    want_cost, _ = _inprocess_cost(lambda: fx.sort())
    assert cost == want_cost and r.tolist() == [0.5, 1.0, 2.0, 3.0]


# -- indexing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        1,
        -1,
        slice(1, None),
        slice(None, None, -1),
        (1, 2),
        (slice(None), 0),
        Ellipsis,
        (Ellipsis, 1),
        None,
        (None, 0),
        [0, 2],
        ([0, 1], [1, 2]),
        (),
    ],
    ids=repr,
)
def test_getitem_matches_numpy(client: Any, key: Any) -> None:
    cfnp, cl = _mods(client)
    x = np.arange(12.0).reshape(3, 4)
    r = cl.upload(x.tobytes(), "float64", x.shape)
    before = _used(client)
    got = r[key]
    assert _used(client) == before  # indexing is free, as in-process
    want = np.asarray(x[key])
    assert got.shape == want.shape and _local(got, cl).tobytes() == want.tobytes()


def test_membership_bills_equal_like_in_process(client: Any) -> None:
    cfnp, cl = _mods(client)
    x = np.arange(6.0).reshape(2, 3)
    r = cl.upload(x.tobytes(), "float64", x.shape)
    fx = fnp.asarray(x.copy())
    for value in (4.0, 7.0):
        before = _used(client)
        got = value in r
        cost = _used(client) - before
        want_cost, want = _inprocess_cost(lambda v=value: v in fx)
        assert (got, cost) == (want, want_cost)


def test_getitem_with_remote_masks_and_indices(client: Any) -> None:
    cfnp, cl = _mods(client)
    a = cfnp.arange(10.0)
    assert a[a > 6.5].tolist() == [7.0, 8.0, 9.0]
    idx = cfnp.array([3, 1])
    assert a[idx].tolist() == [3.0, 1.0]
    assert a[cfnp.array(4)].tolist() == 4.0
    assert a[1 : cfnp.array(3)].tolist() == [1.0, 2.0]


def test_setitem_writes_on_the_server_and_views_share_memory(client: Any) -> None:
    cfnp, _ = _mods(client)
    a = cfnp.zeros((2, 3))
    row = a[1]
    a[1] = [1.0, 2.0, 3.0]
    a[0, ::2] = cfnp.array([7.0, 8.0])
    assert a.tolist() == [[7.0, 0.0, 8.0], [1.0, 2.0, 3.0]]
    assert row.tolist() == [1.0, 2.0, 3.0]  # a view, as in numpy
    row[...] = 0.0
    assert a.tolist()[1] == [0.0, 0.0, 0.0]
    s = a[0, 0]
    assert float(s) == 7.0
    a.fill(5.0)
    assert float(a[0, 0]) == 5.0 and a.tolist() == [[5.0] * 3] * 2
    z = cfnp.zeros(())
    z[()] = 3.0
    assert float(z) == 3.0  # no stale cached value after a write


def test_index_errors_are_builtin_classes(client: Any) -> None:
    cfnp, _ = _mods(client)
    a = cfnp.arange(3)
    with pytest.raises(IndexError, match="out of bounds"):
        a[5]
    with pytest.raises(IndexError):
        a[0, 0]
    with pytest.raises(ValueError):
        a[:] = [1, 2]


# -- errors and budgets -------------------------------------------------------------------------


def test_errors_reraise_with_in_process_class_names(client: Any) -> None:
    cfnp, _ = _mods(client)
    linalg = importlib.import_module(f"{client.__name__}.numpy.linalg")
    with pytest.raises(linalg.LinAlgError, match="Singular"):
        cfnp.linalg.inv(cfnp.zeros((2, 2)))
    with pytest.raises(ValueError):
        cfnp.add(cfnp.ones(3), cfnp.ones(4))
    with pytest.raises(TypeError):
        cfnp.zeros("abc")
    try:
        cfnp.sum(cfnp.ones(3), axis=4)
    except Exception as exc:  # numpy's AxisError is both
        assert type(exc).__name__ == "AxisError"
        assert isinstance(exc, ValueError) and isinstance(exc, IndexError)
    with pytest.raises(client.errors.ProtocolError, match="unknown op"):
        importlib.import_module(f"{client.__name__}._proxy").call("no_such_op", "", (), {})
    assert float(cfnp.ones(2).sum()) == 2.0  # errors never close the session


@pytest.fixture(scope="module")
def small_server(server_dir: str) -> Any:
    s = Server(f"ipc://{server_dir}/small.sock", "--budget", "1000", "--max-handles", "40")
    yield s
    s.stop()


def test_budget_refusal_costs_nothing(small_server: Server) -> None:
    pkg = load_client()
    cfnp, cl = _mods(pkg)
    cl.connect(small_server.url)
    x = np.arange(100.0).reshape(10, 10)
    a, c = cl.upload(x.tobytes(), "float64", x.shape), cl.upload(x.T.tobytes(), "float64", x.shape)
    b = a + c  # 100 (uploads are free)
    assert cl.budget() == {"used": 100, "limit": 1000, "remaining": 900}
    with pytest.raises(pkg.BudgetExhaustedError, match="would cost") as ei:
        cfnp.matmul(a, c)  # 10·10·19 = 1,900
    assert isinstance(ei.value, pkg.FlopscopeError)
    assert (ei.value.op_name, ei.value.flop_cost, ei.value.flops_remaining) == ("matmul", 1900, 900)
    assert cl.budget()["used"] == 100 and pkg.budget_summary_dict()["flops_used"] == 100
    ops = pkg.budget_summary_dict()["operations"]
    assert set(ops) == {"add"}
    assert float(b.sum()) == 9900.0  # 99 more: the session goes on
    assert cl.budget()["used"] == 199
    cl.connect(small_server.url)


def test_collected_proxies_free_their_handles(small_server: Server) -> None:
    pkg = load_client()
    cfnp, cl = _mods(pkg)
    cl.connect(small_server.url)
    a = cfnp.ones(3)
    for _ in range(300):  # 300 temporaries through a 40-handle cap (refcounting frees them)
        b = a[0:2]
        del b
    assert a.tolist() == [1.0, 1.0, 1.0]
    keep = [a[i] for i in range(3)]
    assert [float(k) for k in keep] == [1.0, 1.0, 1.0]
    with pytest.raises(MemoryError, match="handles"):
        hold = [a[0:1] for _ in range(60)]  # noqa: F841 - held on purpose
    cl.connect(small_server.url)


def test_summary_text_lists_the_session_ops(client: Any, capsys: Any) -> None:
    cfnp, _ = _mods(client)
    a, b = cfnp.ones((4, 4)), cfnp.ones((4, 4))
    (a @ b).sum()
    client.budget_summary()
    out = capsys.readouterr().out
    assert "flopscope FLOP Budget Summary" in out
    assert "    matmul                        112  " in out and "[1 call]" in out
    d = client.budget_summary_dict(cost_model="mac")
    assert d["operations"]["matmul"]["flop_cost"] == 64 and d["cost_model"] == "mac"


# -- cost helpers ----------------------------------------------------------------------------


def test_cost_helpers_answer_from_the_server_and_charge_nothing(client: Any) -> None:
    import flopscope.accounting as acc

    cfnp, cl = _mods(client)
    cacc = importlib.import_module(f"{client.__name__}.accounting")
    float((cfnp.ones((3, 4)) * 2).sum())  # a ledger that is not empty
    before = cl.budget()["used"]
    assert cacc.einsum_cost("ij,jk->ik", [(256, 256), (256, 256)]) == 33_488_896
    assert cacc.einsum_cost("ij,jk->ik", [(256, 256)] * 2, cost_model="fma") == 2 * 256**3
    calls = [
        ("pointwise_cost", ("exp",), {"shape": (2, 3)}),
        ("reduction_cost", ("std",), {"input_shape": (4, 5)}),
        ("svd_cost", (256, 256, 10), {}),
        ("solve_cost", (5,), {"nrhs": 3}),
        ("fft_cost", (1024,), {}),
        ("multi_dot_cost", ([(10, 20), (20, 30), (30, 5)],), {}),
        ("norm_cost", ((6, 4),), {"ord": "nuc"}),
        ("kaiser_cost", (51,), {"cost_model": "mac"}),
    ]
    for name, args, kwargs in calls:
        assert getattr(cacc, name)(*args, **kwargs) == getattr(acc, name)(*args, **kwargs), name
    assert cl.budget()["used"] == before  # nothing charged, nothing logged
    assert client.budget_summary_dict()["operations"].keys() == {"multiply", "sum"}
    with pytest.raises(ValueError, match="k=9 must be between 1"):
        cacc.svd_cost(4, 4, 9)
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        cacc.fft_cost(8, bogus=1)


def test_accumulation_helpers_take_proxies_and_return_records(client: Any) -> None:
    cfnp, cl = _mods(client)
    x, y = np.linspace(0.1, 0.9, 12).reshape(3, 4), np.linspace(0.1, 0.9, 20).reshape(4, 5)
    rx, ry = cfnp.asarray(x.tolist()), cfnp.asarray(y.tolist())
    before = cl.budget()["used"]
    got = client.einsum_accumulation_cost("ij,jk->ik", rx, ry)
    want = flops.einsum_accumulation_cost("ij,jk->ik", x, y)
    assert (got.total, got.mu, got.alpha, got.savings_ratio) == (105, 60, 60, 0.875)
    assert (got.total, got.mu, got.alpha) == (want.total, want.mu, want.alpha)
    assert got.per_component[0].m == want.per_component[0].m == 3
    assert got.per_component[0].regime_trace[0].decision == "fired"
    assert repr(got).startswith("AccumulationCost(total=105, mu=60,")
    with pytest.raises(AttributeError, match="no field 'nope'"):
        got.nope  # noqa: B018
    with pytest.raises(AttributeError, match="read-only"):
        got.total = 0
    assert got == client.einsum_accumulation_cost("ij,jk->ik", rx, ry)
    red = client.reduction_accumulation_cost(rx, axis=1)
    assert red.total == flops.reduction_accumulation_cost(x, axis=1).total == 9
    assert client.tier2_reduction_cost(rx, axis=0) == flops.tier2_reduction_cost(x, axis=0) == 12
    assert cl.budget()["used"] == before


# -- random generators, stats, threads, the environment ------------------------------------------


def test_generators_and_stats_run_remotely(client: Any) -> None:
    cfnp, cl = _mods(client)
    stats = importlib.import_module(f"{client.__name__}.stats")
    g = cfnp.random.default_rng(3)
    before = _used(client)
    r = g.normal(0.0, 1.0, size=(2, 3))
    cost = _used(client) - before
    want_cost, want = _inprocess_cost(lambda: fnp.random.default_rng(3).normal(0.0, 1.0, (2, 3)))
    assert cost == want_cost and _local(r, cl).tobytes() == np.asarray(want).tobytes()
    with pytest.raises(AttributeError, match="no counted method"):
        g.no_such_sampler  # noqa: B018
    x = cfnp.linspace(-1, 1, 5)
    before = _used(client)
    p = stats.norm.cdf(x)
    want_cost, want = _inprocess_cost(lambda: flops.stats.norm.cdf(np.linspace(-1, 1, 5)))
    assert _used(client) - before == want_cost
    assert _local(p, cl).tobytes() == np.asarray(want).tobytes()


def test_random_states_are_constructed_on_the_server(client: Any) -> None:
    cfnp, cl = _mods(client)
    before = _used(client)
    rs = cfnp.random.RandomState(3)
    assert _used(client) == before  # constructing is free and unlogged, as in-process
    assert isinstance(rs, cfnp.random.RandomState)
    assert not isinstance(cfnp.random.default_rng(3), cfnp.random.RandomState)
    assert repr(rs).startswith("<remote RandomState #")
    cfnp.random.seed(3)  # the module-level stream is another stream
    cfnp.random.rand(5)
    before = _used(client)
    r = rs.beta(2.0, 3.0, size=(2, 3))
    cost = _used(client) - before
    want_cost, want = _inprocess_cost(lambda: fnp.random.RandomState(3).beta(2.0, 3.0, (2, 3)))
    assert cost == want_cost == 96  # 6 draws × 16
    assert _local(r, cl).tobytes() == np.random.RandomState(3).beta(2.0, 3.0, (2, 3)).tobytes()
    assert _local(r, cl).tobytes() == np.asarray(want).tobytes()
    state = rs.get_state()
    x = _local(rs.randn(4), cl)
    rs.set_state(state)
    assert _local(rs.randn(4), cl).tobytes() == x.tobytes()
    rs.seed([1, 2])
    ref = np.random.RandomState([1, 2])
    assert rs.randint(0, 100, size=3).tolist() == ref.randint(0, 100, 3).tolist()
    assert rs.bytes(4) == ref.bytes(4)
    other = cfnp.random.RandomState(3)  # a second object starts its own stream
    assert _local(other.beta(2.0, 3.0, size=(2, 3)), cl).tobytes() == np.asarray(want).tobytes()
    with pytest.raises(AttributeError, match="no counted method"):
        rs.integers  # noqa: B018 - a Generator method
    with pytest.raises(ValueError, match="Seed must be between 0 and 2\\*\\*32 - 1"):
        cfnp.random.RandomState(-1)
    with pytest.raises(TypeError):
        cfnp.random.RandomState(1.5)


def test_threads_share_one_session_safely(client: Any) -> None:
    cfnp, _ = _mods(client)
    a = cfnp.ones(100)
    before = _used(client)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                assert float((a * 2.0).sum()) == 200.0
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert _used(client) - before == 4 * 25 * (100 + 99)


def test_server_url_from_the_environment(server: Server, tmp_path: Any) -> None:
    program = (
        "import sys, flopscope as flops, flopscope.numpy as fnp\n"
        "a, b = fnp.arange(4.0), fnp.arange(4.0)\n"
        "print(float((a * b).sum()), flops.budget_summary_dict()['flops_used'],"
        " 'numpy' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(CLIENT_SRC), "FLOPSCOPE_SERVER_URL": server.url}
    r = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    # arange 2 × 4, multiply 4, sum 3 (as in-process)
    assert r.stdout.split() == ["14.0", "15", "False"]


def test_protocol_mismatch_fails_clearly(server_dir: str) -> None:
    zmq = pytest.importorskip("zmq")
    msgpack = pytest.importorskip("msgpack")
    url = f"ipc://{server_dir}/future.sock"
    ctx = zmq.Context.instance()
    router = ctx.socket(zmq.ROUTER)
    router.bind(url)

    def answer() -> None:
        ident, frame = router.recv_multipart()
        req = msgpack.unpackb(frame)
        reply = {"v": 2, "id": req["id"], "ok": True, "protocol": 2, "result": None}
        router.send_multipart([ident, msgpack.packb(reply)])

    t = threading.Thread(target=answer)
    t.start()
    pkg = load_client()
    cfnp, cl = _mods(pkg)
    cl.connect(url, timeout_s=10)
    try:
        with pytest.raises(pkg.errors.ProtocolError, match=r"speaks protocol 2.*\[1\]"):
            cfnp.ones(2)
    finally:
        t.join(5)
        router.close(linger=0)
        cl.connect()


def test_no_server_times_out_with_a_clear_error(server_dir: str) -> None:
    pkg = load_client()
    cfnp, cl = _mods(pkg)
    cl.connect(f"ipc://{server_dir}/nobody.sock", timeout_s=0.3)
    try:
        with pytest.raises(TimeoutError, match="no reply from the flopscope server"):
            cfnp.ones(2)
    finally:
        cl.connect()


def test_a_forked_child_gets_its_own_session(client: Any) -> None:
    cfnp, cl = _mods(client)
    a = cfnp.ones(4)
    float(a.sum())
    used = cl.budget()["used"]
    pid = os.fork()
    if pid == 0:  # child: a fresh session, its own budget; never the parent's socket
        code = 1
        try:
            b = cfnp.ones(2)
            code = 0 if float(b.sum()) == 2.0 and cl.budget()["used"] == 1 else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert float((a * 2).sum()) == 8.0  # the parent's session is untouched
    assert cl.budget()["used"] == used + 4 + 3
