"""``flopscope.numpy.linalg``: counted linear algebra (generated from the op table).

Besides the counted functions, the module carries numpy's ``LinAlgError`` (the exception
every function raises for a singular or non-square matrix) and the ``<op>_cost(...)``
helpers: the **unweighted** analytical count of an op for explicit dimensions, under the
multiply-add convention of ``cost_model`` (default: the process default model). They read
the same formulas the budget charges; ``flops.accounting`` has the weighted versions
(``fnp.linalg.cholesky_cost(4)`` → 64, a budget charges 256).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as _np

from flopscope.costs.formulas import FORMULAS as _FORMULAS
from flopscope.costs.model import CostModel as _CostModel
from flopscope.costs.model import resolve as _resolve
from flopscope.numpy._surface import populate as _populate

LinAlgError = _np.linalg.LinAlgError

__all__ = sorted(_populate(globals(), "linalg"))

_Model = str | _CostModel | None


def _count(key: str, inputs: tuple, cost_model: _Model) -> int:
    return int(_FORMULAS[key](inputs, _resolve(cost_model).convention))


def _square(n: int) -> tuple:
    return ((int(n), int(n)),)


def svd_cost(m: int, n: int, k: int | None = None, *, cost_model: _Model = None) -> int:
    """(Truncated) SVD of an m×n matrix: m·n·k, k = min(m, n) unless given."""
    m, n = int(m), int(n)
    if k is not None and int(k) > min(m, n):
        raise ValueError(f"svd_cost: k={k} exceeds min(m, n)={min(m, n)}")
    return _count("svd", ((m, n), None if k is None else int(k)), cost_model)


def svdvals_cost(m: int, n: int, k: int | None = None, *, cost_model: _Model = None) -> int:
    """Singular values of an m×n matrix: m·n·k, k = min(m, n) unless given."""
    return svd_cost(m, n, k, cost_model=cost_model)


def qr_cost(m: int, n: int, *, cost_model: _Model = None) -> int:
    """QR of an m×n matrix: m·n·min(m, n)."""
    return _count("linalg.mn_min", ((int(m), int(n)),), cost_model)


def cholesky_cost(n: int, *, cost_model: _Model = None) -> int:
    """Cholesky factor of an n×n matrix: n³."""
    return _count("linalg.cubic", _square(n), cost_model)


def eig_cost(n: int, *, cost_model: _Model = None) -> int:
    """Eigen-decomposition of an n×n matrix: n³."""
    return _count("linalg.cubic", _square(n), cost_model)


def eigh_cost(n: int, *, cost_model: _Model = None) -> int:
    """Hermitian eigen-decomposition of an n×n matrix: n³."""
    return _count("linalg.cubic", _square(n), cost_model)


def eigvals_cost(n: int, *, cost_model: _Model = None) -> int:
    """Eigenvalues of an n×n matrix: n³."""
    return _count("linalg.cubic", _square(n), cost_model)


def eigvalsh_cost(n: int, *, cost_model: _Model = None) -> int:
    """Eigenvalues of an n×n Hermitian matrix: n³."""
    return _count("linalg.cubic", _square(n), cost_model)


def det_cost(n: int, symmetric: bool = False, *, cost_model: _Model = None) -> int:
    """Determinant of an n×n matrix: n³ (symmetry does not change it)."""
    return _count("linalg.cubic", _square(n), cost_model)


def slogdet_cost(n: int, symmetric: bool = False, *, cost_model: _Model = None) -> int:
    """Sign and log-determinant of an n×n matrix: n³ (symmetry does not change it)."""
    return _count("linalg.cubic", _square(n), cost_model)


def inv_cost(n: int, symmetric: bool = False, *, cost_model: _Model = None) -> int:
    """Inverse of an n×n matrix: n³; a symmetric one costs no more (DIFFERENCES 6)."""
    return _count("linalg.cubic", _square(n), cost_model)


def solve_cost(n: int, nrhs: int = 1, symmetric: bool = False, *, cost_model: _Model = None) -> int:
    """Solve with an n×n matrix: n³ (the right-hand sides are not counted)."""
    return _count("linalg.cubic", _square(n), cost_model)


def lstsq_cost(
    m: int, n: int, b_cols: int = 1, b_ndim: int = 1, *, cost_model: _Model = None
) -> int:
    """Least squares for an m×n ``a`` and a 1-D (``b_ndim=1``) or m×b_cols ``b``."""
    b_shape = (int(m),) if int(b_ndim) == 1 else (int(m), int(b_cols))
    return _count("linalg.lstsq", ((int(m), int(n)), b_shape), cost_model)


def pinv_cost(m: int, n: int, *, cost_model: _Model = None) -> int:
    """Pseudo-inverse of an m×n matrix: SVD, reciprocals, scaling and reconstruction."""
    return _count("linalg.pinv", ((int(m), int(n)),), cost_model)


def tensorsolve_cost(
    a_shape: Sequence[int], ind: int | None = None, *, cost_model: _Model = None
) -> int:
    """``tensorsolve`` of an ``a_shape`` tensor: n³, n = prod(a_shape[ind:]); pass
    ``ind = b.ndim`` (default 2, as in 0.4.0)."""
    shape = tuple(int(d) for d in a_shape)
    return _count("linalg.tensorsolve", (shape, 2 if ind is None else int(ind)), cost_model)


def tensorinv_cost(a_shape: Sequence[int], ind: int = 2, *, cost_model: _Model = None) -> int:
    """``tensorinv`` of an ``a_shape`` tensor: n³, n = prod(a_shape[:ind])."""
    shape = tuple(int(d) for d in a_shape)
    return _count("linalg.tensorinv", (shape, int(ind)), cost_model)


def trace_cost(n: int, *, cost_model: _Model = None) -> int:
    """Trace of an n×n matrix: n (at least 1)."""
    return _count("linalg.trace", ((int(n), int(n)), 0), cost_model)


def norm_cost(shape: Sequence[int], ord: Any = None, *, cost_model: _Model = None) -> int:
    """``norm`` of a whole array of ``shape`` (no ``axis``)."""
    return _count("linalg.norm", (tuple(int(d) for d in shape), _ord(ord), None), cost_model)


def vector_norm_cost(shape: Sequence[int], ord: Any = None, *, cost_model: _Model = None) -> int:
    """``vector_norm`` of an array of ``shape``: 2 per element."""
    return _count("linalg.vector_norm", (tuple(int(d) for d in shape), _ord(ord), None), cost_model)


def matrix_norm_cost(shape: Sequence[int], ord: Any = None, *, cost_model: _Model = None) -> int:
    """``matrix_norm`` of one matrix of ``shape[-2:]``: 2·m·n, or 4·m·n·min(m, n) for the
    orders 2, −2 and 'nuc'."""
    return _count("linalg.matrix_norm", (tuple(int(d) for d in shape), _ord(ord)), cost_model)


def cond_cost(m: int, n: int, p: Any = None, *, cost_model: _Model = None) -> int:
    """Condition number of an m×n matrix under norm ``p``."""
    return _count("linalg.cond", ((int(m), int(n)), _ord(p)), cost_model)


def matrix_rank_cost(m: int, n: int, *, cost_model: _Model = None) -> int:
    """Rank of an m×n matrix: m·n·min(m, n)."""
    return _count("linalg.matrix_rank", ((int(m), int(n)),), cost_model)


def multi_dot_cost(shapes: Sequence[Sequence[int]], *, cost_model: _Model = None) -> int:
    """``multi_dot`` of operands of ``shapes`` in the cheapest order."""
    return _count(
        "linalg.multi_dot", (tuple(tuple(int(d) for d in s) for s in shapes),), cost_model
    )


def matrix_power_cost(n: int, k: int, *, cost_model: _Model = None) -> int:
    """``matrix_power`` of an n×n matrix to the integer power k."""
    return _count("linalg.matrix_power", ((int(n), int(n)), int(k)), cost_model)


def _ord(o: Any) -> Any:
    from flopscope.ops.linalg import _ord as normalise

    return normalise(o)


def __getattr__(name: str) -> Any:
    raise AttributeError(f"flopscope.numpy.linalg does not provide {name!r}.")
