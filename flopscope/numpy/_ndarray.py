"""``FlopscopeArray`` (= ``fnp.ndarray``): an ``np.ndarray`` whose arithmetic is counted.

Operator dunders and computing methods are not written here: :func:`install` generates them
from the op table (each row names the dunders and methods it backs), so ``a + b`` and
``fnp.add(a, b)`` are the same function. numpy functions and ufuncs applied to these arrays
are routed through the same rows by :mod:`flopscope.numpy._protocol` (NEP 13 / NEP 18).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


class FlopscopeArray(np.ndarray):
    """A numpy array whose operators and methods are billed exactly like ``fnp`` calls."""

    __slots__ = ()

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        from flopscope.numpy._protocol import route_ufunc

        return route_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        from flopscope.numpy._protocol import route_function

        return route_function(func, types, args, kwargs)

    def __array_namespace__(self, *, api_version: str | None = None) -> Any:
        import flopscope

        return flopscope.namespace("numpy", api_version=api_version)


_PLAIN = {int, float, complex, bool, np.ndarray, FlopscopeArray}


def _defers(other: Any) -> bool:
    """numpy's binop rule: give way to operands that opt out of ufuncs."""
    t = type(other)
    return t not in _PLAIN and getattr(t, "__array_ufunc__", True) is None


_EQUALITY = ("__eq__", "__ne__")


def _equality(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``==`` / ``!=`` bill as ``equal`` / ``not_equal``; operands the ufunc cannot compare
    (``a == "x"``) get numpy's answer (all False / all True) without a charge, as nothing
    was compared."""
    plain = getattr(np.ndarray, name)

    def dunder(self: Any, other: Any) -> Any:
        if _defers(other):
            return NotImplemented
        try:
            return fn(self, other)
        except TypeError:
            if isinstance(other, FlopscopeArray):
                other = other.view(np.ndarray)
            r = plain(self.view(np.ndarray), other)
            return r.view(FlopscopeArray) if type(r) is np.ndarray else r

    return dunder


def _binary_dunders(names: tuple[str, ...], fn: Callable[..., Any]) -> dict[str, Any]:
    """(forward, reflected, in-place) dunders for a binary op, by position in ``names``."""
    made: dict[str, Any] = {}
    roles = ("forward", "reflected", "inplace")
    for role, name in zip(roles, names):
        if role == "forward" and name in _EQUALITY:
            made[name] = _equality(name, fn)
        elif role == "forward":

            def forward(self: Any, other: Any, _fn: Callable[..., Any] = fn) -> Any:
                if type(other) in _PLAIN or not _defers(other):
                    return _fn(self, other)
                return NotImplemented

            made[name] = forward
        elif role == "reflected":

            def reflected(self: Any, other: Any, _fn: Callable[..., Any] = fn) -> Any:
                if type(other) in _PLAIN or not _defers(other):
                    return _fn(other, self)
                return NotImplemented

            made[name] = reflected
        else:

            def inplace(self: Any, other: Any, _fn: Callable[..., Any] = fn) -> Any:
                return _fn(self, other, out=(self,))

            made[name] = inplace
    return made


def _unary_dunder(fn: Callable[..., Any]) -> Callable[..., Any]:
    def dunder(self: Any) -> Any:
        return fn(self)

    return dunder


def _method(fn: Callable[..., Any]) -> Callable[..., Any]:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)

    return method


#: methods 0.4.0 counts whose rows are not declared yet. numpy's inherited versions would
#: run them free (``take``, ``sort``...) or bill the wrong op (``trace`` as ``sum``), so
#: until a row names the method it raises instead of running uncounted.
PENDING_METHODS = {
    "trace": "fnp.trace",
    "clip": "fnp.clip",
    "take": "fnp.take",
    "searchsorted": "fnp.searchsorted",
    "compress": "fnp.compress",
    "argsort": "fnp.argsort",
    "argpartition": "fnp.argpartition",
    "sort": "fnp.sort",
    "partition": "fnp.partition",
}


def _pending(name: str) -> Callable[..., Any]:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"FlopscopeArray.{name}() is not counted yet ({PENDING_METHODS[name]} has no "
            f"cost row in this version); call numpy on a plain view, e.g. "
            f"a.view(numpy.ndarray).{name}(...), and charge it with budget.deduct(...)."
        )

    method.__name__ = name
    return method


def install(rows: Any, build: Callable[[Any], Callable[..., Any]]) -> None:
    """Attach the dunders and methods declared by ``rows`` to ``FlopscopeArray``."""
    rows = tuple(rows)
    declared = {name for op in rows for name in op.methods}
    for name in PENDING_METHODS.keys() - declared:
        setattr(FlopscopeArray, name, _pending(name))
    for op in rows:
        if not (op.dunders or op.methods):
            continue
        fn = build(op)
        if op.dunders:
            if len(op.dunders) == 1 and _is_unary(op):
                made = {op.dunders[0]: _unary_dunder(fn)}
            else:
                made = _binary_dunders(op.dunders, fn)
            if op.kind == "ufunc":
                made = _with_fast_paths(op, made)
            for name, impl in made.items():
                impl.__name__ = name
                setattr(FlopscopeArray, name, impl)
        for name in op.methods:
            custom = op.extra.get("method_impl", {}).get(name)
            m = custom(fn) if custom is not None else _method(fn)
            m.__name__ = name
            m.__doc__ = fn.__doc__
            setattr(FlopscopeArray, name, m)


def _with_fast_paths(op: Any, made: dict[str, Any]) -> dict[str, Any]:
    """Put the generated fast path in front of each operator dunder of a ufunc row (the
    full dunder stays behind it for the uncommon operands)."""
    from flopscope.numpy import _ufunc_fast
    from flopscope.numpy._factory import ufunc_result_wrapper

    wrap_result = ufunc_result_wrapper(op)
    roles = ("unary",) if len(made) == 1 and _is_unary(op) else ("forward", "reflected")
    out = dict(made)
    for role, name in zip(roles, op.dunders):  # the in-place dunder keeps its full path
        if name not in _EQUALITY:
            out[name] = _ufunc_fast.fast_path(op, role, made[name], wrap_result)
    return out


def _is_unary(op: Any) -> bool:
    if op.kind == "ufunc":
        return op.impl.nin == 1
    return op.family == "pointwise-unary"
