"""Orbit counts of one label component: M (full tuples), O (output tuples) and α.

For a component with labels split into output labels V and summed labels W, under its
group G (label permutations):

* ``M`` = number of G-orbits of index tuples (size-aware Burnside);
* ``O`` = number of orbits of V-tuples under H = {g ∈ G : g(V) = V} restricted to V
  (1 when V is empty);
* ``α`` = number of pairs (full orbit, output orbit) such that some tuple of the orbit
  projects into the output orbit: the accumulation events of a scheme that computes each
  distinct product once and adds it into every distinct output it feeds.

Regimes, tried in order (the trace records each decision):

* ``trivial``: a label G does not move. M = α = size; O = size or 1.
* ``functionalProjection``: G maps V onto V, so each orbit projects into one output orbit:
  α = M.
* ``singleton``: one output label: the partition count below (cheap for one label).
* ``young``: G is the full symmetric group of the component, equal sizes n:
  α = C(n+|V|−1, |V|)·C(n+|W|−1, |W|) (an orbit is a multiset; it splits into a V-multiset
  and a W-multiset).
* ``partitionCount``: enumeration of the typed set partitions of
  the component's labels (which labels carry equal values). For a partition P with
  injective values, the orbit of a tuple projects onto as many output orbits as there are
  classes of the maps ``l ↦ block(g⁻¹ l)`` (l ∈ V, g ∈ G) under H; summing
  ``ff(P)·classes·|K(P)| / |G|`` over partitions (ff: injective value assignments, K: the
  elements fixing every block) counts the pairs. The work is (#partitions × |G|); past
  ``partition_budget`` the component is "unavailable" and the caller charges the dense cost
  with a ``CostFallbackWarning``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Perm = tuple[int, ...]

#: default cap on (typed set partitions × group order) for the partition count
DEFAULT_PARTITION_BUDGET = 200_000


@dataclass(frozen=True)
class RegimeStep:
    """One decision of the regime ladder: ``decision`` is ``"fired"`` or ``"refused"``."""

    regime_id: str
    decision: str
    reason: str
    sub_steps: tuple[RegimeStep, ...] = ()


@dataclass(frozen=True)
class ComponentCost:
    """Orbit counts of one label component (see the module docstring)."""

    labels: tuple[str, ...]
    va: tuple[str, ...]  # output (visible) labels
    wa: tuple[str, ...]  # summed labels
    sizes: tuple[int, ...]
    m: int
    alpha: int
    dense_count: int
    num_output_orbits: int
    regime_id: str
    shape: tuple[int, ...]
    group_name: str
    group_order: int
    regime_trace: tuple[RegimeStep, ...] = ()
    unavailable_reason: str | None = None


def burnside(group: Sequence[Perm], sizes: Sequence[int]) -> int:
    """Orbits of index tuples (``sizes[i]`` values at position i) under ``group``."""
    total = 0
    for g in group:
        seen = [False] * len(g)
        fixed = 1
        for start in range(len(g)):
            if seen[start]:
                continue
            x = start
            while not seen[x]:
                seen[x] = True
                x = g[x]
            fixed *= sizes[start]
        total += fixed
    return total // len(group)


def group_name(group: Sequence[Perm], labels: Sequence[str]) -> str:
    """A short name: ``S2{j,k}``, ``C3{i,j,k}`` or ``G4{i,j,k,l}`` (order 4)."""
    m = len(labels)
    names = "{" + ",".join(labels) + "}"
    order = len(group)
    if order == math.factorial(m) and order > 1:
        return f"S{m}{names}"
    if order == m and m > 2 and any(_is_cycle(g) for g in group):
        return f"C{m}{names}"
    return f"G{order}{names}"


def _is_cycle(g: Perm) -> bool:
    x, n = g[0], 1
    while x != 0:
        x, n = g[x], n + 1
    return n == len(g)


def _typed_partitions(sizes: Sequence[int]) -> Iterator[list[int]]:
    """Block ids (restricted growth strings) of set partitions whose blocks have one size."""
    n = len(sizes)
    blocks: list[int] = [0] * n
    block_size: list[int] = []

    def rec(i: int) -> Iterator[list[int]]:
        if i == n:
            yield blocks
            return
        for b, s in enumerate(block_size):
            if s == sizes[i]:
                blocks[i] = b
                yield from rec(i + 1)
        blocks[i] = len(block_size)
        block_size.append(sizes[i])
        yield from rec(i + 1)
        block_size.pop()

    yield from rec(0)


def _bell_bound(m: int) -> int:
    """Number of set partitions of m labels (an upper bound on the typed ones)."""
    row = [1]
    for _ in range(m):
        nxt = [row[-1]]
        for x in row:
            nxt.append(nxt[-1] + x)
        row = nxt
    return row[0]


def _partition_count(
    group: Sequence[Perm], sizes: Sequence[int], vis: Sequence[int], h_on_v: Sequence[Perm]
) -> int:
    """α by enumeration of typed set partitions (see the module docstring)."""
    inverses = [tuple(sorted(range(len(g)), key=g.__getitem__)) for g in group]
    total = 0
    for blocks in _typed_partitions(sizes):
        ff = 1
        by_size: dict[int, int] = {}
        for b in set(blocks):
            s = sizes[blocks.index(b)]
            ff *= s - by_size.get(s, 0)
            by_size[s] = by_size.get(s, 0) + 1
        if ff <= 0:
            continue
        kept = sum(1 for g in group if all(blocks[g[x]] == blocks[x] for x in range(len(g))))
        maps = {tuple(blocks[gi[v]] for v in vis) for gi in inverses}
        classes = {min(tuple(phi[h[j]] for j in range(len(vis))) for h in h_on_v) for phi in maps}
        total += ff * len(classes) * kept
    return total // len(group)


def count_component(
    labels: Sequence[str],
    sizes: Sequence[int],
    visible: Sequence[bool],
    group: Sequence[Perm],
    partition_budget: int = DEFAULT_PARTITION_BUDGET,
) -> ComponentCost:
    """M, O and α of one component (``group`` acts on positions 0..len(labels)-1)."""
    from flopscope._symmetry.components import restrict

    m_labels = len(labels)
    vis = [i for i in range(m_labels) if visible[i]]
    va = tuple(labels[i] for i in vis)
    wa = tuple(labels[i] for i in range(m_labels) if not visible[i])
    dense = math.prod(sizes)
    name = group_name(group, labels)
    common = dict(
        labels=tuple(labels),
        va=va,
        wa=wa,
        sizes=tuple(sizes),
        dense_count=dense,
        shape=tuple(sizes),
        group_name=name,
        group_order=len(group),
    )
    if len(group) == 1:
        o = math.prod(sizes[i] for i in vis)
        trace = (RegimeStep("trivial", "fired", "no permutation moves these labels"),)
        return ComponentCost(
            m=dense, alpha=dense, num_output_orbits=o, regime_id="trivial", regime_trace=trace,
            **common,
        )  # fmt: skip
    vset = set(vis)
    h = [g for g in group if all(g[v] in vset for v in vis)]
    h_on_v = restrict(h, vis) if vis else ((),)
    o = burnside(h_on_v, [sizes[v] for v in vis]) if vis else 1
    full_symmetric = len(group) == math.factorial(m_labels) and len(set(sizes)) == 1
    if full_symmetric:
        n = sizes[0]
        m = math.comb(n + m_labels - 1, m_labels)
    else:
        m = burnside(group, sizes)
    trace: list[RegimeStep] = [RegimeStep("trivial", "refused", f"{name} moves these labels")]
    if len(h) == len(group):
        trace.append(RegimeStep("functionalProjection", "fired", "G maps V onto V"))
        return ComponentCost(
            m=m, alpha=m, num_output_orbits=o, regime_id="functionalProjection",
            regime_trace=tuple(trace), **common,
        )  # fmt: skip
    trace.append(RegimeStep("functionalProjection", "refused", "G moves an output label"))
    work = _bell_bound(m_labels) * len(group)
    if len(vis) == 1 and work <= partition_budget:
        alpha = _partition_count(group, sizes, vis, h_on_v)
        trace.append(RegimeStep("singleton", "fired", "one output label"))
        return ComponentCost(
            m=m, alpha=alpha, num_output_orbits=o, regime_id="singleton",
            regime_trace=tuple(trace), **common,
        )  # fmt: skip
    if len(vis) != 1:
        trace.append(RegimeStep("singleton", "refused", f"{len(vis)} output labels"))
    if full_symmetric:
        n, nv, nw = sizes[0], len(va), len(wa)
        alpha = math.comb(n + nv - 1, nv) * math.comb(n + nw - 1, nw)
        trace.append(RegimeStep("young", "fired", "full symmetric group, equal sizes"))
        return ComponentCost(
            m=m, alpha=alpha, num_output_orbits=o, regime_id="young",
            regime_trace=tuple(trace), **common,
        )  # fmt: skip
    trace.append(RegimeStep("young", "refused", "not the full symmetric group of equal sizes"))
    regime = "partitionCount"
    if work > partition_budget:
        reason = f"partition enumeration needs {work} steps > partition_budget {partition_budget}"
        trace.append(RegimeStep(regime, "refused", reason))
        trace.append(RegimeStep("unavailable", "fired", reason))
        return ComponentCost(
            m=m, alpha=dense, num_output_orbits=o, regime_id="unavailable",
            regime_trace=tuple(trace), unavailable_reason=reason, **common,
        )  # fmt: skip
    alpha = _partition_count(group, sizes, vis, h_on_v)
    trace.append(RegimeStep(regime, "fired", f"{work} partition-group steps"))
    return ComponentCost(
        m=m, alpha=alpha, num_output_orbits=o, regime_id=regime, regime_trace=tuple(trace),
        **common,
    )  # fmt: skip
