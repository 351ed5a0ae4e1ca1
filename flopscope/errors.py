"""Exceptions and warnings raised by flopscope.

Messages follow the 0.4.0 release's templates so that code matching on them keeps working.
"""

from __future__ import annotations

import os

__all__ = [
    "FlopscopeError",
    "BudgetExhaustedError",
    "TimeExhaustedError",
    "NoBudgetContextError",
    "SymmetryError",
    "UnsupportedFunctionError",
    "FlopscopeWarning",
    "SymmetryLossWarning",
    "CostFallbackWarning",
    "docs_url",
    "nan_inf_warning",
    "symmetry_loss_warning",
    "cost_fallback_warning",
]


def docs_url(page: str) -> str:
    """Absolute link to a docs page; the root can be moved with ``FLOPSCOPE_DOCS_ROOT``."""
    root = os.environ.get("FLOPSCOPE_DOCS_ROOT", "https://aicrowd.github.io/flopscope/docs")
    return f"{root.rstrip('/')}/{page}"


def _count(x: float) -> str:
    """``1,234`` for counts; integral floats (float budgets) print as integers."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}"


class FlopscopeError(Exception):
    """Base class of every flopscope error."""


class BudgetExhaustedError(FlopscopeError):
    """An operation would cost more FLOPs than the active budget has left."""

    def __init__(self, op_name: str, *, flop_cost: int, flops_remaining: int) -> None:
        self.op_name = op_name
        self.flop_cost = flop_cost
        self.flops_remaining = flops_remaining
        super().__init__(
            f"{op_name} would cost {_count(flop_cost)} FLOPs but only "
            f"{_count(flops_remaining)} remain. "
            f"See: {docs_url('guides/budget-planning')}"
        )


class TimeExhaustedError(FlopscopeError):
    """The wall-clock limit of the active budget has passed."""

    def __init__(self, op_name: str, *, elapsed_s: float, limit_s: float) -> None:
        self.op_name = op_name
        self.elapsed_s = elapsed_s
        self.limit_s = limit_s
        super().__init__(
            f"{op_name}: wall-clock time {elapsed_s:.3f}s exceeds limit {limit_s:.3f}s. "
            f"See: {docs_url('guides/budget-planning')}"
        )


class NoBudgetContextError(FlopscopeError):
    """A label was pushed while no budget is active in this thread."""

    def __init__(self) -> None:
        super().__init__(
            "No active BudgetContext. Wrap your code in "
            "`with flopscope.BudgetContext(flop_budget=...):` to give it a FLOP budget."
            f" See: {docs_url('getting-started/competition')}"
        )


class SymmetryError(FlopscopeError):
    """A tensor is not symmetric under the group it was declared with."""

    def __init__(
        self,
        axes: tuple[int, ...],
        max_deviation: float,
        *,
        atol: float = 1e-6,
        rtol: float = 1e-5,
        message: str | None = None,
    ) -> None:
        self.axes = tuple(axes)
        self.max_deviation = max_deviation
        self.atol = atol
        self.rtol = rtol
        text = message or (
            f"Tensor not symmetric along axes {self.axes}: max deviation = {max_deviation} "
            f"(tolerance: atol={atol}, rtol={rtol})."
        )
        super().__init__(f"{text} See: {docs_url('guides/symmetry')}")


class UnsupportedFunctionError(FlopscopeError):
    """A numpy function that flopscope cannot count with the installed numpy."""

    def __init__(
        self,
        func_name: str,
        *,
        min_version: str | None = None,
        max_version: str | None = None,
        replacement: str | None = None,
        installed: str | None = None,
    ) -> None:
        import numpy

        self.func_name = func_name
        self.min_version = min_version
        self.max_version = max_version
        self.replacement = replacement
        have = installed or numpy.__version__
        if max_version is not None:
            hint = f"; use `{replacement}` instead" if replacement else ""
            msg = f"numpy.{func_name} was removed in numpy {max_version}{hint} (you have numpy {have})."
        elif min_version is not None:
            msg = (
                f"numpy.{func_name} requires numpy >= {min_version} (you have numpy {have}). "
                f"To use it: uv pip install 'numpy>={min_version}'"
            )
        else:
            msg = f"numpy.{func_name} is not supported by flopscope."
        super().__init__(msg)


class FlopscopeWarning(UserWarning):
    """Base class of flopscope warnings."""


class SymmetryLossWarning(FlopscopeWarning):
    """An operation dropped a declared symmetry."""


class CostFallbackWarning(FlopscopeWarning):
    """A symmetry-aware cost was too large to compute; the dense cost was charged."""


def nan_inf_warning(
    op_name: str, n_nan: int, n_inf: int, shape: tuple[int, ...]
) -> FlopscopeWarning:
    """The warning of the NaN/Inf output scan (``configure(check_nan_inf=True)``)."""
    return FlopscopeWarning(
        f"{op_name} produced {n_nan} NaN and {n_inf} Inf values in output of shape {shape}"
    )


def symmetry_loss_warning(dims: tuple[int, ...], reason: str) -> SymmetryLossWarning:
    """The warning for an op that drops declared symmetry along ``dims``."""
    return SymmetryLossWarning(
        f"Symmetry lost along dims {tuple(dims)}: {reason}. Use as_symmetric() to re-tag if "
        "you know the result is symmetric. Suppress with "
        "flops.configure(symmetry_warnings=False)."
    )


def cost_fallback_warning(op_name: str, group_order: int, limit: int) -> CostFallbackWarning:
    """The warning for a symmetry-aware cost too large to enumerate (dense cost charged)."""
    return CostFallbackWarning(
        f"{op_name}: symmetry group of order {group_order:,} exceeds the enumeration budget "
        f"of {limit:,}; the dense cost was charged."
    )
