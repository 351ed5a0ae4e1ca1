"""Error and warning classes, their attributes and messages (spec §3.5)."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import errors
from flopscope.errors import (
    BudgetExhaustedError,
    CostFallbackWarning,
    FlopscopeError,
    FlopscopeWarning,
    NoBudgetContextError,
    SymmetryError,
    SymmetryLossWarning,
    TimeExhaustedError,
    UnsupportedFunctionError,
)

DOCS = "https://aicrowd.github.io/flopscope/docs"


@pytest.fixture(autouse=True)
def _default_docs_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOPSCOPE_DOCS_ROOT", raising=False)


def test_hierarchy_and_exports() -> None:
    for cls in (
        BudgetExhaustedError,
        TimeExhaustedError,
        NoBudgetContextError,
        SymmetryError,
        UnsupportedFunctionError,
    ):
        assert issubclass(cls, FlopscopeError)
        assert getattr(flops, cls.__name__) is cls
    assert issubclass(FlopscopeError, Exception)
    assert issubclass(FlopscopeWarning, UserWarning)
    assert issubclass(SymmetryLossWarning, FlopscopeWarning)
    assert issubclass(CostFallbackWarning, FlopscopeWarning)
    assert flops.FlopscopeWarning is FlopscopeWarning
    assert flops.SymmetryLossWarning is SymmetryLossWarning
    assert flops.errors.CostFallbackWarning is CostFallbackWarning
    assert "CostFallbackWarning" not in flops.__all__


def test_budget_exhausted_message_and_attributes() -> None:
    err = BudgetExhaustedError("einsum", flop_cost=1_234_567, flops_remaining=999)
    assert (err.op_name, err.flop_cost, err.flops_remaining) == ("einsum", 1_234_567, 999)
    assert str(err) == (
        f"einsum would cost 1,234,567 FLOPs but only 999 remain. See: {DOCS}/guides/budget-planning"
    )


def test_budget_exhausted_from_a_real_call() -> None:
    with flops.BudgetContext(2000, quiet=True):
        fnp.add(np.ones(1500), 1)
        with pytest.raises(BudgetExhaustedError) as info:
            fnp.exp(np.ones(100))
    assert str(info.value) == (
        f"exp would cost 1,600 FLOPs but only 500 remain. See: {DOCS}/guides/budget-planning"
    )


def test_float_budget_remainder_prints_as_a_count() -> None:
    with flops.BudgetContext(1e3, quiet=True), pytest.raises(BudgetExhaustedError) as info:
        fnp.add(np.ones(1001), 1)
    assert "but only 1,000 remain." in str(info.value)
    assert info.value.flops_remaining == 1000


def test_time_exhausted_message_and_attributes() -> None:
    err = TimeExhaustedError("add", elapsed_s=0.1, limit_s=0.05)
    assert (err.op_name, err.elapsed_s, err.limit_s) == ("add", 0.1, 0.05)
    assert str(err) == (
        f"add: wall-clock time 0.100s exceeds limit 0.050s. See: {DOCS}/guides/budget-planning"
    )


def test_no_budget_context_message() -> None:
    err = NoBudgetContextError()
    text = str(err)
    assert text.startswith("No active BudgetContext. Wrap your code in")
    assert "with flopscope.BudgetContext(" in text
    assert text.endswith(f" See: {DOCS}/getting-started/competition")
    assert err.args == (text,)


def test_no_budget_context_raised_by_scope_in_a_fresh_thread() -> None:
    caught: list[BaseException] = []

    def work() -> None:
        try:
            with flops.scope("x"):
                pass  # pragma: no cover
        except NoBudgetContextError as e:
            caught.append(e)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert len(caught) == 1


def test_symmetry_error() -> None:
    err = SymmetryError((0, 1), 0.98, atol=1e-6, rtol=1e-5)
    assert (err.axes, err.max_deviation, err.atol, err.rtol) == ((0, 1), 0.98, 1e-6, 1e-5)
    assert str(err) == (
        "Tensor not symmetric along axes (0, 1): max deviation = 0.98 "
        f"(tolerance: atol=1e-06, rtol=1e-05). See: {DOCS}/guides/symmetry"
    )
    structural = SymmetryError([0, 2], float("inf"), message="Axis sizes differ.")
    assert structural.axes == (0, 2)
    assert structural.max_deviation == float("inf")
    assert str(structural) == f"Axis sizes differ. See: {DOCS}/guides/symmetry"


def test_unsupported_function_templates() -> None:
    removed = UnsupportedFunctionError(
        "trapz", max_version="2.0", replacement="numpy.trapezoid", installed="2.4.6"
    )
    assert str(removed) == (
        "numpy.trapz was removed in numpy 2.0; use `numpy.trapezoid` instead "
        "(you have numpy 2.4.6)."
    )
    assert (removed.func_name, removed.min_version, removed.max_version) == ("trapz", None, "2.0")
    assert removed.replacement == "numpy.trapezoid"
    too_new = UnsupportedFunctionError("matvec", min_version="2.2", installed="2.1.0")
    assert str(too_new) == (
        "numpy.matvec requires numpy >= 2.2 (you have numpy 2.1.0). "
        "To use it: uv pip install 'numpy>=2.2'"
    )
    generic = UnsupportedFunctionError("random.Generator.foo")
    assert str(generic) == "numpy.random.Generator.foo is not supported by flopscope."
    assert (generic.min_version, generic.max_version, generic.replacement) == (None, None, None)
    assert np.__version__ in str(UnsupportedFunctionError("x", min_version="99"))


def test_docs_root_override_strips_the_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOPSCOPE_DOCS_ROOT", "http://localhost:8000/site/")
    assert errors.docs_url("guides/x") == "http://localhost:8000/site/guides/x"
    err = TimeExhaustedError("add", elapsed_s=1.0, limit_s=0.5)
    assert str(err).endswith("See: http://localhost:8000/site/guides/budget-planning")


def test_warning_messages() -> None:
    w = errors.symmetry_loss_warning((0, 1), "sum reduced dims")
    assert isinstance(w, SymmetryLossWarning)
    assert str(w) == (
        "Symmetry lost along dims (0, 1): sum reduced dims. Use as_symmetric() to re-tag if you "
        "know the result is symmetric. Suppress with flops.configure(symmetry_warnings=False)."
    )
    nan = errors.nan_inf_warning("log", 2, 1, (3, 4))
    assert type(nan) is FlopscopeWarning
    assert str(nan) == "log produced 2 NaN and 1 Inf values in output of shape (3, 4)"
    fallback = errors.cost_fallback_warning("einsum", 362_880, 50_000)
    assert isinstance(fallback, CostFallbackWarning)
    assert "einsum" in str(fallback) and "362,880" in str(fallback) and "50,000" in str(fallback)
    with pytest.warns(SymmetryLossWarning, match="Symmetry lost along dims"):
        warnings.warn(w, stacklevel=1)
