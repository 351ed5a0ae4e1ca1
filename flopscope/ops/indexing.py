"""Indexing and selection (spec §2.12 "Counted", §2.13): 24 rows.

Every row is priced before numpy runs, so a refused call changes nothing (DIFFERENCES 3):
the writers (``put put_along_axis place putmask fill_diagonal copyto``) price from the
destination's shape and write only after the charge. The data-dependent counts
(``compress``'s kept rows, ``copyto(where=)``'s written cells, ``ix_``'s boolean masks) are
read from the arguments before anything is written. Counts are computed here and billed by
the ``count`` formulas; each row's weight is the 0.4.0 tier.

A pricing step that rejects its arguments raises numpy's own exception for them: ``_guard``
replays the call in numpy (on a scratch copy of a writer's destination) to get it.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from flopscope.backends import Shaped
from flopscope.ops._row import Example, Op

_SCALARS = (int, float, complex, bool)


def _shape(x: Any) -> tuple[int, ...]:
    """Shape of an array, a ``Shaped`` stand-in, a nested list or a Python scalar."""
    if type(x) in _SCALARS or x is None:
        return ()
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else np.shape(x)


def _plain(x: Any) -> Any:
    """numpy's own view of an argument (no ``__array_function__`` re-dispatch)."""
    if isinstance(x, np.ndarray) and type(x) is not np.ndarray:
        return x.view(np.ndarray)
    if type(x) in (list, tuple):
        return type(x)(_plain(e) for e in x)
    return x


def _guard(
    impl: Callable[..., Any], writer: bool = False
) -> Callable[[Callable[..., tuple]], Callable[..., tuple]]:
    """Pricing that rejects its arguments raises numpy's exception for them, not ours.

    On ``Shaped`` stand-ins (the array-API namespace) the namespace replays the call itself.
    A writer's destination is copied first so that the replay writes nothing."""

    def deco(price: Callable[..., tuple]) -> Callable[..., tuple]:
        @functools.wraps(price)
        def inputs(*args: Any, **kwargs: Any) -> tuple:
            try:
                return price(*args, **kwargs)
            except Exception as exc:
                if any(isinstance(a, Shaped) for a in (*args, *kwargs.values())):
                    raise
                args, kwargs = _plain(args), _plain(kwargs)
                if writer and args and isinstance(args[0], np.ndarray):
                    args = (args[0].copy(), *args[1:])
                try:
                    impl(*args, **kwargs)
                except Exception as native:
                    raise native from None
                raise exc

        return inputs

    return deco


def _numel(x: Any) -> int:
    return math.prod(_shape(x))


def _axis(axis: Any, ndim: int) -> int:
    return normalize_axis_index(operator.index(axis), ndim)


# -- selection: one FLOP per element examined or produced --------------------------------


@_guard(np.where)
def _where(condition: Any, *xy: Any) -> tuple:
    shape = _shape(condition)
    if len(xy) == 1:
        raise ValueError("either both or neither of x and y should be given")
    if xy:
        np.broadcast_shapes(shape, *(_shape(v) for v in xy))
    return (math.prod(shape),)


