"""``flopscope.numpy.linalg``: counted linear algebra (generated from the op table)."""

from __future__ import annotations

from typing import Any

from flopscope.numpy._surface import populate as _populate

__all__ = sorted(_populate(globals(), "linalg"))


def __getattr__(name: str) -> Any:
    raise AttributeError(f"flopscope.numpy.linalg does not provide {name!r}.")
