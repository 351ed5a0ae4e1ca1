"""Summaries of a conformance run: a rich table, a JSON report and a Markdown summary."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from conformance.runner import FAIL, PASS, UNSUPPORTED, Result


def tally(results: list[Result]) -> dict[tuple[str, str], Counter[str]]:
    """(family, backend) -> counts of pass / fail / unsupported, over every model run."""
    out: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in results:
        out[(r.family, r.backend)][r.status] += 1
    return out


def cell(c: Counter[str]) -> str:
    """``passed/ran`` plus the unsupported count: every case is accounted for."""
    ran = c[PASS] + c[FAIL]
    return f"{c[PASS]}/{ran}" + (f" · {c[UNSUPPORTED]}" if c[UNSUPPORTED] else "")


def as_dict(results: list[Result], mismatches: list[str], meta: dict[str, Any]) -> dict[str, Any]:
    counts = Counter(r.status for r in results)
    return {
        **meta,
        "totals": {PASS: counts[PASS], FAIL: counts[FAIL], UNSUPPORTED: counts[UNSUPPORTED]},
        "cross_backend_mismatches": mismatches,
        "ok": counts[FAIL] == 0 and not mismatches,
        "results": [r.as_dict() for r in results],
    }


def markdown(results: list[Result], mismatches: list[str], meta: dict[str, Any]) -> str:
    """A Markdown summary: per-family table, failures, unsupported ops, mismatches."""
    backends = meta["backends"]
    table = tally(results)
    families = sorted({f for f, _ in table})
    lines = [
        "# flopscope conformance",
        "",
        f"Backends: {', '.join(backends)}. Cost models: {', '.join(meta['cost_models'])}. "
        f"Cases: {meta['cases']} per backend and model.",
        "",
        "Cells: passed/ran · unsupported (an unsupported case is listed below, never dropped).",
        "",
        "| family | " + " | ".join(backends) + " |",
        "|---|" + "---|" * len(backends),
    ]
    for fam in families:
        lines.append(f"| {fam} | " + " | ".join(cell(table[(fam, b)]) for b in backends) + " |")
    lines.append("| **all** | " + " | ".join(cell(_sum(table, b)) for b in backends) + " |")
    fails = [r for r in results if r.status == FAIL]
    lines += ["", f"## Failures ({len(fails)})", ""]
    lines += [f"- `{r.id}` on {r.backend} [{r.model}]: {r.detail}" for r in fails[:200]]
    unsupported = Counter(
        (r.backend, r.op, r.detail.split(":")[0]) for r in results if r.status == UNSUPPORTED
    )
    lines += ["", f"## Unsupported ({sum(unsupported.values())} case runs)", ""]
    by_reason: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (backend, op, reason), _ in sorted(unsupported.items()):
        by_reason[(backend, reason)].append(op)
    for (backend, reason), ops in sorted(by_reason.items()):
        lines.append(
            f"- {backend}: {reason} ({len(ops)} ops): "
            + ", ".join(f"`{o}`" for o in ops[:40])
            + (" …" if len(ops) > 40 else "")
        )
    notes = [r for r in results if r.status == PASS and r.detail.startswith("note:")]
    lines += ["", f"## Backend deviations ({len(notes)})", ""]
    lines += [
        f"- `{r.id}` on {r.backend} [{r.model}]: {r.detail[6:]} (flopscope matches {r.backend})"
        for r in notes[:100]
    ] or ["None: every native result agrees with numpy."]
    lines += ["", f"## Totals across backends ({len(mismatches)} mismatches)", ""]
    lines += [f"- {m}" for m in mismatches] or [
        "Every case that ran on several backends was charged the same on each."
    ]
    return "\n".join(lines) + "\n"


def _sum(table: dict[tuple[str, str], Counter[str]], backend: str) -> Counter[str]:
    total: Counter[str] = Counter()
    for (_, b), c in table.items():
        if b == backend:
            total.update(c)
    return total


def write(path: Path, results: list[Result], mismatches: list[str], meta: dict[str, Any]) -> Path:
    """Write ``path`` (JSON) and the Markdown summary beside it; returns the Markdown path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(as_dict(results, mismatches, meta), indent=1) + "\n")
    md = path.with_suffix(".md")
    md.write_text(markdown(results, mismatches, meta))
    return md


def rich_table(results: list[Result], backends: list[str]) -> Any:
    """The per-family table for the terminal."""
    from rich.table import Table

    table = tally(results)
    out = Table(title="conformance: passed/ran · unsupported, per family and backend (all models)")
    out.add_column("family")
    for b in backends:
        out.add_column(b, justify="right")
    for fam in sorted({f for f, _ in table}):
        cells = []
        for b in backends:
            c = table[(fam, b)]
            style = "red" if c[FAIL] else "green"
            cells.append(f"[{style}]{cell(c)}[/{style}]")
        out.add_row(fam, *cells)
    out.add_row("[bold]all[/bold]", *(cell(_sum(table, b)) for b in backends))
    return out
