"""Symmetry-aware einsum cost (symbolic only: subscripts, shapes, groups in; counts out).

Operands are described by a *fingerprint* ``(groups, identity)``: ``groups[p]`` is ``None``
or the generators of operand p's group as permutations of its axes; ``identity[p]`` is the
index of the first operand that is the same Python object as p (identity is decided by the
caller before any view or stripping). The fingerprint is hashable, so the ledger keeps it
and ``summary(cost_model=...)`` can re-price a call.

k <= 2 operands (spec 4.6): summed labels private to one operand are first reduced on that
operand under its own group (pre-reduction), then with per-component counts M_c, α_c, O_c
(see :mod:`flopscope._symmetry.regimes`) of the residual expression group G::

    exact:  pre + (k−1)·∏M_c + ∏α_c − ∏O_c   (k = 1: ∏α_c − ∏O_c)
    fma:    pre + μ + α when a label is summed, else pre + μ   (μ = (k−1)·∏M_c, α = ∏α_c)
    mac:    pre + μ

For dense operands every component is trivial and these are exactly the dense formulas of
:mod:`flopscope._einsum.cost` (exact 2M − O, fma 2M, mac M), so the conventions keep their
meaning: fma counts a multiply and its accumulation as 2, mac as 1.

k >= 3: the pairwise steps of opt_einsum's ``"auto"`` path for dense shapes (whatever path
executes). The *subgraph oracle* gives each intermediate the group of its sub-expression
(original operand groups and identical operands inside the merged subset, restricted to the
intermediate's labels). Each step is priced three ways where applicable and the smallest is
charged (``cost_source``): ``per-input`` (the k = 2 formula on the step's inputs),
``joint-burnside`` (2M − O under the merged subset's joint group restricted to the step's
labels, when it keeps the step output in place and nothing is pre-reduced) and
``output-burnside`` (each distinct output element computed once as a dense sum:
O_out·(2·∏W − 1), when the step output has a non-trivial group).

A group too large to enumerate, or a component whose α needs more than ``partition_budget``
partition steps, makes the whole expression fall back to the dense cost with a
:class:`flopscope.errors.CostFallbackWarning` (``fallback_used``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache

from flopscope._einsum.accumulation import AccumulationCost, einsum_accumulation
from flopscope._einsum.parse import Shape, size_dict, split
from flopscope._symmetry.components import (
    ELEMENT_BUDGET,
    GroupBudgetExceeded,
    closure,
    components,
    expression_group,
    restrict,
)
from flopscope._symmetry.regimes import (
    ComponentCost,
    burnside,
    count_component,
    group_name,
)

Perm = tuple[int, ...]
Gens = tuple[Perm, ...] | None
Fingerprint = tuple[tuple[Gens, ...], tuple[int, ...]]
Elements = tuple[Perm, ...] | None


@lru_cache(maxsize=1024)
def operand_elements(gens: Gens, ndim: int, budget: int = ELEMENT_BUDGET) -> Elements:
    """Every axis permutation of an operand's group (``None`` for no group)."""
    if gens is None:
        return None
    return closure(gens, ndim, budget)


class CostUnavailable(Exception):
    """Symmetric counting is unavailable; price densely."""


@dataclass(frozen=True)
class _Step:
    """Counts of one step of one or two operands (k <= 2 formula)."""

    total: int
    mu: int
    alpha: int
    m: int
    o: int
    pre: int
    comps: tuple[ComponentCost, ...]
    labels: str
    group: tuple[Perm, ...]
    dense_baseline: int


def _group(
    terms: list[str], sizes: dict[str, int], els: list[Elements], ident: list[object]
) -> tuple[str, tuple[Perm, ...]]:
    labels = "".join(sorted(set("".join(terms))))
    try:
        return labels, expression_group(terms, labels, sizes, els, ident)
    except GroupBudgetExceeded as exc:
        raise CostUnavailable(str(exc)) from None


