"""``flops.configure``, the NaN/Inf output scan and the cache controls (spec §3.5, §3.11)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _config
from flopscope.costs import model as cost_model
from flopscope.numpy import _factory

CHAIN = "ij,jk,kl->il"
SHAPES = ((10, 20), (20, 30), (30, 5))
INTS = ("dimino_budget", "einsum_path_cache_size", "partition_budget")
BOOLS = ("check_nan_inf", "symmetry_warnings")


@pytest.fixture(autouse=True)
def _restore_defaults() -> Iterator[None]:
    yield
    flops.configure(**_config.DEFAULTS)


def chain_ops() -> list[np.ndarray]:
    return [np.ones(s) for s in SHAPES]


def flopscope_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, flops.FlopscopeWarning)]


def run_recording(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """``fn(*args, **kwargs)`` with every warning recorded; numpy's own RuntimeWarnings off."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        result = fn(*args, **kwargs)
    return result, flopscope_warnings(caught)


# -- settings ---------------------------------------------------------------------------------


def test_defaults_are_the_documented_ones() -> None:
    assert dict(_config.DEFAULTS) == {
        "check_nan_inf": False,
        "dimino_budget": 50_000,
        "einsum_path_cache_size": 4096,
        "partition_budget": 100_000,
        "symmetry_warnings": True,
    }
    for key, value in _config.DEFAULTS.items():
        assert _config.get(key) == value


def test_exported_names() -> None:
    for name in (
        "configure",
        "clear_cache",
        "einsum_clear_caches",
        "einsum_cache_info",
        "reduction_clear_cache",
        "reduction_cache_info",
    ):
        assert name in flops.__all__ and callable(getattr(flops, name)), name
    for name in ("clear_einsum_cache", "einsum_cache_info"):
        assert name in fnp.__all__ and callable(getattr(fnp, name)), name


def test_unknown_setting() -> None:
    with pytest.raises(ValueError) as err:
        flops.configure(foo=1)
    assert str(err.value) == "Unknown setting: 'foo'"
    with pytest.raises(ValueError, match=r"^Unknown setting: 'bar'$"):
        _config.get("bar")


def test_configure_returns_none_and_applies_every_setting() -> None:
    new = {
        "check_nan_inf": True,
        "dimino_budget": 7,
        "einsum_path_cache_size": 16,
        "partition_budget": 0,
        "symmetry_warnings": False,
    }
    assert flops.configure(**new) is None
    assert {k: _config.get(k) for k in new} == new
    assert flops.configure() is None  # no arguments: nothing changes
    assert {k: _config.get(k) for k in new} == new


def test_a_rejected_call_changes_nothing() -> None:
    with pytest.raises(ValueError, match="Unknown setting: 'nope'"):
        flops.configure(dimino_budget=3, nope=True)
    with pytest.raises(ValueError):
        flops.configure(partition_budget=5, dimino_budget=-1)
    assert _config.get("dimino_budget") == 50_000
    assert _config.get("partition_budget") == 100_000


@pytest.mark.parametrize("key", INTS)
@pytest.mark.parametrize("bad", ["5", 1.5, 2.0, None, True, np.float64(3.0)])
def test_int_settings_reject_non_integers(key: str, bad: Any) -> None:
    with pytest.raises(TypeError, match=key):
        flops.configure(**{key: bad})
    assert _config.get(key) == _config.DEFAULTS[key]


@pytest.mark.parametrize("key", INTS)
def test_int_settings_reject_negatives_and_accept_numpy_ints(key: str) -> None:
    with pytest.raises(ValueError, match=f"{key} must be non-negative, got -1"):
        flops.configure(**{key: -1})
    flops.configure(**{key: np.int64(12)})
    assert _config.get(key) == 12 and type(_config.get(key)) is int
    flops.configure(**{key: 0})
    assert _config.get(key) == 0


@pytest.mark.parametrize("key", BOOLS)
@pytest.mark.parametrize("bad", [1, 0, "yes", None])
def test_bool_settings_reject_non_bools(key: str, bad: Any) -> None:
    with pytest.raises(TypeError, match=key):
        flops.configure(**{key: bad})
    assert _config.get(key) is _config.DEFAULTS[key]


