"""numpy functions and ufuncs on ``FlopscopeArray``s route through the rows (NEP 13/18)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA

X = np.linspace(0.1, 0.9, 12).reshape(3, 4)


def ledger(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            r = fn(*args, **kwargs)
    return b.flops_used, r, [(rec.op_name, rec.flop_cost) for rec in b.op_log]


@pytest.mark.parametrize(
    ("numpy_call", "fnp_call", "name", "cost"),
    [
        (lambda a: np.exp(a), lambda a: fnp.exp(a), "exp", 192),
        (lambda a: np.sum(a), lambda a: fnp.sum(a), "sum", 11),
        (lambda a: np.mean(a, axis=0), lambda a: fnp.mean(a, axis=0), "mean", 12),
        (lambda a: np.round(a, 1), lambda a: fnp.round(a, 1), "round", 12),
        (lambda a: np.concatenate([a, a]), lambda a: fnp.concatenate([a, a]), "concatenate", 24),
        (lambda a: np.arcsin(a), lambda a: fnp.asin(a), "arcsin", 192),
        (lambda a: np.maximum(a, 0.5), lambda a: fnp.maximum(a, 0.5), "maximum", 12),
        (lambda a: np.modf(a), lambda a: fnp.modf(a), "modf", 12),
        (
            lambda a: np.nanpercentile(a, 50),
            lambda a: fnp.nanpercentile(a, 50),
            "nanpercentile",
            11,
        ),
        (lambda a: np.count_nonzero(a), lambda a: fnp.count_nonzero(a), "count_nonzero", 11),
        (lambda a: np.allclose(a, a), lambda a: fnp.allclose(a, a), "allclose", 12),
    ],
)
def test_numpy_calls_bill_like_fnp(numpy_call, fnp_call, name, cost) -> None:
    a = fnp.asarray(X)
    c_np, r_np, log_np = ledger(numpy_call, a)
    c_f, r_f, log_f = ledger(fnp_call, a)
    assert c_np == c_f == cost
    assert log_np == log_f == [(name, cost)]
    assert type(r_np) is type(r_f)
    np.testing.assert_array_equal(r_np, r_f)


def test_free_numpy_calls_stay_free() -> None:
    a = fnp.asarray(X)
    for call in (
        np.shape,
        np.ndim,
        np.transpose,
        np.copy,
        np.zeros_like,
        lambda v: np.reshape(v, -1),
    ):
        cost, _, log = ledger(call, a)
        assert cost == 0 and log == []


@pytest.mark.parametrize(
    ("call", "logged", "cost"),
    [
        (lambda a: np.add.reduce(a), "sum", 8),  # numpy's default axis=0
        (lambda a: np.add.reduce(a, axis=None), "sum", 11),
        (lambda a: np.add.reduce(a, 1), "sum", 9),
        (lambda a: np.subtract.reduce(a), "subtract.reduce", 8),
        (lambda a: np.maximum.reduce(a, axis=None), "maximum.reduce", 11),
        (lambda a: np.add.accumulate(a), "add.accumulate", 8),
        (lambda a: np.multiply.accumulate(a, axis=1), "multiply.accumulate", 9),
        (lambda a: np.multiply.outer(a[0], a[:, 0]), "multiply.outer", 12),
        (lambda a: np.add.reduceat(a[0], [0, 2]), "add.reduceat", 4),
    ],
)
def test_ufunc_methods(call, logged, cost) -> None:
    a = fnp.asarray(X)
    c, r, log = ledger(call, a)
    assert c == cost and log == [(logged, cost)]
    assert isinstance(r, FA)
    np.testing.assert_array_equal(r, call(X))


def test_ufunc_at_is_in_place_and_billed_per_index() -> None:
    a = fnp.asarray(X.copy())
    c, r, log = ledger(np.add.at, a, [0, 2], 1.0)
    assert r is None and c == 2 and log == [("add.at", 2)]
    expected = X.copy()
    np.add.at(expected, [0, 2], 1.0)
    np.testing.assert_array_equal(a, expected)
    c, _, _ = ledger(np.multiply.at, a, slice(0, 2), 2.0)
    assert c == 12  # 0.4.0: a slice index bills a.size


def test_ufunc_method_out_argument() -> None:
    a = fnp.asarray(X)
    out = np.zeros(4)
    c, r, _ = ledger(np.subtract.reduce, a, axis=0, out=out)
    assert c == 8 and r is out
    np.testing.assert_array_equal(out, np.subtract.reduce(X, axis=0))


def test_refused_ufunc_method_leaves_no_trace() -> None:
    a = fnp.asarray(X.copy())
    with flops.BudgetContext(1, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            np.add.at(a, [0, 1], 1.0)
        with pytest.raises(flops.BudgetExhaustedError):
            np.multiply.outer(a, a)
    np.testing.assert_array_equal(a, X)
    assert b.flops_used == 0 and b.op_log == []


def test_functions_without_rows_raise_numpys_type_error() -> None:
    a = fnp.asarray(X)
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(TypeError, match="no implementation found"):
            np.array2string(a)  # blocked: no row, so numpy refuses to run it on our arrays
        with pytest.raises(TypeError, match="no implementation found"):
            np.array_repr(a)
    assert b.flops_used == 0 and b.op_log == []


def test_nested_flopscope_arrays_do_not_redispatch() -> None:
    a = fnp.asarray(np.ones((2, 2)))
    c, r, log = ledger(np.block, [[a, a], [a, a]])
    assert c == 16 and log == [("block", 16)] and isinstance(r, FA)


def test_plain_inputs_with_flopscope_out() -> None:
    out = fnp.zeros((3, 4))
    c, r, _ = ledger(np.add, X, X, out=out)
    assert c == 12 and r is out
    np.testing.assert_array_equal(out, X + X)
