"""Refusing unserved dtypes where numpy would read an argument as one.

A string such as ``"O"`` or ``"U8"`` is harmless as ``eigh``'s ``UPLO``, ``isscalar``'s
argument or einsum's subscripts, and dangerous only where numpy makes a dtype of it: an
object or string array would be created (and computed on) before its result is refused.
So values are checked where they bind to a dtype parameter of the op's numpy signature
(``dtype``, ``signature``, ...), by keyword or by position; an op whose signature cannot
be read has every string argument checked.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from flopscope.server.codec import ALLOWED_KINDS

#: parameter names numpy reads as a dtype
DTYPE_PARAMETERS = frozenset({"dtype", "rtype", "sctype", "signature"})
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@functools.lru_cache(maxsize=2048)
def dtype_positions(fn: Callable[..., Any]) -> tuple[tuple[int, ...], int] | None:
    """``(positions of fn's dtype parameters, index of its *args or -1)``; None when its
    signature cannot be read (then every string argument is checked). Strings passed
    through ``*args`` are checked too (``result_type(*arrays_and_dtypes)``)."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    var = next((i for i, p in enumerate(params) if p.kind is inspect.Parameter.VAR_POSITIONAL), -1)
    named = params if var < 0 else params[:var]
    positions = tuple(
        i for i, p in enumerate(named) if p.kind in _POSITIONAL and p.name in DTYPE_PARAMETERS
    )
    return positions, var


@functools.lru_cache(maxsize=4096)
def _refused_string(s: str) -> bool:
    try:
        return np.dtype(s).kind not in ALLOWED_KINDS
    except Exception:  # not a dtype spelling at all: numpy's own error, later
        return False


def _refused(value: Any) -> bool:
    if type(value) is str:
        return _refused_string(value)
    if isinstance(value, (list, tuple, dict)):  # [("a", "O")], signature=("O", "O", "O")
        try:
            return np.dtype(value).kind not in ALLOWED_KINDS
        except Exception:  # not one dtype: any unserved spelling inside is refused
            return any(_refused(v) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _refuse(value: Any) -> None:
    if _refused(value):
        raise TypeError(f"dtype {value!r} is not served (object/str/void dtypes)")


#: the slots of a function with no dtype parameter and no ``*args``
NO_SLOTS: tuple[tuple[int, ...], int] = ((), -1)


def slots(fn: Callable[..., Any]) -> tuple[tuple[int, ...], int] | None:
    """:func:`dtype_positions`, or None for a callable that cannot be cached."""
    try:
        return dtype_positions(fn)
    except TypeError:  # unhashable: judged as unreadable
        return None


def check(
    positions: tuple[tuple[int, ...], int] | None, args: list[Any], kwargs: dict[str, Any]
) -> None:
    """Raise ``TypeError`` if an argument in a dtype slot (``positions``, from
    :func:`slots`) or a dtype keyword names a dtype the server does not serve (before
    anything runs)."""
    if positions is None:
        for a in args:
            if type(a) is str:
                _refuse(a)
        for k, v in kwargs.items():
            if type(v) is str or k in DTYPE_PARAMETERS:
                _refuse(v)
        return
    at, var = positions
    for i in at:
        if i < len(args):
            _refuse(args[i])
    if var >= 0:
        for a in args[var:]:
            if type(a) is str:
                _refuse(a)
    for k in kwargs.keys() & DTYPE_PARAMETERS if kwargs else ():
        _refuse(kwargs[k])
