"""Dense einsum cost (symbolic only: shapes in, an integer out).

One operand: ∏(all labels) − ∏(output labels) additions.
Two operands: every summed label that only one operand carries is first reduced on that
operand (C·(R−1) additions); the remaining pair costs, with M = ∏(remaining labels) and
O = ∏(output labels):

* ``exact``: M multiplies + (M − O) additions = 2M − O (the first product of every output
  cell needs no add);
* ``fma``: 2M when a label is summed (a multiply-add is 2 FLOPs), M for a pure product;
* ``mac``: M (one per multiply-add).

Three or more operands: the sum of the two-operand costs over the pairwise steps of
opt_einsum's ``"auto"`` path for these shapes, whatever path executes (the price of a
program must not depend on the optimiser the user picked).

A zero-length label empties the sums it takes part in: no products, no additions, so the
pieces above never go negative.
"""

from __future__ import annotations

import math
from functools import lru_cache

from flopscope._einsum.parse import Shape, size_dict, split


def pair_parts(
    terms: list[str], out: str, sizes: dict[str, int]
) -> tuple[int, list[str], int, int, bool]:
    """``(pre, residual_labels, M, O, summed)`` of one step of one or two operands.

    ``pre`` is the cost of reducing labels private to one operand first (two operands only);
    ``M`` the number of residual index tuples, ``O`` the number of output cells and
    ``summed`` whether the residual step still sums a label.
    """
    out_set = set(out)
    o = math.prod(sizes[c] for c in out_set)
    if len(terms) == 1:
        labels = sorted(set(terms[0]))
        return 0, labels, math.prod(sizes[c] for c in labels), o, len(labels) > len(out_set)
    pre = 0
    residual: set[str] = set()
    for i, term in enumerate(terms):
        mine = set(term)
        others = set().union(*(set(t) for j, t in enumerate(terms) if j != i))
        private = {c for c in mine if c not in out_set and c not in others}
        if private:
            r = math.prod(sizes[c] for c in private)
            kept = math.prod(sizes[c] for c in mine - private)
            pre += kept * max(r - 1, 0)
        residual |= mine - private
    labels = sorted(residual)
    m = math.prod(sizes[c] for c in labels)
    return pre, labels, m, o, any(c not in out_set for c in labels)


def pair_cost(terms: list[str], out: str, sizes: dict[str, int], convention: str) -> int:
    """Cost of one contraction step of one or two operands (labels already explicit)."""
    pre, _, m, o, summed = pair_parts(terms, out, sizes)
    if m == 0:
        return pre
    if len(terms) == 1:
        return m - o
    if convention == "exact":
        return pre + (2 * m - o if summed else m)
    if convention == "fma":
        return pre + (2 * m if summed else m)
    return pre + m  # mac


@lru_cache(maxsize=4096)
def einsum_cost(canonical: str, shapes: tuple[Shape, ...], convention: str) -> int:
    """Path-independent dense cost of ``canonical`` on operands of ``shapes``."""
    terms, out = split(canonical)
    sizes = size_dict(canonical, shapes)
    if len(terms) <= 2:
        return pair_cost(terms, out, sizes, convention)
    total = 0
    for step_terms, step_out in auto_path_steps(canonical, shapes):
        total += pair_cost(step_terms, step_out, sizes, convention)
    return total


def full_shapes(canonical: str, shapes: tuple[Shape, ...]) -> tuple[Shape, ...]:
    """Operand shapes with broadcast 1-sized labels widened to their full size."""
    sizes = size_dict(canonical, shapes)
    terms, _ = split(canonical)
    return tuple(tuple(sizes[c] for c in t) for t in terms)


@lru_cache(maxsize=4096)
def auto_path_steps(canonical: str, shapes: tuple[Shape, ...]) -> tuple[tuple[list[str], str], ...]:
    """The pairwise steps (input terms, output term) of opt_einsum's ``"auto"`` path."""
    from flopscope._einsum.path import contract_path

    # broadcast 1-sized labels to their full size so the path sees the real problem
    _, info = contract_path(canonical, full_shapes(canonical, shapes), "auto")
    steps = []
    for contraction in info.contraction_list:
        lhs, rhs = contraction[2].split("->")
        steps.append((lhs.split(","), rhs))
    return tuple(steps)


def naive_cost(canonical: str, shapes: tuple[Shape, ...], convention: str) -> int:
    """Cost of the single naive loop over every index tuple (no pre-reduction, no path).

    k operands: (k − 1) multiplies per tuple plus ∏L − ∏O additions (``exact``); ``fma``
    counts a multiply-add as 2, ``mac`` as 1. One operand: ∏L − ∏O additions.
    """
    terms, out = split(canonical)
    sizes = size_dict(canonical, shapes)
    labels = set("".join(terms))
    m = math.prod(sizes[c] for c in labels)
    o = math.prod(sizes[c] for c in set(out))
    if m == 0:
        return 0
    k = len(terms)
    adds = m - o
    if k == 1:
        return adds
    summed = len(labels) > len(set(out))
    if convention == "exact":
        return (k - 1) * m + adds
    if convention == "fma":
        return (k - 1) * m + (m if summed else 0)
    return (k - 1) * m  # mac
