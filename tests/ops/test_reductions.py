"""Reduction rows: C·(R−1) family, mean, selections, numpy-equal values, refusals."""

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
from flopscope.ops import reductions

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "ops-0.4.0.json"
ROWS = {op.name: op for op in reductions.OPS}
X67 = np.linspace(0.1, 0.9, 42).reshape(6, 7)


def charged(fn, *args, **kwargs):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            r = fn(*args, **kwargs)
    return b.flops_used, r, b.op_log


def split(shape, axis):
    """(C, R) for numpy's axis argument."""
    if axis is None or shape == ():  # numpy accepts axis 0 / -1 on 0-d input
        return 1, math.prod(shape)
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    r = math.prod(shape[a] for a in axes)
    return math.prod(shape) // r if r else math.prod(
        d for i, d in enumerate(shape) if i not in axes
    ), r


def expected_cost(op, shape, axis) -> int:
    c, r = split(shape, axis)
    if op.formula == "reduce":
        n = max(1, c * (r - 1))
    else:  # mean: C·(R−1) + C; selections: C·R; neither clamped (0.4.0)
        n = c * r
    return n * int(op.weight)


# -- the table's own examples -------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "ex"),
    [
        pytest.param(op, ex, id=f"{op.name}:{i}")
        for op in reductions.OPS
        for i, ex in enumerate(op.examples)
    ],
)
def test_row_examples(op, ex) -> None:
    ns = {"fnp": fnp, "np": np, "flops": flops}
    cost, _, _ = charged(eval, ex.call, ns)
    assert cost == ex.flops


@pytest.mark.skipif(not SPEC.is_file(), reason="shared spec table absent")
def test_weights_match_the_release() -> None:
    spec = {o["name"]: o for o in json.loads(SPEC.read_text()) if o["module"] == "flopscope.numpy"}
    for op in reductions.OPS:
        assert op.weight == spec[op.name]["weight"], op.name
        assert spec[op.name]["category"] == "counted_reduction"
    assert {op.name for op in reductions.OPS} | {"amax", "amin"} == {
        o["name"] for o in spec.values() if o["category"] == "counted_reduction"
    }


# -- values and costs ------------------------------------------------------------------------

AXES = [None, 0, 1, -1, (0, 1)]
SHAPES = [(6, 7), (2, 3, 4), (0, 3), (5,), ()]
EXTRA = {"percentile": (50,), "nanpercentile": (50,), "quantile": (0.5,), "nanquantile": (0.5,)}


def _call(name, a, axis, **kw):
    fn = getattr(fnp, name) if isinstance(name, str) else name
    extra = EXTRA.get(name if isinstance(name, str) else name.__name__, ())
    if name in ("cumulative_sum", "cumulative_prod") or getattr(name, "__name__", "") in (
        "cumulative_sum",
        "cumulative_prod",
    ):
        return fn(a, *extra, axis=axis, **kw)
    return fn(a, *extra, axis=axis, **kw) if axis is not None or extra else fn(a, axis=axis, **kw)


def _numpy_result_or_refusal(op, a, axis) -> tuple[object, bool]:
    """numpy's own result, or — when numpy raises — check that flopscope raises the same type
    with nothing charged and report ``refused=True``."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return _call(op.impl, a, axis), False
        except Exception as exc:
            error = exc
    with flops.BudgetContext(10**15, quiet=True) as b:
        with pytest.raises(type(error)):
            _call(op.name, a, axis)
    assert b.flops_used == 0 and b.op_log == []
    return None, True


@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("op", reductions.OPS, ids=lambda op: op.name)
def test_matches_numpy(op, shape, axis) -> None:
    a = np.linspace(0.1, 0.9, math.prod(shape)).reshape(shape)
    theirs, refused = _numpy_result_or_refusal(op, a, axis)
    if refused:
        return
    cost, ours, log = charged(_call, op.name, a, axis)
    assert cost == expected_cost(op, shape, axis)
    assert [r.op_name for r in log] == [op.name]
    if isinstance(theirs, int):
        assert type(ours) is int and ours == theirs
        return
    assert isinstance(ours, FA)
    t = np.asarray(theirs)
    assert ours.dtype == t.dtype and ours.shape == t.shape
    np.testing.assert_array_equal(ours.view(np.ndarray), t)


@pytest.mark.parametrize("axis", [None, 0])
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.bool_, np.complex128], ids=str)
@pytest.mark.parametrize("op", reductions.OPS, ids=lambda op: op.name)
def test_dtypes_match_numpy(op, dtype, axis) -> None:
    a = (np.arange(12).reshape(3, 4) % 5 + 1).astype(dtype)
    theirs, refused = _numpy_result_or_refusal(op, a, axis)
    if refused:
        return
    cost, ours, _ = charged(_call, op.name, a, axis)
    assert cost == expected_cost(op, (3, 4), axis)
    t = np.asarray(theirs)
    assert np.asarray(ours).dtype == t.dtype and np.shape(ours) == t.shape
    np.testing.assert_array_equal(np.asarray(ours), t)


def _single_axis(op) -> bool:
    """numpy's argmax and cumulative families take one int axis, not a tuple."""
    return "arg" in op.name or "cum" in op.name


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(
        [op for op in reductions.OPS if op.formula == "reduce" and "cumulative" not in op.name]
    ),
    hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4),
    st.data(),
)
def test_reduction_cost_property(op, shape, data) -> None:
    axis = None
    if data.draw(st.booleans()):
        axis = tuple(sorted(data.draw(st.sets(st.integers(0, len(shape) - 1), min_size=1))))
        if _single_axis(op):
            axis = axis[:1]
    a = np.linspace(0.1, 0.9, math.prod(shape)).reshape(shape)
    kw = {"q": 50} if "percentile" in op.name else {"q": 0.5} if "quantile" in op.name else {}
    arg = axis[0] if axis is not None and _single_axis(op) else axis
    cost, _, _ = charged(getattr(fnp, op.name), a, axis=arg, **kw)
    r = math.prod(shape) if axis is None else math.prod(shape[i] for i in axis)
    c = math.prod(shape) // r
    assert cost == max(1, c * (r - 1)) * int(op.weight)


