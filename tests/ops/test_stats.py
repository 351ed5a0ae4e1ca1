"""``flops.stats``: the 24 distribution rows, scipy's values, broadcast costs (DIFFERENCES 5)."""

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
from flopscope.ops import all_ops, lookup

scipy_stats = pytest.importorskip("scipy.stats")

DISTS = ["norm", "uniform", "expon", "cauchy", "logistic", "laplace", "lognorm", "truncnorm"]
METHODS = ["pdf", "cdf", "ppf"]
#: positional shape parameters used in the value checks
SHAPE_ARGS: dict[str, tuple] = {"lognorm": (0.5,), "truncnorm": (-1.0, 1.5)}
PAIRS = [(d, m) for d in DISTS for m in METHODS]


def _weight(dist: str, method: str) -> int:
    if dist == "uniform":
        return 1
    return 4 if (dist, method) == ("cauchy", "pdf") else 16


def _call(dist: str, method: str, *args: object, **kwargs: object) -> tuple[int, list, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**12, quiet=True) as budget:
            result = getattr(getattr(flops.stats, dist), method)(*args, **kwargs)
    return budget.flops_used, list(budget.op_log), result


def _scipy(dist: str, method: str, *args: object, **kwargs: object) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(getattr(scipy_stats, dist), method)(*args, **kwargs)


# -- the module -----------------------------------------------------------------------------


def test_module_surface() -> None:
    assert flops.stats.__all__ == DISTS
    for dist in DISTS:
        obj = getattr(flops.stats, dist)
        assert repr(obj) == f"<flopscope.stats.{dist}>"
        assert obj.__all__ == tuple(METHODS)
    with pytest.raises(AttributeError, match="does not provide 'gamma'"):
        flops.stats.gamma  # noqa: B018
    with pytest.raises(AttributeError):
        flops.stats.norm.logpdf  # noqa: B018


@pytest.mark.parametrize(("dist", "method"), PAIRS)
def test_row(dist: str, method: str) -> None:
    op = lookup(method, f"stats.{dist}")
    assert op is not None and op.name == f"stats.{dist}.{method}"
    assert (op.family, op.kind, op.formula, op.module) == (
        "stats",
        "custom",
        "numel",
        f"stats.{dist}",
    )
    assert op.weight == _weight(dist, method)
    assert getattr(getattr(flops.stats, dist), method).__wrapped_op__ is op


def test_twenty_four_rows_with_the_0_4_0_weights() -> None:
    rows = {op.name: op for op in all_ops() if op.family == "stats"}
    assert sorted(rows) == sorted(f"stats.{d}.{m}" for d, m in PAIRS)
    path = SHARED / "spec" / "ops-0.4.0.json"
    if path.is_file():
        table = {o["name"]: o["weight"] for o in json.loads(path.read_text())}
        for name, op in rows.items():
            assert op.weight == table[name], name


# -- values equal scipy's, cost = numel(broadcast) × weight ---------------------------------

INPUTS = [
    ("0-d", np.array(0.5), {}),
    ("scalar", 0.3, {}),
    ("list", [0.2, 0.4, 0.6], {}),
    ("int", np.array([0, 1, 2]), {}),
    ("f32-2x3", np.linspace(0.1, 0.9, 6, dtype=np.float32).reshape(2, 3), {}),
    ("empty", np.ones((0, 3)), {}),
    ("loc-scale", np.linspace(0.1, 0.9, 7), {"loc": 0.25, "scale": 2.0}),
    ("bcast-loc", np.linspace(0.1, 0.9, 5), {"loc": np.zeros((4, 5))}),
    ("bcast-scale", np.linspace(0.1, 0.9, 4).reshape(4, 1), {"scale": np.arange(1.0, 4.0)}),
]


@pytest.mark.parametrize(("dist", "method"), PAIRS)
@pytest.mark.parametrize(("tag", "x", "kwargs"), INPUTS, ids=[t for t, _, _ in INPUTS])
def test_values_and_cost(dist: str, method: str, tag: str, x: object, kwargs: dict) -> None:
    shape_args = SHAPE_ARGS.get(dist, ())
    charged, records, got = _call(dist, method, x, *shape_args, **kwargs)
    want = np.asarray(_scipy(dist, method, x, *shape_args, **kwargs))
    assert isinstance(got, fnp.ndarray)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)
    numel = math.prod(np.broadcast_shapes(np.shape(x), *(np.shape(v) for v in kwargs.values())))
    assert charged == max(1, numel) * _weight(dist, method)
    assert [r.op_name for r in records] == [f"stats.{dist}.{method}"]


