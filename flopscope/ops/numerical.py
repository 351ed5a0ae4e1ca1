"""Numerical custom ops: differences, integration, convolution, covariance, array editing,
bit packing, construction from callables/strings/files, and callback drivers.

Costs are 0.4.0's (spec §2.12, §1.8). Ops whose size is known from the arguments are
priced before they run; pure ops whose size is only known from the result (``delete``,
``trim_zeros``, ``packbits``, ``base_repr``...) run first and are charged afterwards (a
refused call discards the result). Ops that run user callbacks use a scratch ledger
(:mod:`flopscope.ops._speculate`) so a refused call leaves no trace, callbacks included.
"""

from __future__ import annotations

import functools
import math
import operator
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from flopscope.errors import FlopscopeError, UnsupportedFunctionError
from flopscope.ops._row import Example, Op
from flopscope.ops._speculate import committing, speculative, unwrap

_A = "np.linspace(0.1, 0.9, 12).reshape(3, 4)"
_V8 = "np.linspace(0.05, 0.95, 8)"
_NUMPY = tuple(int(p) for p in np.__version__.split(".")[:2])


def _ex(call: str, flops: int, setup: str | None = None) -> tuple[Example, ...]:
    return (Example(call, flops, setup),)


def _shape(a: Any) -> tuple[int, ...]:
    shape = getattr(a, "shape", None)
    return tuple(shape) if shape is not None else np.shape(a)


def _size(a: Any) -> int:
    return math.prod(_shape(a))


def _native(impl: Callable[..., Any]) -> Callable[[Callable[..., tuple]], Callable[..., tuple]]:
    """Pricing that fails on bad arguments raises numpy's own exception for them (numpy is
    run on the arguments only then, before anything is charged)."""

    def deco(inputs: Callable[..., tuple]) -> Callable[..., tuple]:
        @functools.wraps(inputs)
        def priced(*args: Any, **kwargs: Any) -> tuple:
            try:
                return inputs(*args, **kwargs)
            except FlopscopeError:
                raise
            except Exception as exc:
                from flopscope.numpy._factory import native_error

                native_error(impl, args, kwargs, exc)
                raise  # unreachable: native_error always raises

        return priced

    return deco


def _wrap(r: Any) -> Any:
    from flopscope.numpy._factory import wrap

    return wrap(r)


def _wrap_matrix(r: Any) -> Any:
    """``bmat`` builds an ``np.matrix``; counted results are ``fnp.ndarray`` (DIFFERENCES 8)."""
    from flopscope.numpy._ndarray import FlopscopeArray

    return np.asarray(r).view(FlopscopeArray)


def _bmat(obj: Any, ldict: Any = None, gdict: Any = None) -> Any:
    """``np.bmat`` reads names of the string form from its caller's frame: that must be the
    user's frame, not this wrapper's."""
    if isinstance(obj, str) and gdict is None:
        frame = sys._getframe(1)
        while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(
            "flopscope."
        ):
            frame = frame.f_back
        ldict, gdict = frame.f_locals, frame.f_globals
    return np.bmat(obj, ldict, gdict)


# -- pricing from the arguments ------------------------------------------------------------


@_native(np.diff)
def _diff(a: Any, n: Any = 1, axis: Any = -1, prepend: Any = None, append: Any = None) -> tuple:
    n = operator.index(n)
    if n == 0:
        return (_shape(a), 0, None)
    if n < 0:
        raise ValueError("order must be non-negative")
    shape = _shape(a)
    if not shape:
        raise ValueError("diff requires input that is at least one dimensional")
    return (shape, n, normalize_axis_index(axis, len(shape)))


@_native(np.gradient)
def _gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: Any = 1) -> tuple:
    shape = _shape(f)
    if axis is None:
        return (shape, tuple(range(len(shape))))
    return (shape, normalize_axis_tuple(axis, len(shape)))


@_native(np.ediff1d)
def _ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> tuple:
    begin = 0 if to_begin is None else _size(to_begin)
    end = 0 if to_end is None else _size(to_end)
    return (_size(ary), begin, end)


def _convolve_inputs(impl: Callable[..., Any]) -> Callable[..., tuple]:
    @_native(impl)
    def inputs(a: Any, v: Any, mode: Any = None) -> tuple:
        sa, sv = _shape(a), _shape(v)
        if len(sa) > 1 or len(sv) > 1 or not math.prod(sa) or not math.prod(sv):
            raise ValueError("convolve and correlate take non-empty 1-D inputs")
        return (math.prod(sa), math.prod(sv))

    return inputs


