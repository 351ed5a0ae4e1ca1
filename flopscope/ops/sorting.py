"""Sorting, partitioning, searching, set operations and histograms (spec §2.9).

Every row is priced from shapes and arguments only (formulas in
:mod:`flopscope.costs.sorting`), so a call is charged before numpy runs and a refused call
leaves no trace: the ``sort()``/``partition()`` methods, which work in place, leave the
array untouched. Each ``inputs`` callable mirrors the argument handling numpy does on
shapes; where it cannot price a call, :func:`_guarded` asks numpy for its own error, so bad
input raises numpy's exception type with nothing charged.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable
from time import perf_counter
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from flopscope.errors import UnsupportedFunctionError
from flopscope.ops._row import Example, Op

_NUMPY = tuple(int(p) for p in np.__version__.split(".")[:2])
#: ``numpy.in1d`` was removed in numpy 2.4 (spec §1.9): its row refuses before charging
IN1D_REMOVED = _NUMPY >= (2, 4)


def _shape(a: Any) -> tuple[int, ...]:
    shape = getattr(a, "shape", None)
    return tuple(shape) if shape is not None else np.shape(a)


def _numel(a: Any) -> int:
    return math.prod(_shape(a))


def _len(a: Any) -> int:
    """``len`` of a 1-D operand (numel otherwise: numpy rejects those calls itself)."""
    shape = _shape(a)
    return shape[0] if len(shape) == 1 else math.prod(shape)


def _plain(x: Any) -> Any:
    """numpy's own view of an argument (subclass views stripped, so numpy never routes
    back into flopscope while producing its error)."""
    if isinstance(x, np.ndarray) and type(x) is not np.ndarray:
        return x.view(np.ndarray)
    if type(x) is list or type(x) is tuple:
        return type(x)(_plain(e) for e in x)
    return x


def _guarded(impl: Any) -> Callable[[Callable[..., tuple]], Callable[..., tuple]]:
    """An ``inputs`` callable that raises numpy's exception for arguments it cannot price:
    numpy runs on them (before any charge) and its error is raised; if numpy accepts
    them, the pricing error stands (a pricing bug, never a silent free call)."""

    def decorate(inputs: Callable[..., tuple]) -> Callable[..., tuple]:
        @functools.wraps(inputs)
        def guarded(*args: Any, **kwargs: Any) -> tuple:
            try:
                return inputs(*args, **kwargs)
            except Exception as exc:
                try:
                    impl(*_plain(args), **{k: _plain(v) for k, v in kwargs.items()})
                except Exception as native:
                    raise native from None
                raise exc

        return guarded

    return decorate


# -- inputs ------------------------------------------------------------------------------


def _axis(shape: tuple[int, ...], axis: Any) -> int | None:
    if axis is None:
        return None
    return normalize_axis_index(operator.index(axis), len(shape))


@_guarded(np.sort)
def sort_inputs(a: Any, axis: Any = -1, *args: Any, **kwargs: Any) -> tuple:
    """``(shape, axis)`` of ``sort``/``argsort`` (``axis=None``: the flattened array)."""
    shape = _shape(a)
    return (shape, _axis(shape, axis))


@_guarded(np.argsort)
def argsort_inputs(a: Any, axis: Any = -1, *args: Any, **kwargs: Any) -> tuple:
    """``sort_inputs``, except that numpy argsorts a 0-d array as one element."""
    shape = _shape(a)
    if not shape and axis is not None:
        normalize_axis_index(operator.index(axis), 1)
        return (shape, None)
    return (shape, _axis(shape, axis))


@_guarded(np.sort_complex)
def sort_complex_inputs(a: Any) -> tuple:
    return (_shape(a),)


@_guarded(np.lexsort)
def lexsort_inputs(keys: Any, axis: Any = -1) -> tuple:
    """``(k, n)``: number of keys and len(keys[0]) (1 for scalar keys)."""
    if type(keys) is list or type(keys) is tuple:
        k = len(keys)
        first = _shape(keys[0]) if k else ()
    else:
        shape = _shape(keys)
        k, first = (shape[0], shape[1:]) if shape else (0, ())
    if k == 0:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    return (k, first[0] if first else 1)


def _kth_count(kth: Any, length: int, size: int) -> int:
    """Number of kth values, checked as numpy checks them (type, then bounds)."""
    k = np.asarray(kth)
    if k.dtype == bool:
        raise ValueError("Booleans unacceptable as partition index")
    if k.dtype.kind not in "iu":
        raise TypeError("Partition index must be integer")
    if k.ndim > 1:
        raise ValueError("kth must be a scalar or a 1-d array")
    for v in k.ravel().tolist() if size else ():  # numpy checks no bounds on empty arrays
        if not -length <= v < length:
            raise ValueError(f"kth(={v}) out of bounds ({length})")
    return int(k.size)


def _partition_inputs(a: Any, kth: Any, axis: Any = -1, *args: Any, **kwargs: Any) -> tuple:
    """``(shape, axis, number of kth values)`` of ``partition``/``argpartition``."""
    shape = _shape(a)
    ax = _axis(shape, axis)
    length = math.prod(shape) if ax is None else shape[ax]
    return (shape, ax, _kth_count(kth, length, math.prod(shape)))


partition_inputs = _guarded(np.partition)(_partition_inputs)
argpartition_inputs = _guarded(np.argpartition)(_partition_inputs)


@_guarded(np.searchsorted)
def searchsorted_inputs(a: Any, v: Any, *args: Any, **kwargs: Any) -> tuple:
    """``(numel(v), len(a))``."""
    return (_numel(v), _len(a))


def _unique_inputs(ar: Any, *args: Any, **kwargs: Any) -> tuple:
    return (_shape(ar),)


def _pair_inputs(ar1: Any, ar2: Any, *args: Any, **kwargs: Any) -> tuple:
    """``(numel(ar1), numel(ar2))`` of the set operations."""
    return (_numel(ar1), _numel(ar2))


def _in1d_inputs(ar1: Any, ar2: Any, *args: Any, **kwargs: Any) -> tuple:
    if IN1D_REMOVED:
        raise UnsupportedFunctionError("in1d", max_version="2.4", replacement="isin")
    return _pair_inputs(ar1, ar2)


def _scalar(b: Any) -> bool:
    """A 0-d bins argument (ragged per-axis lists are sequences, not arrays, to numpy)."""
    if isinstance(b, (str, list, tuple)):
        return False
    shape = getattr(b, "shape", None)
    return shape == () if shape is not None else np.ndim(b) == 0


def _bin_count(b: Any) -> int | None:
    """Values searched per point for one axis: int bins → the count, edges → their number,
    a rule name (``'auto'``) → ``None`` (priced as one pass)."""
    if isinstance(b, str):
        return None
    if _scalar(b):
        return operator.index(b)
    return _len(b)


@_guarded(np.histogram)
def histogram_inputs(a: Any, bins: Any = 10, *args: Any, **kwargs: Any) -> tuple:
    return (_numel(a), (_bin_count(bins),))


@_guarded(np.histogram2d)
def histogram2d_inputs(x: Any, y: Any, bins: Any = 10, *args: Any, **kwargs: Any) -> tuple:
    """numpy's reading of ``bins``: an int for both axes, a pair (per axis), or one edge
    array shared by both axes."""
    if isinstance(bins, str) or _scalar(bins):
        per_axis: tuple = (_bin_count(bins),) * 2
    elif len(bins) == 2:
        per_axis = (_bin_count(bins[0]), _bin_count(bins[1]))
    elif len(bins) == 1:
        raise ValueError("The dimension of bins must be equal to the dimension of the sample x.")
    else:
        per_axis = (_len(bins),) * 2
    return (_numel(x), per_axis)


def _points(sample: Any) -> tuple[int, int]:
    """``(N, D)`` of a histogramdd sample: an (N, D) array, or what numpy's
    ``atleast_2d(sample).T`` makes of anything else (D arrays of N points, one 1-D axis)."""
    shape = _shape(sample)
    if hasattr(sample, "shape") and len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) > 2:
        raise ValueError("too many values to unpack (expected 2)")
    if len(shape) == 2:
        return shape[1], shape[0]
    return (shape[0], 1) if shape else (1, 1)


@_guarded(np.histogramdd)
def histogramdd_inputs(sample: Any, bins: Any = 10, *args: Any, **kwargs: Any) -> tuple:
    n, d = _points(sample)
    if isinstance(bins, str) or _scalar(bins):
        return (n, (_bin_count(bins),) * d)
    if len(bins) != d:
        raise ValueError("The dimension of bins must be equal to the dimension of the sample x.")
    return (n, tuple(_bin_count(b) for b in bins))


def _first_shape(a: Any, *args: Any, **kwargs: Any) -> tuple:
    return (_shape(a),)


@_guarded(np.digitize)
def digitize_inputs(x: Any, bins: Any, *args: Any, **kwargs: Any) -> tuple:
    return (_numel(x), _len(bins))


@_guarded(np.interp)
def interp_inputs(x: Any, xp: Any, *args: Any, **kwargs: Any) -> tuple:
    return (_numel(x), _len(xp))


# -- in-place methods --------------------------------------------------------------------


def _in_place(method: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``FlopscopeArray.sort()``/``.partition()``: priced by the row, then numpy's method
    sorts the array's own data (a refused call raises before it is touched)."""
    native = getattr(np.ndarray, method)

    def factory(fn: Callable[..., Any]) -> Callable[..., Any]:
        op: Op = fn.__wrapped_op__  # type: ignore[attr-defined]

        def impl(self: Any, *args: Any, **kwargs: Any) -> None:
            from flopscope.numpy._factory import run_counted  # the factory imports the table
            from flopscope.numpy._symcall import in_place_sorted

            t0 = perf_counter()
            inputs = op.inputs(self, *args, **kwargs)  # type: ignore[misc]
            run_counted(op, inputs, native, (self, *args), kwargs, t0)
            in_place_sorted(self, method)  # a sorted SymmetricTensor loses its tag

        return impl

    return factory


