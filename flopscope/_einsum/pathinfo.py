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
        lines = [
            f"  Complete contraction:  {self.input_subscripts}->{self.output_subscript}",
            f"  Naive cost (flopscope):  {self.naive_cost:,}",
            f"  Optimized cost (flopscope):  {self.optimized_cost:,}",
            f"  Speedup:  {self.speedup:.3f}x",
            f"  Largest intermediate:  {self.largest_intermediate:,} elements",
            "  Index sizes:  " + ", ".join(f"{k}={v}" for k, v in sorted(self.size_dict.items())),
            f"  Optimizer:  {self.optimizer_used}",
        ]
        if self.accumulation is not None and self.accumulation.total != self.optimized_cost:
            lines.append(
                f"  einsum charges:  {self.accumulation.total:,} "
                "(path-independent: opt_einsum 'auto' steps)"
            )
        rows = [("step", "contract", "subscript", "flops", "dense_flops", "blas")]
        for i, s in enumerate(self.steps):
            rows.append(
                (
                    str(i),
                    str(s.path_indices),
                    s.subscript,
                    f"{s.flop_cost:,}",
                    f"{s.dense_flop_cost:,}",
                    str(s.blas_type) if s.blas_type else "-",
                )
            )
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        rule = "-" * (sum(widths) + 2 * (len(widths) - 1) + 2)
        lines.append(rule)
        for j, r in enumerate(rows):
            cells = [
                r[c].ljust(widths[c]) if c == 2 else r[c].rjust(widths[c]) for c in range(len(r))
            ]
            lines.append("  " + "  ".join(cells).rstrip())
            if j == 0:
                lines.append(rule)
        return "\n".join(lines)


def build_path_info(
    subscripts: str, shapes: tuple[Shape, ...], optimize: Any, convention: str | None = None
) -> tuple[list[tuple[int, ...]], PathInfo]:
    """``(path, PathInfo)`` of ``subscripts`` on ``shapes`` with ``optimize``."""
    if not isinstance(subscripts, str):
        raise TypeError("einsum_path: the interleaved (operand, sublist) form is not supported")
    if convention is None:
        from flopscope._budget import current

        convention = current().cost_model.convention
    canonical = canonicalize(subscripts, shapes)
    sizes = size_dict(canonical, shapes)
    key = execution_strategy(normalize_optimize(optimize), len(shapes))
    path, info = contract_path(canonical, shapes, key)
    subsets: list[frozenset[int]] = [frozenset((i,)) for i in range(len(shapes))]
    op_shapes: list[Shape] = list(shapes)
    steps = []
    for indices, (inds, _, step, _, blas) in zip(path, info.contraction_list):
        merged = frozenset().union(*(subsets[i] for i in inds))
        in_shapes = tuple(op_shapes[i] for i in inds)
        for i in inds:  # descending, as opt_einsum lists them
            subsets.pop(i)
            op_shapes.pop(i)
        terms, out = split(step)
        out_shape = tuple(sizes[c] for c in out)
        subsets.append(merged)
        op_shapes.append(out_shape)
        cost = pair_cost(terms, out, sizes, convention)
        steps.append(
            StepInfo(
                subscript=step,
                flop_cost=cost,
                input_shapes=in_shapes,
                output_shape=out_shape,
                input_groups=(None,) * len(terms),
                dense_flop_cost=cost,
                blas_type=blas,
                path_indices=tuple(indices),
                merged_subset=merged,
                pre_reductions=pair_parts(terms, out, sizes)[0],
            )
        )
    naive = naive_cost(canonical, shapes, convention)
    optimized = sum(s.flop_cost for s in steps)
    lhs, out = canonical.split("->")
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
        accumulation=einsum_accumulation(canonical, shapes, convention),
    )
