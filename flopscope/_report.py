"""Summaries of budgets: dicts, plain text and Rich renderings. No accounting logic here:
everything is read from the ledger records of :mod:`flopscope._budget`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from flopscope import _budget
from flopscope._budget import R_BACKEND, R_COST, R_LABEL, R_OVERHEAD, BudgetContext, record_name
from flopscope.costs.model import CostModel, resolve

__all__ = [
    "budget_live",
    "budget_reset",
    "budget_summary",
    "budget_summary_dict",
    "context_dict",
    "render_text",
]


def _aggregate(
    rows: Iterable[tuple[tuple[Any, ...], int, str | None]], by_namespace: bool
) -> tuple[dict[str, dict[str, Any]], dict[str | None, dict[str, Any]]]:
    """Per-op (and per-label) totals from ``(record, price, label)`` triples."""
    ops: dict[str, dict[str, Any]] = {}
    spaces: dict[str | None, dict[str, Any]] = {}
    for rec, price, label in rows:
        name = record_name(rec)
        entry = ops.setdefault(
            name,
            {
                "flop_cost": 0,
                "calls": 0,
                "flopscope_backend_time_s": 0.0,
                "flopscope_overhead_time_s": 0.0,
            },
        )
        entry["flop_cost"] += price
        entry["calls"] += 1
        entry["flopscope_backend_time_s"] += rec[R_BACKEND]
        entry["flopscope_overhead_time_s"] += rec[R_OVERHEAD]
        if by_namespace:
            space = spaces.setdefault(
                label,
                {
                    "flops_used": 0,
                    "calls": 0,
                    "flopscope_backend_time_s": 0.0,
                    "flopscope_overhead_time_s": 0.0,
                    "operations": {},
                },
            )
            space["flops_used"] += price
            space["calls"] += 1
            space["flopscope_backend_time_s"] += rec[R_BACKEND]
            space["flopscope_overhead_time_s"] += rec[R_OVERHEAD]
            op = space["operations"].setdefault(name, {"flop_cost": 0, "calls": 0})
            op["flop_cost"] += price
            op["calls"] += 1
    return ops, spaces


def _rows(
    ctx: BudgetContext, model: CostModel | None, start: int = 0
) -> Iterator[tuple[tuple[Any, ...], int, str | None]]:
    for rec in list(ctx._records)[start:]:
        price = rec[R_COST] if model is None else ctx._price_record(rec, model)
        yield rec, price, _budget._join(ctx._namespace, rec[R_LABEL])


def context_dict(
    ctx: BudgetContext, by_namespace: bool = False, *, cost_model: str | CostModel | None = None
) -> dict[str, Any]:
    """``BudgetContext.summary_dict``: totals of one context, optionally re-priced."""
    model = None if cost_model is None else resolve(cost_model)
    ops, spaces = _aggregate(_rows(ctx, model), by_namespace)
    used = ctx.flops_used if model is None else sum(o["flop_cost"] for o in ops.values())
    wall = (
        ctx.wall_time_s
        if ctx.wall_time_s is not None
        else (ctx.elapsed_s if ctx._t_enter else None)
    )
    backend = sum(o["flopscope_backend_time_s"] for o in ops.values())
    overhead = sum(o["flopscope_overhead_time_s"] for o in ops.values())
    out: dict[str, Any] = {
        "flop_budget": ctx.flop_budget,
        "flops_used": used,
        "flops_remaining": ctx.flop_budget - used,
        "cost_model": (model or ctx.cost_model).name,
        "operations": ops,
        "wall_time_s": wall,
        "flopscope_backend_time_s": backend,
        "flopscope_overhead_time_s": overhead,
        "residual_wall_time_s": None if wall is None else max(0.0, wall - backend - overhead),
    }
    if by_namespace:
        out["by_namespace"] = spaces
    return out


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def render_text(data: dict[str, Any], ctx: BudgetContext | None = None) -> str:
    """The plain-text layout of ``BudgetContext.summary()``."""
    ops = data["operations"]
    used = data["flops_used"]
    if not used and not ops:
        return "No budget data recorded yet."
    title = "flopscope FLOP Budget Summary"
    if ctx is not None and ctx._namespace:
        title += f" [{ctx._namespace}]"
    budget = data["flop_budget"]
    lines = [
        title,
        "=" * len(title),
        f"  {'Total budget:':<18}{budget:>20,.0f}",
        f"  {'Used:':<18}{used:>20,}  ({_pct(used, budget):.1f}%)",
        f"  {'Remaining:':<18}{budget - used:>20,.0f}  ({_pct(budget - used, budget):.1f}%)",
    ]
    if data.get("cost_model") not in (None, "flopscope"):
        lines.append(f"  {'Cost model:':<18}{data['cost_model']:>20}")
    if "by_namespace" in data:
        lines += ["", "  By namespace:"]
        spaces = sorted(data["by_namespace"].items(), key=lambda kv: -kv[1]["flops_used"])
        for label, entry in spaces:
            calls = entry["calls"]
            lines.append(
                f"    {label or '(unlabeled)':<24}{entry['flops_used']:>12,}  "
                f"({_pct(entry['flops_used'], used):5.1f}%)  [{calls} call{'s' if calls != 1 else ''}]  "
                f"Backend {entry['flopscope_backend_time_s']:.3f}s  "
                f"Overhead {entry['flopscope_overhead_time_s']:.3f}s"
            )
    lines += ["", "  By operation:"]
    for name, entry in sorted(ops.items(), key=lambda kv: -kv[1]["flop_cost"]):
        calls = entry["calls"]
        lines.append(
            f"    {name:<20}{entry['flop_cost']:>12,}  ({_pct(entry['flop_cost'], used):5.1f}%)  "
            f"[{calls} call{'s' if calls != 1 else ''}]"
        )
    wall = data.get("wall_time_s")
    if wall is not None:
        backend = data["flopscope_backend_time_s"]
        overhead = data["flopscope_overhead_time_s"]
        residual = data["residual_wall_time_s"] or 0.0
        lines += [
            "",
            f"  {'Total Wall Time:':<21}{wall:.3f}s",
            f"  {'Flopscope Backend:':<21}{backend:.3f}s  ({_pct(backend, wall):.1f}%)",
            f"  {'Flopscope Overhead:':<21}{overhead:.3f}s  ({_pct(overhead, wall):.1f}%)",
            f"  {'Residual Wall Time:':<21}{residual:.3f}s  ({_pct(residual, wall):.1f}%)",
        ]
        timed = [(n, e) for n, e in ops.items() if e["flopscope_backend_time_s"] > 0]
        if timed:
            lines += ["", "  By operation (time):"]
            for name, entry in sorted(timed, key=lambda kv: -kv[1]["flopscope_backend_time_s"]):
                calls = entry["calls"]
                t = entry["flopscope_backend_time_s"]
                lines.append(
                    f"    {name:<20}{t:.3f}s  ({_pct(t, backend):5.1f}%)  "
                    f"[{calls} call{'s' if calls != 1 else ''}]"
                )
    return "\n".join(lines)


# -- session level ------------------------------------------------------------------------


def budget_summary_dict(
    by_namespace: bool = False, *, cost_model: str | CostModel | None = None
) -> dict[str, Any]:
    """Totals over every context of this process since the last ``budget_reset()``."""
    model = None if cost_model is None else resolve(cost_model)
    rows: list[tuple[tuple[Any, ...], int, str | None]] = []
    budget = 0.0
    wall = 0.0
    any_wall = False
    for ctx in _budget.all_contexts():
        mine = list(_rows(ctx, model, ctx._baseline))
        if not mine:
            continue
        rows.extend(mine)
        budget += ctx.flop_budget
        if ctx.wall_time_s is not None:
            wall += ctx.wall_time_s
            any_wall = True
    ops, spaces = _aggregate(rows, by_namespace)
    used = sum(r[1] for r in rows)
    backend = sum(o["flopscope_backend_time_s"] for o in ops.values())
    overhead = sum(o["flopscope_overhead_time_s"] for o in ops.values())
    out: dict[str, Any] = {
        "flop_budget": budget,
        "flops_used": used,
        "flops_remaining": budget - used,
        "operations": ops,
        "wall_time_s": wall if any_wall else None,
        "flopscope_backend_time_s": backend,
        "flopscope_overhead_time_s": overhead,
        "residual_wall_time_s": max(0.0, wall - backend - overhead) if any_wall else None,
    }
    if by_namespace:
        out["by_namespace"] = spaces
    return out


def budget_reset() -> None:
    """Start session summaries afresh (contexts keep their own ``flops_used``)."""
    for ctx in _budget.all_contexts():
        ctx._baseline = len(ctx._records)


def _renderable(data: dict[str, Any]) -> Any:
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    if not data["flops_used"] and not data["operations"]:
        return Panel("No budget data recorded yet.", title="flopscope Budget", border_style="cyan")
    used = data["flops_used"]
    budget = data["flop_budget"]
    share = _pct(used, budget)
    colour = "green" if share < 50 else "yellow" if share < 80 else "red"
    totals = Table.grid(padding=(0, 2))
    totals.add_column(style="bold")
    totals.add_column(justify="right")
    totals.add_row("Budget", f"{budget:,.0f}")
    totals.add_row("Used", f"[{colour}]{used:,}[/] ({share:.1f}%)")
    totals.add_row("Remaining", f"{budget - used:,.0f} ({100 - share:.1f}%)")
    if data.get("wall_time_s") is not None:
        totals.add_row("Wall time", f"{data['wall_time_s']:.3f}s")
        totals.add_row("Backend", f"{data['flopscope_backend_time_s']:.3f}s")
        totals.add_row("Overhead", f"{data['flopscope_overhead_time_s']:.3f}s")
    parts: list[Any] = [totals]
    if "by_namespace" in data:
        spaces = Table(title="By namespace", box=box.SIMPLE)
        for col in ("Namespace", "FLOPs", "%", "Calls"):
            spaces.add_column(col, justify="left" if col == "Namespace" else "right")
        for label, entry in sorted(
            data["by_namespace"].items(), key=lambda kv: -kv[1]["flops_used"]
        ):
            spaces.add_row(
                label or "(unlabeled)",
                f"{entry['flops_used']:,}",
                f"{_pct(entry['flops_used'], used):.1f}",
                str(entry["calls"]),
            )
        parts.append(spaces)
    table = Table(title="By operation", box=box.SIMPLE)
    for col in ("Operation", "FLOPs", "%", "Backend", "Overhead", "Calls"):
        table.add_column(col, justify="left" if col == "Operation" else "right")
    for name, entry in sorted(data["operations"].items(), key=lambda kv: -kv[1]["flop_cost"]):
        table.add_row(
            name,
            f"{entry['flop_cost']:,}",
            f"{_pct(entry['flop_cost'], used):.1f}",
            f"{entry['flopscope_backend_time_s']:.4f}s",
            f"{entry['flopscope_overhead_time_s']:.4f}s",
            str(entry["calls"]),
        )
    parts.append(table)
    return Panel(Group(*parts), title="flopscope FLOP Budget Summary", border_style="cyan")


def budget_summary(
    by_namespace: bool = False, *, cost_model: str | CostModel | None = None
) -> None:
    """Print the session summary with Rich."""
    from rich.console import Console

    Console().print(_renderable(budget_summary_dict(by_namespace, cost_model=cost_model)))


@contextlib.contextmanager
def budget_live(by_namespace: bool = False) -> Iterator[None]:
    """Show a live-updating session summary while the block runs."""
    from rich.live import Live

    def render() -> Any:
        return _renderable(budget_summary_dict(by_namespace))

    with Live(get_renderable=render, refresh_per_second=2) as live:
        try:
            yield
        finally:
            live.update(render())
