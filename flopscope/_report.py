"""Summaries of budgets: dicts, plain text and Rich renderings. No accounting logic here:
everything is read from the ledger records of :mod:`flopscope._budget` (and re-priced from
their analytical inputs when a ``cost_model=`` is given)."""

from __future__ import annotations

import contextlib
import sys
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

Row = tuple[tuple[Any, ...], int, str | None]  # (record, price, full label)


def _op_entry() -> dict[str, Any]:
    return {
        "flop_cost": 0,
        "calls": 0,
        "flopscope_backend_time_s": 0.0,
        "flopscope_overhead_time_s": 0.0,
    }


def _add(entry: dict[str, Any], rec: tuple[Any, ...], price: int, key: str) -> None:
    entry[key] += price
    entry["calls"] += 1
    entry["flopscope_backend_time_s"] += rec[R_BACKEND]
    entry["flopscope_overhead_time_s"] += rec[R_OVERHEAD]


def _aggregate(
    rows: Iterable[Row], by_namespace: bool
) -> tuple[dict[str, dict[str, Any]], dict[str | None, dict[str, Any]]]:
    """Per-op (and per-label) totals from ``(record, price, label)`` triples."""
    ops: dict[str, dict[str, Any]] = {}
    spaces: dict[str | None, dict[str, Any]] = {}
    for rec, price, label in rows:
        name = record_name(rec)
        entry = ops.get(name)
        if entry is None:
            entry = ops[name] = _op_entry()
        _add(entry, rec, price, "flop_cost")
        if by_namespace:
            space = spaces.get(label)
            if space is None:
                space = spaces[label] = {
                    "flops_used": 0,
                    "calls": 0,
                    "flopscope_backend_time_s": 0.0,
                    "flopscope_overhead_time_s": 0.0,
                    "operations": {},
                }
            _add(space, rec, price, "flops_used")
            _add(space["operations"].setdefault(name, _op_entry()), rec, price, "flop_cost")
    return ops, spaces


def _rows(ctx: BudgetContext, model: CostModel | None, start: int = 0) -> list[Row]:
    records = list(ctx._records)[start:]
    root = ctx._namespace
    if model is None:
        return [(r, r[R_COST], _budget._join(root, r[R_LABEL])) for r in records]
    return [(r, ctx._price_record(r, model), _budget._join(root, r[R_LABEL])) for r in records]


def _timing(
    wall: float | None, ops: dict[str, dict[str, Any]], extra_overhead: float
) -> dict[str, Any]:
    backend = sum(o["flopscope_backend_time_s"] for o in ops.values())
    overhead = sum(o["flopscope_overhead_time_s"] for o in ops.values()) + extra_overhead
    return {
        "wall_time_s": wall,
        "flopscope_backend_time_s": backend,
        "flopscope_overhead_time_s": overhead,
        # user code, sleeps and uninstrumented numpy; timers jitter, so never below 0
        "residual_wall_time_s": None if wall is None else max(0.0, wall - backend - overhead),
    }


def context_dict(
    ctx: BudgetContext, by_namespace: bool = False, *, cost_model: str | CostModel | None = None
) -> dict[str, Any]:
    """``BudgetContext.summary_dict``: totals of one context, optionally re-priced."""
    model = None if cost_model is None else resolve(cost_model)
    rows = _rows(ctx, model)
    ops, spaces = _aggregate(rows, by_namespace)
    used = ctx.flops_used if model is None else sum(r[1] for r in rows)
    out: dict[str, Any] = {
        "flop_budget": ctx.flop_budget,
        "flops_used": used,
        "flops_remaining": ctx.flop_budget - used,
        "cost_model": (model or ctx.cost_model).name,
        "operations": ops,
        **_timing(ctx.live_wall_time(), ops, ctx._extra_overhead),
    }
    if by_namespace:
        out["by_namespace"] = spaces
    return out