def _features(m: Any) -> tuple[int, int]:
    """(variables, observations) of ``m`` as 0.4.0 reads it: rows × columns, ``rowvar``
    ignored; a 0-d or 1-D input is one variable."""
    shape = _shape(m)
    if len(shape) > 2:
        raise ValueError("m has more than 2 dimensions")
    if len(shape) == 2:
        return shape
    return 1, math.prod(shape)


def _cov_inputs(impl: Callable[..., Any]) -> Callable[..., tuple]:
    @_native(impl)
    def inputs(m: Any, y: Any = None, *args: Any, **kwargs: Any) -> tuple:
        f, s = _features(m)
        if y is not None:
            f += _features(y)[0]
        return (f, s)

    return inputs


def _numel(a: Any, *args: Any, **kwargs: Any) -> tuple:
    return (_size(a),)


def _trapz(y: Any, *args: Any, **kwargs: Any) -> tuple:
    if _NUMPY >= (2, 4):
        raise UnsupportedFunctionError("trapz", max_version="2.4", replacement="trapezoid")
    return (_size(y),)


# on numpy >= 2.4 the example shows the refusal (nothing charged)
_TRAPZ_EXAMPLE = (
    _ex(
        "refusal(lambda: fnp.trapz(np.linspace(0.05, 0.95, 8)))",
        0,
        "def refusal(f):\n"
        "    try:\n        f()\n"
        "    except flops.UnsupportedFunctionError as e:\n        return str(e)",
    )
    if _NUMPY >= (2, 4)
    else _ex("fnp.trapz(np.linspace(0.05, 0.95, 8))", 8)
)


def _call_trapz(*args: Any, **kwargs: Any) -> Any:
    return np.trapz(*args, **kwargs)  # type: ignore[attr-defined]  # numpy < 2.4 only


@_native(np.insert)
def _insert(arr: Any, obj: Any, values: Any, axis: Any = None) -> tuple:
    return (_size(values),)


@_native(np.append)
def _append(arr: Any, values: Any, axis: Any = None) -> tuple:
    return (_size(values),)


@_native(np.resize)
def _resize(a: Any, new_shape: Any) -> tuple:
    dims = (new_shape,) if isinstance(new_shape, (int, np.integer)) else tuple(new_shape)
    dims = tuple(operator.index(d) for d in dims)
    if any(d < 0 for d in dims):
        raise ValueError("all elements of `new_shape` must be non-negative")
    return (math.prod(dims),)


@_native(np.unstack)
def _unstack(x: Any, *, axis: Any = 0) -> tuple:
    shape = _shape(x)
    if not shape:
        raise ValueError("Input array must be at least 1-d.")
    normalize_axis_index(axis, len(shape))
    return (math.prod(shape),)


@_native(np.meshgrid)
def _meshgrid(*xi: Any, copy: Any = True, sparse: Any = False, indexing: Any = "xy") -> tuple:
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    return tuple(_size(x) for x in xi)


@_native(np.vander)
def _vander(x: Any, N: Any = None, increasing: Any = False) -> tuple:
    shape = _shape(x)
    if len(shape) != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    return (shape[0], shape[0] if N is None else operator.index(N))


@_native(np.asarray_chkfinite)
def _chkfinite(a: Any, *args: Any, **kwargs: Any) -> tuple:
    return (_size(a),)


# -- pricing from the result ---------------------------------------------------------------


def _out_size(result: Any, args: tuple, kwargs: dict) -> tuple:
    return (int(np.size(result)),)


def _removed(first: str) -> Callable[[Any, tuple, dict], tuple]:
    """Elements the op dropped: numel(input) − numel(result)."""

    def price(result: Any, args: tuple, kwargs: dict) -> tuple:
        src = args[0] if args else kwargs[first]
        return (_size(src) - int(np.size(result)),)

    return price


def _str_len(result: Any, args: tuple, kwargs: dict) -> tuple:
    return (len(result),)


def _piecewise_size(result: Any, args: tuple, kwargs: dict) -> tuple:
    return (_size(args[0] if args else kwargs["x"]),)


# -- rows ----------------------------------------------------------------------------------


