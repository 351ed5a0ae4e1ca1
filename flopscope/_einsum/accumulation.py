"""``AccumulationCost``: the anatomy of an einsum's (or a reduction's) price.

For a step of k <= 2 dense operands, after the pre-reduction of labels private to one
operand: M residual index tuples, O output cells, ``mu = (k − 1)·M`` multiplies,
``alpha = M`` accumulation events, and under the ``exact`` convention
``total = pre + mu + alpha − O``. Three or more operands: one entry per pairwise step of
the pricing path (opt_einsum ``"auto"``), ``total`` their sum. ``total`` is always the
number :mod:`flopscope._einsum.cost` prices, under the convention asked for.

Symmetric operands (orbit counts per label component, ``per_component``) are priced by
:mod:`flopscope._symmetry.einsum_cost`, which builds the same dataclass; the symmetry-only
fields keep their defaults for dense operands priced here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from flopscope._einsum.cost import auto_path_steps, pair_cost, pair_parts
from flopscope._einsum.parse import Shape, size_dict, split


@dataclass(frozen=True)
class AccumulationCost:
    """Cost of an einsum or reduction, with the counts it is built from.

    Attributes:
        total: the FLOPs charged (weighted when a helper applied a cost model's weight).
        mu: multiplies, ``(k − 1)·M`` (summed over the steps for k >= 3).
        alpha: accumulation events (``M`` per step; ``C·R`` for a reduction).
        m_total: index tuples of the residual step (k <= 2) or of the whole expression.
        dense_baseline: ∏ of every label size (index tuples of the naive loop).
        num_terms: number of operands k.
        per_component: per label-component costs (``ComponentCost``; ``()`` from the dense
            fast path).
        fallback_used: a symmetric count fell back to the dense cost.
        per_step: one ``AccumulationCost`` per pairwise step (k >= 3).
        path: the pricing path (k >= 3).
        pre_reductions_per_step: additions spent pre-reducing private labels, per step.
        cost_source: how the number was obtained (``"dense"`` for dense operands).
    """

    total: int
    mu: int
    alpha: int
    m_total: int
    dense_baseline: int
    num_terms: int
    per_component: tuple[Any, ...] = ()
    fallback_used: bool = False
    unavailable_components: tuple[Any, ...] = ()
    unavailable_reason: str | None = None
    per_step: tuple[AccumulationCost, ...] = ()
    path: tuple[tuple[int, ...], ...] | None = None
    pre_reductions_per_step: tuple[int, ...] = ()
    cost_source: str | None = None

    @classmethod
    def of_steps(
        cls,
        steps: tuple[AccumulationCost, ...],
        path: tuple[tuple[int, ...], ...],
        everything: int,
        num_terms: int,
        cost_source: str,
    ) -> AccumulationCost:
        """The cost of a k >= 3 contraction priced step by step along ``path``
        (``everything``: index tuples of the whole expression)."""
        return cls(
            total=sum(s.total for s in steps),
            mu=sum(s.mu for s in steps),
            alpha=sum(s.alpha for s in steps),
            m_total=everything,
            dense_baseline=everything,
            num_terms=num_terms,
            per_step=steps,
            path=path,
            pre_reductions_per_step=tuple(s.pre_reductions_per_step[0] for s in steps),
            cost_source=cost_source,
        )

    @property
    def savings_ratio(self) -> float:
        """``total / (num_terms · dense_baseline)`` (1.0 for an empty problem)."""
        denom = self.num_terms * self.dense_baseline
        return self.total / denom if denom else 1.0

    def describe(self) -> dict[str, Any]:
        """A dict of the counts with LaTeX renderings of the formula that produced them."""
        return {
            "total": self.total,
            "mu": self.mu,
            "alpha": self.alpha,
            "m_total": self.m_total,
            "dense_baseline": self.dense_baseline,
            "num_terms": self.num_terms,
            "savings_ratio": self.savings_ratio,
            "cost_source": self.cost_source,
            "formula_latex": r"\mu + \alpha - \prod_c O_c",
            "mu_latex": rf"\mu = (k-1)\prod_c M_c = {self.mu}",
            "alpha_latex": rf"\alpha = \prod_c \alpha_c = {self.alpha}",
            "steps": [s.describe() for s in self.per_step],
        }


def step_accumulation(
    terms: list[str], out: str, sizes: dict[str, int], convention: str
) -> AccumulationCost:
    """The accumulation anatomy of one step of one or two operands."""
    pre, _, m, _, _ = pair_parts(terms, out, sizes)
    k = len(terms)
    return AccumulationCost(
        total=pair_cost(terms, out, sizes, convention),
        mu=(k - 1) * m,
        alpha=m,
        m_total=m,
        dense_baseline=math.prod(sizes[c] for c in set("".join(terms))),
        num_terms=k,
        pre_reductions_per_step=(pre,),
        cost_source="dense",
    )


def einsum_accumulation(
    canonical: str, shapes: tuple[Shape, ...], convention: str
) -> AccumulationCost:
    """Dense ``AccumulationCost`` of ``canonical`` on ``shapes`` (unweighted)."""
    terms, out = split(canonical)
    sizes = size_dict(canonical, shapes)
    if len(terms) <= 2:
        return step_accumulation(terms, out, sizes, convention)
    from flopscope._einsum.cost import full_shapes
    from flopscope._einsum.path import contract_path

    steps = tuple(
        step_accumulation(t, o, sizes, convention) for t, o in auto_path_steps(canonical, shapes)
    )
    path, _ = contract_path(canonical, full_shapes(canonical, shapes), "auto")
    everything = math.prod(sizes[c] for c in set("".join(terms)))
    return AccumulationCost.of_steps(
        steps, tuple(tuple(p) for p in path), everything, len(terms), "dense"
    )


@lru_cache(maxsize=4096)  # the reduction cache (flops.reduction_cache_info)
def reduction_accumulation(
    shape: Shape, axis: tuple[int, ...] | None, op_factor: int | float, extra_ops: int | float
) -> AccumulationCost:
    """Tier-1 reduction ``op_factor·C·(R − 1) + extra_ops`` with ``axis`` normalised."""
    reduced = range(len(shape)) if axis is None else axis
    r = math.prod(shape[i] for i in reduced)
    c = math.prod(d for i, d in enumerate(shape) if i not in reduced)
    events = c * r
    total = op_factor * c * max(r - 1, 0) + extra_ops
    return AccumulationCost(
        total=int(total),
        mu=0,
        alpha=events,
        m_total=events,
        dense_baseline=events,
        num_terms=1,
        cost_source="dense",
    )


def weighted(cost: AccumulationCost, weight: float) -> AccumulationCost:
    """``cost`` with its total multiplied by ``weight`` and floored (the model's rule)."""
    if weight == 1.0:
        return cost
    total = cost.total * int(weight) if float(weight).is_integer() else int(cost.total * weight)
    return replace(cost, total=total)
