"""``flopscope.numpy.polynomial``: the ten counted polynomial functions under their short
names (``fnp.polynomial.polyval`` is ``fnp.polyval``: same row, same ledger name).

0.4.0 had no such submodule; numpy's ``Polynomial`` classes are not part of it.
"""

from __future__ import annotations

from typing import Any

from flopscope.numpy._surface import populate as _populate

__all__ = sorted(_populate(globals(), "polynomial"))


def __getattr__(name: str) -> Any:
    raise AttributeError(f"flopscope.numpy.polynomial does not provide {name!r}.")
