"""Contraction formulas: einsum and the bilinear ops that bill as an einsum."""

from __future__ import annotations

import math

from flopscope.costs.formulas import formula


@formula("einsum")
def einsum(inputs: tuple, convention: str) -> int:
    """Einsum cost. inputs: ``(canonical_subscripts, operand_shapes)`` for dense operands,
    plus a third entry, the operands' symmetry fingerprint ``(groups, identity)``, when an
    operand carries a group or the same object appears twice.

    Path-independent: k <= 2 operands are priced directly, k >= 3 as the sum over the
    pairwise steps of opt_einsum's ``"auto"`` path (see :mod:`flopscope._einsum.cost` and,
    for symmetric operands, :mod:`flopscope._symmetry.einsum_cost`).
    """
    if len(inputs) == 3:
        from flopscope._symmetry.einsum_cost import symmetric_accumulation

        return symmetric_accumulation(inputs[0], inputs[1], inputs[2], convention).total
    from flopscope._einsum.cost import einsum_cost

    subscripts, shapes = inputs
    return einsum_cost(subscripts, shapes, convention)


@formula("outer_product")
def outer_product(inputs: tuple, convention: str) -> int:
    """One multiply per output element (``outer``, ``kron``). inputs: ``(n_out,)``; for
    ``outer(v, v)`` with the same object twice ``(n_out, n_unique)``: the n(n+1)/2 distinct
    products of a symmetric result."""
    return max(1, inputs[-1])


@formula("cross")
def cross(inputs: tuple, convention: str) -> int:
    """Vector cross products: 5 FLOPs per element of the larger operand (3 mul-sub pairs,
    counted as in 0.4.0). inputs: operand shapes."""
    return 5 * max(1, max(math.prod(s) for s in inputs))
