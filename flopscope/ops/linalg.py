"""Linear algebra (``fnp.linalg``): 30 rows named ``linalg.<op>``.

``matmul outer tensordot vecdot`` are the top-level contraction rows (``also_in``), so they
bill and log as ``matmul`` etc. Each row's ``inputs`` reads shapes and arguments only and
replays numpy's own shape checks in numpy's order, so a call numpy would refuse for its
shapes raises numpy's exception (``LinAlgError``, ``ValueError``, ``AxisError``...) before
anything is charged; a data-dependent failure (a singular matrix, a matrix that is not
positive definite) is refunded by the factory. Formulas live in
:mod:`flopscope.costs.linalg`.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from flopscope.ops._row import Example, Op

LinAlgError = np.linalg.LinAlgError
_SCALARS = (int, float, complex, bool)
_MATRIX_ORDS = (None, "fro", "nuc", 1.0, -1.0, 2.0, -2.0, math.inf, -math.inf)


def _shape(x: Any) -> tuple[int, ...]:
    """Shape of an array, a ``Shaped`` stand-in, a nested list or a Python scalar."""
    if type(x) in _SCALARS or x is None:
        return ()
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else np.shape(x)


# -- numpy's shape checks ----------------------------------------------------------------


def _stacked_2d(shape: tuple[int, ...]) -> None:
    if len(shape) < 2:
        raise LinAlgError(
            f"{len(shape)}-dimensional array given. Array must be at least two-dimensional"
        )


def _stacked_square(shape: tuple[int, ...]) -> None:
    _stacked_2d(shape)
    if shape[-1] != shape[-2]:
        raise LinAlgError("Last 2 dimensions of the array must be square")


def _two_d(shape: tuple[int, ...]) -> None:
    if len(shape) != 2:
        raise LinAlgError(f"{len(shape)}-dimensional array given. Array must be two-dimensional")


def _ord(o: Any) -> Any:
    """Hashable norm order: ``None``, a string (``'f'`` is ``'fro'``) or a float."""
    if o is None or isinstance(o, str):
        return "fro" if o == "f" else o
    try:
        return float(o)
    except (TypeError, ValueError):
        return o


def _matrix_ord(o: Any) -> Any:
    key = _ord(o)
    if key not in _MATRIX_ORDS:
        raise ValueError("Invalid norm order for matrices.")
    return key


def _gufunc_mismatch(name: str, signature: str, got: int, want: int) -> ValueError:
    return ValueError(
        f"{name}: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
        f"signature {signature} (size {got} is different from {want})"
    )


# -- inputs: one per signature -------------------------------------------------------------


def square_inputs(a: Any, *args: Any, **kwargs: Any) -> tuple:
    """A stack of square matrices (cholesky, eig, eigh, det, inv...): ``(shape,)``."""
    shape = _shape(a)
    _stacked_square(shape)
    return (shape,)


def hermitian_inputs(a: Any, UPLO: str = "L") -> tuple:  # noqa: N803 (numpy's name)
    """eigh / eigvalsh: numpy checks ``UPLO`` before the shape."""
    if UPLO.upper() not in ("L", "U"):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    return square_inputs(a)


def matrix_inputs(a: Any, *args: Any, **kwargs: Any) -> tuple:
    """A stack of m×n matrices (svdvals, pinv): ``(shape,)``."""
    shape = _shape(a)
    _stacked_2d(shape)
    return (shape,)


def qr_inputs(a: Any, mode: str = "reduced") -> tuple:
    if mode not in ("reduced", "complete", "r", "raw", "f", "full", "e", "economic"):
        raise ValueError(f"Unrecognized mode '{mode}'")
    return matrix_inputs(a)


def svd_inputs(
    a: Any,
    full_matrices: bool = True,
    compute_uv: bool = True,
    hermitian: bool = False,
    *,
    k: Any = None,
) -> tuple:
    shape = _shape(a)
    _stacked_2d(shape)
    if k is not None:
        k = operator.index(k)
        limit = min(shape[-2:])
        if k > limit:
            raise ValueError(f"k={k} exceeds min(m, n)={limit} of the {shape} input")
        if k < 1:
            raise ValueError(f"k={k}: the number of singular triplets must be at least 1")
    return (shape, k)


def svd_execute(
    a: Any,
    full_matrices: bool = True,
    compute_uv: bool = True,
    hermitian: bool = False,
    *,
    k: Any = None,
) -> Any:
    """numpy's SVD; with ``k``, the leading k triplets of the economy SVD."""
    if k is None:
        return np.linalg.svd(a, full_matrices, compute_uv, hermitian)
    r = np.linalg.svd(a, full_matrices=False, compute_uv=compute_uv, hermitian=hermitian)
    if not compute_uv:
        return r[..., :k]
    return type(r)(r.U[..., :k], r.S[..., :k], r.Vh[..., :k, :])


