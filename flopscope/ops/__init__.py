"""THE op table: every operation flopscope knows, declared once.

Each area module (``elementwise``, ``reductions``, ...) defines ``OPS``, a tuple of
:class:`~flopscope.ops._row.Op`. The NumPy surface, the array-API namespace, the operator
methods, the cost model's weights, the docs reference and the conformance tables are all
derived from these rows.
"""

from __future__ import annotations

import importlib
from functools import cache

from flopscope.ops._row import KINDS, TIERS, Example, Op

__all__ = [
    "AREAS",
    "KINDS",
    "TIERS",
    "Example",
    "Op",
    "all_ops",
    "lookup",
    "manual_op",
    "names",
    "row",
]

#: one module per area; adding a family means adding rows to one of these (or a new module)
AREAS = (
    "elementwise",
    "reductions",
    "creation",
    "manipulation",
    "contraction",
    "random",
    "linalg",
    "fft",
    "sorting",
    "indexing",
    "numerical",
    "polynomial",
    "stats",
    "blocked",
)


@cache
def all_ops() -> tuple[Op, ...]:
    """Every declared op, in declaration order."""
    rows: list[Op] = []
    for area in AREAS:
        rows.extend(importlib.import_module(f"flopscope.ops.{area}").OPS)
    _check_unique(rows)
    return tuple(rows)


@cache
def _index() -> dict[tuple[str, str], Op]:
    index: dict[tuple[str, str], Op] = {}
    for op in all_ops():
        for module in (op.module, *op.also_in):
            for public in op.public_names:
                index[(module, public)] = op
    return index


def lookup(name: str, module: str = "") -> Op | None:
    """The row that serves ``module.name`` (aliases included), or ``None``."""
    return _index().get((module, name))


def names(module: str = "") -> list[str]:
    """Public names served in ``module`` ("" for ``flopscope.numpy``)."""
    return sorted(n for (m, n) in _index() if m == module)


@cache
def _by_row_name() -> dict[str, Op]:
    rows = {op.name: op for op in all_ops()}
    rows[manual_op().name] = manual_op()
    return rows


def row(name: str) -> Op:
    """The row whose canonical (ledger) name is ``name``; records store names, not rows,
    so that a long ledger holds no references the garbage collector must traverse."""
    return _by_row_name()[name]


@cache
def manual_op() -> Op:
    """Pseudo-row for costs given explicitly to ``BudgetContext.deduct``."""
    return Op("manual", family="manual", kind="custom", formula="manual")


def _check_unique(rows: list[Op]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for op in rows:
        for public in op.public_names:
            key = (op.module, public)
            if key in seen:
                raise ValueError(f"{public!r} declared twice ({seen[key]} and {op.name})")
            seen[key] = op.name
