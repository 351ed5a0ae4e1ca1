"""Builds the counted ``fnp`` function of an op row.

Every wrapper follows the same one-way flow: extract the analytical inputs (shapes and
arguments, never data) → charge the active budget (raises before anything runs) → strip
``FlopscopeArray`` inputs to plain ndarrays and call numpy → refund if numpy raised → wrap
array results as ``FlopscopeArray``. One builder per row kind; ufunc rows and
reductions get a generated fast path in front (:mod:`flopscope.numpy._ufunc_fast`).
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from time import perf_counter
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from flopscope import _config
from flopscope._budget import _ACTIVE, default_context
from flopscope.errors import nan_inf_warning
from flopscope.numpy import _symcall, _ufunc_fast
from flopscope.numpy._ndarray import FlopscopeArray
from flopscope.numpy._symmetric import SymmetricTensor
from flopscope.ops import Op

_ndarray = np.ndarray
_generic = np.generic
_SCALARS = (int, float, complex, bool)


# -- argument and result conversion ------------------------------------------------------


def shape_of(x: Any) -> tuple[int, ...]:
    """Shape of anything numpy would treat as an array (Python scalars are 0-d)."""
    if isinstance(x, _ndarray):
        return x.shape
    if type(x) in _SCALARS or x is None:
        return ()
    return np.shape(x)


def strip(x: Any) -> Any:
    """Plain-ndarray view of a ``FlopscopeArray``; nested lists/tuples are stripped too, so
    numpy never re-dispatches to ``__array_function__`` from inside a wrapper
    (``fnp.block([[a, b]])`` would recurse otherwise)."""
    if isinstance(x, FlopscopeArray):
        return x.view(_ndarray)
    if type(x) is list or type(x) is tuple:
        for e in x:
            if isinstance(e, FlopscopeArray) or type(e) is list or type(e) is tuple:
                return type(x)(strip(e) for e in x)
    return x


def strip_all(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    if kwargs:
        kwargs = {k: strip(v) for k, v in kwargs.items()}
    return tuple(map(strip, args)), kwargs


def wrap(r: Any) -> Any:
    """Results of counted ops are ``FlopscopeArray`` (numpy scalars become 0-d arrays)."""
    t = type(r)
    if t is _ndarray:
        return r.view(FlopscopeArray)
    if isinstance(r, _generic):
        return np.asarray(r).view(FlopscopeArray)
    if isinstance(r, tuple):
        items = [wrap(e) for e in r]
        return t(*items) if hasattr(r, "_fields") else t(items)
    if t is list:
        return [wrap(e) for e in r]
    return r


def wrap_free(r: Any) -> Any:
    """Results of free ops: arrays become ``FlopscopeArray``, everything else is untouched."""
    t = type(r)
    if t is _ndarray:
        return r.view(FlopscopeArray)
    if isinstance(r, tuple):
        items = [wrap_free(e) for e in r]
        return t(*items) if hasattr(r, "_fields") else t(items)
    if t is list:
        return [wrap_free(e) for e in r]
    return r


def _out_arg(out: Any) -> tuple[Any, Any]:
    """(what numpy gets, what the caller gets back) for an ``out=`` argument."""
    if out is None:
        return None, None
    if isinstance(out, tuple):
        return tuple(strip(o) for o in out), (out[0] if len(out) == 1 else out)
    return strip(out), out


def normalize_axis(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """Sorted, non-negative axis tuple (numpy's ``AxisError`` for bad axes)."""
    if axis is None:
        return None
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        if ndim == 0 and axis in (0, -1):
            return None  # numpy's ufunc reductions accept axis 0 / -1 on 0-d input
        return normalize_axis_tuple(int(axis), ndim)
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def native_error(fn: Callable[..., Any], args: tuple, kwargs: dict, exc: BaseException) -> None:
    """Pricing rejected the arguments: raise numpy's own error for them (bad input raises
    the exception numpy raises; ``argmax(a, axis=(0,))`` is a TypeError, not an AxisError),
    or ``exc`` if numpy accepts them. Nothing has been charged at this point."""
    args, kwargs = strip_all(args, kwargs)
    try:
        fn(*args, **kwargs)
    except Exception as native:
        raise native from None
    raise exc


# -- the NaN/Inf output scan (``flops.configure(check_nan_inf=True)``) ----------------------

#: mirrors the ``check_nan_inf`` setting; a module global so that the hot path pays one
#: global load and a branch when the scan is off
_CHECK_NAN_INF = False


def _set_check_nan_inf(value: bool) -> None:
    global _CHECK_NAN_INF
    _CHECK_NAN_INF = value
    _ufunc_fast.set_check_nan_inf(value)


_config.on_change("check_nan_inf", _set_check_nan_inf)


def scan_nan_inf(name: str, result: Any) -> None:
    """Warn if the floating arrays in ``result`` hold NaN or Inf (never charged: the scan
    is a debugging aid, not part of the computation)."""
    if isinstance(result, (tuple, list)):
        for r in result:
            scan_nan_inf(name, r)
        return
    if not isinstance(result, (_ndarray, _generic)) or result.dtype.kind not in "fc":
        return
    a = result.view(_ndarray) if isinstance(result, _ndarray) else np.asarray(result)
    if np.isfinite(a).all():
        return
    n_nan = int(np.count_nonzero(np.isnan(a)))
    n_inf = int(np.count_nonzero(np.isinf(a)))
    warnings.warn(nan_inf_warning(name, n_nan, n_inf, a.shape), stacklevel=_user_level())


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _user_level() -> int:
    """``stacklevel`` (seen from the caller) of the first frame outside flopscope, so the
    warning points at the user's line whichever wrapper (function, dunder) ran the op."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level


# -- the charge/run/refund core -----------------------------------------------------------


def run_counted(
    op: Op,
    inputs: tuple,
    fn: Callable[..., Any],
    args: tuple,
    kwargs: dict,
    t0: float,
    name: str | None = None,
) -> Any:
    """Charge ``op`` for ``inputs``, then run ``fn`` on stripped args; refund on failure."""
    args, kwargs = strip_all(args, kwargs)
    result = (_ACTIVE.get() or default_context()).call(op, inputs, fn, args, kwargs, t0, name)
    if _CHECK_NAN_INF:
        scan_nan_inf(name or op.name, result)
    return result


def run_priced_after(
    op: Op,
    price: Callable[[Any, tuple, dict], tuple],
    fn: Callable[..., Any],
    args: tuple,
    kwargs: dict,
    t0: float,
) -> Any:
    """For side-effect-free ops whose size is only known from the result (``arange``,
    ``tile``...): run on the arguments, price from the result, then charge. A refused call
    discards the result, so it leaves no trace."""
    sargs, skwargs = strip_all(args, kwargs)
    t1 = perf_counter()
    result = fn(*sargs, **skwargs)
    t2 = perf_counter()
    (_ACTIVE.get() or default_context()).settle(op, price(result, args, kwargs), t0, t1, t2)
    if _CHECK_NAN_INF:
        scan_nan_inf(op.name, result)
    return result


def _undispatched(fn: Any) -> Any:
    """numpy's implementation without the ``__array_function__`` dispatch step: wrappers pass
    plain ndarrays only (see ``strip``), so dispatching would find nothing and cost ~0.7 µs.
    Used for reductions only, whose dispatchers do no argument checking of their own."""
    return getattr(fn, "_implementation", fn)


# -- builders, one per kind ---------------------------------------------------------------


# The common ufunc calls take the generated fast path (flopscope.numpy._ufunc_fast); the
# functions below are the general path behind it: keywords, ``out=``, lists, symmetric
# operands, the NaN/Inf scan.


def _plain(x: Any) -> tuple[Any, tuple[int, ...]]:
    """(plain ndarray or the original object, shape) for a ufunc operand."""
    t = type(x)
    if t is _ndarray:
        return x, x.shape
    if isinstance(x, FlopscopeArray):
        return x.view(_ndarray), x.shape
    return x, shape_of(x)


def _wrap_ufunc_result(r: Any, multi: bool) -> Any:
    if multi:
        return tuple(e.view(FlopscopeArray) if type(e) is _ndarray else wrap(e) for e in r)
    return wrap(r)


def ufunc_result_wrapper(op: Op) -> Callable[[Any], Any]:
    """Wraps what a ufunc returned when it is not a single ndarray (scalars, tuples)."""
    multi = op.impl.nout > 1
    return lambda r: _wrap_ufunc_result(r, multi)


def _ufunc_call(op: Op, xs: tuple, out: Any, kwargs: dict) -> Any:
    """A counted ufunc call on operands ``xs`` (the general path)."""
    if SymmetricTensor in map(type, xs) or (out is not None and _symcall.is_symmetric_out(out)):
        return _symcall.ufunc_call(op, xs, out, kwargs)  # symmetry: its own path
    t0 = perf_counter()
    plain, shapes = zip(*map(_plain, xs))
    if out is not None:
        out, ret = _out_arg(out)
        kwargs["out"] = out
    r = run_counted(op, shapes, op.impl, plain, kwargs, t0)
    if out is not None:
        return ret
    return (
        r.view(FlopscopeArray) if type(r) is _ndarray else _wrap_ufunc_result(r, op.impl.nout > 1)
    )


def _ufunc1(op: Op) -> Callable[..., Any]:
    def fn(x: Any, /, out: Any = None, **kwargs: Any) -> Any:
        return _ufunc_call(op, (x,), out, kwargs)

    return fn


def _ufunc2(op: Op) -> Callable[..., Any]:
    def fn(x1: Any, x2: Any, /, out: Any = None, **kwargs: Any) -> Any:
        return _ufunc_call(op, (x1, x2), out, kwargs)

    return fn


def _elementwise(op: Op) -> Callable[..., Any]:
    nin = 1 if op.family == "pointwise-unary" else 2
    impl = op.impl
    symmetric = op.symmetry == "pointwise"

    def fn(*args: Any, **kwargs: Any) -> Any:
        if symmetric and (
            (args and type(args[0]) is SymmetricTensor)
            or (nin == 2 and len(args) > 1 and type(args[1]) is SymmetricTensor)
            or ("out" in kwargs and _symcall.is_symmetric_out(kwargs["out"]))
        ):
            return _symcall.pointwise_call(op, impl, args, nin, kwargs)  # the slow path
        t0 = perf_counter()
        inputs = tuple(shape_of(a) for a in args[:nin])
        if len(inputs) < nin:
            impl(*args, **kwargs)  # numpy's own TypeError for missing arguments
        out, ret = _out_arg(kwargs.get("out"))
        if out is not None:
            kwargs["out"] = out
        r = run_counted(op, inputs, impl, args, kwargs, t0)
        return ret if ret is not None else wrap(r)

    return fn


def _reduction(op: Op) -> Callable[..., Any]:
    impl = _undispatched(op.impl)
    pos = op.axis_pos

    def fn(a: Any, *args: Any, **kwargs: Any) -> Any:
        if type(a) is SymmetricTensor or (
            "out" in kwargs and _symcall.is_symmetric_out(kwargs["out"])
        ):
            return _symcall.reduction_call(op, a, args, kwargs)  # symmetry: the slow path
        t0 = perf_counter()
        s = a.shape if isinstance(a, _ndarray) else shape_of(a)
        if 0 < pos <= len(args):
            axis = args[pos - 1]
        else:
            axis = kwargs.get("axis")
        try:
            inputs = (s, normalize_axis(axis, len(s)))
        except Exception as exc:
            native_error(impl, (a, *args), kwargs, exc)
        out, ret = _out_arg(kwargs.get("out"))
        if out is not None:
            kwargs["out"] = out
        r = run_counted(op, inputs, impl, (a, *args), kwargs, t0)
        return ret if ret is not None else wrap(r)

    return fn


def _free(op: Op) -> Callable[..., Any]:
    impl = op.impl

    def fn(*args: Any, **kwargs: Any) -> Any:
        if args and type(args[0]) is SymmetricTensor:
            return _symcall.free_call(op, args, kwargs)  # propagates or drops the tag
        args, kwargs = strip_all(args, kwargs)
        return wrap_free(impl(*args, **kwargs))

    return _joining(op, fn)


def _joining(op: Op, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Rows that join a sequence of arrays (``concatenate([S, X])``) warn that the result
    keeps no symmetry; the check only runs for those rows."""
    if op.symmetry != "joins":
        return fn

    def joins(*args: Any, **kwargs: Any) -> Any:
        r = fn(*args, **kwargs)
        if args and _symcall.joins_symmetric(args[0]):
            _symcall.joined(op, args[0])
        return r

    return joins


def _logged(op: Op) -> Callable[..., Any]:
    impl = op.impl

    def fn(*args: Any, **kwargs: Any) -> Any:
        t0 = perf_counter()
        inputs = tuple(a.shape for a in args if isinstance(a, _ndarray))
        return wrap_free(run_counted(op, inputs, impl, args, kwargs, t0))

    return fn


def _custom(op: Op) -> Callable[..., Any]:
    impl = op.execute or op.impl
    pre = op.inputs
    post = op.extra.get("price_result")
    wrap_result = op.extra.get("wrap", wrap)
    # (result, inputs) -> result: contractions tag the output group their priced inputs imply
    wrap_priced = op.extra.get("wrap_priced")

    def fn(*args: Any, **kwargs: Any) -> Any:
        t0 = perf_counter()
        if pre is not None:
            inputs = pre(*args, **kwargs)  # sees the caller's objects (identity, out's tag)
            out, ret = _out_arg(kwargs.get("out"))
            if out is not None:
                kwargs["out"] = out
            r = run_counted(op, inputs, impl, args, kwargs, t0)
            if ret is not None:
                return ret
            return wrap_priced(r, inputs) if wrap_priced is not None else wrap_result(r)
        return wrap_result(run_priced_after(op, post, impl, args, kwargs, t0))

    if op.symmetry in _SYMMETRY_OWN_PATH:
        return fn
    if op.symmetry == "joins":
        return _joining(op, fn)

    def checked(*args: Any, **kwargs: Any) -> Any:
        if args and type(args[0]) is SymmetricTensor:
            return _symcall.custom_call(op, args, kwargs, fn)  # propagates, drops or untags
        return fn(*args, **kwargs)

    return checked


#: rows whose own code handles symmetric operands (contractions price and tag them)
_SYMMETRY_OWN_PATH = frozenset({"contraction"})


_BUILDERS: dict[str, Callable[[Op], Callable[..., Any]]] = {
    "elementwise": _elementwise,
    "reduction": _reduction,
    "free": _free,
    "logged": _logged,
    "custom": _custom,
}


@functools.cache
def build(op: Op) -> Callable[..., Any]:
    """The ``fnp`` function for ``op`` (built once per row)."""
    if op.kind == "ufunc":
        # the general function handles every call; the generated fast path in front of it
        # takes the common ones (see flopscope.numpy._ufunc_fast)
        general = (_ufunc1 if op.impl.nin == 1 else _ufunc2)(op)
        role = "call1" if op.impl.nin == 1 else "call2"
        fn = _ufunc_fast.fast_path(op, role, general, ufunc_result_wrapper(op))
    elif op.kind == "reduction":
        fn = _ufunc_fast.fast_path(op, "reduce", _reduction(op), wrap, _undispatched(op.impl))
    else:
        fn = _BUILDERS[op.kind](op)
    if op.symmetry.startswith("infer_"):  # constructors that know their result's symmetry
        from flopscope._symmetry.infer import with_inferred_symmetry

        fn = with_inferred_symmetry(op.name, op.symmetry, fn)
    short = op.name.rsplit(".", 1)[-1]
    fn.__name__ = fn.__qualname__ = short
    fn.__module__ = "flopscope.numpy" + (f".{op.module}" if op.module else "")
    fn.__doc__ = _docstring(op)
    fn.__wrapped_op__ = op  # type: ignore[attr-defined]
    return fn


def _docstring(op: Op) -> str:
    from flopscope.costs.formulas import FORMULAS

    formula = FORMULAS[op.formula].__doc__.strip().splitlines()[0] if op.formula else "free"
    lines = [
        f"Counted ``{op.name}`` ({op.family}).",
        "",
        f"Cost: {formula} Weight under the default model: {op.weight:g}.",
    ]
    if op.aliases:
        lines.append(f"Aliases (bill the same): {', '.join(op.aliases)}.")
    if op.summary:
        lines += ["", op.summary]
    return "\n".join(lines)
