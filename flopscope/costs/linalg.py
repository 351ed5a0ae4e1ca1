"""Linear-algebra formulas (the ``linalg`` rows themselves are declared in ``flopscope.ops``).

Every formula takes the shapes a row's ``inputs`` extracted (never data) and returns the
unweighted count. "batch" is the product of the dims before the last two; a stack of
matrices costs batch × the per-matrix count, so an empty stack or a matrix with a
zero-length dim costs 0.

Factorization counts (n³, m·n·min(m, n)) are nominal operation counts of the 0.4.0 release
and do not depend on the multiply-add convention. The explicit matrix products inside an op
(``matrix_power``'s squarings, ``multi_dot``'s chain, the reconstruction terms of ``pinv``
and ``lstsq``) follow the convention like every other product: ``exact`` bills an
(m×k)·(k×n) product m·n·(2k − 1) (0.4.0's ``2n³ − n²``), ``fma`` 2mnk, ``mac`` mnk.
``multi_dot`` is the one 0.4.0 exception: it bills 2·p·q·r per product under ``exact`` too.
"""

from __future__ import annotations

import math

from flopscope.costs.formulas import Shape, broadcast_numel, formula

#: matrix orders (``ord=``/``p=``) priced as a singular-value decomposition
SVD_ORDS = (2, -2, "nuc")


def _batch(shape: Shape) -> int:
    return math.prod(shape[:-2])


def _product(m: int, k: int, n: int, convention: str) -> int:
    """One (m×k)·(k×n) matrix product under ``convention`` (0 when the product is empty)."""
    if convention == "mac":
        return m * k * n
    if convention == "fma":
        return 2 * m * k * n
    return m * n * (2 * k - 1) if k else 0


def _mn_min(m: int, n: int) -> int:
    return m * n * min(m, n)


@formula("svd")
def svd(inputs: tuple, convention: str) -> int:
    """(Truncated) SVD: m·n·k per matrix, k = min(m, n) unless given, × batch.

    inputs: ``(shape, k)`` with ``shape = (*batch, m, n)`` and ``k`` an int or ``None``.
    """
    shape, k = inputs
    *batch, m, n = shape
    return math.prod(batch) * m * n * (min(m, n) if k is None else k)


@formula("linalg.cubic")
def cubic(inputs: tuple, convention: str) -> int:
    """n³ per n×n matrix, × batch.

    Used by cholesky, eig, eigh, eigvals, eigvalsh, det, slogdet, inv and solve.
    inputs: ``(shape,)`` with ``shape = (*batch, n, n)``.
    """
    (shape,) = inputs
    return _batch(shape) * shape[-1] ** 3


@formula("linalg.mn_min")
def mn_min(inputs: tuple, convention: str) -> int:
    """m·n·min(m, n) per m×n matrix, × batch (qr, svdvals). inputs: ``(shape,)``."""
    (shape,) = inputs
    return _batch(shape) * _mn_min(shape[-2], shape[-1])


@formula("linalg.matrix_rank")
def matrix_rank(inputs: tuple, convention: str) -> int:
    """An SVD, m·n·min(m, n) per matrix × batch; numel for inputs of fewer than 2 dims.

    inputs: ``(shape,)``.
    """
    (shape,) = inputs
    if len(shape) < 2:
        return math.prod(shape)
    return _batch(shape) * _mn_min(shape[-2], shape[-1])


@formula("linalg.pinv")
def pinv(inputs: tuple, convention: str) -> int:
    """SVD + reciprocals + scaling + reconstruction, m·n·k + k + n·k + (n×k)·(k×m), × batch.

    k = min(m, n); the reconstruction product is ``2nkm − nm`` under ``exact``.
    inputs: ``(shape,)``.
    """
    (shape,) = inputs
    m, n = shape[-2], shape[-1]
    k = min(m, n)
    return _batch(shape) * (m * n * k + k + n * k + _product(n, k, m, convention))


@formula("linalg.lstsq")
def lstsq(inputs: tuple, convention: str) -> int:
    """SVD m·n·k + Uᵀb + k·c divisions + reconstruction (k = min(m, n), c = columns of b).

    1-D ``b``: Uᵀb = k·m², reconstruction n·k² (0.4.0's nominal terms); 2-D ``b``: the
    (k×m)·(m×c) and (n×k)·(k×c) products (``2kmc − kc`` and ``2nkc − nc`` under ``exact``).
    0 when ``a`` has a zero-length dim. inputs: ``(a_shape, b_shape)``.
    """
    (m, n), b_shape = inputs
    if m == 0 or n == 0:
        return 0
    k = min(m, n)
    if len(b_shape) == 1:
        return m * n * k + k * m * m + k + n * k * k
    c = b_shape[-1]
    return m * n * k + _product(k, m, c, convention) + k * c + _product(n, k, c, convention)


@formula("linalg.cond")
def cond(inputs: tuple, convention: str) -> int:
    """p ∈ {None, 2, −2}: m·n·min(m, n) (an SVD); other p: min(m, n)³ + m·n; × batch.

    The other orders invert the matrix and take two norms. inputs: ``(shape, p)``.
    """
    shape, p = inputs
    m, n = shape[-2], shape[-1]
    if p is None or p in (2, -2):
        return _batch(shape) * _mn_min(m, n)
    return _batch(shape) * (min(m, n) ** 3 + m * n)


