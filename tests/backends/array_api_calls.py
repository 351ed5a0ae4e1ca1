"""Hypothesis strategies for calls of every Array-API function the op table declares.

The list of functions comes from the table (:func:`entries`); elementwise functions and
reductions get generic strategies from their row kind, every other row needs an entry in
:data:`SPECIAL` (a test asserts that none is missing). Calls are drawn in array_api_strict
terms; :func:`to_numpy` converts them for the numpy backend.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import array_api_strict as xs
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.array_api import make_strategies_namespace

from flopscope.backends import _standard as std
from flopscope.ops import Op, all_ops

xps = make_strategies_namespace(xs)

DTYPE_NAMES = std.DTYPES
STRICT_DTYPES = {name: getattr(xs, name) for name in DTYPE_NAMES}


@dataclass
class Call:
    """``fn(*args, **kwargs)`` in array_api_strict terms."""

    args: tuple
    kwargs: dict = field(default_factory=dict)


def entries() -> list[tuple[str, str, Op]]:
    """(module, array-API name, row) for every namespace function the table declares."""
    out = []
    for op in all_ops():
        if op.array_api is None:
            continue
        for module in (op.module, *op.also_in):
            if not module or module in std.EXTENSIONS:
                out.append((module, op.array_api, op))
    return out


def qualname(module: str, name: str) -> str:
    return f"{module}.{name}" if module else name


def dtype_name(d: Any) -> str:
    """Backend-independent name of a dtype (strict dtype object or numpy dtype)."""
    name = _strict_name(d)
    return name if name is not None else np.dtype(d).name


def _strict_name(d: Any) -> str | None:
    if isinstance(d, type(xs.float64)):
        return next(name for name, strict in STRICT_DTYPES.items() if strict == d)
    return None


def strict_function(module: str, name: str) -> Any:
    return getattr(getattr(xs, module) if module else xs, name)


# -- generic strategies ----------------------------------------------------------------------

SHAPES = xps.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)
CUMULATIVE_SHAPES = xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)


def is_unary(op: Op) -> bool:
    return op.impl.nin == 1 if op.kind == "ufunc" else op.family == "pointwise-unary"


@cache
def valid_dtypes(module: str, name: str, nin: int) -> tuple[str, ...]:
    """Dtypes array_api_strict accepts for the function (probed on two-element arrays)."""
    fn = strict_function(module, name)
    ok = []
    for dname, d in STRICT_DTYPES.items():
        x = xs.ones((2,), dtype=d)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # arctanh(1) and friends
                fn(*([x] * nin))
        except Exception:
            continue
        ok.append(dname)
    return tuple(ok)


def _dtype(module: str, name: str, nin: int) -> st.SearchStrategy[Any]:
    names = valid_dtypes(module, name, nin)
    assert names, f"array_api_strict accepts no dtype for {name}"
    return st.sampled_from([STRICT_DTYPES[n] for n in names])


def elementwise(module: str, name: str, op: Op) -> st.SearchStrategy[Call]:
    if is_unary(op):
        return _dtype(module, name, 1).flatmap(
            lambda d: xps.arrays(d, SHAPES).map(lambda x: Call((x,)))
        )

    @st.composite
    def binary(draw: Any) -> Call:
        d = draw(_dtype(module, name, 2))
        shapes = draw(xps.mutually_broadcastable_shapes(2, min_dims=0, max_dims=3, max_side=4))
        x1 = draw(xps.arrays(d, shapes.input_shapes[0]))
        x2 = draw(xps.arrays(d, shapes.input_shapes[1]))
        return Call((x1, x2))

    return binary()


def reduction(module: str, name: str, op: Op) -> st.SearchStrategy[Call]:
    @st.composite
    def call(draw: Any) -> Call:
        d = draw(_dtype(module, name, 1))
        cumulative = name.startswith("cumulative")
        # the standard leaves cumulative ops on 0-d input unspecified
        x = draw(xps.arrays(d, CUMULATIVE_SHAPES if cumulative else SHAPES))
        kwargs: dict[str, Any] = {}
        if cumulative:
            if x.ndim > 1 or draw(st.booleans()):
                kwargs["axis"] = draw(st.integers(-x.ndim, x.ndim - 1))
            if draw(st.booleans()):
                kwargs["include_initial"] = True
        elif name in ("argmax", "argmin"):
            if x.ndim and draw(st.booleans()):
                kwargs["axis"] = draw(st.integers(-x.ndim, x.ndim - 1))
        else:
            axis = draw(st.none() | xps.valid_tuple_axes(x.ndim))
            if axis is not None and len(axis) == 1 and draw(st.booleans()):
                axis = axis[0]
            if axis is not None or draw(st.booleans()):
                kwargs["axis"] = axis
        if not cumulative and draw(st.booleans()):
            kwargs["keepdims"] = True
        if name in ("std", "var") and draw(st.booleans()):
            kwargs["correction"] = draw(st.sampled_from([0, 1]))
        return Call((x,), kwargs)

    return call()


# -- strategies for rows with their own signatures --------------------------------------------

FLOATS = st.sampled_from([xs.float32, xs.float64])
ANY_DTYPE = st.sampled_from(list(STRICT_DTYPES.values()))


def _floats(shape: Any) -> st.SearchStrategy[Any]:
    return FLOATS.flatmap(lambda d: xps.arrays(d, shape))


def _real(shape: Any = SHAPES) -> st.SearchStrategy[Any]:
    return xps.real_dtypes().flatmap(lambda d: xps.arrays(d, shape))


def _any(shape: Any = SHAPES) -> st.SearchStrategy[Any]:
    return ANY_DTYPE.flatmap(lambda d: xps.arrays(d, shape))


def _small_floats() -> st.SearchStrategy[float]:
    return st.floats(-10, 10, width=32)


@st.composite
def _full(draw: Any) -> Call:
    shape = draw(SHAPES)
    if draw(st.booleans()):
        return Call((shape, draw(_small_floats())), {"dtype": draw(FLOATS)})
    return Call((shape, draw(st.integers(-9, 9))), {"dtype": xs.int64})


@st.composite
def _full_like(draw: Any) -> Call:
    return Call((draw(_floats(SHAPES)),), {"fill_value": draw(_small_floats())})


@st.composite
def _arange(draw: Any) -> Call:
    start, stop = draw(st.integers(-6, 6)), draw(st.integers(-6, 6))
    return Call((start, stop, draw(st.integers(-3, 3).filter(bool))))


@st.composite
def _linspace(draw: Any) -> Call:
    kwargs = {"num": draw(st.integers(0, 9)), "endpoint": draw(st.booleans())}
    return Call((draw(_small_floats()), draw(_small_floats())), kwargs)


@st.composite
def _joined(draw: Any, same_shape: bool) -> Call:
    ndim = draw(st.integers(1, 3))
    base = list(draw(xps.array_shapes(min_dims=ndim, max_dims=ndim, min_side=0, max_side=3)))
    d = draw(FLOATS)
    k = draw(st.integers(1, 3))
    if same_shape:
        axis = draw(st.integers(-ndim - 1, ndim))
        return Call(([draw(xps.arrays(d, tuple(base))) for _ in range(k)],), {"axis": axis})
    axis = draw(st.integers(-ndim, ndim - 1))
    arrays = []
    for _ in range(k):
        shape = list(base)
        shape[axis] = draw(st.integers(0, 3))
        arrays.append(draw(xps.arrays(d, tuple(shape))))
    if draw(st.booleans()):
        return Call((arrays,), {"axis": axis})
    return Call((arrays,), {"axis": None})


@st.composite
def _tile(draw: Any) -> Call:
    reps = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    return Call((draw(_floats(SHAPES)), reps))


@st.composite
def _repeat(draw: Any) -> Call:
    x = draw(_floats(SHAPES))
    if x.ndim and draw(st.booleans()):
        return Call((x, draw(st.integers(0, 3))), {"axis": draw(st.integers(-x.ndim, x.ndim - 1))})
    return Call((x, draw(st.integers(0, 3))))


#: (subscripts, operand label strings used to size the operands)
EINSUM_CASES = (
    ("ij,jk->ik", "ij,jk"),
    ("ij,j->i", "ij,j"),
    ("i,i->", "i,i"),
    ("i,j->ij", "i,j"),
    ("ii->i", "ii"),
    ("ii", "ii"),
    ("ij->ji", "ij"),
    ("ij->", "ij"),
    ("ij,ij->ij", "ij,ij"),
    ("bij,bjk->bik", "bij,bjk"),
    ("ijk,kl,lm->ijm", "ijk,kl,lm"),
    ("ij,jk", "ij,jk"),
    ("iij,jk->ik", "iij,jk"),
    ("...ij,...jk->...ik", "bij,bjk"),
    ("i...,i...->...", "ib,ib"),
)


@st.composite
def _einsum(draw: Any) -> Call:
    subscripts, labels = draw(st.sampled_from(EINSUM_CASES))
    sizes = {c: draw(st.integers(1, 4)) for c in set(labels.replace(",", ""))}
    d = draw(FLOATS)
    operands = [
        draw(xps.arrays(d, tuple(sizes[c] for c in term), elements=_small_floats()))
        for term in labels.split(",")
    ]
    return Call((subscripts, *operands))


@st.composite
def _matmul(draw: Any) -> Call:
    m, k, n, b = (draw(st.integers(1, 4)) for _ in range(4))
    left = draw(st.sampled_from([(k,), (m, k), (b, m, k), (1, m, k)]))
    right = draw(st.sampled_from([(k,), (k, n), (b, k, n), (1, k, n)]))
    d = draw(FLOATS)
    el = _small_floats()
    return Call((draw(xps.arrays(d, left, elements=el)), draw(xps.arrays(d, right, elements=el))))


@st.composite
def _tensordot(draw: Any) -> Call:
    d = draw(FLOATS)
    shared = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    a_rest = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    b_rest = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    el = _small_floats()
    x1 = draw(xps.arrays(d, a_rest + shared, elements=el))
    x2 = draw(xps.arrays(d, shared + b_rest, elements=el))
    if draw(st.booleans()):
        return Call((x1, x2), {"axes": len(shared)})
    n = len(shared)
    axes = (list(range(len(a_rest), len(a_rest) + n)), list(range(n)))
    return Call((x1, x2), {"axes": axes})


@st.composite
def _vecdot(draw: Any) -> Call:
    d = draw(FLOATS)
    shapes = draw(xps.mutually_broadcastable_shapes(2, min_dims=1, max_dims=3, max_side=3))
    axis = draw(st.integers(-min(len(s) for s in shapes.input_shapes), -1))
    a, b = (list(s) for s in shapes.input_shapes)
    k = draw(st.integers(1, 3))
    a[axis], b[axis] = k, k
    el = _small_floats()
    x1 = draw(xps.arrays(d, tuple(a), elements=el))
    x2 = draw(xps.arrays(d, tuple(b), elements=el))
    return Call((x1, x2), {"axis": axis} if axis != -1 or draw(st.booleans()) else {})


@st.composite
def _shape_creation(draw: Any) -> Call:
    shape = draw(SHAPES)
    return Call((shape,), {"dtype": draw(ANY_DTYPE)} if draw(st.booleans()) else {})


@st.composite
def _eye(draw: Any) -> Call:
    args = (draw(st.integers(0, 4)),)
    if draw(st.booleans()):
        args += (draw(st.integers(0, 4)),)
    kwargs: dict[str, Any] = {"k": draw(st.integers(-3, 3))}
    if draw(st.booleans()):
        kwargs["dtype"] = draw(ANY_DTYPE)
    return Call(args, kwargs)


@st.composite
def _like(draw: Any) -> Call:
    x = draw(_any())
    return Call((x,), {"dtype": draw(ANY_DTYPE)} if draw(st.booleans()) else {})


@st.composite
def _reshape(draw: Any) -> Call:
    x = draw(_any())
    size = int(np.prod(x.shape))
    target = draw(st.sampled_from([(-1,), (size,), tuple(reversed(x.shape)), (1, size)]))
    return Call((x, target))


@st.composite
def _moveaxis(draw: Any) -> Call:
    x = draw(_any(xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3)))
    src = draw(st.integers(-x.ndim, x.ndim - 1))
    return Call((x, src, draw(st.integers(-x.ndim, x.ndim - 1))))


@st.composite
def _squeeze(draw: Any) -> Call:
    shape = list(draw(xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3)))
    pos = draw(st.integers(0, len(shape) - 1))
    shape[pos] = 1
    x = draw(_any(tuple(shape)))
    return Call((x,), {"axis": pos if draw(st.booleans()) else (pos - len(shape),)})


@st.composite
def _expand_dims(draw: Any) -> Call:
    x = draw(_any())
    return Call((x,), {"axis": draw(st.integers(-x.ndim - 1, x.ndim))})


@st.composite
def _flip(draw: Any) -> Call:
    x = draw(_any())
    axis = draw(st.none() | xps.valid_tuple_axes(x.ndim))
    return Call((x,), {"axis": axis} if axis is not None else {})


@st.composite
def _tri(draw: Any) -> Call:
    x = draw(_any(xps.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=4)))
    return Call((x,), {"k": draw(st.integers(-3, 3))})


@st.composite
def _astype(draw: Any) -> Call:
    return Call((draw(_any()), draw(ANY_DTYPE)))


@st.composite
def _result_type(draw: Any) -> Call:
    first = draw(_any() | ANY_DTYPE)
    return Call((first, draw(ANY_DTYPE)))


@st.composite
def _can_cast(draw: Any) -> Call:
    return Call((draw(ANY_DTYPE), draw(ANY_DTYPE)))


@st.composite
def _permute_dims(draw: Any) -> Call:
    x = draw(_any())
    return Call((x, tuple(draw(st.permutations(range(x.ndim))))))


@st.composite
def _matrix_transpose(draw: Any) -> Call:
    return Call((draw(_any(xps.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=3))),))


KINDS = (
    "bool",
    "signed integer",
    "unsigned integer",
    "integral",
    "real floating",
    "complex floating",
    "numeric",
)


@st.composite
def _isdtype(draw: Any) -> Call:
    return Call((draw(ANY_DTYPE), draw(st.sampled_from(KINDS))))


@st.composite
def _roll(draw: Any) -> Call:
    x = draw(_any())
    if x.ndim and draw(st.booleans()):
        axis = draw(st.integers(-x.ndim, x.ndim - 1))
        return Call((x,), {"shift": draw(st.integers(-4, 4)), "axis": axis})
    return Call((x,), {"shift": draw(st.integers(-4, 4))})


@st.composite
def _asarray(draw: Any) -> Call:
    if draw(st.booleans()):
        return Call((draw(_any()),))
    values = draw(st.lists(_small_floats(), max_size=4))
    return Call((values,), {"dtype": draw(FLOATS)} if draw(st.booleans()) else {})


@st.composite
def _broadcast_to(draw: Any) -> Call:
    x = draw(_any())
    prefix = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    target = prefix + tuple(draw(st.integers(0, 3)) if d == 1 else d for d in x.shape)
    return Call((x, target))


@st.composite
def _broadcast_arrays(draw: Any) -> Call:
    shapes = draw(xps.mutually_broadcastable_shapes(draw(st.integers(1, 3)), max_side=3))
    return Call(tuple(draw(_any(s)) for s in shapes.input_shapes))


@st.composite
def _from_dlpack(draw: Any) -> Call:
    return Call((draw(_any()),))


@st.composite
def _diff(draw: Any) -> Call:
    x = draw(_real(xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)))
    kwargs: dict[str, Any] = {"axis": draw(st.integers(-x.ndim, x.ndim - 1))}
    if draw(st.booleans()):
        kwargs["n"] = draw(st.integers(1, 3))
    return Call((x,), kwargs)


@st.composite
def _meshgrid(draw: Any) -> Call:
    d = draw(FLOATS)
    sides = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    arrays = tuple(draw(xps.arrays(d, (n,))) for n in sides)
    return Call(arrays, {"indexing": draw(st.sampled_from(["xy", "ij"]))})


@st.composite
def _unstack(draw: Any) -> Call:
    x = draw(_any(xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3)))
    return Call((x,), {"axis": draw(st.integers(-x.ndim, x.ndim - 1))})


# -- indexing and selection ---------------------------------------------------------------

INDEX_SHAPES = xps.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)


@st.composite
def _where(draw: Any) -> Call:
    shapes = draw(xps.mutually_broadcastable_shapes(3, min_dims=0, max_dims=3, max_side=4))
    c, s1, s2 = shapes.input_shapes
    d = draw(xps.real_dtypes())
    return Call((draw(xps.arrays(xs.bool, c)), draw(xps.arrays(d, s1)), draw(xps.arrays(d, s2))))


@st.composite
def _take(draw: Any) -> Call:
    x = draw(_real(INDEX_SHAPES))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    n = draw(st.integers(0, 4))
    idx = xs.asarray(draw(st.lists(st.integers(0, x.shape[axis] - 1), min_size=n, max_size=n)))
    return Call((x, xs.astype(idx, xs.int64)), {"axis": axis})


@st.composite
def _take_along_axis(draw: Any) -> Call:
    x = draw(_real(INDEX_SHAPES))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    shape = list(x.shape)
    shape[axis] = draw(st.integers(0, 4))
    idx = draw(xps.arrays(xs.int64, tuple(shape), elements=st.integers(0, x.shape[axis] - 1)))
    return Call((x, idx), {"axis": axis} if axis != -1 or draw(st.booleans()) else {})


@st.composite
def _nonzero(draw: Any) -> Call:
    return Call((draw(_any(xps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))),))


@st.composite
def _clip(draw: Any) -> Call:
    x = draw(_floats(SHAPES))
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["min"] = draw(st.floats(-1, 0, width=32))
    if draw(st.booleans()):
        kwargs["max"] = draw(st.floats(0, 1, width=32))
    return Call((x,), kwargs)


SPECIAL: dict[str, st.SearchStrategy[Call]] = {
    "where": _where(),
    "take": _take(),
    "take_along_axis": _take_along_axis(),
    "nonzero": _nonzero(),
    "clip": _clip(),
    "full": _full(),
    "full_like": _full_like(),
    "arange": _arange(),
    "linspace": _linspace(),
    "concat": _joined(False),
    "stack": _joined(True),
    "tile": _tile(),
    "repeat": _repeat(),
    "einsum": _einsum(),
    "matmul": _matmul(),
    "tensordot": _tensordot(),
    "vecdot": _vecdot(),
    "zeros": _shape_creation(),
    "ones": _shape_creation(),
    "empty": _shape_creation(),
    "eye": _eye(),
    "zeros_like": _like(),
    "ones_like": _like(),
    "empty_like": _like(),
    "reshape": _reshape(),
    "moveaxis": _moveaxis(),
    "squeeze": _squeeze(),
    "expand_dims": _expand_dims(),
    "flip": _flip(),
    "triu": _tri(),
    "tril": _tri(),
    "astype": _astype(),
    "result_type": _result_type(),
    "can_cast": _can_cast(),
    "permute_dims": _permute_dims(),
    "matrix_transpose": _matrix_transpose(),
    "isdtype": _isdtype(),
    "roll": _roll(),
    "asarray": _asarray(),
    "broadcast_to": _broadcast_to(),
    "broadcast_arrays": _broadcast_arrays(),
    "from_dlpack": _from_dlpack(),
    "diff": _diff(),
    "meshgrid": _meshgrid(),
    "unstack": _unstack(),
}

# -- the fft extension -------------------------------------------------------------------------

NORMS = st.sampled_from(["backward", "ortho", "forward"])
FFT_SHAPES = xps.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)


def _fft_1d(name: str) -> st.SearchStrategy[Call]:
    @st.composite
    def call(draw: Any) -> Call:
        d = draw(_dtype("fft", name, 1))
        x = draw(xps.arrays(d, FFT_SHAPES, elements={"min_value": -10, "max_value": 10}))
        kwargs: dict[str, Any] = {}
        if draw(st.booleans()):
            kwargs["n"] = draw(st.integers(1, 8))
        if draw(st.booleans()):
            kwargs["axis"] = draw(st.integers(-x.ndim, x.ndim - 1))
        if draw(st.booleans()):
            kwargs["norm"] = draw(NORMS)
        return Call((x,), kwargs)

    return call()


def _fft_nd(name: str) -> st.SearchStrategy[Call]:
    @st.composite
    def call(draw: Any) -> Call:
        d = draw(_dtype("fft", name, 1))
        x = draw(xps.arrays(d, FFT_SHAPES, elements={"min_value": -10, "max_value": 10}))
        kwargs: dict[str, Any] = {}
        axes = draw(st.none() | xps.valid_tuple_axes(x.ndim, min_size=1))
        if axes is not None:
            kwargs["axes"] = draw(st.permutations(axes))
            # s without axes is deprecated in numpy 2 and left open by the standard
            if draw(st.booleans()):
                kwargs["s"] = tuple(draw(st.integers(1, 6) | st.just(-1)) for _ in axes)
        if draw(st.booleans()):
            kwargs["norm"] = draw(NORMS)
        return Call((x,), kwargs)

    return call()


@st.composite
def _fftfreq(draw: Any) -> Call:
    kwargs = {"d": draw(st.floats(0.1, 4.0))} if draw(st.booleans()) else {}
    return Call((draw(st.integers(1, 9)),), kwargs)


@st.composite
def _fftshift(draw: Any) -> Call:
    x = draw(_floats(FFT_SHAPES))
    axes = draw(st.none() | xps.valid_tuple_axes(x.ndim, min_size=1))
    return Call((x,), {"axes": axes} if axes is not None else {})


SPECIAL.update(
    {f"fft.{n}": _fft_1d(n) for n in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")}
    | {f"fft.{n}": _fft_nd(n) for n in ("fftn", "ifftn", "rfftn", "irfftn")}
    | {"fft.fftfreq": _fftfreq(), "fft.rfftfreq": _fftfreq()}
    | {"fft.fftshift": _fftshift(), "fft.ifftshift": _fftshift()}
)

# -- the linalg extension ----------------------------------------------------------------------

BATCH = st.lists(st.integers(1, 3), max_size=1).map(tuple)
SMALL = {"min_value": -4, "max_value": 4}


@st.composite
def _matrix(draw: Any, square: bool = False, dtype: Any = None) -> Any:
    m = draw(st.integers(1, 4))
    n = m if square else draw(st.integers(1, 4))
    d = dtype if dtype is not None else draw(FLOATS)
    return draw(xps.arrays(d, (*draw(BATCH), m, n), elements=SMALL))


@st.composite
def _well_conditioned(draw: Any) -> Any:
    """Square matrices, half of them made symmetric positive definite (cholesky, inv...)."""
    x = draw(_matrix(square=True))
    if not draw(st.booleans()):
        return x
    a = np.asarray(x)
    n = a.shape[-1]
    spd = a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype=a.dtype)
    return xs.asarray(spd)


def _linalg_square() -> st.SearchStrategy[Call]:
    return _well_conditioned().map(lambda x: Call((x,)))


@st.composite
def _linalg_matrix(draw: Any, kwarg: str | None = None, values: tuple = ()) -> Call:
    x = draw(_matrix())
    if kwarg is not None and draw(st.booleans()):
        return Call((x,), {kwarg: draw(st.sampled_from(values))})
    return Call((x,))


@st.composite
def _solve(draw: Any) -> Call:
    a = draw(_well_conditioned())
    n = a.shape[-1]
    if draw(st.booleans()):
        b = draw(xps.arrays(a.dtype, (n,), elements=SMALL))
    else:
        b = draw(xps.arrays(a.dtype, (*a.shape[:-2], n, draw(st.integers(1, 3))), elements=SMALL))
    return Call((a, b))


@st.composite
def _vector_norm(draw: Any) -> Call:
    x = draw(_floats(SHAPES))
    kwargs: dict[str, Any] = {"ord": draw(st.sampled_from([1, 2, 3, 0, np.inf, -np.inf]))}
    axis = draw(st.none() | xps.valid_tuple_axes(x.ndim, min_size=1)) if x.ndim else None
    if axis is not None:
        kwargs["axis"] = axis[0] if len(axis) == 1 and draw(st.booleans()) else axis
    if draw(st.booleans()):
        kwargs["keepdims"] = True
    return Call((x,), kwargs)


@st.composite
def _matrix_norm(draw: Any) -> Call:
    ords = ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]
    kwargs: dict[str, Any] = {"ord": draw(st.sampled_from(ords))}
    if draw(st.booleans()):
        kwargs["keepdims"] = True
    return Call((draw(_matrix()),), kwargs)


@st.composite
def _matrix_power(draw: Any) -> Call:
    return Call((draw(_well_conditioned()), draw(st.integers(-2, 3))))


@st.composite
def _offset_2d(draw: Any) -> Call:
    x = draw(_floats(xps.array_shapes(min_dims=2, max_dims=3, min_side=0, max_side=4)))
    return Call((x,), {"offset": draw(st.integers(-2, 2))} if draw(st.booleans()) else {})


@st.composite
def _cross(draw: Any) -> Call:
    d = draw(FLOATS)
    shapes = draw(xps.mutually_broadcastable_shapes(2, min_dims=1, max_dims=3, max_side=3))
    ndim = min(len(s) for s in shapes.input_shapes)
    axis = draw(st.integers(-ndim, -1))
    a, b = (list(s) for s in shapes.input_shapes)
    a[axis] = b[axis] = 3
    x1 = draw(xps.arrays(d, tuple(a), elements=SMALL))
    x2 = draw(xps.arrays(d, tuple(b), elements=SMALL))
    return Call((x1, x2), {"axis": axis} if axis != -1 else {})


SPECIAL.update(
    {
        f"linalg.{n}": _linalg_square()
        for n in ("cholesky", "eigh", "eigvalsh", "det", "slogdet", "inv")
    }
    | {
        "linalg.svd": _linalg_matrix("full_matrices", (True, False)),
        "linalg.svdvals": _linalg_matrix(),
        "linalg.qr": _linalg_matrix("mode", ("reduced", "complete")),
        "linalg.pinv": _linalg_matrix(),
        "linalg.matrix_rank": _linalg_matrix(),
        "linalg.solve": _solve(),
        "linalg.vector_norm": _vector_norm(),
        "linalg.matrix_norm": _matrix_norm(),
        "linalg.matrix_power": _matrix_power(),
        "linalg.trace": _offset_2d(),
        "linalg.diagonal": _offset_2d(),
        "linalg.cross": _cross(),
        "linalg.matrix_transpose": _matrix_transpose(),
    }
)

# -- searching, sorting and sets -------------------------------------------------------------


@st.composite
def _sort(draw: Any) -> Call:
    x = draw(_real(xps.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)))
    kwargs: dict[str, Any] = {}
    if x.ndim and draw(st.booleans()):
        kwargs["axis"] = draw(st.integers(-x.ndim, x.ndim - 1))
    if draw(st.booleans()):
        kwargs["descending"] = draw(st.booleans())
    if draw(st.booleans()):
        kwargs["stable"] = draw(st.booleans())
    return Call((x,), kwargs)


@st.composite
def _searchsorted(draw: Any) -> Call:
    d = draw(FLOATS)
    x1 = xs.sort(draw(xps.arrays(d, st.integers(0, 6).map(lambda n: (n,)), elements=SMALL)))
    x2 = draw(xps.arrays(d, SHAPES, elements=SMALL))
    return Call((x1, x2), {"side": draw(st.sampled_from(["left", "right"]))})


@st.composite
def _isin(draw: Any) -> Call:
    d = draw(st.sampled_from([xs.int64, xs.float64]))
    x1 = draw(xps.arrays(d, SHAPES, elements=SMALL))
    x2 = draw(xps.arrays(d, SHAPES, elements=SMALL))
    return Call((x1, x2), {"invert": draw(st.booleans())} if draw(st.booleans()) else {})


SPECIAL.update(
    {"sort": _sort(), "argsort": _sort(), "searchsorted": _searchsorted(), "isin": _isin()}
    | {
        f"unique_{n}": _real().map(lambda x: Call((x,)))
        for n in ("all", "counts", "inverse", "values")
    }
)

#: functions whose result values are unspecified (only shape and dtype are compared)
UNINITIALISED = frozenset({"empty", "empty_like"})


def strategy(module: str, name: str, op: Op) -> st.SearchStrategy[Call] | None:
    """The call strategy for one namespace function, or ``None`` if it has none.

    :data:`SPECIAL` is keyed by qualified name (``"einsum"``, ``"fft.rfft"``).
    """
    key = qualname(op.module, name)  # linalg.matmul is the row of matmul: same calls
    if key in SPECIAL:
        return SPECIAL[key]
    if op.kind in ("ufunc", "elementwise"):
        return elementwise(module, name, op)
    if op.kind == "reduction":
        return reduction(module, name, op)
    return None


# -- converting a call for another backend ---------------------------------------------------


def to_numpy(value: Any) -> Any:
    """The numpy-backend twin of a strict-terms value (arrays, dtypes, nested lists)."""
    if isinstance(value, xs_array_type()):
        return np.asarray(value)
    name = _strict_name(value)
    if name is not None:
        return np.dtype(name)
    if type(value) in (list, tuple):
        return type(value)(to_numpy(v) for v in value)
    if type(value) is dict:
        return {k: to_numpy(v) for k, v in value.items()}
    return value


@cache
def xs_array_type() -> type:
    return type(xs.asarray(0))
