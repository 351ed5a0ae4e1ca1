"""Pointwise rows: costs, values against numpy, refusals and bad input."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA
from flopscope.ops import elementwise

POINTWISE = elementwise.UNARY + elementwise.BINARY + elementwise.PAIRS
SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "ops-0.4.0.json"


def charged(fn, *args, **kwargs):
    """(FLOPs charged, result, ledger records) of one call in a fresh budget."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            r = fn(*args, **kwargs)
    return b.flops_used, r, b.op_log


def numpy_outcome(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return fn(*args, **kwargs), None
        except Exception as exc:
            return None, exc


def assert_same_result(ours, theirs) -> None:
    """Same values, dtype and shape as numpy; arrays come back as ``fnp.ndarray``."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_same_result(o, t)
        return
    if isinstance(theirs, (bool, int, float, complex)) and not isinstance(theirs, np.generic):
        assert type(ours) is type(theirs) and ours == theirs
        return
    assert isinstance(ours, FA), type(ours)
    t = np.asarray(theirs)
    assert ours.dtype == t.dtype and ours.shape == t.shape
    np.testing.assert_array_equal(ours.view(np.ndarray), t)


# -- the table's own examples -------------------------------------------------------------

EXAMPLES = [
    pytest.param(op, ex, id=f"{op.name}:{i}")
    for op in elementwise.OPS
    for i, ex in enumerate(op.examples)
]


@pytest.mark.parametrize(("op", "ex"), EXAMPLES)
def test_row_examples(op, ex) -> None:
    ns = {"fnp": fnp, "np": np, "flops": flops}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            if ex.setup:
                exec(ex.setup, ns)
            before = b.flops_used
            eval(ex.call, ns)
    assert b.flops_used - before == ex.flops


@pytest.mark.skipif(not SPEC.is_file(), reason="shared spec table absent")
def test_weights_match_the_release_except_aliases() -> None:
    spec = {o["name"]: o for o in json.loads(SPEC.read_text()) if o["module"] == "flopscope.numpy"}
    for op in POINTWISE:
        assert op.weight == spec[op.name]["weight"], op.name
        for alias in op.aliases:  # DIFFERENCES 1: an alias bills as its canonical op
            assert getattr(fnp, alias) is getattr(fnp, op.name)


# -- values and costs on many shapes and dtypes -------------------------------------------

SHAPES = [(), (0, 3), (7,), (3, 4), (2, 3, 4)]
DTYPES = [np.float64, np.float32, np.int64, np.bool_, np.complex128]


def sample(shape, dtype, lo=0.1, hi=0.9):
    n = math.prod(shape)
    x = np.linspace(lo, hi, n).reshape(shape)
    if dtype == np.bool_:
        return (np.arange(n) % 3 == 0).reshape(shape)
    if dtype == np.int64:
        return (np.arange(1, n + 1) % 5 + 1).reshape(shape).astype(np.int64)
    if dtype == np.complex128:
        return (x + 1j * x[::-1] if x.ndim else x + 0.5j).astype(np.complex128)
    return x.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", elementwise.UNARY, ids=lambda op: op.name)
def test_unary_matches_numpy(op, shape, dtype) -> None:
    x = sample(shape, dtype)
    theirs, error = numpy_outcome(op.impl, x)
    if error is not None:
        with flops.BudgetContext(10**15, quiet=True) as b:
            with pytest.raises(type(error)):
                getattr(fnp, op.name)(x)
        assert b.flops_used == 0 and b.op_log == []
        return
    cost, ours, log = charged(getattr(fnp, op.name), x)
    assert cost == max(1, x.size) * int(op.weight)
    assert [r.op_name for r in log] == [op.name]
    assert_same_result(ours, theirs)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(
    ("s1", "s2"), [((), ()), ((0, 3), (3,)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((7,), ())]
)
@pytest.mark.parametrize("op", elementwise.BINARY + elementwise.PAIRS, ids=lambda op: op.name)
def test_binary_matches_numpy(op, s1, s2, dtype) -> None:
    x, y = sample(s1, dtype), sample(s2, dtype, 0.2, 0.8)
    theirs, error = numpy_outcome(op.impl, x, y)
    if error is not None:
        with flops.BudgetContext(10**15, quiet=True) as b:
            with pytest.raises(type(error)):
                getattr(fnp, op.name)(x, y)
        assert b.flops_used == 0 and b.op_log == []
        return
    cost, ours, _ = charged(getattr(fnp, op.name), x, y)
    n = math.prod(np.broadcast_shapes(s1, s2))
    expected = max(1, x.size, y.size) if op.formula == "numel_max" else max(1, n)
    assert cost == expected * int(op.weight)
    assert_same_result(ours, theirs)


def _input_dtype(op) -> type:
    return np.float64 if "dd->d" in op.impl.types or "dd->?" in op.impl.types else np.int64


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(elementwise.BINARY),
    hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4),
)
def test_binary_cost_is_broadcast_numel(op, shapes) -> None:
    s1, s2 = shapes.input_shapes
    dtype = _input_dtype(op)
    cost, r, _ = charged(getattr(fnp, op.name), np.ones(s1, dtype), np.ones(s2, dtype))
    assert cost == max(1, math.prod(shapes.result_shape)) * int(op.weight)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([op for op in elementwise.UNARY if op.kind == "ufunc" and op.name != "isnat"]),
    hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
)
def test_unary_cost_is_numel(op, shape) -> None:
    dtype = np.float64 if "d->d" in op.impl.types or "d->?" in op.impl.types else np.int64
    cost, _, _ = charged(getattr(fnp, op.name), np.ones(shape, dtype))
    assert cost == max(1, math.prod(shape)) * int(op.weight)


# -- specific rules -------------------------------------------------------------------------

X34 = np.linspace(0.1, 0.9, 12).reshape(3, 4)


@pytest.mark.parametrize(("alias", "canonical"), [("asin", "arcsin"), ("pow", "power")])
def test_alias_bills_like_canonical(alias, canonical) -> None:
    args = (X34,) if alias == "asin" else (X34, X34)
    assert charged(getattr(fnp, alias), *args)[0] == 192
    assert charged(getattr(fnp, canonical), *args)[0] == 192


@pytest.mark.parametrize(
    ("fn", "args"), [(fnp.modf, (X34,)), (fnp.frexp, (X34,)), (fnp.divmod, (X34, 0.3))]
)
def test_two_output_ops_charge_once(fn, args) -> None:
    cost, r, log = charged(fn, *args)
    assert cost == 12 and len(log) == 1
    assert isinstance(r, tuple) and all(isinstance(e, FA) for e in r)


def test_python_scalars_are_0d() -> None:
    assert charged(fnp.sqrt, 4.0)[0] == 1
    assert charged(fnp.exp, 1.0)[0] == 16
    assert charged(fnp.add, 1.0, 2)[0] == 1


def test_round_of_python_scalar_is_python_scalar() -> None:
    cost, r, _ = charged(fnp.round, 2.567, 2)
    assert cost == 1 and type(r) is float and r == 2.57
    assert type(fnp.around(3)) is int
    assert isinstance(fnp.round(np.float64(2.5)), FA)


def test_predicates_return_bools_and_are_counted() -> None:
    cost, r, _ = charged(fnp.iscomplexobj, X34)
    assert cost == 12 and r is False
    cost, r, _ = charged(fnp.isrealobj, X34 + 1j)
    assert cost == 12 and r is False
    cost, r, _ = charged(fnp.allclose, X34, X34[:1, :1] * 0 + 0.5)
    assert cost == 12 and r is False
    cost, r, _ = charged(fnp.allclose, np.ones((3, 4)), np.ones(4))
    assert cost == 12 and r is True
    cost, r, _ = charged(fnp.array_equal, X34, X34[:1])
    assert cost == 12 and r is False


def test_isnat_nan_to_num_real_if_close() -> None:
    d = np.array(["2020-01-01", "NaT", "2021-06-30"], dtype="datetime64[D]")
    cost, r, _ = charged(fnp.isnat, d)
    assert cost == 3 and r.tolist() == [False, True, False]
    cost, r, _ = charged(fnp.nan_to_num, np.array([np.nan, np.inf, 1.5]), posinf=9.0)
    assert cost == 3 and r.tolist() == [0.0, 9.0, 1.5]
    cost, r, _ = charged(fnp.real_if_close, np.linspace(0.1, 0.9, 6) + 1e-20j)
    assert cost == 6 and r.dtype == np.float64 and isinstance(r, FA)


def test_empty_costs_one_times_weight() -> None:
    assert charged(fnp.exp, np.ones((0, 3)))[0] == 16
    assert charged(fnp.add, np.ones(0), np.ones(0))[0] == 1


# -- refusals and bad input leave no trace --------------------------------------------------


def test_refused_call_leaves_out_untouched() -> None:
    a, b = np.ones((3, 4)), np.ones((3, 4))
    out = np.full((3, 4), 7.0)
    with flops.BudgetContext(11, quiet=True) as ctx:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.add(a, b, out=out)
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.nan_to_num(np.ones(12))
    assert ctx.flops_used == 0 and ctx.op_log == []
    assert (out == 7.0).all()


def test_out_is_returned_and_written() -> None:
    out = fnp.zeros((3, 4))
    cost, r, _ = charged(fnp.multiply, X34, 2.0, out=out)
    assert cost == 12 and r is out
    np.testing.assert_array_equal(out, X34 * 2.0)


@pytest.mark.parametrize(
    ("call", "numpy_call"),
    [
        (lambda: fnp.add(np.ones(3), np.ones(4)), lambda: np.add(np.ones(3), np.ones(4))),
        (lambda: fnp.exp("a"), lambda: np.exp("a")),
        (lambda: fnp.isnat(np.ones(3)), lambda: np.isnat(np.ones(3))),
        (lambda: fnp.allclose(np.ones(3), np.ones(4)), lambda: np.allclose(np.ones(3), np.ones(4))),
        (lambda: fnp.modf(), lambda: np.modf()),
    ],
)
def test_bad_input_raises_numpys_error_and_charges_nothing(call, numpy_call) -> None:
    with pytest.raises(Exception) as theirs:
        numpy_call()
    with flops.BudgetContext(10**15, quiet=True) as b:
        with pytest.raises(type(theirs.value)):
            call()
    assert b.flops_used == 0 and b.op_log == []