@formula("linalg.norm")
def norm(inputs: tuple, convention: str) -> int:
    """Orders 2, −2, 'nuc' of a matrix: 4·m·n·min(m, n); any other norm: 2 per element read.

    ``axis=None`` reads the whole array (a 0-d input costs 0, as in 0.4.0); with ``axis``
    the count covers every matrix or vector of the stack, i.e. every input element
    (DIFFERENCES 5). inputs: ``(shape, ord, axis)``, ``axis`` a normalised tuple or ``None``.
    """
    shape, ord_, axis = inputs
    if axis is None:
        if not shape:
            return 0
        if len(shape) == 2 and ord_ in SVD_ORDS:
            return 4 * _mn_min(*shape)
        return 2 * math.prod(shape)
    if len(axis) == 2 and ord_ in SVD_ORDS:
        m, n = shape[axis[0]], shape[axis[1]]
        rest = math.prod(d for i, d in enumerate(shape) if i not in axis)
        return rest * 4 * _mn_min(m, n)
    return 2 * math.prod(shape)


@formula("linalg.vector_norm")
def vector_norm(inputs: tuple, convention: str) -> int:
    """2 per input element, whatever the axes.

    DIFFERENCES 5: every element the reduction reads is billed. inputs: ``(shape, ord, axis)``.
    """
    return 2 * math.prod(inputs[0])


@formula("linalg.matrix_norm")
def matrix_norm(inputs: tuple, convention: str) -> int:
    """Orders 2, −2, 'nuc': 4·m·n·min(m, n); other orders: 2·m·n (batch not multiplied).

    0.4.0 bills one matrix whatever the stack. inputs: ``(shape, ord)``.
    """
    shape, ord_ = inputs
    m, n = shape[-2], shape[-1]
    return 4 * _mn_min(m, n) if ord_ in SVD_ORDS else 2 * m * n


def power_products(k: int) -> int:
    """Matrix products of binary exponentiation for ``a**k`` (an inverse counts as one)."""
    if k < 0:
        return 1 + power_products(-k)
    if k <= 1:
        return 0
    return k.bit_length() - 1 + k.bit_count() - 1


@formula("linalg.matrix_power")
def matrix_power(inputs: tuple, convention: str) -> int:
    """(⌊log2 k⌋ + popcount(k) − 1) n×n products, × batch; 0 for k ∈ {0, 1}.

    A product is ``2n³ − n²`` under ``exact``; k < 0 adds one inverse priced as a product.
    inputs: ``(shape, k)``.
    """
    shape, k = inputs
    n = shape[-1]
    return _batch(shape) * power_products(k) * _product(n, n, n, convention)


@formula("linalg.multi_dot")
def multi_dot(inputs: tuple, convention: str) -> int:
    """Cheapest matrix-chain order, 2·p·q·r per product.

    0.4.0 bills 2·p·q·r under ``exact`` too; ``mac`` bills p·q·r. The chain dims are
    0.4.0's: the first operand's first dim, then each operand's last dim (so a 1-D first
    operand counts as n×n). inputs: ``(shapes,)``.
    """
    (shapes,) = inputs
    dims = [shapes[0][0] if shapes[0] else 1] + [s[-1] if s else 1 for s in shapes]
    factor = 1 if convention == "mac" else 2
    return factor * chain_order_cost(dims)


def chain_order_cost(dims: list[int]) -> int:
    """Minimal scalar multiplications of a matrix chain with dims ``p0 × p1 × … × pn``."""
    n = len(dims) - 1
    best = [[0] * n for _ in range(n)]
    for span in range(1, n):
        for i in range(n - span):
            j = i + span
            best[i][j] = min(
                best[i][s] + best[s + 1][j] + dims[i] * dims[s + 1] * dims[j + 1]
                for s in range(i, j)
            )
    return best[0][n - 1]


def diagonal_length(shape: Shape, offset: int) -> int:
    """Length of the ``offset`` diagonal of the last two axes."""
    m, n = shape[-2], shape[-1]
    return max(0, min(m, n - offset) if offset >= 0 else min(m + offset, n))


@formula("linalg.trace")
def trace(inputs: tuple, convention: str) -> int:
    """One FLOP per diagonal element summed, × batch, at least 1.

    inputs: ``(shape, offset)``.
    """
    shape, offset = inputs
    return max(1, _batch(shape) * diagonal_length(shape, offset))


@formula("linalg.diagonal")
def diagonal(inputs: tuple, convention: str) -> int:
    """One FLOP per element of one diagonal (batch not multiplied).

    0.4.0 bills one diagonal whatever the stack, like ``fnp.diagonal``.
    inputs: ``(shape, offset)``.
    """
    shape, offset = inputs
    return diagonal_length(shape, offset)


@formula("linalg.cross")
def cross(inputs: tuple, convention: str) -> int:
    """5 per element of the broadcast operands (0.4.0's count). inputs: the two shapes."""
    return 5 * broadcast_numel(inputs)


@formula("linalg.tensorsolve")
def tensorsolve(inputs: tuple, convention: str) -> int:
    """n³ with n = prod(a.shape[ind:]), ``ind`` = b.ndim.

    DIFFERENCES 7 (0.4.0 fixed ind at 2). ``a_shape`` is taken after numpy moves ``axes``
    to the end. inputs: ``(a_shape, ind)``.
    """
    a_shape, ind = inputs
    return math.prod(a_shape[ind:]) ** 3


@formula("linalg.tensorinv")
def tensorinv(inputs: tuple, convention: str) -> int:
    """n³ with n = prod(a.shape[:ind]). inputs: ``(a_shape, ind)``."""
    a_shape, ind = inputs
    return math.prod(a_shape[:ind]) ** 3
