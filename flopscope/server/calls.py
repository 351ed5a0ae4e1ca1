"""Resolving a ``call`` request to a counted function, through the op table only.

No string sent by a client is ever used for attribute access: names go through
:func:`flopscope.ops.lookup`, ufunc methods through a fixed set, classes a client may
construct through :data:`CONSTRUCTORS`, cost helpers through :data:`COST_HELPERS`, and
module-level random samplers are rebound to the session's own ``RandomState`` so sessions
never share a stream.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

import numpy as np

from flopscope._budget import active_or_none
from flopscope.numpy._factory import build
from flopscope.ops import Op, lookup
from flopscope.server.codec import ProtocolError

#: rows that would touch the server's files; served in-process, never remotely
DENIED = frozenset({"fromfile", "fromregex", "load", "loadtxt", "genfromtxt", "memmap"})
#: ``np.<ufunc>.<method>`` methods served under module "ufunc"
UFUNC_METHODS = frozenset({"reduce", "accumulate", "outer", "reduceat", "at"})
#: module-level random names that numpy implements as module functions of the global state
_RANDOM_RENAMES = {"ranf": "random_sample", "sample": "random_sample"}

GETITEM, SETITEM = "__getitem__", "__setitem__"


def _random_state(*args: Any, **kwargs: Any) -> Any:
    """A counted ``RandomState`` with its own stream (never the session's module-level one);
    numpy validates the arguments and raises its own errors."""
    from flopscope.numpy.random import RandomState

    return RandomState(*args, **kwargs)


#: the classes a client may construct, keyed by ``(protocol module, name)``: the only names
#: besides op rows that a ``call`` resolves. Constructing one is free and logs nothing, as
#: in-process; the object stays on the server as an opaque handle, and its counted methods
#: are the rows of module ``"<module>.<name>"`` called with that handle as first argument.
CONSTRUCTORS: dict[tuple[str, str], Callable[..., Any]] = {
    ("random", "RandomState"): _random_state,
}


#: protocol module of the cost helpers (:data:`COST_HELPERS`)
ACCOUNTING = "accounting"


def _public_cost_helpers() -> dict[str, Callable[..., Any]]:
    """The full package's public cost helpers by name: every public ``*_cost`` callable of
    ``flopscope.accounting`` and of ``flopscope`` (the top-level ones are accounting's own
    functions). Names come from the ``__all__`` lists, never from a client."""
    import flopscope
    from flopscope import accounting

    found: dict[str, Callable[..., Any]] = {}
    for module in (accounting, flopscope):
        for name in module.__all__:
            fn = getattr(module, name)
            if name.endswith("_cost") and callable(fn) and not isinstance(fn, type):
                if found.setdefault(name, fn) is not fn:
                    raise RuntimeError(f"two public cost helpers are named {name!r}")
    return found


def _wire_value(value: Any) -> Any:
    """A helper's result in a form that travels: a dataclass (``AccumulationCost``, its
    ``ComponentCost``/``RegimeStep`` parts) becomes a map of its fields and public
    properties (``savings_ratio``); numpy scalars become Python numbers; ints, strings,
    tuples and lists travel as they are."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _wire_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, attr in vars(type(value)).items():
            if isinstance(attr, property) and not name.startswith("_"):
                out[name] = _wire_value(getattr(value, name))
        return out
    if isinstance(value, tuple):
        return tuple(_wire_value(v) for v in value)
    if isinstance(value, list):
        return [_wire_value(v) for v in value]
    if isinstance(value, np.generic):  # a count, never an array handle
        return value.item()
    return value