# -- rows --------------------------------------------------------------------------------

_V8 = "np.linspace(0.05,0.95,8)"
_M68 = "np.linspace(0.1,0.9,48).reshape(6, 8)"
_DUP = "np.array([3., 1., 2., 3., 1., 5., 4., 2.])"
_T3 = "np.array([0.1,0.5,0.9])"


def _row(
    name: str,
    family: str,
    formula: str,
    inputs: Callable[..., tuple],
    examples: tuple[tuple[str, int], ...],
    summary: str,
    **kw: Any,
) -> Op:
    return Op(
        name,
        family=family,
        kind="custom",
        formula=formula,
        impl=getattr(np, name, None),
        inputs=inputs,
        examples=tuple(Example(call, flops) for call, flops in examples),
        summary=summary,
        **kw,
    )


def _sets(name: str, summary: str, **kw: Any) -> Op:
    return _row(
        name,
        "sets",
        "set_op",
        _guarded(getattr(np, name))(_pair_inputs),
        (
            (f"fnp.{name}({_V8}, {_T3})", 44),
            (f"fnp.{name}(np.arange(12).reshape(3,4)%5, np.arange(5)*2)", 85),
        ),
        summary,
        **kw,
    )


def _unique(name: str, summary: str, **kw: Any) -> Op:
    return _row(
        name,
        "sets",
        "nlogn",
        _guarded(getattr(np, name))(_unique_inputs),
        ((f"fnp.{name}({_V8})", 24), (f"fnp.{name}(np.arange(48).reshape(6,8)%7)", 288)),
        summary,
        **kw,
    )