@pytest.mark.parametrize("key", BOOLS)
def test_bool_settings_accept_numpy_bools(key: str) -> None:
    flops.configure(**{key: np.bool_(not _config.DEFAULTS[key])})
    assert _config.get(key) is (not _config.DEFAULTS[key])


def test_on_change_fires_now_and_on_changes_only() -> None:
    seen: list[Any] = []
    _config.on_change("dimino_budget", seen.append)
    try:
        assert seen == [50_000]
        flops.configure(dimino_budget=50_000)  # unchanged: no call
        flops.configure(dimino_budget=9)
        assert seen == [50_000, 9]
    finally:
        _config._LISTENERS["dimino_budget"].remove(seen.append)
    with pytest.raises(ValueError, match="Unknown setting"):
        _config.on_change("nope", seen.append)


def test_einsum_path_cache_size_rebuilds_the_path_cache() -> None:
    with flops.BudgetContext(10**9, quiet=True):
        fnp.einsum(CHAIN, *chain_ops())
    assert fnp.einsum_cache_info().currsize >= 1
    flops.configure(einsum_path_cache_size=2)
    info = flops.einsum_cache_info()["path"]
    assert (info.maxsize, info.currsize, info.hits, info.misses) == (2, 0, 0, 0)
    assert fnp.einsum_cache_info() == info
    with flops.BudgetContext(10**9, quiet=True) as budget:
        for n in (5, 6, 7):
            fnp.einsum(CHAIN, np.ones((n, 20)), np.ones((20, 30)), np.ones((30, 5)))
        fnp.einsum_path(CHAIN, *chain_ops())  # imports contract_path by name: same cache
    info = fnp.einsum_cache_info()
    assert info.maxsize == 2 and info.currsize == 2 and info.misses == 4
    assert budget.op_log[-1].flop_cost == 1


def test_path_cache_size_zero_caches_nothing_and_changes_no_result() -> None:
    with flops.BudgetContext(10**9, quiet=True) as warm:
        r1 = fnp.einsum(CHAIN, *chain_ops())
    flops.configure(einsum_path_cache_size=0)
    with flops.BudgetContext(10**9, quiet=True) as cold:
        r2 = fnp.einsum(CHAIN, *chain_ops())
        fnp.einsum(CHAIN, *chain_ops())
    assert fnp.einsum_cache_info().currsize == 0
    assert cold.flops_used == 2 * warm.flops_used == 2 * 7_850
    np.testing.assert_array_equal(r1, r2)


# -- the NaN/Inf scan -------------------------------------------------------------------------


def test_scan_is_off_by_default() -> None:
    assert _factory._CHECK_NAN_INF is False
    with flops.BudgetContext(10**6, quiet=True) as budget:
        x = fnp.array([0.0, 1.0, -1.0])
        _, seen = run_recording(lambda: (fnp.log(x), x / 0, fnp.sum(fnp.log(x))))
    assert seen == []
    assert budget.flops_used == 3 + 48 + 3 + 48 + 2  # array, log (×16), divide, log, sum


def test_scan_follows_configure() -> None:
    flops.configure(check_nan_inf=True)
    assert _factory._CHECK_NAN_INF is True
    flops.configure(check_nan_inf=False)
    assert _factory._CHECK_NAN_INF is False


def test_scan_warning_texts() -> None:
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6, quiet=True):
        x = fnp.array([0.0, 1.0, -1.0])
        y, seen = run_recording(fnp.log, x)
        assert seen == ["log produced 1 NaN and 1 Inf values in output of shape (3,)"]
        _, seen = run_recording(lambda: x / 0)  # dunder spelling
        assert seen == ["divide produced 1 NaN and 2 Inf values in output of shape (3,)"]
        _, seen = run_recording(fnp.sum, y)  # reduction (slow path), 0-d result
        assert seen == ["sum produced 1 NaN and 0 Inf values in output of shape ()"]
        _, seen = run_recording(fnp.full, (2, 3), np.inf)  # custom row
        assert seen == ["full produced 0 NaN and 6 Inf values in output of shape (2, 3)"]
        _, seen = run_recording(fnp.matmul, np.full((2, 2), np.nan), np.ones((2, 2)))
        assert seen == ["matmul produced 4 NaN and 0 Inf values in output of shape (2, 2)"]


