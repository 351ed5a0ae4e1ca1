"""Symmetry-aware counts of pointwise ops and reductions (spec §4.5, §4.7).

A call on a symmetric operand appends a :class:`Sym` marker (the group the cost is counted
under) to its analytical inputs, e.g. ``((100, 100), Sym(S2))`` for ``exp(S)``. The formulas
``numel``, ``numel_first``, ``reduce``, ``reduce_mean`` and ``reduce_select`` recognise the
marker (see :func:`install`), so the ledger keeps pricing inputs that a later re-pricing under
another cost model understands, and dense inputs (no marker) are priced exactly as before.

Counts, for a group G acting on tensor axes:

* pointwise: the number of orbits of index tuples under G (Burnside, size-aware);
* tier-1 reduction over ``axis``: ``α − O``, where O is the number of orbits of output
  tuples under H (the elements of G mapping the kept axes onto themselves, acting on them)
  and α the number of (full-tuple orbit, output orbit) pairs such that some tuple of the
  orbit projects into the output orbit; dense input gives α = C·R and O = C;
* tier-2 (selection) reduction: O × R.

Counts are computed per component (an orbit of G when G is the product of its actions on
its orbits, else the whole support): closed forms for full symmetric factors, enumeration
otherwise, and the dense count with a ``CostFallbackWarning`` past the enumeration budget.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flopscope import _config
from flopscope._symmetry.group import EnumerationBudgetError, SymmetryGroup
from flopscope.costs.formulas import FORMULAS, broadcast_numel, reduced_split
from flopscope.errors import cost_fallback_warning

Shape = tuple[int, ...]
Axis = tuple[int, ...] | None

#: index tuples × group elements enumerated for one component before the dense fallback
ENUMERATION_LIMIT = 2_000_000


@dataclass(frozen=True, slots=True)
class Sym:
    """Marker ending the inputs of a call priced under ``group`` (hashable, by action)."""

    group: SymmetryGroup

    def __repr__(self) -> str:
        return f"Sym({self.group!r})"


def sym_of(inputs: tuple) -> SymmetryGroup | None:
    """The group a call's inputs are priced under, or ``None`` for dense inputs."""
    if inputs and type(inputs[-1]) is Sym:
        return inputs[-1].group
    return None


# -- pointwise ------------------------------------------------------------------------------


def broadcast_shape(shapes: Sequence[Shape]) -> Shape:
    """numpy's broadcast shape (no validation: the wrapper's backend call validates)."""
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(ndim, 0, -1):
        size = 1
        for s in shapes:
            if len(s) >= i and s[-i] != 1:
                size = s[-i]
        out.append(size)
    return tuple(out)


def unique_count(shape: Shape, group: SymmetryGroup | None) -> int:
    """Unique elements of a ``shape`` tensor symmetric under ``group`` (numel if ``None``)."""
    numel = math.prod(shape)
    if group is None or numel == 0:
        return numel
    moved = group.axes or ()
    rest = math.prod(d for i, d in enumerate(shape) if i not in moved)
    try:
        return rest * group.burnside_unique_count(shape, budget=_config.get("dimino_budget"))
    except EnumerationBudgetError:
        _fallback("pointwise", group)
        return numel


# -- reductions -----------------------------------------------------------------------------


def _components(group: SymmetryGroup) -> list[tuple[list[int], list[tuple[int, ...]]]]:
    """``(positions, elements over those positions)`` of each independent component.

    An orbit is its own component when G is the product of its actions on its orbits;
    otherwise the whole support is one component. Full symmetric factors carry no element
    list (``[]``): their counts have closed forms.
    """
    orbits = [o for o in group._orbit_positions() if len(o) > 1]
    if group._is_young():
        return [(o, []) for o in orbits]
    factors = [group._orbit_factor(o) for o in orbits]
    budget = _config.get("dimino_budget")
    if math.prod(f.order() for f in factors) == group.order():
        return [
            (o, [] if f._is_young() else f.elements(budget=budget)) for f, o in zip(factors, orbits)
        ]
    support = sorted(i for o in orbits for i in o)
    where = {p: i for i, p in enumerate(support)}
    elements = [tuple(where[g[p]] for p in support) for g in group.elements(budget=budget)]
    return [(support, elements)]


