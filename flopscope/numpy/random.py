"""``flopscope.numpy.random``: counted samplers (generated from the op table)."""

from __future__ import annotations

from typing import Any

from flopscope.numpy._surface import populate as _populate

__all__ = sorted(_populate(globals(), "random"))


def __getattr__(name: str) -> Any:
    raise AttributeError(
        f"flopscope.numpy.random does not provide {name!r}. For other distributions use "
        "rng = fnp.random.default_rng(seed) once it is available, or the listed samplers."
    )