def solve_inputs(a: Any, b: Any) -> tuple:
    """One n³ solve per matrix of the broadcast stack: ``((*batch, n, n),)``."""
    sa, sb = _shape(a), _shape(b)
    _stacked_square(sa)
    n = sa[-1]
    if len(sb) == 1:
        if sb[0] != n:
            raise _gufunc_mismatch("solve1", "(m,m),(m)->(m)", sb[0], n)
        batch = sa[:-2]
    else:
        if len(sb) < 2:
            raise ValueError(
                "solve: Input operand 1 does not have enough dimensions (has 0, gufunc core "
                "with signature (m,m),(m,n)->(m,n) requires 2)"
            )
        if sb[-2] != n:
            raise _gufunc_mismatch("solve", "(m,m),(m,n)->(m,n)", sb[-2], n)
        batch = np.broadcast_shapes(sa[:-2], sb[:-2])
    return ((*batch, n, n),)


def lstsq_inputs(a: Any, b: Any, rcond: Any = None) -> tuple:
    sa, sb = _shape(a), _shape(b)
    _two_d(sa)
    if len(sb) != 1:
        _two_d(sb)
    if sa[0] != sb[0]:
        raise LinAlgError("Incompatible dimensions")
    return (sa, sb)


def tensorsolve_inputs(a: Any, b: Any, axes: Any = None) -> tuple:
    """``(a_shape, ind)``: ``a``'s shape once ``axes`` moved to the end, and the number of
    leading dims that index the equations (b.ndim, DIFFERENCES 7)."""
    sa, sb = _shape(a), _shape(b)
    an = len(sa)
    if axes is not None:
        order = list(range(an))
        for k in axes:
            order.remove(k)
            order.insert(an, k)
        sa = tuple(sa[i] for i in order)
    unknowns = sa[-(an - len(sb)) :]
    n = math.prod(unknowns)
    if math.prod(sa) != n**2:
        raise LinAlgError(
            "Input arrays must satisfy the requirement "
            "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])"
        )
    if math.prod(sb) != n:
        raise _gufunc_mismatch("solve1", "(m,m),(m)->(m)", math.prod(sb), n)
    return (sa, an - len(unknowns))


def tensorinv_inputs(a: Any, ind: Any = 2) -> tuple:
    shape = _shape(a)
    if not ind > 0:
        raise ValueError("Invalid ind argument.")
    rows = math.prod(shape[ind:])
    size = math.prod(shape)
    if rows and size % rows == 0 and size // rows != rows:
        raise LinAlgError("Last 2 dimensions of the array must be square")
    return (shape, operator.index(ind))


def matrix_rank_inputs(a: Any, *args: Any, **kwargs: Any) -> tuple:
    return (_shape(a),)


def cond_inputs(x: Any, p: Any = None) -> tuple:
    shape = _shape(x)
    if math.prod(shape) == 0 and math.prod(shape[-2:]) == 0:
        raise LinAlgError("cond is not defined on empty arrays")
    _stacked_2d(shape)
    key = _ord(p)
    if key not in (None, 2.0, -2.0):
        _stacked_square(shape)
        key = _matrix_ord(p)
    return (shape, key)