def _canon(t: tuple[int, ...], elements: list[tuple[int, ...]]) -> tuple[int, ...]:
    # the smallest image of t; a permuted tuple u has u[g[i]] = t[i]
    best = t
    for g in elements:
        u = [0] * len(t)
        for i, j in enumerate(g):
            u[j] = t[i]
        tu = tuple(u)
        if tu < best:
            best = tu
    return best


def _enumerated(
    sizes: list[int], kept: list[int], elements: list[tuple[int, ...]]
) -> tuple[int, int]:
    """(α, O) of one component by enumeration; ``kept`` are component positions."""
    kset = set(kept)
    # H: elements mapping the kept positions onto themselves, acting on them
    rank = {p: i for i, p in enumerate(kept)}
    h = {tuple(rank[g[p]] for p in kept) for g in elements if all(g[p] in kset for p in kept)}
    h_elems = list(h)
    pairs = set()
    outs = set()
    for t in itertools.product(*(range(n) for n in sizes)):
        o = _canon(tuple(t[p] for p in kept), h_elems)
        outs.add(o)
        pairs.add((_canon(t, elements), o))
    return len(pairs), len(outs)


def _component_counts(
    sizes: list[int], kept: list[int], elements: list[tuple[int, ...]]
) -> tuple[int, int]:
    """(α, O) of one component with equal-size orbits; ``elements`` empty = full S_k."""
    k = len(sizes)
    if not elements:  # the full symmetric group on k equal-length axes
        n = sizes[0]
        v = len(kept)
        out = math.comb(n + v - 1, v)
        return out * math.comb(n + k - v - 1, k - v), out
    if len(kept) in (0, k):
        m = _burnside(sizes, elements)
        return m, (m if kept else 1)
    if math.prod(sizes) * len(elements) > ENUMERATION_LIMIT:
        raise EnumerationBudgetError("component too large to enumerate")
    return _enumerated(sizes, kept, elements)


def _burnside(sizes: list[int], elements: list[tuple[int, ...]]) -> int:
    total = 0
    for g in elements:
        seen = [False] * len(g)
        fixed = 1
        for i in range(len(g)):
            if not seen[i]:
                fixed *= sizes[i]
                j = i
                while not seen[j]:
                    seen[j] = True
                    j = g[j]
        total += fixed
    return total // len(elements)


@functools.lru_cache(maxsize=4096)
def reduction_counts(shape: Shape, axis: Axis, group: SymmetryGroup | None) -> tuple[int, int]:
    """``(α, O)`` of reducing a ``shape`` tensor symmetric under ``group`` over ``axis``.

    ``axis`` is a sorted tuple of non-negative axes or ``None`` (all). Dense: ``(C·R, C)``.
    """
    c, r = reduced_split(shape, axis)
    if group is None or math.prod(shape) == 0:
        return c * r, c
    kept_axes = set() if axis is None else set(range(len(shape))) - set(axis)
    pts = group.axes or tuple(range(group.degree))
    try:
        comps = _components(group)
        alpha, outs = 1, 1
        covered: set[int] = set()
        for positions, elements in comps:
            axes = [pts[p] for p in positions]
            covered.update(axes)
            sizes = [shape[a] for a in axes]
            kept = [i for i, a in enumerate(axes) if a in kept_axes]
            a_c, o_c = _component_counts(sizes, kept, elements)
            alpha *= a_c
            outs *= o_c
    except EnumerationBudgetError:
        _fallback("reduction", group)
        return c * r, c
    for i, d in enumerate(shape):  # axes the group does not move: trivial components
        if i not in covered:
            alpha *= d
            outs *= d if i in kept_axes else 1
    return alpha, outs


