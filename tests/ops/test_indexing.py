"""Indexing and selection rows: numpy-equal results, exact costs, nothing written when refused."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA
from flopscope.ops import indexing

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "ops-0.4.0.json"
A = np.linspace(0.1, 0.9, 12).reshape(3, 4)
B = np.linspace(0.8, 0.2, 12).reshape(3, 4)
I3 = np.arange(24, dtype=np.int64).reshape(2, 3, 4)
V = np.array([0.1, 0.5, 0.9])
E = np.ones((0, 3))
Z = np.array(2.5)
F32 = A.astype(np.float32)
C = (A + 1j * B).astype(np.complex128)


def charged(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[int, Any, list]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            r = fn(*args, **kwargs)
    return b.flops_used, r, b.op_log


def assert_same(got: Any, ref: Any) -> None:
    if isinstance(ref, tuple):
        assert isinstance(got, tuple) and len(got) == len(ref)
        for g, r in zip(got, ref):
            assert_same(g, r)
        return
    if ref is None:
        assert got is None
        return
    ref = np.asarray(ref)
    assert isinstance(got, FA), type(got)  # DIFFERENCES 8: counted results are fnp.ndarray
    assert got.shape == ref.shape and got.dtype == ref.dtype
    np.testing.assert_array_equal(got.view(np.ndarray), ref)


@pytest.mark.parametrize(
    ("op", "ex"),
    [
        pytest.param(op, ex, id=f"{op.name}:{i}")
        for op in indexing.OPS
        for i, ex in enumerate(op.examples)
    ],
)
def test_row_examples(op, ex) -> None:
    ns: dict[str, Any] = {"fnp": fnp, "np": np, "flops": flops}
    with flops.BudgetContext(10**15, quiet=True) as b:
        if ex.setup:
            exec(ex.setup, ns)
        before = b.flops_used
        eval(ex.call, ns)
    assert b.flops_used - before == ex.flops
    assert b.op_log[-1].op_name == op.name


@pytest.mark.skipif(not SPEC.is_file(), reason="shared spec table absent")
def test_weights_and_verified_examples_match_the_release() -> None:
    spec = {o["name"]: o for o in json.loads(SPEC.read_text()) if o["module"] == "flopscope.numpy"}
    assert {op.name for op in indexing.OPS} <= spec.keys()
    for op in indexing.OPS:
        assert op.weight == spec[op.name]["weight"], op.name
        ex = spec[op.name]["verified_example"]
        cost, _, _ = charged(eval, ex["call"], {"fnp": fnp, "np": np})
        assert cost == ex["flops"], op.name


# -- pure ops: (name, args, kwargs, FLOPs) ---------------------------------------------------

CALLS = [
    # where: numel(condition) x4, both forms
    ("where", (A > 0.5, A, B), {}, 48),
    ("where", (A > 0.5, 1.0, 0.0), {}, 48),
    ("where", (np.array(True), A, B), {}, 4),
    ("where", (E > 0, E, 0.0), {}, 4),
    ("where", (I3 % 3 == 0,), {}, 96),
    ("where", (np.arange(7) % 3 == 0,), {}, 28),
    ("where", (F32 > 0.5, F32, np.float32(0)), {}, 48),
    # take: numel(output) x4
    ("take", (np.linspace(0.05, 0.95, 8), [0, 1, 2]), {}, 12),
    ("take", (A, [0, 2]), {"axis": 1}, 24),
    ("take", (A, [5, 7, 11]), {}, 12),
    ("take", (I3, np.array([[0, 1], [2, 3]])), {"axis": 2}, 96),
    ("take", (np.linspace(0.05, 0.95, 8), [0, 10]), {"mode": "clip"}, 8),
    ("take", (A, [-1, 13]), {"mode": "wrap"}, 8),
    ("take", (A, []), {"axis": 0}, 4),
    ("take", (Z, 0), {}, 4),
    ("take", (C, [1, 3]), {"axis": -1}, 24),
    # take_along_axis: numel(output)
    ("take_along_axis", (A, np.zeros((3, 1), dtype=int)), {"axis": 1}, 3),
    ("take_along_axis", (B, np.argsort(B, axis=0)), {"axis": 0}, 12),
    ("take_along_axis", (np.linspace(0.1, 0.9, 7), np.array([6, 0, 3])), {"axis": 0}, 3),
    ("take_along_axis", (I3, np.zeros((2, 3, 2), dtype=int)), {"axis": 2}, 12),
    ("take_along_axis", (A, np.array([[1], [0], [2]])), {"axis": 0}, 12),
    ("take_along_axis", (V, np.array([2, 1])), {"axis": None}, 2),
    ("take_along_axis", (A, np.zeros((3, 0), dtype=int)), {}, 1),
    # choose: numel(broadcast) x4
    ("choose", (np.array([0, 1, 0]), [V, np.array([0.2, 0.4, 0.7])]), {}, 12),
    ("choose", (np.arange(12).reshape(3, 4) % 3, [A, B, A]), {}, 48),
    ("choose", (np.array([0, 5, 1]), [V, V]), {"mode": "clip"}, 12),
    ("choose", (np.array([[0, 1], [1, 0]]), [1.0, 2.0]), {}, 16),
    ("choose", (np.array([0, 1, 2]), np.arange(9).reshape(3, 3)), {}, 12),
    ("choose", (np.array([[0], [1]]), [V, V]), {}, 24),
    # compress: kept elements x4 (may be 0)
    ("compress", ([True, False, True], A), {"axis": 0}, 32),
    ("compress", ([False, True, True, False], A), {"axis": 1}, 24),
    ("compress", ([True, False, True, True], A), {}, 12),
    ("compress", ([False, False, False], A), {"axis": 0}, 0),
    ("compress", ([True], A), {"axis": 0}, 16),
    ("compress", (np.array([1, 0, 2]), I3), {"axis": 1}, 64),
    # select: largest choice x4
    ("select", ([A < 0.3, A > 0.7], [A, A * 2]), {"default": -1.0}, 48),
    ("select", ([A > 0.5], [A]), {}, 48),
    ("select", ([A > 0.5, A < 0.2], [V[0], A]), {}, 48),
    # extract: numel(arr) x4, whatever is kept
    ("extract", (A > 0.5, A), {}, 48),
    ("extract", (np.ones(7, dtype=bool), np.linspace(0.1, 0.9, 7)), {}, 28),
    ("extract", (np.zeros(7, dtype=bool), np.linspace(0.1, 0.9, 7)), {}, 28),
    ("extract", (I3 % 3 == 0, I3), {}, 96),
    # nonzero / flatnonzero: numel; argwhere: numel x4
    ("nonzero", (A,), {}, 12),
    ("nonzero", (np.arange(7) % 3,), {}, 7),
    ("nonzero", (np.zeros((2, 3)),), {}, 6),
    ("nonzero", (E,), {}, 1),
    ("flatnonzero", (A,), {}, 12),
    ("flatnonzero", (I3 % 2,), {}, 24),
    ("flatnonzero", (Z,), {}, 1),
    ("argwhere", (A,), {}, 48),
    ("argwhere", ((np.arange(24) % 3 == 0).reshape(2, 3, 4),), {}, 96),
    ("argwhere", (np.array(1.0),), {}, 4),
    ("argwhere", (E,), {}, 4),
    # diag: construct (n+|k|)^2 x4, extract min(m, n) x4
    ("diag", (np.array([0.1, 0.4, 0.6, 0.9]),), {}, 64),
    ("diag", (np.linspace(0.1, 0.9, 5),), {"k": 1}, 144),
    ("diag", (np.linspace(0.1, 0.9, 3),), {"k": -2}, 100),
    ("diag", (np.linspace(0.1, 0.9, 20).reshape(4, 5),), {}, 16),
    ("diag", (np.arange(16.0).reshape(4, 4),), {"k": 1}, 16),
    ("diag", (np.linspace(0.1, 0.9, 15).reshape(3, 5),), {"k": -1}, 12),
    ("diag", (np.array([2.0]),), {}, 4),
    ("diag", (np.array([], dtype=np.int32),), {}, 4),
    ("diag", (E,), {}, 4),
    # diagflat: numel(output)
    ("diagflat", (np.array([0.1, 0.4, 0.6, 0.9]),), {"k": 1}, 25),
    ("diagflat", (np.array([[1.0, 2.0], [3.0, 4.0]]),), {}, 16),
    ("diagflat", (Z,), {"k": -2}, 9),
    # diagonal: the offset diagonal's length; trace: min of the two axes
    ("diagonal", (np.arange(16.0).reshape(4, 4),), {}, 4),
    ("diagonal", (np.arange(16.0).reshape(4, 4),), {"offset": -1}, 3),
    ("diagonal", (np.linspace(0.1, 0.9, 24).reshape(2, 3, 4),), {}, 2),
    ("diagonal", (np.linspace(0.1, 0.9, 10).reshape(5, 2),), {}, 2),
    ("diagonal", (I3,), {"axis1": 2, "axis2": -2}, 3),
    ("diagonal", (A,), {"offset": 7}, 1),
    ("trace", (np.linspace(0.1, 0.9, 15).reshape(3, 5),), {"offset": 1}, 3),
    ("trace", (np.linspace(0.1, 0.9, 24).reshape(2, 3, 4),), {}, 2),
    ("trace", (np.arange(1, 17, dtype=np.int64).reshape(4, 4),), {}, 4),
    ("trace", (np.array([[2.0]]),), {}, 1),
    ("trace", (I3,), {"axis1": 1, "axis2": 2, "dtype": np.float32}, 3),
    ("trace", (E,), {}, 1),
    # index builders
    ("indices", ((3, 4),), {}, 24),
    ("indices", ((2, 3, 4),), {}, 72),
    ("indices", ((3, 4),), {"sparse": True}, 1),
    ("indices", ((2, 3),), {"dtype": float}, 12),
    ("indices", ((0, 3),), {}, 1),
    ("ix_", (V, np.array([0.1, 0.4, 0.6, 0.9])), {}, 7),
    ("ix_", (np.arange(3), np.arange(4), np.arange(5)), {}, 12),
    ("ix_", (np.array([True, False, True]), np.array([1, 2])), {}, 4),
    ("mask_indices", (4, np.triu), {}, 80),
    ("mask_indices", (3, np.triu, 1), {}, 24),
    ("mask_indices", (6, np.tril), {}, 168),
    # clip: numel(a)
    ("clip", (np.linspace(0.1, 0.9, 7), None, 0.5), {}, 7),
    ("clip", (np.linspace(0.1, 0.9, 24).reshape(2, 3, 4), np.full(4, 0.3), 0.6), {}, 24),
    ("clip", (np.arange(1, 13, dtype=np.int64).reshape(3, 4), 3, 9), {}, 12),
    ("clip", (F32,), {"min": 0.2, "max": 0.8}, 12),
    ("clip", (Z, 0, 1), {}, 1),
    ("clip", (E, 0, 1), {}, 1),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "want"),
    CALLS,
    ids=[f"{c[0]}:{i}" for i, c in enumerate(CALLS)],
)
def test_matches_numpy_and_bills_exactly(name, args, kwargs, want) -> None:
    ref = getattr(np, name)(*args, **kwargs)
    cost, got, log = charged(getattr(fnp, name), *args, **kwargs)
    assert_same(got, ref)
    assert cost == want
    assert [r.op_name for r in log] == [name]


def test_flopscope_array_inputs_bill_the_same() -> None:
    a = fnp.asarray(A)
    cost, got, log = charged(fnp.take, a, [0, 2], axis=1)
    assert cost == 24 and [r.op_name for r in log] == ["take"]
    assert_same(got, np.take(A, [0, 2], axis=1))
    cost, got, _ = charged(lambda: fnp.where(a > 0.5, a, 0.0))
    assert cost == 12 + 48  # greater, then where
    assert_same(got, np.where(A > 0.5, A, 0.0))


def test_numpy_functions_on_flopscope_arrays_route_to_the_rows() -> None:
    a = fnp.asarray(A)
    cost, got, log = charged(np.take, a, [1, 2, 3])
    assert cost == 12 and [r.op_name for r in log] == ["take"]
    assert_same(got, np.take(A, [1, 2, 3]))
    cost, _, log = charged(np.compress, [True, False, True], a, axis=0)
    assert cost == 32 and [r.op_name for r in log] == ["compress"]


# -- out= -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "out_shape", "want"),
    [
        ("clip", (A, 0.2, 0.8), {}, (3, 4), 12),
        ("take", (A, [0, 2]), {"axis": 1}, (3, 2), 24),
        ("compress", ([True, False, True], A), {"axis": 0}, (2, 4), 32),
        ("choose", (np.array([0, 1, 0]), [V, V * 2]), {}, (3,), 12),
        ("trace", (np.linspace(0.1, 0.9, 18).reshape(2, 3, 3),), {"axis1": 1, "axis2": 2}, (2,), 3),
    ],
)
def test_out_is_written_and_returned(name, args, kwargs, out_shape, want) -> None:
    out = np.zeros(out_shape)
    cost, got, _ = charged(getattr(fnp, name), *args, out=out, **kwargs)
    assert got is out
    np.testing.assert_array_equal(out, getattr(np, name)(*args, **kwargs))
    assert cost == want
    refused = np.full(out_shape, 7.0)
    with flops.BudgetContext(want - 1, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            getattr(fnp, name)(*args, out=refused, **kwargs)
        assert b.flops_used == 0 and b.op_log == []
    assert (refused == 7.0).all()


# -- writers: (name, setup -> (args, kwargs), FLOPs) ----------------------------------------


def _dst() -> np.ndarray:
    return A.copy()


WRITERS = [
    ("put", lambda a: ((a, [0, 1], [9.0, 9.0]), {}), 12),
    ("put", lambda a: ((a, [-1, 20], [5.0]), {"mode": "wrap"}), 12),
    ("put_along_axis", lambda a: ((a, np.zeros((3, 1), dtype=int), 9.0), {"axis": 1}), 12),
    ("put_along_axis", lambda a: ((a, np.array([[2, 0, 1, 1]]), -1.0), {"axis": 0}), 12),
    ("place", lambda a: ((a, a > 2, [0.0]), {}), 48),
    ("place", lambda a: ((a, a > 0.5, [7.0, 8.0]), {}), 48),
    ("putmask", lambda a: ((a, a > 0.5, 0.0), {}), 48),
    ("putmask", lambda a: ((a, a < 0.5, np.arange(3.0)), {}), 48),
    ("fill_diagonal", lambda a: ((a, 0.0), {}), 12),
    ("fill_diagonal", lambda a: ((a, np.array([1.0, 2.0])), {}), 12),
    ("copyto", lambda a: ((a, B), {}), 12),
    ("copyto", lambda a: ((a, 5.0), {}), 1),
    ("copyto", lambda a: ((a, B), {"where": a > 0.5}), 6),
    ("copyto", lambda a: ((a, V[0]), {"where": a < 0}), 1),
    ("copyto", lambda a: ((a, np.arange(4)), {"casting": "unsafe"}), 4),
]


@pytest.mark.parametrize(
    ("name", "make", "want"), WRITERS, ids=[f"{w[0]}:{i}" for i, w in enumerate(WRITERS)]
)
def test_writer_matches_numpy_and_bills_exactly(name, make, want) -> None:
    ref_dst, dst = _dst(), _dst()
    args, kwargs = make(ref_dst)
    assert getattr(np, name)(*args, **kwargs) is None
    args, kwargs = make(dst)
    cost, got, log = charged(getattr(fnp, name), *args, **kwargs)
    assert got is None
    np.testing.assert_array_equal(dst, ref_dst)
    assert cost == want and [r.op_name for r in log] == [name]


@pytest.mark.parametrize(
    ("name", "make", "want"), WRITERS, ids=[f"{w[0]}:{i}" for i, w in enumerate(WRITERS)]
)
def test_refused_writer_writes_nothing(name, make, want) -> None:
    dst = _dst()
    args, kwargs = make(dst)
    with flops.BudgetContext(1, quiet=True) as b:
        fnp.sqrt(1.0)  # spends the whole budget: every writer costs at least 1
        with pytest.raises(flops.BudgetExhaustedError):
            getattr(fnp, name)(*args, **kwargs)
        assert b.flops_used == 1 and [r.op_name for r in b.op_log] == ["sqrt"]
    np.testing.assert_array_equal(dst, A)


def test_writer_on_a_flopscope_array_writes_through() -> None:
    a = fnp.asarray(A.copy())
    cost, _, _ = charged(fnp.put, a, [0], [9.0])
    assert cost == 12 and a[0, 0] == 9.0 and type(a) is FA
    cost, _, _ = charged(fnp.fill_diagonal, a, -1.0)
    assert cost == 12 and (np.diagonal(a.view(np.ndarray)) == -1.0).all()


def test_fill_diagonal_ignores_wrap_and_trailing_axes() -> None:
    for shape, kwargs, want in [((7, 3), {"wrap": True}, 12), ((3, 3, 3), {}, 12)]:
        a, ref = np.zeros(shape), np.zeros(shape)
        np.fill_diagonal(ref, 5.0, **kwargs)
        cost, _, _ = charged(fnp.fill_diagonal, a, 5.0, **kwargs)
        assert cost == want
        np.testing.assert_array_equal(a, ref)


# -- bad input: numpy's exception, nothing charged ---------------------------------------------

BAD = [
    ("where", (A > 0, A), {}, ValueError),
    ("where", (A > 0, A, np.ones(3)), {}, ValueError),
    ("take", (A, [0]), {"axis": 2}, np.exceptions.AxisError),
    ("take", (A, [12]), {}, IndexError),
    ("take", (A, [0]), {"mode": "bogus"}, ValueError),
    ("take_along_axis", (A, np.zeros(3, dtype=int)), {"axis": 1}, ValueError),
    ("take_along_axis", (A, np.zeros((3, 1), dtype=int)), {"axis": None}, ValueError),
    ("take_along_axis", (A, np.zeros((3, 1), dtype=int)), {"axis": 3}, np.exceptions.AxisError),
    ("take_along_axis", (A, np.full((3, 1), 9)), {"axis": 1}, IndexError),
    ("choose", (np.array([0, 1]), [[1, 2], [3, 4, 5]]), {}, ValueError),
    ("choose", (np.array([0, 2]), [V[:2], V[:2]]), {}, ValueError),
    ("compress", ([[True]], A), {"axis": 0}, ValueError),
    ("compress", ([True, False, True, True], A), {"axis": 0}, IndexError),
    ("compress", ([True], A), {"axis": 5}, np.exceptions.AxisError),
    ("select", ([A > 0], [A, A]), {}, ValueError),
    ("select", ([], []), {}, ValueError),
    ("extract", (A > 0, np.ones(5)), {}, IndexError),
    ("nonzero", (Z,), {}, ValueError),
    ("diag", (Z,), {}, ValueError),
    ("diag", (I3,), {}, ValueError),
    ("diag", (V, 1.5), {}, TypeError),
    ("diagonal", (V,), {}, ValueError),
    ("diagonal", (A,), {"axis1": 0, "axis2": 0}, ValueError),
    ("diagonal", (A,), {"axis2": 4}, np.exceptions.AxisError),
    ("trace", (V,), {}, ValueError),
    ("trace", (A,), {"axis1": 1, "axis2": -1}, ValueError),
    ("indices", ((3, -1),), {}, ValueError),
    ("ix_", (np.ones((2, 2)),), {}, ValueError),
    ("clip", (A, 1.0), {}, TypeError),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "exc"), BAD, ids=[f"{b[0]}:{i}" for i, b in enumerate(BAD)]
)
def test_bad_input_raises_numpys_error_and_charges_nothing(name, args, kwargs, exc) -> None:
    with pytest.raises(exc):
        getattr(np, name)(*args, **kwargs)
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(exc):
            getattr(fnp, name)(*args, **kwargs)
        assert b.flops_used == 0 and b.op_log == []


BAD_WRITES = [
    ("put", lambda a: ((a.tolist(), [0], [1.0]), {}), TypeError),
    ("put", lambda a: ((a, [99], [1.0]), {}), IndexError),
    ("put_along_axis", lambda a: ((a, np.zeros(3, dtype=int), 1.0), {"axis": 1}), ValueError),
    ("place", lambda a: ((a, a > 0, []), {}), ValueError),
    ("putmask", lambda a: ((a, [True, False], 1.0), {}), ValueError),
    ("fill_diagonal", lambda a: ((a[0], 1.0), {}), ValueError),
    ("fill_diagonal", lambda a: ((np.zeros((2, 3, 3)), 1.0), {}), ValueError),
    ("copyto", lambda a: ((a.tolist(), B), {}), TypeError),
    ("copyto", lambda a: ((a, np.ones(5)), {}), ValueError),
    ("copyto", lambda a: ((a.astype(np.int64), B), {}), TypeError),
]


@pytest.mark.parametrize(
    ("name", "make", "exc"), BAD_WRITES, ids=[f"{b[0]}:{i}" for i, b in enumerate(BAD_WRITES)]
)
def test_bad_writes_raise_numpys_error_and_charge_nothing(name, make, exc) -> None:
    args, kwargs = make(_dst())
    with pytest.raises(exc):
        getattr(np, name)(*args, **kwargs)
    dst = _dst()
    args, kwargs = make(dst)
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(exc):
            getattr(fnp, name)(*args, **kwargs)
        assert b.flops_used == 0 and b.op_log == []
    np.testing.assert_array_equal(dst, A)


# -- refused calls leave no trace ------------------------------------------------------------


@pytest.mark.parametrize(("name", "args", "kwargs", "want"), [c for c in CALLS if c[3] > 1])
def test_refused_call_leaves_no_trace(name, args, kwargs, want) -> None:
    with flops.BudgetContext(want - 1, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            getattr(fnp, name)(*args, **kwargs)
        assert b.flops_used == 0 and b.op_log == []


# -- FlopscopeArray methods ---------------------------------------------------------------------

METHODS = [
    ("take", ([0, 2],), {"axis": 1}, "take", 24),
    ("compress", ([True, False, True],), {"axis": 0}, "compress", 32),
    ("compress", ([False, True],), {}, "compress", 4),
    ("clip", (0.2, 0.5), {}, "clip", 12),
    ("clip", (), {"max": 0.5}, "clip", 12),
    ("trace", (), {"offset": 1}, "trace", 3),
    ("diagonal", (), {"offset": -1}, "diagonal", 2),
    ("nonzero", (), {}, "nonzero", 12),
    ("choose", ([10.0, 20.0, 30.0],), {"mode": "wrap"}, "choose", 48),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "op", "want"),
    METHODS,
    ids=[f"{m[0]}:{i}" for i, m in enumerate(METHODS)],
)
def test_methods_bill_their_row(method, args, kwargs, op, want) -> None:
    base = (A * 10).astype(np.int64) if method == "choose" else A
    a = fnp.asarray(base)
    ref = getattr(base, method)(*args, **kwargs)
    cost, got, log = charged(getattr(a, method), *args, **kwargs)
    assert_same(got, ref)
    assert cost == want and [r.op_name for r in log] == [op]


def test_put_method_writes_in_place_and_fill_is_free() -> None:
    a = fnp.asarray(A.copy())
    cost, got, log = charged(a.put, [1, 2], [7.0, 8.0])
    assert got is None and cost == 12 and [r.op_name for r in log] == ["put"]
    assert a[0, 1] == 7.0 and a[0, 2] == 8.0
    cost, _, log = charged(a.fill, 3.0)
    assert cost == 0 and log == [] and (a == 3.0).all()


def test_trace_returns_a_zero_d_flopscope_array() -> None:
    _, got, _ = charged(fnp.trace, A)
    assert type(got) is FA and got.shape == () and got == np.trace(A)


# -- properties -------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)),
    data=st.data(),
)
def test_take_bills_four_per_output_element(a: np.ndarray, data: st.DataObject) -> None:
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    if a.shape[axis] == 0:
        return
    idx = data.draw(
        hnp.arrays(np.intp, st.integers(0, 4), elements=st.integers(0, a.shape[axis] - 1))
    )
    ref = np.take(a, idx, axis=axis)
    cost, got, _ = charged(fnp.take, a, idx, axis=axis)
    assert_same(got, ref)
    assert cost == 4 * max(1, ref.size)


@settings(max_examples=40, deadline=None)
@given(
    a=hnp.arrays(np.int32, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)),
    data=st.data(),
)
def test_compress_bills_four_per_kept_element(a: np.ndarray, data: st.DataObject) -> None:
    axis = data.draw(st.none() | st.integers(-a.ndim, a.ndim - 1))
    n = a.size if axis is None else a.shape[axis]
    cond = data.draw(st.lists(st.booleans(), max_size=n))
    ref = np.compress(cond, a, axis=axis)
    cost, got, _ = charged(fnp.compress, cond, a, axis=axis)
    assert_same(got, ref)
    assert cost == 4 * ref.size


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 6), k=st.integers(-3, 3), m=st.integers(0, 6))
def test_diag_construct_and_extract(n: int, k: int, m: int) -> None:
    v = np.arange(float(n))
    cost, got, _ = charged(fnp.diag, v, k)
    assert_same(got, np.diag(v, k))
    assert cost == 4 * max(1, (n + abs(k)) ** 2) == 4 * max(1, got.size)
    mat = np.ones((n, m))
    cost, got, _ = charged(fnp.diag, mat, k)
    assert_same(got, np.diag(mat, k))
    assert cost == 4 * max(1, min(n, m))


@settings(max_examples=40, deadline=None)
@given(
    dst=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)),
    data=st.data(),
)
def test_copyto_where_bills_the_written_cells(dst: np.ndarray, data: st.DataObject) -> None:
    where = data.draw(hnp.arrays(np.bool_, dst.shape))
    ref = dst.copy()
    np.copyto(ref, 1.5, where=where)
    cost, _, _ = charged(fnp.copyto, dst, 1.5, where=where)
    np.testing.assert_array_equal(dst, ref)
    assert cost == max(1, int(where.sum()))