def test_scan_checks_every_output_of_a_multi_output_op() -> None:
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6, quiet=True):
        (frac, whole), seen = run_recording(fnp.modf, np.array([np.inf, 1.5]))
    assert seen == ["modf produced 0 NaN and 1 Inf values in output of shape (2,)"]
    assert whole[0] == np.inf and frac[1] == 0.5


def test_scan_sees_out_arrays_and_complex_values() -> None:
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6, quiet=True):
        out = np.empty(2)
        r, seen = run_recording(fnp.sqrt, np.array([-1.0, 4.0]), out=out)
        assert r is out and seen == ["sqrt produced 1 NaN and 0 Inf values in output of shape (2,)"]
        z = np.array([complex(np.nan, 0), complex(0, np.inf), 1j])
        _, seen = run_recording(fnp.negative, z)
        assert seen == ["negative produced 1 NaN and 1 Inf values in output of shape (3,)"]


def test_scan_is_silent_for_finite_and_integer_outputs() -> None:
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6, quiet=True):
        _, seen = run_recording(lambda: fnp.exp(fnp.ones(4)) + 1)
        assert seen == []
        _, seen = run_recording(fnp.floor_divide, np.array([1, 2]), np.array([0, 1]))
        assert seen == []  # integer division by zero gives 0, never NaN
        _, seen = run_recording(fnp.isnan, np.array([np.nan]))
        assert seen == []  # a bool output


def test_scan_charges_nothing_and_records_nothing_extra() -> None:
    def work() -> None:
        x = fnp.array([0.0, 1.0, -1.0])
        fnp.sum(fnp.log(x) / x)
        fnp.einsum(CHAIN, *chain_ops())

    with flops.BudgetContext(10**6, quiet=True) as off:
        run_recording(work)
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6, quiet=True) as on:
        _, seen = run_recording(work)
    assert len(seen) == 3  # log, divide, sum
    assert on.flops_used == off.flops_used == 3 + 48 + 3 + 2 + 7_850
    assert [r.op_name for r in on.op_log] == [r.op_name for r in off.op_log]


def test_scan_warning_points_at_the_callers_line() -> None:
    x = fnp.array([np.nan])
    flops.configure(check_nan_inf=True)
    with flops.BudgetContext(10**6, quiet=True), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fnp.exp(x)
        x + 1
        fnp.sum(x)
    assert len(caught) == 3
    assert {w.filename for w in caught} == {__file__}


def test_a_refused_call_is_not_scanned() -> None:
    flops.configure(check_nan_inf=True)
    x = np.full(10, np.nan)
    with flops.BudgetContext(100, quiet=True) as budget:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pytest.raises(flops.BudgetExhaustedError):
                fnp.exp(x)  # 10 × 16 > 100: refused before numpy runs
        assert flopscope_warnings(caught) == []
        _, seen = run_recording(fnp.exp, x[:5])
    assert seen == ["exp produced 5 NaN and 0 Inf values in output of shape (5,)"]
    assert budget.flops_used == 80


# -- caches -----------------------------------------------------------------------------------


def test_einsum_cache_counters_move_and_clear() -> None:
    flops.clear_cache()  # the price caches sit in front of the einsum cost cache
    info = flops.einsum_cache_info()
    assert set(info) == {"path", "accumulation"}
    assert info["path"].currsize == info["accumulation"].currsize == 0
    with flops.BudgetContext(10**9, quiet=True):
        fnp.einsum(CHAIN, *chain_ops())
        fnp.einsum(CHAIN, *chain_ops(), optimize="greedy")
    info = flops.einsum_cache_info()
    assert info["path"].misses >= 2 and info["accumulation"].misses >= 1
    flops.einsum_clear_caches()
    info = flops.einsum_cache_info()
    assert info["path"].currsize == info["accumulation"].currsize == 0