def output_orbits(shape: Shape, axis: Axis, group: SymmetryGroup | None) -> int:
    """O: orbits of the output cells of a reduction (C for dense input)."""
    return reduction_counts(shape, axis, group)[1]


def _fallback(what: str, group: SymmetryGroup) -> None:
    if _config.get("symmetry_warnings"):
        warnings.warn(
            cost_fallback_warning(what, group.order(), _config.get("dimino_budget")),
            stacklevel=3,
        )


# -- the formula hooks ----------------------------------------------------------------------


def _pointwise(inputs: tuple, convention: str) -> int:
    shapes, group = inputs[:-1], inputs[-1].group
    return max(1, unique_count(broadcast_shape(shapes), group))


def _pointwise_first(inputs: tuple, convention: str) -> int:
    return max(1, unique_count(inputs[0], inputs[-1].group))


def _reduce(inputs: tuple, convention: str) -> int:
    alpha, outs = reduction_counts(inputs[0], inputs[1], inputs[-1].group)
    return max(1, alpha - outs)


def _reduce_mean(inputs: tuple, convention: str) -> int:
    alpha, _ = reduction_counts(inputs[0], inputs[1], inputs[-1].group)
    return alpha  # (α − O) accumulations + one divide per output orbit


def _reduce_select(inputs: tuple, convention: str) -> int:
    _, r = reduced_split(inputs[0], inputs[1])
    return output_orbits(inputs[0], inputs[1], inputs[-1].group) * r


#: formula key -> its symmetric form (used when the inputs end with a ``Sym``)
SYMMETRIC_FORMS: dict[str, Callable[[tuple, str], int]] = {
    "numel": _pointwise,
    "numel_first": _pointwise_first,
    "reduce": _reduce,
    "reduce_mean": _reduce_mean,
    "reduce_select": _reduce_select,
}


def _aware(dense: Callable[[tuple, str], int], sym: Callable[[tuple, str], int]) -> Callable:
    @functools.wraps(dense)
    def formula(inputs: tuple, convention: str) -> int:
        if inputs and type(inputs[-1]) is Sym:
            return sym(inputs, convention)
        return dense(inputs, convention)

    formula.__symmetric__ = True  # type: ignore[attr-defined]
    return formula


def install() -> None:
    """Make the formulas of :data:`SYMMETRIC_FORMS` recognise a ``Sym`` marker (idempotent).

    Only symmetric calls produce the marker, and they import this module first; dense
    inputs take the original formula unchanged.
    """
    for key, sym in SYMMETRIC_FORMS.items():
        if not getattr(FORMULAS[key], "__symmetric__", False):
            FORMULAS[key] = _aware(FORMULAS[key], sym)


install()

__all__ = [
    "Sym",
    "broadcast_numel",
    "broadcast_shape",
    "output_orbits",
    "reduction_counts",
    "reduction_accumulation",
    "sym_of",
    "tier2_cost",
    "unique_count",
]


# -- inspection (flops.reduction_accumulation_cost, tier2_reduction_cost) -------------------


def reduction_accumulation(
    shape: Shape,
    axis: Axis,
    group: SymmetryGroup,
    op_factor: int | float,
    extra_ops: int | float,
) -> object:
    """``AccumulationCost`` of a tier-1 reduction of a symmetric input:
    ``op_factor·(α − O) + extra_ops``."""
    from flopscope._einsum.accumulation import AccumulationCost

    alpha, outs = reduction_counts(shape, axis, group)
    return AccumulationCost(
        total=int(op_factor * max(alpha - outs, 0) + extra_ops),
        mu=0,
        alpha=alpha,
        m_total=unique_count(shape, group),
        dense_baseline=math.prod(shape),
        num_terms=1,
        cost_source="symmetric",
    )


def tier2_cost(
    shape: Shape, axis: Axis, group: SymmetryGroup | None, per_output: int | None
) -> int:
    """Selection-style reduction: output orbits × ``per_output`` (default: reduced length)."""
    _, r = reduced_split(shape, axis)
    return output_orbits(shape, axis, group) * (r if per_output is None else int(per_output))
