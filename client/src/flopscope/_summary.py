"""Budget summaries of this client's session, read from the server (``summary`` request).

The plain-text layout is the one ``BudgetContext.summary()`` prints in-process.
"""

from __future__ import annotations

from typing import Any

from ._conn import connection


def budget_summary_dict(
    by_namespace: bool = False, *, cost_model: str | None = None
) -> dict[str, Any]:
    """The session's ``budget_summary_dict`` as the server computes it."""
    fields: dict[str, Any] = {"by_namespace": bool(by_namespace)}
    if cost_model is not None:
        fields["cost_model"] = cost_model
    result, reply = connection().request("summary", **fields)
    return result if isinstance(result, dict) else reply.get("summary", {})


def budget_summary(by_namespace: bool = False, *, cost_model: str | None = None) -> None:
    """Print the session's summary (plain text; the client has no Rich dependency)."""
    print(render_text(budget_summary_dict(by_namespace, cost_model=cost_model)))


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def _num(x: Any) -> str:
    if x is None:
        return "unlimited"
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}"


def _calls(n: int) -> str:
    return f"[{n} call{'' if n == 1 else 's'}]"


def _total(label: str, value: str, share: str = "") -> str:
    return f"  {label:<17}{value:>20}{share}"


def render_text(data: dict[str, Any]) -> str:
    """Totals, then one line per op sorted by cost (and per label with ``by_namespace``)."""
    ops = data.get("operations") or {}
    used = data.get("flops_used") or 0
    if not used and not ops:
        return "No budget data recorded yet."
    title = "flopscope FLOP Budget Summary"
    budget = data.get("flop_budget")
    lines = [title, "=" * len(title), _total("Total budget:", _num(budget))]
    if budget:
        remaining = budget - used
        lines.append(_total("Used:", _num(used), f"  ({_pct(used, budget):.1f}%)"))
        lines.append(_total("Remaining:", _num(remaining), f"  ({_pct(remaining, budget):.1f}%)"))
    else:
        lines.append(_total("Used:", _num(used)))
    if data.get("cost_model") not in (None, "flopscope"):
        lines.append(_total("Cost model:", str(data["cost_model"])))
    if "by_namespace" in data:
        lines += ["", "  By namespace:"]
        spaces = sorted(data["by_namespace"].items(), key=lambda kv: -kv[1]["flops_used"])
        for label, e in spaces:
            lines.append(
                f"    {label or '(unlabeled)':<24} {e['flops_used']:>12,}  "
                f"({_pct(e['flops_used'], used):5.1f}%)  {_calls(e['calls'])}"
            )
    lines += ["", "  By operation:"]
    for name, e in sorted(ops.items(), key=lambda kv: -kv[1]["flop_cost"]):
        lines.append(
            f"    {name:<20} {e['flop_cost']:>12,}  ({_pct(e['flop_cost'], used):5.1f}%)  "
            f"{_calls(e['calls'])}"
        )
    return "\n".join(lines)
