"""``flopscope.numpy.fft``: counted FFTs (generated from the op table).

Also holds the unweighted cost helpers of the 0.4.0 surface (``fft_cost`` ... ``hfft_cost``),
which evaluate the same formulas the rows bill with (:mod:`flopscope.costs.fft`). They are
in ``dir()`` but not in ``__all__``, as in 0.4.0.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from flopscope.costs import fft as _costs
from flopscope.numpy._surface import populate as _populate

__all__ = sorted(_populate(globals(), "fft"))


def _inputs(lengths: tuple[int, ...]) -> tuple:
    lengths = tuple(operator.index(n) for n in lengths)
    return (lengths, (lengths, math.prod(lengths), 1))


def fft_cost(n: int) -> int:
    """Unweighted FLOPs of one n-point complex FFT: 5·n·⌈log2 n⌉ (0 for n <= 1)."""
    return _costs.fft(_inputs((n,)), "exact")


def rfft_cost(n: int) -> int:
    """Unweighted FLOPs of one n-point real FFT: 5·⌊n/2⌋·⌈log2 n⌉ (0 for n <= 1)."""
    return _costs.rfft(_inputs((n,)), "exact")


def fftn_cost(shape: tuple[int, ...]) -> int:
    """Unweighted FLOPs of a complex FFT over every axis of ``shape``: 5·N·Σ⌈log2 dᵢ⌉."""
    return _costs.fft(_inputs(tuple(shape)), "exact")


def rfftn_cost(shape: tuple[int, ...]) -> int:
    """Unweighted FLOPs of a real FFT over every axis of ``shape``: 5·⌊N/2⌋·Σ⌈log2 dᵢ⌉."""
    return _costs.rfft(_inputs(tuple(shape)), "exact")


def hfft_cost(n_out: int) -> int:
    """Unweighted FLOPs of an ``hfft`` with ``n_out`` output points: 5·n·⌈log2 n⌉."""
    return _costs.fft(_inputs((n_out,)), "exact")


def __getattr__(name: str) -> Any:
    raise AttributeError(f"flopscope.numpy.fft does not provide {name!r}.")
