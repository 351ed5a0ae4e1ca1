"""Cost-only helpers: what an operation would cost, without running it or needing a budget.

Every helper takes ``cost_model=`` (a :class:`~flopscope.CostModel` or a built-in name;
default: the process default model) and returns the count under that model's multiply-add
convention, multiplied by the model's weight for the op and floored, as a budget would
charge it (without a context's ``flop_multiplier``). Helpers take explicit dimensions, so
they do not reproduce what depends on a call (operand identity, for example).

Symmetric operands are not supported yet: passing ``symmetry``/``operand_symmetries``/
``identity_pattern`` raises ``NotImplementedError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from flopscope._einsum.accumulation import (
    AccumulationCost,
    einsum_accumulation,
    reduction_accumulation,
    weighted,
)
from flopscope._einsum.parse import canonicalize, size_dict
from flopscope.costs.formulas import FORMULAS
from flopscope.costs.model import CostModel, resolve

__all__ = ["einsum_cost", "pointwise_cost", "reduction_cost", "svd_cost"]

ModelSpec = str | CostModel | None


def einsum_cost(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    operand_symmetries: Sequence[Any] | None = None,
    identity_pattern: Any = None,
    *,
    cost_model: ModelSpec = None,
) -> int:
    """What ``fnp.einsum(subscripts, *operands)`` charges for operands of ``shapes``.

    ``einsum_cost('ij,jk,kl->il', [(10, 20), (20, 30), (30, 5)])`` → 7,850.
    """
    if (operand_symmetries is not None and any(s is not None for s in operand_symmetries)) or (
        identity_pattern
    ):
        raise NotImplementedError(
            "einsum_cost: operand_symmetries and identity_pattern are not supported yet; "
            "only dense operands can be priced"
        )
    from flopscope.ops import lookup

    shapes_ = _shapes(shapes)
    canonical = canonicalize(subscripts, shapes_)
    size_dict(canonical, shapes_)
    return resolve(cost_model).price(lookup("einsum"), (canonical, shapes_))


def pointwise_cost(
    op_name: str,
    *,
    shape: int | Sequence[int],
    symmetry: Any = None,
    cost_model: ModelSpec = None,
) -> int:
    """An elementwise op on (or broadcasting to) ``shape``: numel (at least 1) × weight.

    ``pointwise_cost('exp', shape=(2, 3))`` → 96 under the default model.
    """
    _no_symmetry("pointwise_cost", symmetry)
    model = resolve(cost_model)
    count = FORMULAS["numel"]((_shape(shape),), model.convention)
    return _apply_weight(count, model.weight(op_name))


def reduction_cost(
    op_name: str,
    *,
    input_shape: int | Sequence[int],
    axis: int | Sequence[int] | None = None,
    symmetry: Any = None,
    cost_model: ModelSpec = None,
) -> int:
    """A ufunc-style reduction of ``input_shape`` over ``axis``: C·(R − 1) (at least 1) × weight.

    ``reduction_cost('sum', input_shape=(4, 5), axis=1)`` → 16; ``'std'`` weighs 2.
    """
    _no_symmetry("reduction_cost", symmetry)
    model = resolve(cost_model)
    shape = _shape(input_shape)
    count = FORMULAS["reduce"]((shape, _axis(axis, len(shape))), model.convention)
    return _apply_weight(count, model.weight(op_name))


def svd_cost(m: int, n: int, k: int | None = None, *, cost_model: ModelSpec = None) -> int:
    """(Truncated) SVD of an m×n matrix keeping k singular triplets: m·n·k × weight.

    ``k`` defaults to min(m, n). ``svd_cost(256, 256, 10)`` → 2,621,440.
    """
    m, n = int(m), int(n)
    if k is not None:
        k = int(k)
        if not 1 <= k <= min(m, n):
            raise ValueError(f"svd_cost: k={k} must be between 1 and min(m, n)={min(m, n)}")
    model = resolve(cost_model)
    count = FORMULAS["svd"](((m, n), k), model.convention)
    return _apply_weight(count, model.weight("linalg.svd"))


def einsum_accumulation_cost(
    subscripts: str,
    *operands: Any,
    partition_budget: int | None = None,
    cost_model: ModelSpec = None,
) -> AccumulationCost:
    """The cost ``fnp.einsum`` would charge for ``operands`` and how it is built.

    Only shapes are read; nothing runs and no budget is needed.
    ``einsum_accumulation_cost('ij,jk->ik', zeros((256, 256)), zeros((256, 256))).total`` →
    33,488,896.
    """
    if not isinstance(subscripts, str):
        raise TypeError("einsum_accumulation_cost: subscripts must be a string")
    model = resolve(cost_model)
    shapes = tuple(tuple(int(d) for d in np.shape(o)) for o in operands)
    canonical = canonicalize(subscripts, shapes)
    cost = einsum_accumulation(canonical, shapes, model.convention)
    return weighted(cost, model.weight("einsum"))


def reduction_accumulation_cost(
    a: Any,
    axis: int | Sequence[int] | None = None,
    *,
    op_factor: int | float = 1,
    extra_ops: int | float = 0,
    partition_budget: int | None = None,
    cost_model: ModelSpec = None,
) -> AccumulationCost:
    """A ufunc-style reduction of ``a`` over ``axis``: ``op_factor·C·(R − 1) + extra_ops``.

    Unweighted (``op_factor`` is the caller's weight); the cost model is accepted for a
    uniform signature (reductions do not depend on the multiply-add convention).
    ``reduction_accumulation_cost(np.zeros((256, 256))).total`` → 65,535.
    """
    resolve(cost_model)
    shape = tuple(int(d) for d in np.shape(a))
    return reduction_accumulation(shape, _axis(axis, len(shape)), op_factor, extra_ops)


# -- helpers --------------------------------------------------------------------------------


def _no_symmetry(helper: str, symmetry: Any) -> None:
    if symmetry is not None:
        raise NotImplementedError(
            f"{helper}: symmetry= is not supported yet; only dense shapes can be priced"
        )


def _shape(shape: int | Iterable[int]) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def _shapes(shapes: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(_shape(s) for s in shapes)


def _axis(axis: Any, ndim: int) -> tuple[int, ...] | None:
    if axis is None:
        return None
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _apply_weight(count: int, weight: float) -> int:
    """``int(count × weight)``, exact for integer weights (as ``CostModel.price``)."""
    return count * int(weight) if float(weight).is_integer() else int(count * weight)