def _counts(
    labels: str,
    group: tuple[Perm, ...],
    out: str,
    sizes: dict[str, int],
    budget: int,
) -> tuple[ComponentCost, ...]:
    out_set = set(out)
    comps = []
    for block in components(group, len(labels)):
        names = [labels[i] for i in block]
        comp = count_component(
            names,
            [sizes[c] for c in names],
            [c in out_set for c in names],
            restrict(group, block),
            budget,
        )
        if comp.regime_id == "unavailable":
            raise CostUnavailable(comp.unavailable_reason or "unavailable")
        comps.append(comp)
    return tuple(comps)


def _reduced_operand(
    term: str, private: set[str], els: Elements, ident: object
) -> tuple[str, Elements, object]:
    """The operand after summing its private labels: term, group, identity key."""
    kept_axes = [a for a, c in enumerate(term) if c not in private]
    kept = "".join(term[a] for a in kept_axes)
    if len(set(term)) != len(term):  # a diagonal inside: keep it simple and drop the group
        return "".join(dict.fromkeys(kept)), None, ("reduced", ident, term)
    sub = restrict(els, kept_axes) if els is not None else None
    return kept, sub if sub and len(sub) > 1 else None, ("reduced", ident, tuple(kept_axes))


def step_counts(
    terms: list[str],
    out: str,
    sizes: dict[str, int],
    els: list[Elements],
    ident: list[object],
    convention: str,
    budget: int,
) -> _Step:
    """The k <= 2 formula with pre-reduction (see the module docstring)."""
    k = len(terms)
    pre = 0
    if k == 2:
        out_set = set(out)
        terms, els, ident = list(terms), list(els), list(ident)
        for p in range(2):
            other = set(terms[1 - p])
            private = {c for c in terms[p] if c not in out_set and c not in other}
            if not private:
                continue
            kept, sub, key = _reduced_operand(terms[p], private, els[p], ident[p])
            pre += step_counts(
                [terms[p]], kept, sizes, [els[p]], [0], "exact", budget
            ).total  # a reduction costs its additions under every convention
            terms[p], els[p], ident[p] = kept, sub, key
    labels, group = _group(terms, sizes, els, ident)
    comps = _counts(labels, group, out, sizes, budget)
    m = math.prod(c.m for c in comps)
    alpha = math.prod(c.alpha for c in comps)
    o = math.prod(c.num_output_orbits for c in comps)
    mu = (k - 1) * m
    dense_all = math.prod(sizes[c] for c in set("".join(terms)))
    if k == 1:
        total = alpha - o
    elif convention == "exact":
        total = pre + mu + alpha - o
    elif convention == "fma":
        summed = any(c not in out for c in labels)
        total = pre + (mu + alpha if summed else mu)
    else:
        total = pre + mu
    return _Step(total, mu, alpha, m, o, pre, comps, labels, group, dense_all)


def _as_cost(step: _Step, k: int, source: str, dense_baseline: int) -> AccumulationCost:
    return AccumulationCost(
        total=step.total,
        mu=step.mu,
        alpha=step.alpha,
        m_total=step.m,
        dense_baseline=dense_baseline,
        num_terms=k,
        per_component=step.comps,
        pre_reductions_per_step=(step.pre,),
        cost_source=source,
    )


def _elements_of(
    fingerprint: Fingerprint, shapes: tuple[Shape, ...], group_budget: int = ELEMENT_BUDGET
) -> list[Elements]:
    groups, _ = fingerprint
    try:
        return [operand_elements(g, len(s), group_budget) for g, s in zip(groups, shapes)]
    except GroupBudgetExceeded as exc:
        raise CostUnavailable(str(exc)) from None


def output_perms(labels: str, group: tuple[Perm, ...], out: str) -> tuple[Perm, ...]:
    """The group an output (or intermediate) with labels ``out`` inherits: elements that map
    ``out`` onto itself, restricted to its axes (identity first)."""
    return restrict(group, [labels.index(c) for c in out])


