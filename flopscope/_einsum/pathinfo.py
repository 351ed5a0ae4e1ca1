"""``PathInfo`` / ``StepInfo``: the report ``fnp.einsum_path`` returns.

Costs are flopscope's (the active cost model's convention), not opt_einsum's: ``naive_cost``
is the single loop over every index tuple, ``optimized_cost`` the sum of the steps of the
reported path. ``accumulation`` is what ``fnp.einsum`` charges, which does not depend on the
path (see :mod:`flopscope._einsum.cost`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flopscope._einsum.accumulation import AccumulationCost, einsum_accumulation
from flopscope._einsum.cost import naive_cost, pair_cost, pair_parts
from flopscope._einsum.parse import Shape, canonicalize, size_dict, split
from flopscope._einsum.path import contract_path, execution_strategy, normalize_optimize


@dataclass(frozen=True)
class StepInfo:
    """One pairwise step of a contraction path (symmetry columns default for dense operands)."""

    subscript: str
    flop_cost: int
    input_shapes: tuple[Shape, ...]
    output_shape: Shape
    input_groups: tuple[Any, ...] = ()
    output_group: Any = None
    dense_flop_cost: int = 0
    symmetry_savings: float = 0.0
    inner_group: Any = None
    inner_applied: bool = False
    blas_type: str | bool = False
    path_indices: tuple[int, ...] = ()
    merged_subset: frozenset[int] = frozenset()
    pre_reductions: int = 0
    cost_source: str | None = "dense"
    regime: str = "dense"
    unique_total: str | None = None  # "V:unique/total" of a symmetric output
    symmetry_text: str = "-"  # "S2{i,j} × - → S2{i,k}"


@dataclass(frozen=True)
class PathInfo:
    """A contraction path with flopscope's cost of each step."""

    path: list[tuple[int, ...]]
    steps: tuple[StepInfo, ...]
    naive_cost: int
    optimized_cost: int
    largest_intermediate: int
    speedup: float
    input_subscripts: str
    output_subscript: str
    size_dict: dict[str, int]
    optimizer_used: str
    contraction_list: list[Any] = field(repr=False)
    scale_list: list[int] = field(repr=False)
    size_list: list[int] = field(repr=False)
    accumulation: AccumulationCost | None = field(default=None, repr=False)

    def __str__(self) -> str:
        dense = sum(s.dense_flop_cost for s in self.steps)
        savings = 100.0 * (1 - self.optimized_cost / dense) if dense else 0.0
        lines = [
            f"  Complete contraction:  {self.input_subscripts}->{self.output_subscript}",
            f"  Naive cost (flopscope):  {self.naive_cost:,}",
            f"  Optimized cost (flopscope):  {self.optimized_cost:,}",
            f"  Speedup:  {self.speedup:.3f}x",
            f"  Savings:  {savings:.1f} %",
            f"  Largest intermediate:  {self.largest_intermediate:,} elements",
            "  Index sizes:  " + ", ".join(f"{k}={v}" for k, v in sorted(self.size_dict.items())),
            f"  Optimizer:  {self.optimizer_used}",
        ]
        if self.accumulation is not None and self.accumulation.total != self.optimized_cost:
            lines.append(
                f"  einsum charges:  {self.accumulation.total:,} "
                "(path-independent: opt_einsum 'auto' steps)"
            )
        symmetric = any(s.output_group is not None or any(s.input_groups) for s in self.steps)
        head = ["step", "contract", "subscript", "regime", "flops", "dense_flops", "savings"]
        head += ["blas"] + (["unique/total", "symmetry"] if symmetric else [])
        rows = [tuple(head)]
        for i, s in enumerate(self.steps):
            row = [
                str(i),
                str(s.path_indices),
                s.subscript,
                s.regime,
                f"{s.flop_cost:,}",
                f"{s.dense_flop_cost:,}",
                f"{100 * s.symmetry_savings:.1f}%",
                str(s.blas_type) if s.blas_type else "-",
            ]
            if symmetric:
                row += [s.unique_total or "-", s.symmetry_text]
            rows.append(tuple(row))
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        rule = "-" * (sum(widths) + 2 * (len(widths) - 1) + 2)
        lines.append(rule)
        left = {2, 3, 8, 9}
        for j, r in enumerate(rows):
            cells = [
                r[c].ljust(widths[c]) if c in left else r[c].rjust(widths[c]) for c in range(len(r))
            ]
            lines.append("  " + "  ".join(cells).rstrip())
            if j == 0:
                lines.append(rule)
        return "\n".join(lines)