def norm_inputs(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> tuple:
    """``(shape, ord, axis)``: ``axis`` normalised, ``None`` when the whole array is read."""
    shape = _shape(x)
    nd = len(shape)
    key = _ord(ord)
    if axis is None:
        if key is None or (key == "fro" and nd == 2) or (key == 2 and nd == 1):
            return (shape, key, None)
        axes: tuple = tuple(range(nd))
    elif isinstance(axis, tuple):
        axes = axis
    else:
        try:
            axes = (int(axis),)
        except Exception as e:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from e
    if len(axes) == 1:
        if isinstance(key, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        norm_axes: tuple = (normalize_axis_index(axes[0], nd),)
    elif len(axes) == 2:
        norm_axes = (normalize_axis_index(axes[0], nd), normalize_axis_index(axes[1], nd))
        if norm_axes[0] == norm_axes[1]:
            raise ValueError("Duplicate axes given.")
        key = _matrix_ord(ord)
    else:
        raise ValueError("Improper number of dimensions to norm.")
    return (shape, key, None if axis is None else norm_axes)


def vector_norm_inputs(x: Any, /, *, axis: Any = None, keepdims: bool = False, ord: Any = 2):
    shape = _shape(x)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    if axis is not None:
        axis = (
            normalize_axis_tuple(axis, len(shape))
            if isinstance(axis, tuple)
            else (normalize_axis_index(axis, len(shape)),)
        )
    return (shape, _ord(ord), axis)


def matrix_norm_inputs(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> tuple:
    shape = _shape(x)
    normalize_axis_index(-2, len(shape))  # numpy's AxisError for fewer than 2 dims
    return (shape, _matrix_ord(ord))


def matrix_power_inputs(a: Any, n: Any) -> tuple:
    shape = _shape(a)
    _stacked_square(shape)
    try:
        k = operator.index(n)
    except TypeError as e:
        raise TypeError("exponent must be an integer") from e
    return (shape, k)


def multi_dot_inputs(arrays: Any, *, out: Any = None) -> tuple:
    shapes = tuple(_shape(a) for a in arrays)
    if len(shapes) < 2:
        raise ValueError("Expecting at least two arrays.")
    if len(shapes) > 2:  # numpy: 1-D ends become a row / a column, then all must be 2-D
        eff = list(shapes)
        if len(eff[0]) == 1:
            eff[0] = (1, eff[0][0])
        if len(eff[-1]) == 1:
            eff[-1] = (eff[-1][0], 1)
        for s in eff:
            _two_d(s)
        for left, right in zip(eff, eff[1:]):
            if left[1] != right[0]:
                raise ValueError(
                    f"shapes {left} and {right} not aligned: {left[1]} (dim 1) != "
                    f"{right[0]} (dim 0)"
                )
    return (shapes,)


def trace_inputs(x: Any, /, *, offset: Any = 0, **kwargs: Any) -> tuple:
    shape = _shape(x)
    if len(shape) < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    return (shape, operator.index(offset))


def cross_inputs(x1: Any, x2: Any, /, *, axis: Any = -1) -> tuple:
    s1, s2 = _shape(x1), _shape(x2)
    if s1[axis] != 3 or s2[axis] != 3:
        raise ValueError(
            "Both input arrays must be (arrays of) 3-dimensional vectors, "
            f"but they are {s1[axis]} and {s2[axis]} dimensional instead."
        )
    # the vectors' other dims broadcast (numpy's ValueError when they do not)
    np.broadcast_shapes(*(s[:i] + s[i + 1 :] for s in (s1, s2) for i in [axis % len(s)]))
    return (s1, s2)


# -- rows --------------------------------------------------------------------------------

_SQ4 = "(4*np.eye(4)+1)"
_SQ5 = "(np.eye(5)*5 + np.arange(25.).reshape(5,5)/25)"
_SPD5 = "(np.eye(5)*5 + (np.arange(25.).reshape(5,5) + np.arange(25.).reshape(5,5).T)/125)"
_R45 = "(np.arange(1.,21.)**2).reshape(4,5)"
_R64 = "(np.eye(6,4)*6 + np.arange(24.).reshape(6,4)/24)"
_B3 = "np.stack([(np.eye(4)*4 + np.arange(16.).reshape(4,4)/16)]*3)"  # three 4×4 matrices


#: the inverse, pseudo-inverse and powers of a symmetric matrix are symmetric: the result
#: keeps the input's group where it maps the matrix axes onto themselves (costs stay dense)
_KEEP = "matrix_keep"


def _row(
    short: str,
    formula: str,
    weight: float,
    inputs: Any,
    examples: tuple[tuple[str, int], ...],
    *,
    array_api: bool = True,
    summary: str = "",
    **kw: Any,
) -> Op:
    return Op(
        f"linalg.{short}",
        family="linalg",
        kind="custom",
        formula=formula,
        weight=weight,
        impl=getattr(np.linalg, short),
        module="linalg",
        array_api=short if array_api else None,
        inputs=inputs,
        examples=tuple(Example(call, flops) for call, flops in examples),
        summary=summary,
        **kw,
    )


def _ex(short: str, args: str, flops: int) -> tuple[str, int]:
    return (f"fnp.linalg.{short}({args})", flops)


_CUBIC = "n³ per matrix × batch (0.4.0 weight 4)"

OPS: tuple[Op, ...] = (
    _row(
        "svd",
        "svd",
        4.0,
        svd_inputs,
        (
            _ex("svd", _R45, 320),
            _ex("svd", f"{_R64}, k=2", 192),
            _ex("svd", f"np.stack([{_R64}]*3)", 1152),
        ),
        execute=svd_execute,
        summary="singular value decomposition; flopscope's k= keeps the leading k triplets",
    ),
    _row("svdvals", "linalg.mn_min", 4.0, matrix_inputs, (_ex("svdvals", _R45, 320),)),
    _row(
        "qr",
        "linalg.mn_min",
        4.0,
        qr_inputs,
        (_ex("qr", "(np.arange(1.,21.)**2).reshape(5,4)", 320), _ex("qr", f"{_R64}, 'r'", 384)),
    ),
    _row(
        "cholesky",
        "linalg.cubic",
        4.0,
        square_inputs,
        (_ex("cholesky", _SQ4, 256), _ex("cholesky", f"np.stack([{_SPD5}]*3)", 1500)),
        summary=_CUBIC,
    ),
    _row("eig", "linalg.cubic", 4.0, square_inputs, (_ex("eig", _SQ4, 256),), array_api=False),
    _row("eigh", "linalg.cubic", 4.0, hermitian_inputs, (_ex("eigh", _SQ4, 256),)),
    _row(
        "eigvals",
        "linalg.cubic",
        4.0,
        square_inputs,
        (_ex("eigvals", _B3, 768),),
        array_api=False,
    ),
    _row("eigvalsh", "linalg.cubic", 4.0, hermitian_inputs, (_ex("eigvalsh", _SQ4, 256),)),
    _row("det", "linalg.cubic", 4.0, square_inputs, (_ex("det", _SQ4, 256),)),
    _row("slogdet", "linalg.cubic", 4.0, square_inputs, (_ex("slogdet", _B3, 768),)),
    _row(
        "inv",
        "linalg.cubic",
        4.0,
        square_inputs,
        (_ex("inv", "np.eye(5)", 500), _ex("inv", "np.zeros((0, 3, 3))", 0)),
        summary="a symmetric input costs what a dense one does (DIFFERENCES 6)",
        symmetry=_KEEP,
    ),
    _row(
        "solve",
        "linalg.cubic",
        4.0,
        solve_inputs,
        (_ex("solve", f"{_SQ5}, np.ones((5, 3))", 500),),
        summary="n³ per matrix of the broadcast stack; the right-hand sides are not counted",
    ),
    _row(
        "lstsq",
        "linalg.lstsq",
        4.0,
        lstsq_inputs,
        (
            _ex("lstsq", "(np.arange(1.,21.)**2).reshape(5,4), np.array([.5,.1,.4,.3,.2])", 992),
            _ex("lstsq", f"{_R64}, np.ones((6, 3))", 1296),
        ),
        array_api=False,
    ),
    _row(
        "pinv",
        "linalg.pinv",
        4.0,
        matrix_inputs,
        (_ex("pinv", _R45, 976), _ex("pinv", _R64, 1136)),
        symmetry=_KEEP,
    ),
    _row(
        "tensorsolve",
        "linalg.tensorsolve",
        4.0,
        tensorsolve_inputs,
        (
            _ex("tensorsolve", f"{_SQ4}.reshape(2,2,2,2), {_SQ4}[0].reshape(2,2)", 256),
            _ex("tensorsolve", f"{_SQ4}, np.ones(4)", 256),
        ),
        array_api=False,
        summary="n³, n = prod(a.shape[b.ndim:]) (DIFFERENCES 7)",
    ),
    _row(
        "tensorinv",
        "linalg.tensorinv",
        4.0,
        tensorinv_inputs,
        (_ex("tensorinv", f"{_SQ4}.reshape(4,2,2), ind=1", 256),),
        array_api=False,
    ),
    _row(
        "cond",
        "linalg.cond",
        4.0,
        cond_inputs,
        (_ex("cond", _SQ4, 256), _ex("cond", f"{_SQ5}, p=1", 600)),
        array_api=False,
    ),
    _row(
        "matrix_rank",
        "linalg.matrix_rank",
        4.0,
        matrix_rank_inputs,
        (_ex("matrix_rank", _R45, 320), _ex("matrix_rank", "np.ones(5)", 20)),
    ),
    _row(
        "norm",
        "linalg.norm",
        1.0,
        norm_inputs,
        (
            _ex("norm", _R45, 40),
            _ex("norm", f"{_R64}, ord=2", 384),
            _ex("norm", f"{_R64}, axis=1", 48),
        ),
        array_api=False,
        summary="with axis=, every input element is billed (DIFFERENCES 5)",
    ),
    _row(
        "vector_norm",
        "linalg.vector_norm",
        1.0,
        vector_norm_inputs,
        (_ex("vector_norm", "np.ones((3, 4))", 24), _ex("vector_norm", f"{_R64}, axis=0", 48)),
        summary="2 per input element, whatever the axes (DIFFERENCES 5)",
    ),
    _row(
        "matrix_norm",
        "linalg.matrix_norm",
        1.0,
        matrix_norm_inputs,
        (_ex("matrix_norm", _R45, 40), _ex("matrix_norm", f"{_R45}, ord=2", 320)),
    ),
    _row(
        "matrix_power",
        "linalg.matrix_power",
        1.0,
        matrix_power_inputs,
        (_ex("matrix_power", f"{_SQ4}, 5", 336), _ex("matrix_power", f"{_SQ4}, -3", 336)),
        symmetry=_KEEP,
    ),
    _row(
        "multi_dot",
        "linalg.multi_dot",
        1.0,
        multi_dot_inputs,
        (
            _ex("multi_dot", "[np.ones((3, 4)), np.ones((4, 5)), np.ones((5, 4))]", 240),
            _ex("multi_dot", "[np.ones((10, 20)), np.ones((20, 30))]", 12000),
        ),
        array_api=False,
    ),
    _row("trace", "linalg.trace", 1.0, trace_inputs, (_ex("trace", "np.ones((4, 4))", 4),)),
    _row(
        "diagonal",
        "linalg.diagonal",
        1.0,
        trace_inputs,
        (_ex("diagonal", "np.arange(16.).reshape(4, 4)", 4),),
    ),
    _row(
        "cross",
        "linalg.cross",
        1.0,
        cross_inputs,
        (_ex("cross", "np.arange(15.).reshape(5, 3), np.ones((5, 3))", 75),),
    ),
    Op(
        "linalg.matrix_transpose",
        family="linalg",
        kind="free",
        formula=None,
        weight=0.0,
        impl=np.linalg.matrix_transpose,
        module="linalg",
        array_api="matrix_transpose",
        examples=(Example("fnp.linalg.matrix_transpose(np.ones((3, 4)))", 0),),
        summary="a view; free",
    ),
)