@_guard(np.take)
def _take(a: Any, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise") -> tuple:
    idx = _shape(indices)
    if axis is None:
        return (math.prod(idx),)
    shape = _shape(a)
    ax = _axis(axis, len(shape))
    return (math.prod(shape[:ax]) * math.prod(idx) * math.prod(shape[ax + 1 :]),)


@_guard(np.take_along_axis)
def _take_along_axis(arr: Any, indices: Any, axis: Any = -1) -> tuple:
    shape, idx = _shape(arr), _shape(indices)
    if axis is None:
        if len(idx) != 1:
            raise ValueError("when axis=None, `indices` must have a single dimension.")
        return (idx[0],)
    if len(idx) != len(shape):
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    ax = _axis(axis, len(shape))
    rest = np.broadcast_shapes(shape[:ax] + shape[ax + 1 :], idx[:ax] + idx[ax + 1 :])
    return (math.prod(rest) * idx[ax],)


def _choice_shapes(choices: Any) -> list[tuple[int, ...]]:
    """Shapes of the choices: the sub-arrays along axis 0 of an array, else each item."""
    if isinstance(choices, (np.ndarray, Shaped)):
        shape = _shape(choices)
        return [shape[1:]] if shape and shape[0] else []
    return [_shape(c) for c in choices]


@_guard(np.choose)
def _choose(a: Any, choices: Any, out: Any = None, mode: str = "raise") -> tuple:
    return (math.prod(np.broadcast_shapes(_shape(a), *_choice_shapes(choices))),)


@_guard(np.compress)
def _compress(condition: Any, a: Any, axis: Any = None, out: Any = None) -> tuple:
    """Kept elements: the count of true conditions (read, not written) × the other axes."""
    cond = np.asarray(_plain(condition))
    if cond.ndim != 1:
        raise ValueError("condition must be a 1-d array")
    kept = int(np.count_nonzero(cond))
    shape = _shape(a)
    if axis is None:
        return (kept,)
    ax = _axis(axis, len(shape))
    return (kept * math.prod(shape[:ax]) * math.prod(shape[ax + 1 :]),)


@_guard(np.select)
def _select(condlist: Any, choicelist: Any, default: Any = 0) -> tuple:
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if not choicelist:
        raise ValueError("select with an empty condition list is not possible")
    return (max(_numel(c) for c in choicelist),)


@_guard(np.extract)
def _extract(condition: Any, arr: Any) -> tuple:
    return (_numel(arr),)


def _of_first(impl: Callable[..., Any]) -> Callable[..., tuple]:
    """numel of the first argument (nonzero, flatnonzero, argwhere)."""

    @_guard(impl)
    def inputs(a: Any, *args: Any, **kwargs: Any) -> tuple:
        return (_numel(a),)

    return inputs


# -- diagonals --------------------------------------------------------------------------------


@_guard(np.diag)
def _diag(v: Any, k: Any = 0) -> tuple:
    shape = _shape(v)
    k = operator.index(k)
    if len(shape) == 1:
        return ((shape[0] + abs(k)) ** 2,)
    if len(shape) == 2:
        return (min(shape),)
    raise ValueError("Input must be 1- or 2-d.")


@_guard(np.diagflat)
def _diagflat(v: Any, k: Any = 0) -> tuple:
    return ((_numel(v) + abs(operator.index(k))) ** 2,)


def _two_axes(shape: tuple[int, ...], axis1: Any, axis2: Any) -> tuple[int, int]:
    if len(shape) < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    a1, a2 = _axis(axis1, len(shape)), _axis(axis2, len(shape))
    if a1 == a2:
        raise ValueError("axis1 and axis2 cannot be the same")
    return shape[a1], shape[a2]


@_guard(np.diagonal)
def _diagonal(a: Any, offset: Any = 0, axis1: Any = 0, axis2: Any = 1) -> tuple:
    """Length of the requested diagonal (0.4.0 counts the offset; batch axes are ignored)."""
    m, n = _two_axes(_shape(a), axis1, axis2)
    k = operator.index(offset)
    return (max(0, min(m, n - k) if k >= 0 else min(m + k, n)),)


@_guard(np.trace)
def _trace(
    a: Any, offset: Any = 0, axis1: Any = 0, axis2: Any = 1, dtype: Any = None, out: Any = None
) -> tuple:
    """min of the two axes (0.4.0 ignores the offset and the batch axes)."""
    operator.index(offset)
    return (min(_two_axes(_shape(a), axis1, axis2)),)


# -- writers: priced from the destination before anything is written ----------------------


@_guard(np.put, writer=True)
def _put(a: Any, ind: Any, v: Any, mode: str = "raise") -> tuple:
    return (_numel(a),)


@_guard(np.put_along_axis, writer=True)
def _put_along_axis(arr: Any, indices: Any, values: Any, axis: Any) -> tuple:
    return (_numel(arr),)


@_guard(np.place, writer=True)
def _place(arr: Any, mask: Any, vals: Any) -> tuple:
    return (_numel(arr),)


@_guard(np.putmask, writer=True)
def _putmask(a: Any, /, mask: Any, values: Any) -> tuple:
    return (_numel(a),)


@_guard(np.fill_diagonal, writer=True)
def _fill_diagonal(a: Any, val: Any, wrap: bool = False) -> tuple:
    """min(rows, cols): 0.4.0 ignores ``wrap`` and the axes past the second."""
    shape = _shape(a)
    return (min(shape[:2]) if len(shape) >= 2 else math.prod(shape),)


@_guard(np.copyto, writer=True)
def _copyto(dst: Any, src: Any, casting: str = "same_kind", where: Any = True) -> tuple:
    """numel(src), or the true cells of ``where`` (read before the copy) when one is given."""
    if where is True:
        return (_numel(src),)
    return (int(np.count_nonzero(_plain(where))),)


# -- index builders ----------------------------------------------------------------------


@_guard(np.indices)
def _indices(dimensions: Any, dtype: Any = int, sparse: bool = False) -> tuple:
    """Dense grids: len(dims)·prod(dims). Sparse grids bill the 0.4.0 minimum of 1."""
    dims = tuple(operator.index(d) for d in dimensions)
    return (0 if sparse else len(dims) * math.prod(dims),)


def _returned_sizes(result: Any, args: tuple, kwargs: dict) -> tuple:
    """ix_, mask_indices: priced from the index arrays they return (pure ops)."""
    return (sum(int(np.size(r)) for r in result),)


@_guard(np.clip)
def _clip(a: Any, *args: Any, **kwargs: Any) -> tuple:
    """Shape of ``a`` (0.4.0 bills numel(a), not the broadcast with the bounds)."""
    return (_shape(a),)


# -- rows ----------------------------------------------------------------------------------

_A = "np.linspace(0.1, 0.9, 12).reshape(3, 4)"
_B = "np.linspace(0.8, 0.2, 12).reshape(3, 4)"
_SETUP = f"a = {_A}.copy()"


def _ex(call: str, flops: int, setup: str | None = None) -> Example:
    return Example(call, flops, setup)


def _row(
    name: str,
    weight: float,
    inputs: Callable[..., tuple],
    summary: str,
    examples: tuple[Example, ...],
    *,
    formula: str = "count",
    **kw: Any,
) -> Op:
    return Op(
        name,
        family="indexing",
        kind="custom",
        formula=formula,
        weight=weight,
        impl=getattr(np, name),
        inputs=inputs,
        examples=examples,
        summary=summary,
        **kw,
    )


def _compress_method(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``a.compress(condition, axis, out)`` is ``compress(condition, a, axis, out)``."""

    def method(self: Any, condition: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(condition, self, *args, **kwargs)

    return method


OPS = (
    _row(
        "where",
        4.0,
        _where,
        "numel(condition), one- and three-argument forms",
        (
            _ex(f"fnp.where({_A} > 0.5, {_A}, {_B})", 48),
            _ex("fnp.where(np.arange(7) % 3 == 0)", 28),
        ),
        array_api="where",
    ),
    _row(
        "take",
        4.0,
        _take,
        "numel(output)",
        (
            _ex("fnp.take(np.linspace(0.05, 0.95, 8), [0, 1, 2])", 12),
            _ex(f"fnp.take({_A}, [0, 2], axis=1)", 24),
        ),
        array_api="take",
        methods=("take",),
    ),
    _row(
        "take_along_axis",
        1.0,
        _take_along_axis,
        "numel(output)",
        (_ex(f"fnp.take_along_axis({_A}, np.zeros((3, 1), dtype=int), axis=1)", 3),),
        array_api="take_along_axis",
    ),
    _row(
        "put",
        1.0,
        _put,
        "numel(a), priced before writing",
        (_ex("fnp.put(a, [0, 1], [9.0, 9.0])", 12, _SETUP),),
        methods=("put",),
        symmetry="write",  # writes into its first argument: a symmetric one loses its tag
    ),
    _row(
        "put_along_axis",
        1.0,
        _put_along_axis,
        "numel(arr), priced before writing",
        (_ex("fnp.put_along_axis(a, np.zeros((3, 1), dtype=int), 9.0, axis=1)", 12, _SETUP),),
        symmetry="write",  # writes into its first argument: a symmetric one loses its tag
    ),
    _row(
        "place",
        4.0,
        _place,
        "numel(arr), priced before writing",
        (_ex("fnp.place(a, a > 0.5, [7.0, 8.0])", 48, _SETUP),),
        symmetry="write",  # writes into its first argument: a symmetric one loses its tag
    ),
    _row(
        "putmask",
        4.0,
        _putmask,
        "numel(a), priced before writing",
        (_ex("fnp.putmask(a, a > 0.5, 0.0)", 48, _SETUP),),
        symmetry="write",  # writes into its first argument: a symmetric one loses its tag
    ),
    _row(
        "choose",
        4.0,
        _choose,
        "numel(broadcast(a, *choices))",
        (_ex("fnp.choose(np.array([0, 1, 0]), [np.array([0.1, 0.5, 0.9]), np.ones(3)])", 12),),
        methods=("choose",),
    ),
    _row(
        "compress",
        4.0,
        _compress,
        "numel(output) from the condition's true count (0 when nothing is kept)",
        (
            _ex(f"fnp.compress([True, False, True], {_A}, axis=0)", 32),
            _ex(f"fnp.compress([False, False, False], {_A}, axis=0)", 0),
        ),
        formula="count0",
        methods=("compress",),
        extra={"method_impl": {"compress": _compress_method}},
    ),
    _row(
        "select",
        4.0,
        _select,
        "numel of the largest choice",
        (_ex(f"fnp.select([{_A} > 0.5], [{_A}])", 48),),
    ),
    _row(
        "extract",
        4.0,
        _extract,
        "numel(arr), whatever the condition selects",
        (_ex(f"fnp.extract({_A} > 0.5, {_A})", 48),),
    ),
    _row(
        "nonzero",
        1.0,
        _of_first(np.nonzero),
        "numel(a)",
        (_ex(f"fnp.nonzero({_A})", 12),),
        array_api="nonzero",
        methods=("nonzero",),
    ),
    _row(
        "flatnonzero",
        1.0,
        _of_first(np.flatnonzero),
        "numel(a)",
        (_ex(f"fnp.flatnonzero({_A})", 12),),
    ),
    _row(
        "argwhere",
        4.0,
        _of_first(np.argwhere),
        "numel(a)",
        (_ex(f"fnp.argwhere({_A})", 48), _ex("fnp.argwhere(np.array(1.0))", 4)),
    ),
    _row(
        "diag",
        4.0,
        _diag,
        "1-D input: (n+|k|)² written; 2-D input: min(m, n) read",
        (
            _ex("fnp.diag(np.array([0.1, 0.4, 0.6, 0.9]))", 64),
            _ex("fnp.diag(np.linspace(0.1, 0.9, 5), k=1)", 144),
            _ex("fnp.diag(np.linspace(0.1, 0.9, 20).reshape(4, 5))", 16),
        ),
        symmetry="infer_diagonal",  # a 1-D input on k=0 builds a symmetric matrix
    ),
    _row(
        "diagonal",
        1.0,
        _diagonal,
        "length of the offset diagonal of axis1/axis2",
        (
            _ex("fnp.diagonal(np.arange(16.0).reshape(4, 4))", 4),
            _ex("fnp.diagonal(np.arange(16.0).reshape(4, 4), offset=-1)", 3),
        ),
        methods=("diagonal",),
    ),
    _row(
        "diagflat",
        1.0,
        _diagflat,
        "numel(output) = (numel(v)+|k|)²",
        (_ex("fnp.diagflat(np.array([0.1, 0.4, 0.6, 0.9]), k=1)", 25),),
        symmetry="infer_diagonal",  # k=0 builds a symmetric matrix
    ),
    _row(
        "trace",
        1.0,
        _trace,
        "min(shape[axis1], shape[axis2])",
        (_ex("fnp.trace(np.arange(16.0).reshape(4, 4))", 4),),
        methods=("trace",),
    ),
    _row(
        "fill_diagonal",
        4.0,
        _fill_diagonal,
        "min(rows, cols), priced before writing",
        (_ex("fnp.fill_diagonal(a, 0.0)", 12, _SETUP),),
        symmetry="keep_write",  # the diagonal is fixed by every axis permutation
    ),
    _row(
        "indices",
        1.0,
        _indices,
        "numel(output) = len(dims)·prod(dims); sparse grids 1",
        (_ex("fnp.indices((3, 4))", 24), _ex("fnp.indices((3, 4), sparse=True)", 1)),
    ),
    Op(
        "ix_",
        family="indexing",
        kind="custom",
        formula="count",
        weight=1.0,
        impl=np.ix_,
        extra={"price_result": _returned_sizes},
        examples=(_ex("fnp.ix_(np.array([True, False, True]), np.array([1, 2]))", 4),),
        summary="sum of the returned index arrays' sizes",
    ),
    Op(
        "mask_indices",
        family="indexing",
        kind="custom",
        formula="count",
        weight=4.0,
        impl=np.mask_indices,
        extra={"price_result": _returned_sizes},
        examples=(_ex("fnp.mask_indices(4, np.triu)", 80),),
        summary="sum of the returned index arrays' sizes",
    ),
    _row(
        "clip",
        1.0,
        _clip,
        "numel(a)",
        (_ex(f"fnp.clip({_A}, 0.2, 0.8)", 12),),
        formula="numel_first",
        array_api="clip",
        methods=("clip",),
        symmetry="pointwise",  # a SymmetricTensor bills its unique elements and keeps its group
    ),
    _row(
        "copyto",
        1.0,
        _copyto,
        "numel(src), or count_nonzero(where) when given; priced before writing",
        (
            _ex(f"fnp.copyto(a, {_B})", 12, _SETUP),
            _ex(f"fnp.copyto(a, {_B}, where=a > 0.5)", 6, _SETUP),
        ),
        symmetry="write",  # keeps a symmetric destination's tag only if the source has it
    ),
)
