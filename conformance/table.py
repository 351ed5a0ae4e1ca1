"""Read the reference tables (``conformance/tables/<family>.jsonl``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TABLES = Path(__file__).resolve().parent / "tables"


def load(families: list[str] | None = None) -> list[dict[str, Any]]:
    """Every case row (of ``families`` if given), in table order."""
    rows: list[dict[str, Any]] = []
    for path in sorted(TABLES.glob("*.jsonl")):
        if families and path.stem not in families:
            continue
        rows.extend(json.loads(line) for line in path.read_text().splitlines() if line)
    return rows


def families() -> list[str]:
    return sorted(p.stem for p in TABLES.glob("*.jsonl"))