# -- specific rules ---------------------------------------------------------------------------


def test_release_figures() -> None:
    assert charged(fnp.sum, X67)[0] == 41
    assert charged(fnp.sum, X67, axis=0)[0] == 35
    assert charged(fnp.sum, X67, axis=1)[0] == 36
    assert charged(fnp.sum, np.ones((6, 7, 5)), axis=(0, 2))[0] == 203
    assert charged(fnp.mean, X67, axis=0)[0] == 42
    assert charged(fnp.mean, np.ones((3, 4)))[0] == 12
    assert charged(fnp.nanmean, np.ones((3, 4)))[0] == 11
    assert charged(fnp.std, X67, axis=0)[0] == 70
    assert charged(fnp.var, X67, ddof=1)[0] == 82
    assert charged(fnp.median, X67, axis=1)[0] == 42
    assert charged(fnp.sum, np.ones(()))[0] == 1
    assert charged(fnp.max, np.ones(1))[0] == 1


def test_empty_mean_and_median_cost_nothing() -> None:
    assert charged(fnp.mean, np.ones((0, 3)), axis=0)[0] == 0
    assert charged(fnp.median, np.ones((0, 3)), axis=1)[0] == 0
    assert charged(fnp.sum, np.ones((0, 3)), axis=0)[0] == 1


def test_count_nonzero_full_count_is_int() -> None:
    cost, r, _ = charged(fnp.count_nonzero, X67)
    assert cost == 41 and type(r) is int and r == 42
    cost, r, _ = charged(fnp.count_nonzero, X67, axis=(0, 1))
    assert type(r) is int
    cost, r, _ = charged(fnp.count_nonzero, X67, axis=None, keepdims=True)
    assert cost == 41 and isinstance(r, FA) and r.shape == (1, 1)


def test_nanpercentile_reads_q_positionally() -> None:
    # DIFFERENCES 4: numpy's signature (a, q, axis); 0.4.0 read 50 as the axis and raised
    a = np.linspace(0.1, 0.9, 12).reshape(3, 4)
    cost, r, _ = charged(fnp.nanpercentile, a, 50)
    assert cost == 11 and float(r) == np.nanpercentile(a, 50)
    cost, r, _ = charged(fnp.nanquantile, a, 0.5, 1)
    assert cost == 9
    np.testing.assert_array_equal(r, np.nanquantile(a, 0.5, 1))
    cost, r, _ = charged(fnp.nanpercentile, a, q=[25, 75], axis=0)
    assert cost == 8 and r.shape == (2, 4)


def test_percentile_cost_ignores_number_of_q() -> None:
    assert charged(fnp.percentile, X67, [10, 50, 90], axis=0)[0] == 42
    assert charged(fnp.quantile, X67, 0.5)[0] == 42


def test_average_with_weights_and_returned() -> None:
    w = np.arange(1.0, 8.0)
    cost, r, _ = charged(fnp.average, X67, axis=1, weights=w)
    assert cost == 36
    np.testing.assert_allclose(r, np.average(X67, axis=1, weights=w))
    cost, (avg, sw), _ = charged(fnp.average, X67, axis=0, returned=True)
    assert cost == 35 and isinstance(avg, FA) and isinstance(sw, FA)


def test_cumulative_ops() -> None:
    cost, r, _ = charged(fnp.cumulative_sum, X67, axis=1, include_initial=True)
    assert cost == 36 and r.shape == (6, 8)
    assert charged(fnp.cumsum, X67)[0] == 41
    assert charged(fnp.cumprod, X67, axis=0)[0] == 35
    assert charged(fnp.cumulative_prod, np.arange(1.0, 6.0))[0] == 4


def test_ptp_and_keepdims() -> None:
    cost, r, _ = charged(fnp.ptp, X67, axis=0, keepdims=True)
    assert cost == 35 and r.shape == (1, 7)
    assert charged(fnp.sum, X67, axis=1, keepdims=True)[0] == 36


def test_out_argument() -> None:
    out = np.zeros(7)
    cost, r, _ = charged(fnp.sum, X67, axis=0, out=out)
    assert cost == 35 and r is out
    np.testing.assert_allclose(out, X67.sum(axis=0))
    out = np.full(7, 3.0)
    with flops.BudgetContext(10, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.sum(X67, axis=0, out=out)
    assert (out == 3.0).all() and b.flops_used == 0 and b.op_log == []


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: fnp.sum(X67, axis=2), np.exceptions.AxisError),
        (lambda: fnp.min(np.ones((0, 3)), axis=0), ValueError),
        (lambda: fnp.cumulative_sum(X67), ValueError),
        (lambda: fnp.average(np.ones((0, 3)), axis=1), ZeroDivisionError),
        (lambda: fnp.percentile(X67, 150), ValueError),
    ],
)
def test_bad_input_raises_numpys_error_and_charges_nothing(call, error) -> None:
    with flops.BudgetContext(10**15, quiet=True) as b:
        with pytest.raises(error):
            call()
    assert b.flops_used == 0 and b.op_log == []