def _in1d_example() -> tuple[Example, ...]:
    call = f"fnp.in1d({_V8}, {_T3})"
    if not IN1D_REMOVED:
        return (Example(call, 44),)
    # refused before charging: the example shows the call costs nothing
    setup = (
        "def refused(f, *a):\n"
        "    try:\n"
        "        f(*a)\n"
        "    except flops.UnsupportedFunctionError:\n"
        "        return 0\n"
    )
    return (Example(f"refused(fnp.in1d, {_V8}, {_T3})", 0, setup),)


OPS: tuple[Op, ...] = (
    _row(
        "sort",
        "sorting",
        "sort",
        sort_inputs,
        (
            ("fnp.sort(np.linspace(0.1,0.9,12).reshape(3,4))", 24),
            (f"fnp.sort({_M68}, axis=0)", 144),
            (f"fnp.sort({_M68}, axis=None)", 288),
            ("fnp.sort(np.linspace(1.,0.,1000))", 10000),
        ),
        "a comparison sort of every 1-D run along axis",
        methods=("sort",),
        array_api="sort",
        extra={"method_impl": {"sort": _in_place("sort")}},
    ),
    _row(
        "argsort",
        "sorting",
        "sort",
        argsort_inputs,
        (
            ("fnp.argsort(np.linspace(0.1,0.9,12).reshape(3,4))", 24),
            (f"fnp.argsort({_M68}, axis=None)", 288),
        ),
        "same cost as sort",
        methods=("argsort",),
        array_api="argsort",
    ),
    _row(
        "sort_complex",
        "sorting",
        "nlogn",
        sort_complex_inputs,
        (("fnp.sort_complex(np.linspace(0.05,0.95,8))", 24),),
        "n·⌈log2 n⌉ with n = numel",
    ),
    _row(
        "lexsort",
        "sorting",
        "lexsort",
        lexsort_inputs,
        (
            ("fnp.lexsort([np.linspace(0.05,0.95,8), np.linspace(0.9,0.1,8)])", 48),
            ("fnp.lexsort(np.arange(24).reshape(3,8)%5)", 72),
        ),
        "one sort per key",
    ),
    _row(
        "partition",
        "sorting",
        "partition",
        partition_inputs,
        (
            (f"fnp.partition({_V8}, 3)", 8),
            (f"fnp.partition({_M68}, [1, 3])", 96),
        ),
        "one selection pass per kth value over every run",
        methods=("partition",),
        extra={"method_impl": {"partition": _in_place("partition")}},
    ),
    _row(
        "argpartition",
        "sorting",
        "partition",
        argpartition_inputs,
        (
            (f"fnp.argpartition({_V8}, 3)", 8),
            (f"fnp.argpartition({_M68}, 5, axis=None)", 48),
        ),
        "same cost as partition",
        methods=("argpartition",),
    ),
    _row(
        "searchsorted",
        "sorting",
        "search",
        searchsorted_inputs,
        (
            (f"fnp.searchsorted(np.linspace(0.,1.,8), {_T3})", 9),
            ("fnp.searchsorted(np.linspace(0.,1.,1000), np.linspace(0.05,0.95,10))", 100),
        ),
        "a binary search per query value",
        methods=("searchsorted",),
        array_api="searchsorted",
    ),
    _unique("unique", "n·⌈log2 n⌉ with n = numel(ar), whatever is returned"),
    _unique("unique_all", "n·⌈log2 n⌉", array_api="unique_all"),
    _unique("unique_counts", "n·⌈log2 n⌉", array_api="unique_counts"),
    _unique("unique_inverse", "n·⌈log2 n⌉", array_api="unique_inverse"),
    _unique("unique_values", "n·⌈log2 n⌉", array_api="unique_values"),
    _sets("isin", "a sort of both operands together", array_api="isin"),
    Op(
        "in1d",
        family="sets",
        kind="custom",
        formula="set_op",
        impl=getattr(np, "in1d", None),
        inputs=_in1d_inputs,
        examples=_in1d_example(),
        summary="removed in numpy 2.4 (use isin): refused before charging",
    ),
    _sets("union1d", "a sort of both operands together"),
    _sets("intersect1d", "a sort of both operands together"),
    _sets("setdiff1d", "a sort of both operands together"),
    _sets("setxor1d", "a sort of both operands together"),
    _row(
        "histogram",
        "histogram",
        "histogram",
        histogram_inputs,
        (
            (f"fnp.histogram({_V8}, bins=4)", 16),
            (f"fnp.histogram({_V8})", 32),
            (f"fnp.histogram({_V8}, bins=np.linspace(0.,1.,5))", 24),
            (f"fnp.histogram({_V8}, bins='auto')", 8),
        ),
        "a binary search of the bins per point; a bin rule ('auto'...) one pass",
    ),
    _row(
        "histogram2d",
        "histogram",
        "histogram",
        histogram2d_inputs,
        ((f"fnp.histogram2d({_V8}, np.linspace(0.9,0.1,8), bins=4)", 32),),
        "a binary search of each axis's bins per point",
    ),
    _row(
        "histogramdd",
        "histogram",
        "histogram",
        histogramdd_inputs,
        (
            ("fnp.histogramdd(np.arange(15.).reshape(5,3), bins=4)", 30),
            ("fnp.histogramdd(np.arange(15.).reshape(5,3), bins=[2, 3, 4])", 25),
        ),
        "a binary search of each axis's bins per point",
    ),
    _row(
        "histogram_bin_edges",
        "histogram",
        "numel_first",
        _guarded(np.histogram_bin_edges)(_first_shape),
        ((f"fnp.histogram_bin_edges({_V8}, bins=4)", 8),),
        "one pass over the data (range)",
    ),
    _row(
        "bincount",
        "histogram",
        "numel_first",
        _guarded(np.bincount)(_first_shape),
        (("fnp.bincount(np.array([0,1,1,3,2,1,7]))", 7),),
        "one increment per element",
    ),
    _row(
        "digitize",
        "histogram",
        "search",
        digitize_inputs,
        ((f"fnp.digitize({_V8}, np.linspace(0.,1.,8)[:4])", 16),),
        "a binary search of bins per element",
    ),
    _row(
        "interp",
        "histogram",
        "search",
        interp_inputs,
        ((f"fnp.interp({_T3}, np.linspace(0.,1.,8), {_V8})", 9),),
        "a binary search of xp per point",
    ),
)
