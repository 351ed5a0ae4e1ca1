"""Formulas of the numerical custom ops (differences, gradients, convolutions, covariance,
Vandermonde matrices, meshgrids). The rows are declared in :mod:`flopscope.ops.numerical`.

Counts are the 0.4.0 release's closed forms, clamped to at least 1 like most analytical
costs. Convolutions and covariances are contractions, so they follow the multiply-add
convention: ``exact`` keeps 0.4.0's count, ``fma`` bills 2 per multiply-add, ``mac`` 1.
"""

from __future__ import annotations

import math

from flopscope.costs.formulas import formula


@formula("diff")
def diff(inputs: tuple, convention: str) -> int:
    """n-th difference: prod(other axes)·(n·L − n(n+1)/2), at least 1.

    inputs: ``(shape, n, axis)`` with ``axis`` normalised; ``prepend``/``append`` are not
    counted (0.4.0 prices the input's own axis length).
    """
    shape, n, axis = inputs
    if n == 0:  # numpy returns the input unchanged
        return 1
    length = shape[axis]
    other = math.prod(shape) // length if length else math.prod(shape[:axis] + shape[axis + 1 :])
    return max(1, other * (n * length - n * (n + 1) // 2))


@formula("gradient")
def gradient(inputs: tuple, convention: str) -> int:
    """Central differences: Σ over axes of ⌊2·size·max(L−2, 0)/L⌋, at least 1.

    inputs: ``(shape, axes)``, the axes the gradient is taken along (normalised).
    """
    shape, axes = inputs
    size = math.prod(shape)
    total = sum(2 * size * max(shape[ax] - 2, 0) // shape[ax] for ax in axes if shape[ax])
    return max(1, total)


@formula("ediff1d")
def ediff1d(inputs: tuple, convention: str) -> int:
    """numel(ary) − 1 + numel(to_begin) + numel(to_end), at least 1.

    inputs: ``(numel, begin, end)``.
    """
    n, begin, end = inputs
    return max(1, n - 1 + begin + end)


@formula("convolve")
def convolve(inputs: tuple, convention: str) -> int:
    """1-D convolution/correlation, mode ignored: 2·|a|·|v| − |a| − |v| (``exact``), at least 1.

    inputs: ``(len(a), len(v))``. ``fma`` bills 2·|a|·|v|, ``mac`` |a|·|v|.
    """
    na, nv = inputs
    if convention == "mac":
        return max(1, na * nv)
    if convention == "fma":
        return max(1, 2 * na * nv)
    return max(1, 2 * na * nv - na - nv)


@formula("cov")
def cov(inputs: tuple, convention: str) -> int:
    """Covariance of f variables with s observations: 2·f²·s (``exact``, ``fma``), at least 1.

    inputs: ``(f, s)``, f including the rows of ``y``. ``mac`` bills f²·s.
    """
    f, s = inputs
    if convention == "mac":
        return max(1, f * f * s)
    return max(1, 2 * f * f * s)


@formula("vander")
def vander(inputs: tuple, convention: str) -> int:
    """Vandermonde matrix: len(x)·(N − 1) multiplies, at least 1. inputs: ``(len(x), N)``."""
    n, cols = inputs
    return max(1, n * (cols - 1))


@formula("meshgrid")
def meshgrid(inputs: tuple, convention: str) -> int:
    """prod(len(xᵢ)) × number of inputs, at least 1. inputs: the input sizes."""
    return max(1, math.prod(inputs) * len(inputs))
