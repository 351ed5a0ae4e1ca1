"""Resolving a ``call`` request to a counted function, through the op table only.

No string sent by a client is ever used for attribute access: names go through
:func:`flopscope.ops.lookup`, ufunc methods through a fixed set, classes a client may
construct through :data:`CONSTRUCTORS`, and module-level random samplers are rebound to the
session's own ``RandomState`` so sessions never share a stream.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

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
    """``(row, function)`` for a call request; ``row`` is ``None`` for indexing and for the
    free constructors of :data:`CONSTRUCTORS`."""
    if type(name) is not str or type(module) is not str:
        raise ProtocolError("'op' and 'module' must be strings")
    ctor = CONSTRUCTORS.get((module, name))
    if ctor is not None:
        return None, ctor
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
