"""Check-before-execute for ops that run user callbacks (``apply_along_axis``,
``apply_over_axes``, ``piecewise``, ``fromfunction``).

Their own price depends on the result, and the callbacks may call counted ops that bill on
their own. So the op runs against a scratch ledger that has the caller's remaining budget,
cost model, multiplier and deadline; only when the callbacks' charges plus the wrapper's own
price fit are the callbacks' records moved to the caller's ledger (the wrapper then charges
as usual). A refused call therefore leaves no trace: no charge and no record, callbacks
included (DIFFERENCES 3).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flopscope._budget import _ACTIVE, BudgetContext, default_context
from flopscope.errors import BudgetExhaustedError


class Speculated:
    """A result computed against a scratch ledger, not yet committed."""

    __slots__ = ("value", "scratch")

    def __init__(self, value: Any, scratch: BudgetContext) -> None:
        self.value = value
        self.scratch = scratch


def _scratch(parent: BudgetContext) -> BudgetContext:
    left = parent._budget - parent._used
    # a context needs a positive budget; 0.5 still admits only zero-cost ops
    ctx = BudgetContext(left if left > 0 else 0.5, parent._multiplier, quiet=True)
    ctx._model = parent._model
    ctx._prices = parent._prices  # same model and multiplier: same prices
    ctx._hot_prices = parent._hot_prices
    ctx._deadline = parent._deadline
    ctx._limit = parent._limit
    ctx._t_start = parent._t_start
    return ctx


def speculative(fn: Callable[..., Any]) -> Callable[..., Speculated]:
    """``fn`` run with the scratch ledger active; its result comes back as :class:`Speculated`."""

    def run(*args: Any, **kwargs: Any) -> Speculated:
        scratch = _scratch(_ACTIVE.get() or default_context())
        token = _ACTIVE.set(scratch)
        try:
            value = fn(*args, **kwargs)
        finally:
            _ACTIVE.reset(token)
        return Speculated(value, scratch)

    return run


def committing(
    name: str, price: Callable[[Any, tuple, dict], tuple]
) -> Callable[[Speculated, tuple, dict], tuple]:
    """``price_result`` for a speculative row: price the wrapper from the real result, then
    move the callbacks' charges and records to the caller's ledger if everything fits."""

    def post(result: Speculated, args: tuple, kwargs: dict) -> tuple:
        from flopscope.ops import lookup

        inputs = price(result.value, args, kwargs)
        parent = _ACTIVE.get() or default_context()
        own = parent._model.price(lookup(name), inputs, parent._multiplier, None)
        scratch = result.scratch
        with parent._lock:
            total = scratch._used + own
            if parent._used + total > parent._budget:
                raise BudgetExhaustedError(
                    name, flop_cost=total, flops_remaining=parent._budget - parent._used
                )
            cumulative = parent._used
            parent._used += scratch._used
            for rec in scratch._records:
                cumulative += rec[2]
                parent._records.append((*rec[:3], cumulative, *rec[4:]))
        return inputs

    return post


def unwrap(wrap: Callable[[Any], Any]) -> Callable[[Speculated], Any]:
    """The row's result wrapper applied to the committed value."""
    return lambda result: wrap(result.value)