def build_path_info(
    subscripts: str,
    shapes: tuple[Shape, ...],
    optimize: Any,
    convention: str | None = None,
    fingerprint: Any = None,
) -> tuple[list[tuple[int, ...]], PathInfo]:
    """``(path, PathInfo)`` of ``subscripts`` on ``shapes`` with ``optimize``.

    ``fingerprint`` (operand groups and identities, see :mod:`flopscope._einsum.operands`)
    prices every step of the reported path symmetry-aware and fills the symmetry columns;
    ``naive_cost`` stays the dense single loop, so ``speedup`` includes the saving.
    """
    if not isinstance(subscripts, str):
        raise TypeError("einsum_path: the interleaved (operand, sublist) form is not supported")
    if convention is None:
        from flopscope._budget import current

        convention = current().cost_model.convention
    canonical = canonicalize(subscripts, shapes)
    sizes = size_dict(canonical, shapes)
    key = execution_strategy(normalize_optimize(optimize), len(shapes))
    path, info = contract_path(canonical, shapes, key)
    planned = _planned(canonical, shapes, fingerprint, convention, key)
    if planned is not None and [p.subscript for p in planned] != [
        c[2] for c in info.contraction_list
    ]:
        planned = None  # broadcast shapes gave another path: report it densely
    subsets: list[frozenset[int]] = [frozenset((i,)) for i in range(len(shapes))]
    op_shapes: list[Shape] = list(shapes)
    steps = []
    for n, (indices, (inds, _, step, _, blas)) in enumerate(zip(path, info.contraction_list)):
        merged = frozenset().union(*(subsets[i] for i in inds))
        in_shapes = tuple(op_shapes[i] for i in inds)
        for i in inds:  # descending, as opt_einsum lists them
            subsets.pop(i)
            op_shapes.pop(i)
        terms, out = split(step)
        out_shape = tuple(sizes[c] for c in out)
        subsets.append(merged)
        op_shapes.append(out_shape)
        dense = pair_cost(terms, out, sizes, convention)
        common = dict(
            subscript=step,
            input_shapes=in_shapes,
            output_shape=out_shape,
            blas_type=blas,
            path_indices=tuple(indices),
            merged_subset=merged,
            dense_flop_cost=dense,
        )
        if planned is None:
            steps.append(
                StepInfo(
                    flop_cost=dense,
                    input_groups=(None,) * len(terms),
                    pre_reductions=pair_parts(terms, out, sizes)[0],
                    **common,
                )
            )
        else:
            steps.append(_symmetric_step(planned[n], terms, out, sizes, common))
    naive = naive_cost(canonical, shapes, convention)
    optimized = sum(s.flop_cost for s in steps)
    lhs, out = canonical.split("->")
    if fingerprint is None:
        accumulation = einsum_accumulation(canonical, shapes, convention)
    else:
        from flopscope._symmetry.einsum_cost import symmetric_accumulation

        accumulation = symmetric_accumulation(canonical, shapes, fingerprint, convention)
    return list(path), PathInfo(
        path=list(path),
        steps=tuple(steps),
        naive_cost=naive,
        optimized_cost=optimized,
        largest_intermediate=int(info.largest_intermediate),
        speedup=naive / optimized if optimized else 1.0,
        input_subscripts=lhs,
        output_subscript=out,
        size_dict=dict(sizes),
        optimizer_used=key if isinstance(key, str) else "explicit path",
        contraction_list=list(info.contraction_list),
        scale_list=list(info.scale_list),
        size_list=list(info.size_list),
        accumulation=accumulation,
    )


def _planned(
    canonical: str, shapes: tuple[Shape, ...], fingerprint: Any, convention: str, key: Any
) -> list[Any] | None:
    """The symmetric pricing of every step of the reported path (``None``: dense)."""
    if fingerprint is None:
        return None
    from flopscope import _config
    from flopscope._symmetry.einsum_cost import CostUnavailable, plan_steps

    try:
        return plan_steps(
            canonical,
            shapes,
            fingerprint,
            convention,
            int(_config.get("partition_budget")),
            int(_config.get("dimino_budget")),
            path=key,
            compare=len(shapes) >= 3,  # k <= 2 charges the per-input formula
        )
    except CostUnavailable:
        return None


def _symmetric_step(
    planned: Any, terms: list[str], out: str, sizes: dict[str, int], common: dict
) -> StepInfo:
    """A ``StepInfo`` with the symmetry columns of one planned step."""
    import math

    from flopscope._einsum.operands import output_group
    from flopscope._symmetry.regimes import burnside, group_name

    cost = planned.cost
    dense = common["dense_flop_cost"]
    in_groups = tuple(output_group(g) for g in planned.input_groups)
    in_names = [
        group_name(g, list(t)) if g is not None else "-"
        for g, t in zip(planned.input_groups, terms)
    ]
    out_name = planned.group_label or "-"
    unique = None
    if planned.output_group is not None:
        n_unique = burnside(planned.output_group, [sizes[c] for c in out])
        unique = f"V:{n_unique:,}/{math.prod(sizes[c] for c in out):,}"
    moved = [c for c in cost.per_component if c.regime_id != "trivial"]
    inner = [c for c in moved if not c.va]
    regime = ",".join(dict.fromkeys(c.regime_id for c in moved)) or "dense"
    if cost.cost_source not in ("per-input", None):
        regime = cost.cost_source
    return StepInfo(
        flop_cost=cost.total,
        input_groups=in_groups,
        output_group=output_group(planned.output_group),
        symmetry_savings=1 - cost.total / dense if dense else 0.0,
        inner_group=",".join(c.group_name for c in inner) or None,
        inner_applied=bool(inner) and cost.total < dense,
        pre_reductions=cost.pre_reductions_per_step[0],
        cost_source=cost.cost_source,
        regime=regime,
        unique_total=unique,
        symmetry_text=" × ".join(in_names) + " → " + out_name,
        **common,
    )
