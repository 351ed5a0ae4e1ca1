"""Cost formulas: pure functions of an op's analytical inputs.

A formula takes the hashable *inputs* tuple a wrapper extracted from a call (shapes, axes,
subscripts, sizes; never array data) and the multiply-add *convention* of the active cost
model, and returns the unweighted analytical FLOP count as an ``int``. Formulas never touch
the budget; :class:`flopscope.costs.CostModel` applies weights and caches by inputs.

Add a formula with ``@formula("key")``; rows refer to it by that key.
"""

from __future__ import annotations

import math
from collections.abc import Callable

Shape = tuple[int, ...]
Formula = Callable[[tuple, str], int]

FORMULAS: dict[str, Formula] = {}

#: multiply-add conventions understood by every formula
CONVENTIONS = ("exact", "fma", "mac")


def formula(key: str) -> Callable[[Formula], Formula]:
    """Register ``fn`` as the formula named ``key``."""

    def register(fn: Formula) -> Formula:
        if key in FORMULAS:
            raise ValueError(f"formula {key!r} registered twice")
        FORMULAS[key] = fn
        return fn

    return register


def broadcast_numel(shapes: tuple[Shape, ...]) -> int:
    """Number of elements of the broadcast of ``shapes`` (numpy's rules, no validation)."""
    ndim = max((len(s) for s in shapes), default=0)
    total = 1
    for i in range(1, ndim + 1):
        size = 1
        for s in shapes:
            if len(s) >= i:
                d = s[-i]
                if d != 1:
                    size = d
        total *= size
    return total


def reduced_split(shape: Shape, axis: tuple[int, ...] | None) -> tuple[int, int]:
    """``(C, R)``: output cells and elements reduced into each, for a normalised axis."""
    if axis is None:
        return 1, math.prod(shape)
    r = 1
    c = 1
    for i, d in enumerate(shape):
        if i in axis:
            r *= d
        else:
            c *= d
    return c, r


def ceil_log2(n: int) -> int:
    """``ceil(log2 n)`` for ``n >= 1`` (0 for 1), exact for big integers."""
    return (n - 1).bit_length() if n > 1 else 0


# --- elementwise -------------------------------------------------------------------------


@formula("numel")
def numel(inputs: tuple, convention: str) -> int:
    """One FLOP per element of the broadcast output, at least 1. inputs: operand shapes."""
    return max(1, broadcast_numel(inputs))


@formula("numel_first")
def numel_first(inputs: tuple, convention: str) -> int:
    """One FLOP per element of the first operand, at least 1. inputs: operand shapes."""
    return max(1, math.prod(inputs[0]))


@formula("numel_max")
def numel_max(inputs: tuple, convention: str) -> int:
    """One FLOP per element of the larger operand, at least 1. inputs: operand shapes."""
    return max(1, max(math.prod(s) for s in inputs))


# --- reductions --------------------------------------------------------------------------


@formula("reduce")
def reduce_(inputs: tuple, convention: str) -> int:
    """Ufunc-style reduction: C·(R−1), the first element of each cell is a free copy.

    inputs: ``(shape, axis)`` with ``axis`` a sorted tuple of non-negative ints or ``None``.
    """
    c, r = reduced_split(*inputs)
    return max(1, c * (r - 1))


@formula("reduce_mean")
def reduce_mean(inputs: tuple, convention: str) -> int:
    """Sum then one divide per output cell: C·(R−1) + C (0 for empty inputs, as in 0.4.0)."""
    c, r = reduced_split(*inputs)
    return c * (r - 1) + c


@formula("reduce_select")
def reduce_select(inputs: tuple, convention: str) -> int:
    """Selection (median, percentile, quantile): one partition pass per cell, C·R (may be 0)."""
    c, r = reduced_split(*inputs)
    return c * r


# --- creation and copies -----------------------------------------------------------------


@formula("count")
def count(inputs: tuple, convention: str) -> int:
    """A precomputed element count, at least 1. inputs: ``(n,)``."""
    return max(1, inputs[0])


@formula("count0")
def count0(inputs: tuple, convention: str) -> int:
    """A precomputed element count that may be 0. inputs: ``(n,)``."""
    return inputs[0]


@formula("zero")
def zero(inputs: tuple, convention: str) -> int:
    """Logged but free."""
    return 0


@formula("manual")
def manual(inputs: tuple, convention: str) -> int:
    """An explicit cost given to ``BudgetContext.deduct``. inputs: ``(cost, subscripts, shapes)``."""
    return inputs[0]
