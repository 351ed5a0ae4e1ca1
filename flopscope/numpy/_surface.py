"""Populates a ``flopscope.numpy`` (sub)module from the op table."""

from __future__ import annotations

from typing import Any

from flopscope.numpy._factory import build
from flopscope.ops import all_ops


def populate(namespace: dict[str, Any], module: str) -> list[str]:
    """Define every public name of ``module`` ("" = top level) in ``namespace``."""
    names: list[str] = []
    for op in all_ops():
        if module != op.module and module not in op.also_in:
            continue
        fn = build(op)
        for public in op.public_names:
            namespace[public] = fn
            names.append(public)
    return names
