"""The polynomial, window and ``unwrap`` rows: declarations, values, costs and failures."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_cases import SHARED

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.ops import lookup

POLY = "poly roots polyadd polyder polydiv polyfit polyint polymul polysub polyval".split()
WINDOWS = {"bartlett": 1, "hamming": 2, "hanning": 2, "blackman": 3, "kaiser": 3}
WEIGHTS = {"roots": 16.0, "hamming": 8.0, "hanning": 8.0, "blackman": 16.0, "kaiser": 16.0}
NAMES = [*POLY, *WINDOWS, "unwrap"]


def _charge(call: str, **ns: object) -> tuple[int, list, object]:
    """Charge, records and result of ``call`` (numpy warnings silenced)."""
    scope = {"fnp": fnp, "np": np, **ns}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**12, quiet=True) as budget:
            result = eval(call, scope)
    return budget.flops_used, list(budget.op_log), result


def _numpy(call: str) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return eval(call.replace("fnp.", "np."), {"np": np})


def _same(got: object, want: object) -> None:
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            _same(g, w)
        return
    if isinstance(want, np.poly1d):
        assert isinstance(got, np.poly1d)
        np.testing.assert_array_equal(got.coeffs, want.coeffs)
        return
    if type(want) is float:  # np.poly of no roots returns the Python float 1.0
        assert type(got) is float and got == want
        return
    assert isinstance(got, fnp.ndarray), type(got)
    want = np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)


# -- declarations ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_row(name: str) -> None:
    op = lookup(name)
    assert op is not None and op.name == name and op.kind == "custom"
    assert op.weight == WEIGHTS.get(name, 1.0)
    assert op.also_in == (("polynomial",) if name in POLY else ())
    assert getattr(fnp, name).__wrapped_op__ is op


def test_weights_are_the_0_4_0_json_weights() -> None:
    path = SHARED / "spec" / "ops-0.4.0.json"
    if not path.is_file():
        pytest.skip("spec folder absent")
    table = {o["name"]: o["weight"] for o in json.loads(path.read_text())}
    for name in NAMES:
        assert lookup(name).weight == table[name], name


def test_polynomial_submodule_serves_the_same_rows() -> None:
    assert sorted(fnp.polynomial.__all__) == sorted(POLY)
    for name in POLY:
        assert getattr(fnp.polynomial, name) is getattr(fnp, name)
    charged, records, _ = _charge("fnp.polynomial.polyval(np.ones(4), np.ones(8))")
    assert charged == 48 and [r.op_name for r in records] == ["polyval"]
    with pytest.raises(AttributeError):
        fnp.polynomial.Polynomial  # noqa: B018


# -- values and costs -----------------------------------------------------------------------

_P3 = "np.array([0.1, 0.5, 0.9])"
_P5 = "np.array([0.5, 0.1, 0.4, 0.3, 0.2])"
_I4 = "np.array([1, -3, 2, 4])"
_C3 = "np.array([1+1j, 1-1j, 2.])"

#: call, exact default-model charge
CASES = [
    (f"fnp.poly({_P5})", 25),
    (f"fnp.poly({_C3})", 9),
    ("fnp.poly(np.arange(9.).reshape(3, 3))", 9),
    ("fnp.poly(np.array([], dtype=float))", 1),
    (f"fnp.roots({_P5})", 16 * 64),
    (f"fnp.roots({_I4})", 16 * 27),
    ("fnp.roots(np.array([3.]))", 16),
    ("fnp.roots(np.array([0., 0., 1., -1.]))", 16 * 27),
    (f"fnp.polyadd({_P3}, {_P5})", 5),
    (f"fnp.polyadd({_I4}, np.array([True]))", 4),
    (f"fnp.polysub({_P5}, {_P3})", 5),
    ("fnp.polysub(2.0, np.ones(3, np.float32))", 3),
    (f"fnp.polymul({_P3}, {_P5})", 15),
    (f"fnp.polymul({_I4}, {_C3})", 12),
    (f"fnp.polydiv({_P5}, {_P3})", 15),
    (f"fnp.polydiv({_P3}, {_P5})", 15),
    (f"fnp.polyder({_P5})", 5),
    (f"fnp.polyder({_I4}, 3)", 4),
    ("fnp.polyder(np.array([], dtype=float))", 1),
    (f"fnp.polyint({_P5}, m=2, k=[1., 2.])", 5),
    (f"fnp.polyint({_I4})", 4),
    (f"fnp.polyval({_P5}, np.linspace(0., 1., 12).reshape(3, 4))", 2 * 12 * 4),
    (f"fnp.polyval({_P5}, 0.5)", 8),
    (f"fnp.polyval({_P5}, np.array(0.5))", 8),
    (f"fnp.polyval({_I4}, np.arange(6))", 2 * 6 * 3),
    (f"fnp.polyval({_P5}, np.ones((0, 3)))", 1),
    (f"fnp.polyval({_P3}, np.ones(4, np.float32))", 16),
    ("fnp.polyfit(np.linspace(0., 1., 20), np.sin(np.linspace(0., 3., 20)), 3)", 640),
    ("fnp.polyfit(np.linspace(0., 1., 8), np.ones((8, 2)), 1)", 64),
    ("fnp.polyfit(np.linspace(0., 1., 8), np.linspace(0., 1., 8), 2, w=np.ones(8))", 144),
    ("fnp.polyfit(np.linspace(0., 1., 8), np.linspace(0., 1., 8), 2, full=True)", 144),
    ("fnp.polyfit(np.linspace(0., 1., 8), np.linspace(0., 1., 8), 1, cov=True)", 64),
    ("fnp.polyadd(np.poly1d([1., 2.]), np.poly1d([1., 2., 3.]))", 3),
    ("fnp.bartlett(7)", 7),
    ("fnp.bartlett(1)", 1),
    ("fnp.hamming(5)", 8 * 10),
    ("fnp.hanning(0)", 8),
    ("fnp.hanning(2.5)", 8 * 5),
    ("fnp.blackman(1)", 48),
    ("fnp.blackman(np.int64(4))", 16 * 12),
    ("fnp.kaiser(12, 5.0)", 576),
    ("fnp.kaiser(-2, 5.0)", 16),
    ("fnp.unwrap(np.linspace(0., 20., 24).reshape(2, 3, 4))", 168),
    ("fnp.unwrap(np.linspace(0., 20., 24).reshape(2, 3, 4), axis=1)", 168),
    ("fnp.unwrap(np.array([0., 170., 350., 10., 190.]), period=360)", 35),
    ("fnp.unwrap(np.arange(8), discont=1.0)", 56),
    ("fnp.unwrap(np.linspace(0., 9., 6, dtype=np.float32))", 42),
    ("fnp.unwrap(np.ones((0, 3)))", 1),
]


@pytest.mark.parametrize(("call", "flops_"), CASES, ids=[c for c, _ in CASES])
def test_values_match_numpy_and_cost_is_exact(call: str, flops_: int) -> None:
    charged, records, result = _charge(call)
    assert charged == flops_
    assert len(records) == 1 and records[0].flop_cost == flops_
    _same(result, _numpy(call))


def test_flopscope_array_inputs_are_counted_once() -> None:
    p, x = fnp.asarray([1.0, 2.0, 3.0]), fnp.linspace(0.0, 1.0, 5)
    charged, records, result = _charge("fnp.polyval(p, x)", p=p, x=x)
    assert charged == 20 and [r.op_name for r in records] == ["polyval"]
    np.testing.assert_array_equal(
        np.asarray(result), np.polyval([1.0, 2.0, 3.0], x.view(np.ndarray))
    )
    # numpy's own function on an fnp array routes to the same row (NEP 18)
    charged, records, result = _charge("np.polyval(p, x)", p=p, x=x)
    assert charged == 20 and [r.op_name for r in records] == ["polyval"]
    assert isinstance(result, fnp.ndarray)


def test_conventions() -> None:
    """polyval and polyfit count multiply-adds (1 each under mac); the others are nominal."""
    x = np.linspace(0.0, 1.0, 8)
    with flops.BudgetContext(10**6, quiet=True, cost_model="mac") as budget:
        fnp.polyval(np.ones(4), x)  # 8 points × 3 multiply-adds
        fnp.polyfit(x, x, 2)  # 8 × 3²
        fnp.polymul(np.ones(3), np.ones(5))
        fnp.roots(np.ones(5))  # weight 1 under the named models
    assert [r.flop_cost for r in budget.op_log] == [24, 72, 15, 64]
    with flops.BudgetContext(10**6, quiet=True, cost_model="fma") as budget:
        fnp.polyval(np.ones(4), x)
    assert budget.flops_used == 48


# -- failures leave no trace ----------------------------------------------------------------

BAD = [
    ("fnp.poly(np.ones((2, 3)))", ValueError),
    ("fnp.roots(np.ones((2, 2)))", ValueError),
    ("fnp.polyadd(np.ones((2, 2)), np.ones(3))", ValueError),
    ("fnp.polymul(np.ones((2, 2)), np.ones(3))", ValueError),
    ("fnp.polyder(np.ones(3), -1)", ValueError),
    ("fnp.polyint(np.ones(3), -1)", ValueError),
    ("fnp.poly(2.0)", TypeError),
    ("fnp.polyval(np.ones((2, 2)), np.ones(3))", ValueError),
    ("fnp.polyfit(np.ones(3), np.ones(4), 1)", TypeError),
    ("fnp.polyfit(np.ones(3), np.ones(3), -1)", ValueError),
    ("fnp.polyfit(np.ones(3), np.ones(3), 'a')", ValueError),
    ("fnp.polyfit(np.ones(3), np.ones(3))", TypeError),
    ("fnp.hanning('a')", TypeError),
    ("fnp.kaiser(5)", TypeError),
    ("fnp.unwrap(np.array(0.5))", ValueError),
    ("fnp.unwrap(np.ones((2, 3)), axis=2)", np.exceptions.AxisError),
]


@pytest.mark.parametrize(("call", "exc"), BAD, ids=[c for c, _ in BAD])
def test_bad_input_raises_numpy_error_and_charges_nothing(call: str, exc: type) -> None:
    with pytest.raises(exc):
        _numpy(call)
    with flops.BudgetContext(10**6, quiet=True) as budget:
        with pytest.raises(exc):
            eval(call, {"fnp": fnp, "np": np})
    assert budget.flops_used == 0 and budget.op_log == []


@pytest.mark.parametrize(
    "call",
    ["fnp.roots(np.ones(5))", "fnp.polyval(np.ones(4), np.ones(8))", "fnp.kaiser(12, 5.0)"],
)
def test_refused_call_leaves_no_trace(call: str) -> None:
    with flops.BudgetContext(10, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            eval(call, {"fnp": fnp, "np": np})
    assert budget.flops_used == 0 and budget.op_log == []


# -- properties -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(WINDOWS)),
    m=st.integers(min_value=-5, max_value=400),
)
def test_window_cost_and_values(name: str, m: int) -> None:
    args = (m, 5.0) if name == "kaiser" else (m,)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        got = getattr(fnp, name)(*args)
    assert budget.flops_used == max(1, WINDOWS[name] * m) * int(WEIGHTS.get(name, 1.0))
    np.testing.assert_array_equal(np.asarray(got), getattr(np, name)(*args))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=9),
    shape=st.lists(st.integers(min_value=0, max_value=4), max_size=3).map(tuple),
)
def test_polyval_cost_is_two_per_horner_step(n: int, shape: tuple[int, ...]) -> None:
    p, x = np.linspace(1.0, 2.0, n), np.full(shape, 0.5)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        got = fnp.polyval(p, x)
    assert budget.flops_used == max(1, 2 * math.prod(shape) * (n - 1))
    np.testing.assert_array_equal(np.asarray(got), np.polyval(p, x))


def test_accounting_helpers_agree_with_the_calls() -> None:
    acc = flops.accounting
    x = np.linspace(0.0, 1.0, 9)
    pairs = [
        (acc.polyval_cost(4, 9), "fnp.polyval(np.ones(5), x)"),
        (acc.polyfit_cost(9, 3), "fnp.polyfit(x, x, 3)"),
        (acc.roots_cost(4), "fnp.roots(np.ones(5))"),
        (acc.poly_cost(9), "fnp.poly(x)"),
        (acc.polydiv_cost(9, 2), "fnp.polydiv(x, np.ones(2))"),
        (acc.kaiser_cost(9), "fnp.kaiser(9, 2.0)"),
        (acc.unwrap_cost((3, 3)), "fnp.unwrap(x.reshape(3, 3))"),
    ]
    for helper, call in pairs:
        assert helper == _charge(call, x=x)[0], call