def _cost_helper(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` as served: without ``cost_model=`` it prices under the session's model (the
    active context's, which the operator sets), the model a call of the session is billed
    under; the result is made to travel (:func:`_wire_value`)."""
    sig = inspect.signature(fn)
    takes_model = "cost_model" in sig.parameters

    @wraps(fn)  # keeps the signature: the server reads dtype slots from it
    def served(*args: Any, **kwargs: Any) -> Any:
        ctx = active_or_none()
        if takes_model and ctx is not None and kwargs.get("cost_model") is None:
            try:
                sig.bind(*args, **kwargs)
            except TypeError:  # Python's own message for the call as sent, not ours
                return fn(*args, **kwargs)
            kwargs["cost_model"] = ctx.cost_model
        return _wire_value(fn(*args, **kwargs))

    return served


#: the cost helpers a client may call, keyed by ``(protocol module, name)``: pure functions
#: of shapes, subscripts, op names (and, for the accumulation helpers, arrays) that return a
#: FLOP count. They run no op: nothing is charged or logged.
COST_HELPERS: dict[tuple[str, str], Callable[..., Any]] = {
    (ACCOUNTING, name): _cost_helper(fn) for name, fn in sorted(_public_cost_helpers().items())
}


def getitem(a: Any, key: Any) -> Any:
    if not isinstance(a, np.ndarray):
        raise TypeError(f"'{type(a).__name__}' object is not subscriptable")
    return a[key]


def _setitem(a: Any, key: Any, value: Any) -> None:
    if not isinstance(a, np.ndarray):
        raise TypeError(f"'{type(a).__name__}' object does not support item assignment")
    a[key] = value


def _ufunc_method(ufunc: np.ufunc, method: str, *args: Any, **kwargs: Any) -> Any:
    from flopscope.numpy._protocol import route_ufunc

    result = route_ufunc(ufunc, method, args, kwargs)
    if result is NotImplemented:
        raise TypeError(f"{ufunc.__name__}.{method} is not supported with these arguments")
    return result


class RandomRows:
    """Counted module-level samplers bound to one session's ``RandomState`` (built lazily)."""

    def __init__(self, seed: int | None = None) -> None:
        self.state = np.random.RandomState(seed)
        self._fns: dict[str, Callable[..., Any]] = {}

    def function(self, op: Op) -> Callable[..., Any]:
        fn = self._fns.get(op.name)
        if fn is None:
            short = op.name.rsplit(".", 1)[-1]
            impl = getattr(self.state, _RANDOM_RENAMES.get(short, short), None)
            if impl is None:  # default_rng and friends use no global state
                fn = build(op)
            else:
                fn = build.__wrapped__(dataclasses.replace(op, impl=impl))
            self._fns[op.name] = fn
        return fn


class ErrorState:
    """numpy's floating-point error handling of one session (``seterr``/``geterr``): the
    process's own state is shared by every session the dispatcher thread serves, so it is
    never changed; each op of the session runs under ``np.errstate(**settings)`` instead."""

    def __init__(self) -> None:
        self.settings: dict[str, str] | None = None  # None: numpy's defaults

    def geterr(self) -> dict[str, str]:
        with np.errstate(**(self.settings or {})):
            return np.geterr()

    def seterr(self, **changes: Any) -> dict[str, str]:
        old = self.geterr()
        with np.errstate(**old), np.errstate(**changes):  # numpy validates and expands
            self.settings = np.geterr()
        return old


def resolve(
    name: Any, module: Any, ufunc: Any, rows: RandomRows, errors: ErrorState
) -> tuple[Op | None, Callable[..., Any]]:
    """``(row, function)`` for a call request; ``row`` is ``None`` for indexing, for the
    free constructors of :data:`CONSTRUCTORS` and for the cost helpers of
    :data:`COST_HELPERS`."""
    if type(name) is not str or type(module) is not str:
        raise ProtocolError("'op' and 'module' must be strings")
    ctor = CONSTRUCTORS.get((module, name)) or COST_HELPERS.get((module, name))
    if ctor is not None:
        return None, ctor
    if module == ACCOUNTING:
        raise ProtocolError(f"unknown cost helper {name!r} in flopscope.accounting")
    if module == "":
        if name == GETITEM:
            return None, getitem
        if name == SETITEM:
            return None, _setitem
    if module == "ufunc":
        row = lookup(ufunc) if type(ufunc) is str else None
        if row is None or row.kind != "ufunc" or name not in UFUNC_METHODS:
            raise ProtocolError(f"unknown ufunc method {ufunc!r}.{name!r}")
        return lookup(name, "ufunc"), partial(_ufunc_method, row.impl, name)
    op = lookup(name, module)
    if op is None:
        where = f"flopscope.numpy.{module}" if module else "flopscope.numpy"
        raise ProtocolError(f"unknown op {name!r} in {where}")
    if op.name in DENIED:
        raise PermissionError(f"{op.name} reads files on the server; it is not served remotely")
    if op.module == "random":
        return op, rows.function(op)
    if op.name == "seterr":
        return op, errors.seterr
    if op.name == "geterr":
        return op, errors.geterr
    return op, build(op)
