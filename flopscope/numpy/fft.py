"""``flopscope.numpy.fft``: counted FFTs (generated from the op table)."""

from __future__ import annotations

from typing import Any

from flopscope.numpy._surface import populate as _populate

__all__ = sorted(_populate(globals(), "fft"))


def __getattr__(name: str) -> Any:
    raise AttributeError(f"flopscope.numpy.fft does not provide {name!r}.")
