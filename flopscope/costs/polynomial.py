"""Polynomial, window and ``unwrap`` formulas (rows in :mod:`flopscope.ops.polynomial`).

These are the nominal closed forms of the 0.4.0 release, each clamped to at least 1 (0.4.0
lists none of them among the ops that may charge 0). Only the two that evaluate products of
sums (``polyval``'s Horner steps, ``polyfit``'s normal equations) follow the multiply-add
convention: ``exact`` and ``fma`` bill 2 per multiply-add, ``mac`` bills 1.
"""

from __future__ import annotations

import math

from flopscope.costs.formulas import formula


def _madd(count: int, convention: str) -> int:
    """``count`` multiply-adds under ``convention``."""
    return count if convention == "mac" else 2 * count


@formula("polynomial.polyval")
def polyval(inputs: tuple, convention: str) -> int:
    """Horner: deg multiply-adds per point, 2·numel(x)·deg, at least 1.

    inputs: ``(deg, x_shape)`` with ``deg = len(p) − 1``.
    """
    deg, x_shape = inputs
    return max(1, _madd(math.prod(x_shape) * deg, convention))


@formula("polynomial.polyfit")
def polyfit(inputs: tuple, convention: str) -> int:
    """Least squares on the Vandermonde matrix: 2·m·(deg + 1)², at least 1.

    inputs: ``(m, deg)`` with ``m = len(x)``.
    """
    m, deg = inputs
    return max(1, _madd(m * (deg + 1) ** 2, convention))


@formula("polynomial.max_len")
def max_len(inputs: tuple, convention: str) -> int:
    """One FLOP per coefficient of the longer operand, max(n1, n2) (polyadd, polysub).

    inputs: ``(n1, n2)``.
    """
    return max(1, *inputs)


@formula("polynomial.len_product")
def len_product(inputs: tuple, convention: str) -> int:
    """n1·n2 coefficient products (polymul; polydiv with n1 = len(u), n2 = len(v)).

    inputs: ``(n1, n2)``.
    """
    n1, n2 = inputs
    return max(1, n1 * n2)


@formula("polynomial.len")
def length(inputs: tuple, convention: str) -> int:
    """One FLOP per coefficient, len(p), whatever the order m (polyder, polyint).

    inputs: ``(n,)``.
    """
    return max(1, inputs[0])


@formula("polynomial.poly")
def poly(inputs: tuple, convention: str) -> int:
    """n² for n roots (the rows of a square matrix), at least 1. inputs: ``(n,)``."""
    return max(1, inputs[0] ** 2)


@formula("polynomial.roots")
def roots(inputs: tuple, convention: str) -> int:
    """Eigenvalues of the companion matrix: n³, n = len(p) − 1, at least 1.

    inputs: ``(n,)``.
    """
    return max(1, inputs[0] ** 3)


@formula("window")
def window(inputs: tuple, convention: str) -> int:
    """terms·M for an M-point window with ``terms`` evaluations per point, at least 1.

    bartlett has 1 term, hamming and hanning 2, blackman and kaiser 3. inputs: ``(M, terms)``.
    """
    m, terms = inputs
    return max(1, math.floor(terms * m))


@formula("unwrap")
def unwrap(inputs: tuple, convention: str) -> int:
    """7 per element of ``p`` (difference, wrap, correction, cumulative sum), at least 1.

    inputs: ``(shape,)``.
    """
    return max(1, 7 * math.prod(inputs[0]))
