"""Exceptions of the flopscope client.

A server reply that carries an error is re-raised here under the class name the server
reported, so ``except flopscope.BudgetExhaustedError`` works the same against a server as
in-process. flopscope's own errors are defined below (they take the server's message as
is); Python builtins keep their builtin class; ``LinAlgError`` lives in
``flopscope.numpy.linalg``.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

__all__ = [
    "FlopscopeError",
    "BudgetExhaustedError",
    "TimeExhaustedError",
    "NoBudgetContextError",
    "SymmetryError",
    "UnsupportedFunctionError",
    "FlopscopeWarning",
    "SymmetryLossWarning",
    "CostFallbackWarning",
    "ProtocolError",
    "RemoteError",
    "LinAlgError",
    "from_reply",
]


class FlopscopeError(Exception):
    """Base class of every flopscope error."""

    def __init__(self, message: str = "", **fields: Any) -> None:
        # the server may send structured fields (op_name, flop_cost...): keep them as attributes
        for key, value in fields.items():
            setattr(self, key, value)
        super().__init__(message)


class BudgetExhaustedError(FlopscopeError):
    """An operation would cost more FLOPs than the session's budget has left."""


class TimeExhaustedError(FlopscopeError):
    """The wall-clock limit of the session's budget has passed."""


class NoBudgetContextError(FlopscopeError):
    """No budget is open for this session."""


class SymmetryError(FlopscopeError):
    """A tensor is not symmetric under the group it was declared with."""


class UnsupportedFunctionError(FlopscopeError):
    """A name of the full package that cannot run through the client."""


class ProtocolError(FlopscopeError):
    """The client and the server do not understand each other (version, message shape)."""


class RemoteError(FlopscopeError):
    """The server reported an exception class this client does not know."""

    def __init__(self, message: str = "", type_name: str = "", **fields: Any) -> None:
        self.type_name = type_name
        super().__init__(f"{type_name}: {message}" if type_name else message, **fields)


class FlopscopeWarning(UserWarning):
    """Base class of flopscope warnings."""


class SymmetryLossWarning(FlopscopeWarning):
    """An operation dropped a declared symmetry."""


class CostFallbackWarning(FlopscopeWarning):
    """A symmetry-aware cost was too large to compute; the dense cost was charged."""


class LinAlgError(ValueError):
    """numpy.linalg.LinAlgError raised on the server (a ValueError subclass, as in numpy)."""


_OWN: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (
        FlopscopeError,
        BudgetExhaustedError,
        TimeExhaustedError,
        NoBudgetContextError,
        SymmetryError,
        UnsupportedFunctionError,
        ProtocolError,
        LinAlgError,
    )
}


def from_reply(error: Any) -> Exception:
    """The exception a reply's ``error`` map stands for (unknown names: :class:`RemoteError`)."""
    if not isinstance(error, dict):
        return ProtocolError(f"malformed error in server reply: {error!r}")
    name = error.get("type")
    message = error.get("message", "")
    if not isinstance(name, str) or not isinstance(message, str):
        return ProtocolError(f"malformed error in server reply: {error!r}")
    if name in _OWN:
        return _OWN[name](message, **_fields(name, message))
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            return builtin(message)
        except TypeError:  # builtins with other constructors (UnicodeDecodeError...)
            pass
    if name == "AxisError":  # numpy.exceptions.AxisError is a ValueError and an IndexError
        return _AxisError(message)
    return RemoteError(message, type_name=name)


#: the in-process errors' attributes, read back from their message templates
_TEMPLATES = {
    "BudgetExhaustedError": re.compile(
        r"^(?P<op_name>\S+) would cost (?P<flop_cost>[\d,]+) FLOPs but only "
        r"(?P<flops_remaining>-?[\d,]+) remain"
    ),
    "TimeExhaustedError": re.compile(
        r"^(?P<op_name>\S+): wall-clock time (?P<elapsed_s>[\d.]+)s exceeds limit "
        r"(?P<limit_s>[\d.]+)s"
    ),
}


def _fields(name: str, message: str) -> dict[str, Any]:
    m = _TEMPLATES[name].match(message) if name in _TEMPLATES else None
    if m is None:
        return {}
    out: dict[str, Any] = {}
    for key, text in m.groupdict().items():
        if key == "op_name":
            out[key] = text
        elif key.endswith("_s"):
            out[key] = float(text)
        else:
            out[key] = int(text.replace(",", ""))
    return out


class _AxisError(ValueError, IndexError):
    """numpy's AxisError (subclass of ValueError and IndexError, as in numpy)."""


_AxisError.__name__ = "AxisError"
_AxisError.__qualname__ = "AxisError"