def symmetric_accumulation(
    canonical: str,
    shapes: tuple[Shape, ...],
    fingerprint: Fingerprint,
    convention: str,
    partition_budget: int | None = None,
) -> AccumulationCost:
    """``AccumulationCost`` of ``canonical`` with operand groups and identities (unweighted).

    Budgets default to ``flops.configure``'s ``partition_budget`` and ``dimino_budget``
    (the largest group enumerated); a fallback warns unless ``symmetry_warnings`` is off.
    """
    from flopscope import _config

    budget = _config.get("partition_budget") if partition_budget is None else partition_budget
    cost = _cached(canonical, shapes, fingerprint, convention, int(budget),
                   int(_config.get("dimino_budget")))  # fmt: skip
    if cost.fallback_used and _config.get("symmetry_warnings"):
        from flopscope.errors import CostFallbackWarning

        warnings.warn(
            f"einsum {canonical!r}: symmetric cost unavailable ({cost.unavailable_reason}); "
            "charging the dense cost",
            CostFallbackWarning,
            stacklevel=2,
        )
    return cost


@lru_cache(maxsize=4096)
def _cached(
    canonical: str,
    shapes: tuple[Shape, ...],
    fingerprint: Fingerprint,
    convention: str,
    budget: int,
    group_budget: int,
) -> AccumulationCost:
    sizes = size_dict(canonical, shapes)
    if 0 in sizes.values():  # an empty sum: nothing to share
        return einsum_accumulation(canonical, shapes, convention)
    try:
        return _accumulate(canonical, shapes, fingerprint, convention, sizes, budget,
                           group_budget)  # fmt: skip
    except CostUnavailable as exc:
        dense = einsum_accumulation(canonical, shapes, convention)
        return replace(dense, fallback_used=True, unavailable_reason=str(exc))


def _accumulate(
    canonical: str,
    shapes: tuple[Shape, ...],
    fingerprint: Fingerprint,
    convention: str,
    sizes: dict[str, int],
    budget: int,
    group_budget: int = ELEMENT_BUDGET,
) -> AccumulationCost:
    terms, out = split(canonical)
    els = _elements_of(fingerprint, shapes, group_budget)
    ident: list[object] = list(fingerprint[1])
    everything = math.prod(sizes[c] for c in set("".join(terms)))
    if len(terms) <= 2:
        step = step_counts(terms, out, sizes, els, ident, convention, budget)
        return _as_cost(step, len(terms), "per-input", everything)
    steps = tuple(plan_steps(canonical, shapes, fingerprint, convention, budget, group_budget))
    path = tuple(s.path_indices for s in steps)
    return AccumulationCost.of_steps(
        tuple(s.cost for s in steps), path, everything, len(terms), "path"
    )


@dataclass(frozen=True)
class PlannedStep:
    """One priced step of a k >= 3 contraction (what ``PathInfo`` shows)."""

    path_indices: tuple[int, ...]
    subscript: str
    merged_subset: frozenset[int]
    input_groups: tuple[tuple[Perm, ...] | None, ...]
    output_group: tuple[Perm, ...] | None
    group_label: str | None
    cost: AccumulationCost
    dense_cost: int
    candidates: dict[str, int]