def test_pinned_figures() -> None:
    x34 = np.linspace(0.1, 0.9, 12).reshape(3, 4)
    assert _call("norm", "pdf", x34)[0] == 192
    assert _call("uniform", "cdf", x34)[0] == 12
    assert _call("cauchy", "pdf", x34)[0] == 48
    # DIFFERENCES 5: x (5,) against loc (4, 5) bills 20 elements, not 5
    assert _call("norm", "pdf", np.ones(5), loc=np.zeros((4, 5)))[0] == 320
    # shape parameters broadcast too
    assert _call("lognorm", "cdf", 0.5, np.array([0.5, 1.0, 2.0]))[0] == 48
    assert _call("truncnorm", "ppf", 0.5, np.zeros((2, 1)), np.ones(3))[0] == 96


def test_keyword_and_positional_parameters() -> None:
    x = np.linspace(0.1, 0.9, 4)
    a = _call("norm", "cdf", x, 1.0, 2.0)
    b = _call("norm", "cdf", x=x, loc=1.0, scale=2.0)
    assert a[0] == b[0] == 64
    np.testing.assert_array_equal(np.asarray(a[2]), np.asarray(b[2]))
    c = _call("truncnorm", "pdf", x, a=-1.0, b=1.0, loc=0.1)
    np.testing.assert_array_equal(np.asarray(c[2]), scipy_stats.truncnorm.pdf(x, -1.0, 1.0, 0.1))


def test_flopscope_array_inputs() -> None:
    x, loc = fnp.linspace(0.1, 0.9, 6), fnp.zeros((2, 6))
    charged, _, got = _call("logistic", "ppf", x, loc=loc)
    assert charged == 16 * 12 and isinstance(got, fnp.ndarray)
    want = scipy_stats.logistic.ppf(np.asarray(x), loc=np.asarray(loc))
    np.testing.assert_array_equal(np.asarray(got), want)


def test_cost_model_weights_and_conventions() -> None:
    x = np.ones(10)
    for model, want in (("flopscope", 160), ("exact", 10), ("mac", 10)):
        with flops.BudgetContext(10**6, quiet=True, cost_model=model) as budget:
            flops.stats.expon.pdf(x)
        assert budget.flops_used == want, model


# -- failures leave no trace ----------------------------------------------------------------

BAD = [
    ("norm", "pdf", (np.ones(3), np.zeros(2)), {}, ValueError),  # loc does not broadcast
    ("lognorm", "pdf", (np.ones(3),), {}, TypeError),  # missing s
    ("truncnorm", "cdf", (np.ones(3), 0.0), {}, TypeError),  # missing b
    ("norm", "pdf", (1.0, 0, 1, 5), {}, TypeError),  # too many positionals
    ("norm", "cdf", (1.0,), {"foo": 1}, TypeError),
    ("norm", "pdf", (None,), {}, TypeError),  # scipy's own failure, refunded
]


@pytest.mark.parametrize(("dist", "method", "args", "kwargs", "exc"), BAD)
def test_bad_input_raises_scipy_error_and_charges_nothing(
    dist: str, method: str, args: tuple, kwargs: dict, exc: type
) -> None:
    with pytest.raises(exc):
        _scipy(dist, method, *args, **kwargs)
    with flops.BudgetContext(10**6, quiet=True) as budget:
        with pytest.raises(exc):
            getattr(getattr(flops.stats, dist), method)(*args, **kwargs)
    assert budget.flops_used == 0 and budget.op_log == []


def test_refused_call_leaves_no_trace() -> None:
    with flops.BudgetContext(100, quiet=True) as budget:
        flops.stats.uniform.cdf(np.ones(10))
        with pytest.raises(flops.BudgetExhaustedError):
            flops.stats.norm.pdf(np.ones(10))
    assert budget.flops_used == 10 and [r.op_name for r in budget.op_log] == ["stats.uniform.cdf"]


@settings(max_examples=40, deadline=None)
@given(
    pair=st.sampled_from(PAIRS),
    x_shape=st.lists(st.integers(min_value=0, max_value=3), max_size=3).map(tuple),
    loc_shape=st.lists(st.integers(min_value=1, max_value=3), max_size=3).map(tuple),
)
def test_cost_is_the_broadcast_numel(
    pair: tuple[str, str], x_shape: tuple[int, ...], loc_shape: tuple[int, ...]
) -> None:
    try:
        out = np.broadcast_shapes(x_shape, loc_shape)
    except ValueError:
        return
    dist, method = pair
    x, loc = np.full(x_shape, 0.4), np.zeros(loc_shape)
    charged, _, got = _call(dist, method, x, *SHAPE_ARGS.get(dist, ()), loc=loc)
    assert charged == max(1, math.prod(out)) * _weight(dist, method)
    assert got.shape == out
