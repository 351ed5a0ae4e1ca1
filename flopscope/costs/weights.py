"""Weight tables: per-op multipliers applied after the analytical count."""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Mapping
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}


def packaged_weights() -> dict[str, float]:
    """The 0.4.0 tier weights, read from the op table (aliases share their row's weight)."""
    from flopscope.ops import all_ops

    table: dict[str, float] = {}
    for op in all_ops():
        if op.kind == "free":
            continue
        table[op.name] = op.weight
        prefix = op.name.rpartition(".")[0]
        for alias in op.aliases:
            table[f"{prefix}.{alias}" if prefix else alias] = op.weight
    return table


def validate(weights: Mapping[str, object], source: str) -> dict[str, float]:
    """Check a user weight map: names to finite, non-negative numbers (bools refused)."""
    out: dict[str, float] = {}
    for name, value in weights.items():
        if not isinstance(name, str):
            raise ValueError(f"{source}: op names must be strings, got {name!r}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{source}: weight of {name!r} must be a number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{source}: weight of {name!r} must be finite and >= 0, got {value}")
        out[name] = float(value)
    return out


def load_file(path: str | os.PathLike[str]) -> dict[str, float]:
    """Read ``{"weights": {op: float}}`` (or a bare mapping) from a JSON file."""
    data = json.loads(Path(path).read_text())
    if isinstance(data, dict) and isinstance(data.get("weights"), dict):
        data = data["weights"]
    if not isinstance(data, dict):
        raise ValueError("no 'weights' mapping")
    return validate(data, str(path))


def default_flopscope_weights() -> dict[str, float] | None:
    """Weights of the ``flopscope`` model after the environment overrides.

    Returns ``None`` when ``FLOPSCOPE_DISABLE_WEIGHTS`` asks for unit weights.
    """
    if os.environ.get("FLOPSCOPE_DISABLE_WEIGHTS", "").strip().lower() in _TRUE:
        return None
    path = os.environ.get("FLOPSCOPE_WEIGHTS_FILE")
    if path:
        try:
            return load_file(path)
        except (OSError, ValueError) as exc:
            warnings.warn(
                f"Flopscope could not load custom weights from {path!r} ({exc}); "
                "falling back to packaged official weights.",
                RuntimeWarning,
                stacklevel=2,
            )
    return packaged_weights()