def _row(
    name: str,
    formula: str,
    summary: str,
    examples: tuple[Example, ...],
    *,
    weight: float = 1.0,
    family: str = "custom",
    **kw: Any,
) -> Op:
    kw.setdefault("impl", getattr(np, name, None))
    return Op(
        name,
        family=family,
        kind="custom",
        formula=formula,
        weight=weight,
        examples=examples,
        summary=summary,
        **kw,
    )


def _post(price: Callable[[Any, tuple, dict], tuple], **extra: Any) -> dict[str, Any]:
    return {"price_result": price, **extra}


def _callback(name: str, price: Callable[[Any, tuple, dict], tuple]) -> dict[str, Any]:
    """Row fields of an op that runs user callbacks (scratch ledger, committed if it fits)."""
    return {
        "execute": speculative(getattr(np, name)),
        "extra": {"price_result": committing(name, price), "wrap": unwrap(_wrap)},
    }


OPS: tuple[Op, ...] = (
    _row(
        "diff",
        "diff",
        "prod(other axes)·(n·L − n(n+1)/2); prepend/append not counted",
        _ex(f"fnp.diff({_A})", 9),
        inputs=_diff,
        array_api="diff",
    ),
    _row(
        "gradient",
        "gradient",
        "Σ over axes of ⌊2·size·max(L−2, 0)/L⌋",
        _ex(f"fnp.gradient({_V8})", 12),
        inputs=_gradient,
    ),
    _row(
        "ediff1d",
        "ediff1d",
        "numel − 1 + len(to_begin) + len(to_end)",
        _ex(f"fnp.ediff1d({_V8})", 7),
        inputs=_ediff1d,
    ),
    _row(
        "convolve",
        "convolve",
        "2·|a|·|v| − |a| − |v|, any mode",
        _ex(f"fnp.convolve({_V8}, np.array([0.3, 0.2, 0.8, 0.5]))", 52),
        inputs=_convolve_inputs(np.convolve),
    ),
    _row(
        "correlate",
        "convolve",
        "2·|a|·|v| − |a| − |v|, any mode",
        _ex(f"fnp.correlate({_V8}, np.array([0.3, 0.2, 0.8, 0.5]))", 52),
        inputs=_convolve_inputs(np.correlate),
    ),
    _row(
        "cov",
        "cov",
        "2·f²·s for f variables (rows, y's rows added) and s observations",
        _ex(f"fnp.cov({_A})", 72),
        inputs=_cov_inputs(np.cov),
    ),
    _row(
        "corrcoef",
        "cov",
        "2·f²·s for f variables (rows, y's rows added) and s observations",
        _ex(f"fnp.corrcoef({_A})", 72),
        inputs=_cov_inputs(np.corrcoef),
    ),
    _row("trapezoid", "count", "numel(y)", _ex(f"fnp.trapezoid({_V8})", 8), inputs=_numel),
    _row(
        "trapz",
        "count",
        "numel(y); removed in numpy 2.4 (raises UnsupportedFunctionError there)",
        _TRAPZ_EXAMPLE,
        inputs=_trapz,
        impl=_call_trapz,
    ),
    _row(
        "delete",
        "count0",
        "elements removed",
        _ex(f"fnp.delete({_V8}, [0, 1, 2])", 3),
        extra=_post(_removed("arr")),
    ),
    _row(
        "insert",
        "count",
        "numel(values) as passed",
        _ex(f"fnp.insert({_V8}, 1, [5.0, 6.0])", 8),
        weight=4.0,
        inputs=_insert,
    ),
    _row(
        "append",
        "count0",
        "numel(values)",
        _ex(f"fnp.append({_V8}, [5.0, 6.0, 7.0])", 3),
        inputs=_append,
    ),
    _row(
        "resize",
        "count0",
        "numel(output)",
        _ex("fnp.resize(np.array([0.1, 0.5, 0.9]), (2, 3))", 6),
        inputs=_resize,
    ),
    _row(
        "trim_zeros",
        "count0",
        "elements trimmed",
        _ex("fnp.trim_zeros(np.array([0.0, 0.0, 1.0, 2.0, 0.0]))", 12),
        weight=4.0,
        extra=_post(_removed("filt")),
    ),
    _row(
        "unstack",
        "count",
        "numel(x)",
        _ex(f"fnp.unstack({_A})", 12),
        inputs=_unstack,
        array_api="unstack",
    ),
    _row(
        "bmat",
        "count0",
        "numel(output); returns fnp.ndarray, not np.matrix",
        _ex("fnp.bmat([[np.arange(16.0).reshape(4, 4), np.arange(16.0).reshape(4, 4)]])", 128),
        weight=4.0,
        execute=_bmat,
        extra=_post(_out_size, wrap=_wrap_matrix),
    ),
    _row(
        "meshgrid",
        "meshgrid",
        "prod(len(xᵢ)) × number of inputs",
        _ex("fnp.meshgrid(np.array([0.1, 0.5, 0.9]), np.array([0.1, 0.4, 0.6, 0.9]))", 24),
        inputs=_meshgrid,
        array_api="meshgrid",
    ),
    _row(
        "vander",
        "vander",
        "len(x)·(N − 1)",
        _ex("fnp.vander(np.array([0.1, 0.4, 0.6, 0.9]), 5)", 16),
        inputs=_vander,
    ),
    _row(
        "packbits",
        "count0",
        "numel(output)",
        _ex("fnp.packbits(np.ones(16, dtype=np.uint8))", 2),
        extra=_post(_out_size),
    ),
    _row(
        "unpackbits",
        "count0",
        "numel(output)",
        _ex("fnp.unpackbits(np.array([3, 200], dtype=np.uint8))", 16),
        extra=_post(_out_size),
    ),
    _row(
        "fromfunction",
        "count0",
        "numel(output); the function's own counted calls bill on their own",
        _ex("fnp.fromfunction(lambda i, j: i + j, (3, 4))", 12),
        **_callback("fromfunction", _out_size),
    ),
    _row(
        "fromiter",
        "count0",
        "numel(output); the iterable is consumed even when the call is refused",
        _ex("fnp.fromiter(range(12), dtype=float)", 192),
        weight=16.0,
        extra=_post(_out_size),
    ),
    _row(
        "asarray_chkfinite",
        "count0",
        "numel(a)",
        _ex(f"fnp.asarray_chkfinite({_A})", 12),
        inputs=_chkfinite,
    ),
    _row(
        "piecewise",
        "count0",
        "numel(x); the piece functions' counted calls bill on their own",
        _ex(f"fnp.piecewise({_V8}, [{_V8} < 0.5], [0.0, 1.0])", 32),
        weight=4.0,
        **_callback("piecewise", _piecewise_size),
    ),
    _row(
        "apply_along_axis",
        "count0",
        "numel(output); the callback's counted calls bill on their own",
        _ex(f"fnp.apply_along_axis(lambda r: r * 2, 1, {_A})", 48),
        weight=4.0,
        **_callback("apply_along_axis", _out_size),
    ),
    _row(
        "apply_over_axes",
        "count0",
        "numel(output); the function's counted calls bill on their own",
        _ex(f"fnp.apply_over_axes(np.sum, {_A}, [0])", 4),
        **_callback("apply_over_axes", _out_size),
    ),
    # registry-"blacklisted" in 0.4.0 but exported and counted (spec §1.8)
    _row(
        "fromstring",
        "count0",
        "numel(output)",
        _ex("fnp.fromstring('1 2 3 4', sep=' ')", 4),
        family="blocked",
        extra=_post(_out_size),
    ),
    _row(
        "fromfile",
        "count0",
        "numel(output); reads the file even when the call is refused",
        _ex(
            "fnp.fromfile(p)",
            3,
            "import os, tempfile; p = os.path.join(tempfile.mkdtemp(), 'a.bin'); "
            "np.arange(3.0).tofile(p)",
        ),
        family="blocked",
        extra=_post(_out_size),
    ),
    _row(
        "fromregex",
        "count0",
        "numel(output) (records); reads the file even when the call is refused",
        _ex(
            "fnp.fromregex(s, r'(\\d+)', [('num', np.int64)])",
            4,
            "import io; s = io.StringIO('1 2 3 45')",
        ),
        family="blocked",
        extra=_post(_out_size),
    ),
    _row(
        "base_repr",
        "count0",
        "length of the returned string",
        _ex("fnp.base_repr(255, 16)", 2),
        family="blocked",
        extra=_post(_str_len),
    ),
    _row(
        "binary_repr",
        "count0",
        "length of the returned string",
        _ex("fnp.binary_repr(10)", 4),
        family="blocked",
        extra=_post(_str_len),
    ),
)