def plan_steps(
    canonical: str,
    shapes: tuple[Shape, ...],
    fingerprint: Fingerprint,
    convention: str,
    budget: int,
    group_budget: int = ELEMENT_BUDGET,
    path: object = "auto",
    compare: bool = True,
) -> list[PlannedStep]:
    """Price every pairwise step of ``path`` (default: the pricing path, "auto").

    ``compare=False`` prices each step with the per-input formula only (what a k <= 2
    einsum charges); otherwise the joint- and output-Burnside candidates compete too.
    Raises ``CostUnavailable`` when a group is too large (callers price densely then).
    """
    from flopscope._einsum.cost import full_shapes, pair_cost
    from flopscope._einsum.path import contract_path

    terms, _ = split(canonical)
    sizes = size_dict(canonical, shapes)
    els = _elements_of(fingerprint, shapes, group_budget)
    ident = list(fingerprint[1])
    path_list, info = contract_path(canonical, full_shapes(canonical, shapes), path)
    # live operands: (subset of original operands, term, elements, identity key)
    live: list[tuple[frozenset[int], str, Elements, object]] = [
        (frozenset((p,)), terms[p], els[p], ident[p]) for p in range(len(terms))
    ]
    planned = []
    for indices, contraction in zip(path_list, info.contraction_list):
        inds, step = contraction[0], contraction[2]
        chosen = [live[i] for i in sorted(inds)]
        for i in sorted(inds, reverse=True):
            live.pop(i)
        step_terms, step_out = split(step)
        # opt_einsum names inputs in its own order: match the step's terms to the operands
        chosen = _match(chosen, step_terms)
        merged = frozenset().union(*(c[0] for c in chosen))
        sub_terms = [terms[p] for p in sorted(merged)]
        sub_labels, sub_group = _group(
            sub_terms, sizes, [els[p] for p in sorted(merged)], [ident[p] for p in sorted(merged)]
        )
        out_group = output_perms(sub_labels, sub_group, step_out)
        per_input = step_counts(
            step_terms,
            step_out,
            sizes,
            [c[2] for c in chosen],
            [c[3] for c in chosen],
            convention,
            budget,
        )
        candidates = {"per-input": per_input.total}
        summed_labels = [c for c in per_input.labels if c not in step_out]
        joint = restrict(sub_group, [sub_labels.index(c) for c in per_input.labels])
        out_pos = [per_input.labels.index(c) for c in step_out]
        functional = len(restrict(joint, out_pos)) == len(joint)
        if compare and len(joint) > 1 and per_input.pre == 0 and functional:
            lab_sizes = [sizes[c] for c in per_input.labels]
            m = burnside(joint, lab_sizes)
            o = burnside(restrict(joint, out_pos), [sizes[c] for c in step_out])
            if convention == "exact":
                candidates["joint-burnside"] = 2 * m - o if summed_labels else m
            elif convention == "fma":
                candidates["joint-burnside"] = 2 * m if summed_labels else m
            else:
                candidates["joint-burnside"] = m
        if compare and len(out_group) > 1:
            o_out = burnside(out_group, [sizes[c] for c in step_out])
            w = math.prod(sizes[c] for c in summed_labels)
            if convention == "exact":
                each = 2 * w - 1 if summed_labels else 1
            elif convention == "fma":
                each = 2 * w if summed_labels else 1
            else:
                each = w
            candidates["output-burnside"] = per_input.pre + o_out * each
        source = min(candidates, key=lambda s: candidates[s])
        cost = _as_cost(
            per_input, len(step_terms), source, math.prod(sizes[c] for c in per_input.labels)
        )
        if source != "per-input":
            cost = replace(cost, total=candidates[source])
        new_els = out_group if len(out_group) > 1 else None
        live.append((merged, step_out, new_els, ("intermediate", merged)))
        planned.append(
            PlannedStep(
                path_indices=tuple(indices),
                subscript=step,
                merged_subset=merged,
                input_groups=tuple(c[2] if c[2] and len(c[2]) > 1 else None for c in chosen),
                output_group=new_els,
                group_label=group_name(out_group, list(step_out)) if new_els else None,
                cost=cost,
                dense_cost=pair_cost(step_terms, step_out, sizes, convention),
                candidates=candidates,
            )
        )
    return planned


def _match(
    chosen: list[tuple[frozenset[int], str, Elements, object]], step_terms: list[str]
) -> list[tuple[frozenset[int], str, Elements, object]]:
    """Order the chosen operands like the step's input terms (by their label strings)."""
    remaining = list(chosen)
    ordered = []
    for t in step_terms:
        for j, c in enumerate(remaining):
            if c[1] == t:
                ordered.append(remaining.pop(j))
                break
        else:  # pragma: no cover - opt_einsum keeps the operands' own terms
            raise AssertionError(f"step term {t!r} matches no operand")
    return ordered


@lru_cache(maxsize=4096)
def output_symmetry(
    canonical: str, shapes: tuple[Shape, ...], fingerprint: Fingerprint
) -> tuple[Perm, ...] | None:
    """Axis permutations of the einsum's output the model infers (``None``: no symmetry)."""
    terms, out = split(canonical)
    sizes = size_dict(canonical, shapes)
    try:
        els = _elements_of(fingerprint, shapes)
        labels, group = _group(terms, sizes, els, list(fingerprint[1]))
    except CostUnavailable:
        return None
    perms = output_perms(labels, group, out)
    return perms if len(perms) > 1 else None