def test_fnp_clear_einsum_cache_empties_only_the_path_cache() -> None:
    flops.clear_cache()
    with flops.BudgetContext(10**9, quiet=True):
        fnp.einsum(CHAIN, *chain_ops())
    before = flops.einsum_cache_info()["accumulation"].currsize
    assert before >= 1
    fnp.clear_einsum_cache()
    assert fnp.einsum_cache_info().currsize == 0
    assert flops.einsum_cache_info()["accumulation"].currsize == before


def test_reduction_cache_counters_move_and_clear() -> None:
    flops.reduction_clear_cache()
    assert flops.reduction_cache_info().currsize == 0
    a = np.zeros((4, 5))
    assert flops.reduction_accumulation_cost(a, axis=1).total == 16
    assert flops.reduction_accumulation_cost(a, axis=-1).total == 16  # same normalised key
    assert flops.reduction_accumulation_cost(a).total == 19
    info = flops.reduction_cache_info()
    assert (info.hits, info.misses, info.currsize) == (1, 2, 2)
    flops.reduction_clear_cache()
    assert flops.reduction_cache_info().currsize == 0
    assert flops.reduction_accumulation_cost(a, axis=1).total == 16


def test_clear_cache_empties_every_cost_cache() -> None:
    with flops.BudgetContext(10**9, quiet=True) as budget:
        fnp.einsum(CHAIN, *chain_ops())
        fnp.sum(np.ones((4, 5)), axis=0)
        flops.reduction_accumulation_cost(np.zeros(3))
        assert budget._prices and budget.cost_model._cache
        flops.clear_cache()
        assert not budget._prices and not budget.cost_model._cache
        einsum = flops.einsum_cache_info()
        assert einsum["path"].currsize == einsum["accumulation"].currsize == 0
        assert flops.reduction_cache_info().currsize == 0
        assert not cost_model.default_model()._cache
        fnp.sum(np.ones((4, 5)), axis=0)  # charging works on cold caches
    assert [r.flop_cost for r in budget.op_log] == [7_850, 15, 15]


def test_clear_cache_reaches_the_global_default() -> None:
    default = flops._budget.default_context()
    before = default.flops_used
    fnp.exp(np.ones(3))
    assert default._prices
    flops.clear_cache()
    assert not default._prices
    fnp.exp(np.ones(3))
    assert default.flops_used == before + 2 * 48


def _workload() -> list[int]:
    with flops.BudgetContext(10**9, quiet=True) as budget:
        a = fnp.ones((6, 7))
        fnp.einsum(CHAIN, *chain_ops())
        fnp.einsum("ij,jk->ik", a, a.T)
        fnp.sum(a, axis=1)
        fnp.exp(a) + a
        a @ a.T
    return [r.flop_cost for r in budget.op_log]


def test_clearing_between_identical_calls_gives_identical_charges() -> None:
    warm = _workload()
    assert _workload() == warm
    flops.clear_cache()
    assert _workload() == warm
    flops.configure(einsum_path_cache_size=1)
    assert _workload() == warm
    # einsum chain, einsum 6×7·7×6 = 36·(2·7 − 1), sum 6·(7 − 1), exp 42·16, add, matmul
    assert warm == [7_850, 468, 36, 672, 42, 468]


@settings(max_examples=30, deadline=None)
@given(
    dims=st.tuples(*[st.integers(1, 9)] * 4),
    axis=st.sampled_from([None, 0, 1]),
)
def test_cold_and_warm_caches_price_alike(dims: tuple[int, ...], axis: int | None) -> None:
    m, k, n, p = dims

    def charges() -> list[int]:
        with flops.BudgetContext(10**12, quiet=True) as budget:
            ops = (np.ones((m, k)), np.ones((k, n)), np.ones((n, p)))
            fnp.einsum("ij,jk,kl->il", *ops)
            fnp.sum(ops[0], axis=axis)
        cost = flops.reduction_accumulation_cost(ops[0], axis=axis).total
        return [r.flop_cost for r in budget.op_log] + [cost]

    flops.clear_cache()
    cold = charges()
    assert charges() == cold
    r = m * k if axis is None else (m, k)[axis]
    expected = m * k // r * (r - 1)
    assert cold[1] == max(1, expected) and cold[2] == expected