# -- plain text -----------------------------------------------------------------------------


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def _num(x: float) -> str:
    """Thousands-separated count; integral floats (budgets such as ``1e8``) print as ints."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}"


def _calls(n: int) -> str:
    return f"[{n} call{'' if n == 1 else 's'}]"


def _total_line(label: str, value: str, share: str = "") -> str:
    # label field 17 + value right-aligned in 20: every total ends in column 39
    return f"  {label:<17}{value:>20}{share}"


def render_text(data: dict[str, Any], ctx: BudgetContext | None = None) -> str:
    """The plain-text layout of ``BudgetContext.summary()`` (see spec §3.8)."""
    ops = data["operations"]
    used = data["flops_used"]
    if not used and not ops:
        return "No budget data recorded yet."
    title = "flopscope FLOP Budget Summary"
    if ctx is not None and ctx._namespace:
        title += f" [{ctx._namespace}]"
    budget = data["flop_budget"]
    remaining = budget - used
    lines = [
        title,
        "=" * len(title),
        _total_line("Total budget:", _num(budget)),
        _total_line("Used:", _num(used), f"  ({_pct(used, budget):.1f}%)"),
        _total_line("Remaining:", _num(remaining), f"  ({_pct(remaining, budget):.1f}%)"),
    ]
    if data.get("cost_model") not in (None, "flopscope"):
        lines.append(_total_line("Cost model:", str(data["cost_model"])))
    if "by_namespace" in data:
        lines += ["", "  By namespace:"]
        spaces = sorted(data["by_namespace"].items(), key=lambda kv: -kv[1]["flops_used"])
        for label, e in spaces:
            lines.append(
                f"    {label or '(unlabeled)':<24} {e['flops_used']:>12,}  "
                f"({_pct(e['flops_used'], used):5.1f}%)  {_calls(e['calls'])}  "
                f"Backend {e['flopscope_backend_time_s']:.3f}s  "
                f"Overhead {e['flopscope_overhead_time_s']:.3f}s"
            )
    lines += ["", "  By operation:"]
    for name, e in sorted(ops.items(), key=lambda kv: -kv[1]["flop_cost"]):
        lines.append(
            f"    {name:<20} {e['flop_cost']:>12,}  ({_pct(e['flop_cost'], used):5.1f}%)  "
            f"{_calls(e['calls'])}"
        )
    wall = data.get("wall_time_s")
    if wall is not None:
        lines += ["", *_timing_lines(data, wall)]
    return "\n".join(lines)


def _timing_lines(data: dict[str, Any], wall: float) -> list[str]:
    backend = data["flopscope_backend_time_s"]
    overhead = data["flopscope_overhead_time_s"]
    residual = data["residual_wall_time_s"] or 0.0
    lines = [
        f"  {'Total Wall Time:':<21}{wall:.3f}s",
        f"  {'Flopscope Backend:':<21}{backend:.3f}s  ({_pct(backend, wall):.1f}%)",
        f"  {'Flopscope Overhead:':<21}{overhead:.3f}s  ({_pct(overhead, wall):.1f}%)",
        f"  {'Residual Wall Time:':<21}{residual:.3f}s  ({_pct(residual, wall):.1f}%)",
    ]
    ops = data["operations"]
    timed = [(n, e) for n, e in ops.items() if e["flopscope_backend_time_s"] > 0]
    if timed:
        lines += ["", "  By operation (time):"]
        for name, e in sorted(timed, key=lambda kv: -kv[1]["flopscope_backend_time_s"]):
            t = e["flopscope_backend_time_s"]
            lines.append(
                f"    {name:<20} {t:.3f}s  ({_pct(t, backend):5.1f}%)  {_calls(e['calls'])}"
            )
    return lines


# -- session level --------------------------------------------------------------------------


def _session(
    by_namespace: bool, cost_model: str | CostModel | None
) -> tuple[dict[str, Any], float, bool]:
    """Session dict, the sum of the explicit (non-default) budgets, and whether any is in."""
    model = None if cost_model is None else resolve(cost_model)
    rows: list[Row] = []
    budget: float = 0
    explicit: float = 0
    any_explicit = False
    walls: list[float] = []
    extra = 0.0
    models: set[str] = set()
    for ctx in _budget.all_contexts():
        mine = _rows(ctx, model, ctx._baseline)
        if not mine:
            continue  # contexts contribute (budget included) only once they have activity
        rows.extend(mine)
        budget += ctx.flop_budget
        models.add(ctx.cost_model.name)
        if not ctx._is_default:
            explicit += ctx.flop_budget
            any_explicit = True
        wall = ctx.live_wall_time()
        if wall is not None:
            walls.append(wall)
            extra += ctx._extra_overhead
    ops, spaces = _aggregate(rows, by_namespace)
    used = sum(r[1] for r in rows)
    name = model.name if model is not None else (models.pop() if len(models) == 1 else None)
    out: dict[str, Any] = {
        "flop_budget": budget,
        "flops_used": used,
        "flops_remaining": budget - used,
        "cost_model": name,
        "operations": ops,
        **_timing(sum(walls) if walls else None, ops, extra),
    }
    if by_namespace:
        out["by_namespace"] = spaces
    return out, explicit, any_explicit


def budget_summary_dict(
    by_namespace: bool = False, *, cost_model: str | CostModel | None = None
) -> dict[str, Any]:
    """Totals over every context of this process since the last ``budget_reset()``.

    ``flop_budget`` is the sum of the budgets of the contexts that recorded activity (the
    global default contributes its budget once it has been used).
    """
    return _session(by_namespace, cost_model)[0]


def budget_reset() -> None:
    """Start session summaries afresh (contexts keep their own ``flops_used``)."""
    for ctx in _budget.all_contexts():
        ctx._baseline = len(ctx._records)
    _budget.forget_idle()


def _renderable(data: dict[str, Any], explicit_budget: float, any_explicit: bool) -> Any:
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    if not data["flops_used"] and not data["operations"]:
        return Panel("No budget data recorded yet.", title="flopscope Budget", border_style="cyan")
    used = data["flops_used"]
    totals = Table.grid(padding=(0, 2))
    totals.add_column(style="bold")
    totals.add_column(justify="right")
    if any_explicit:
        # the default's 10^15 would drown the real budgets: show the explicit ones only
        share = _pct(used, explicit_budget)
        colour = "green" if share < 50 else "yellow" if share < 80 else "red"
        rest = explicit_budget - used
        totals.add_row("Budget", _num(explicit_budget))
        totals.add_row("Used", f"[{colour}]{_num(used)}[/] ({share:.1f}%)")
        totals.add_row("Remaining", f"{_num(rest)} ({_pct(rest, explicit_budget):.1f}%)")
    else:
        totals.add_row("Used", _num(used))
    if data.get("wall_time_s") is not None:
        totals.add_row("Wall time", f"{data['wall_time_s']:.3f}s")
        totals.add_row("Backend", f"{data['flopscope_backend_time_s']:.3f}s")
        totals.add_row("Overhead", f"{data['flopscope_overhead_time_s']:.3f}s")
        totals.add_row("Residual", f"{data['residual_wall_time_s']:.3f}s")
    parts: list[Any] = [totals]
    if "by_namespace" in data:
        spaces = Table(title="By namespace", box=box.SIMPLE)
        for col in ("Namespace", "FLOPs", "%", "Backend", "Overhead", "Calls"):
            spaces.add_column(col, justify="left" if col == "Namespace" else "right")
        for label, e in sorted(data["by_namespace"].items(), key=lambda kv: -kv[1]["flops_used"]):
            spaces.add_row(
                label or "(unlabeled)",
                _num(e["flops_used"]),
                f"{_pct(e['flops_used'], used):.1f}",
                f"{e['flopscope_backend_time_s']:.4f}s",
                f"{e['flopscope_overhead_time_s']:.4f}s",
                str(e["calls"]),
            )
        parts.append(spaces)
    table = Table(title="By operation", box=box.SIMPLE)
    for col in ("Operation", "FLOPs", "%", "Backend", "Overhead", "Calls"):
        table.add_column(col, justify="left" if col == "Operation" else "right")
    for name, e in sorted(data["operations"].items(), key=lambda kv: -kv[1]["flop_cost"]):
        table.add_row(
            name,
            _num(e["flop_cost"]),
            f"{_pct(e['flop_cost'], used):.1f}",
            f"{e['flopscope_backend_time_s']:.4f}s",
            f"{e['flopscope_overhead_time_s']:.4f}s",
            str(e["calls"]),
        )
    parts.append(table)
    return Panel(Group(*parts), title="flopscope FLOP Budget Summary", border_style="cyan")


def _in_ipython() -> bool:
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get is not None and get() is not None


def budget_summary(
    by_namespace: bool = False,
    *,
    cost_model: str | CostModel | None = None,
    console: Any = None,
) -> Any:
    """Print the session summary as a Rich panel (returns the panel under IPython instead).

    Without Rich the plain-text layout of ``BudgetContext.summary()`` is printed.
    """
    data, explicit, any_explicit = _session(by_namespace, cost_model)
    try:
        from rich.console import Console
    except ImportError:  # pragma: no cover - rich is a declared dependency
        print(render_text(data))
        return None
    panel = _renderable(data, explicit, any_explicit)
    if console is None and _in_ipython():
        return panel
    (console or Console()).print(panel)
    return None


@contextlib.contextmanager
def budget_live(by_namespace: bool = False, *, console: Any = None) -> Iterator[None]:
    """Show a live-updating session summary (2 refreshes/s) while the block runs."""
    from rich.live import Live

    def render() -> Any:
        data, explicit, any_explicit = _session(by_namespace, None)
        return _renderable(data, explicit, any_explicit)

    with Live(get_renderable=render, refresh_per_second=2, console=console) as live:
        try:
            yield
        finally:
            live.update(render(), refresh=True)
