"""``python -m conformance``: run the tables on backends under cost models and report.

Exit status 0 when every case that ran passed and every backend charged the same totals;
1 otherwise; 2 when a requested backend or model cannot be set up.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance import models, report, runner, table


def split(values: list[str] | None) -> list[str]:
    """``--x a --x b,c`` -> ``[a, b, c]``."""
    return [v for item in values or [] for v in item.split(",") if v]


def default_backends() -> list[str]:
    from flopscope.backends import available

    names = available()
    return ["numpy", *(n for n in names if n != "numpy")]


def check_backend(name: str) -> str | None:
    """Why ``name`` cannot run (None when it can)."""
    if name == "numpy":
        return None
    import flopscope as flops

    try:
        flops.namespace(name).asarray([1.0])
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__)
    parser.add_argument(
        "--backend", action="append", help="backend name(s); default: every available one"
    )
    parser.add_argument(
        "--cost-model",
        action="append",
        help="flopscope, exact, fma, mac, a weights JSON file or CONVENTION:file; default: the four built-ins",
    )
    parser.add_argument("--family", action="append", help="only these table families")
    parser.add_argument(
        "--report", default="conformance-report.json", help="JSON report path (Markdown beside it)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (CI logs)")
    ns = parser.parse_args(argv)

    from rich.console import Console

    console = Console()
    backends = split(ns.backend) or default_backends()
    for name in backends:
        why = check_backend(name)
        if why:
            console.print(f"[red]backend {name!r} cannot run:[/red] {why}")
            return 2
    try:
        chosen = [models.resolve(m) for m in split(ns.cost_model) or list(models.BUILTIN)]
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    rows = table.load(split(ns.family) or None)
    results = run_all(rows, backends, chosen, progress=not ns.no_progress, console=console)
    mismatches = runner.cross_check(results)
    meta = {"backends": backends, "cost_models": [m.label for m in chosen], "cases": len(rows)}
    md = report.write(Path(ns.report), results, mismatches, meta)
    console.print(report.rich_table(results, backends))
    fails = [r for r in results if r.status == runner.FAIL]
    for r in fails[:20]:
        console.print(f"[red]FAIL[/red] {r.id} on {r.backend} [{r.model}]: {r.detail}")
    if len(fails) > 20:
        console.print(f"... and {len(fails) - 20} more failures (see {ns.report})")
    for m in mismatches[:20]:
        console.print(f"[red]totals differ across backends[/red] {m}")
    ok = not fails and not mismatches
    verdict = "[green]conformance passed[/green]" if ok else "[red]conformance failed[/red]"
    console.print(f"{verdict}: report {ns.report}, summary {md}")
    return 0 if ok else 1


def run_all(
    rows: list[dict],
    backends: list[str],
    chosen: list[models.Model],
    *,
    progress: bool,
    console: object,
) -> list[runner.Result]:
    """Every row on every backend under every model, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    results: list[runner.Result] = []
    total = len(rows) * len(backends) * len(chosen)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, disable=not progress) as bar:  # type: ignore[arg-type]
        task = bar.add_task("conformance", total=total)
        for backend in backends:
            for model in chosen:
                bar.update(task, description=f"{backend} [{model.label}]")
                for row in rows:
                    results.append(runner.run(row, backend, model))
                    bar.advance(task)
    return results


if __name__ == "__main__":
    sys.exit(main())
