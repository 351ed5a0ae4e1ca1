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
"""

from __future__ import annotations

import math
from functools import lru_cache

from flopscope._einsum.parse import Shape, size_dict, split


def pair_cost(terms: list[str], out: str, sizes: dict[str, int], convention: str) -> int:
    """Cost of one contraction step of one or two operands (labels already explicit)."""
    out_set = set(out)
    o = math.prod(sizes[c] for c in out_set)
    if len(terms) == 1:
        labels = set(terms[0])
        return math.prod(sizes[c] for c in labels) - o
    cost = 0
    residual: set[str] = set()
    for i, term in enumerate(terms):
        mine = set(term)
        others = set().union(*(set(t) for j, t in enumerate(terms) if j != i))
        private = {c for c in mine if c not in out_set and c not in others}
        if private:
            r = math.prod(sizes[c] for c in private)
            c_ = math.prod(sizes[c] for c in mine - private)
            cost += c_ * (r - 1)
        residual |= mine - private
    m = math.prod(sizes[c] for c in residual)
    inner = any(c not in out_set for c in residual)
    if convention == "exact":
        cost += 2 * m - o if inner else m
    elif convention == "fma":
        cost += 2 * m if inner else m
    else:  # mac
        cost += m
    return cost


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


@lru_cache(maxsize=4096)
def auto_path_steps(canonical: str, shapes: tuple[Shape, ...]) -> tuple[tuple[list[str], str], ...]:
    """The pairwise steps (input terms, output term) of opt_einsum's ``"auto"`` path."""
    import opt_einsum

    sizes = size_dict(canonical, shapes)
    terms, _ = split(canonical)
    # broadcast 1-sized labels to their full size so the path sees the real problem
    full_shapes = [tuple(sizes[c] for c in t) for t in terms]
    _, info = opt_einsum.contract_path(canonical, *full_shapes, shapes=True, optimize="auto")
    steps = []
    for contraction in info.contraction_list:
        step = contraction[2]
        lhs, rhs = step.split("->")
        steps.append((lhs.split(","), rhs))
    return tuple(steps)
