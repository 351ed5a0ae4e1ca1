"""Fills the client's modules with the full package's public names.

Op rows become functions that send a ``call``; constants and dtypes are local values; every
other name of the full package (budget contexts, cost models, accounting helpers...) is a
stub that raises :class:`~flopscope.errors.UnsupportedFunctionError` naming itself when
called, because it needs the full package in the same process.
"""

from __future__ import annotations

from typing import Any

from . import _names
from ._dtype import scalar_type
from ._proxy import call
from .errors import UnsupportedFunctionError


def remote_function(name: str, module: str, qualname: str) -> Any:
    """The client function for op ``name`` of protocol module ``module``."""

    def fn(*args: Any, **kwargs: Any) -> Any:
        return call(name, module, args, kwargs)

    fn.__name__ = name
    fn.__qualname__ = qualname
    fn.__doc__ = f"{qualname}: runs on the flopscope server (see the flopscope op reference)."
    return fn


class Unavailable:
    """A full-package name that cannot run remotely; calling it says so."""

    def __init__(self, qualname: str) -> None:
        self.qualname = qualname
        self.__name__ = qualname.rsplit(".", 1)[-1]

    def message(self) -> str:
        return (
            f"{self.qualname} is part of flopscope but cannot run through flopscope-client: "
            "it needs the full package (and numpy) in the same process. Budgets are opened "
            "and closed by the server's operator; read them with flopscope.budget_summary()."
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise UnsupportedFunctionError(self.message())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise UnsupportedFunctionError(self.message())

    def __repr__(self) -> str:
        return f"<{self.qualname}: not available in flopscope-client>"


def _constant(value: Any) -> Any:
    if isinstance(value, str):  # "inf", "nan" (JSON has no literal for them)
        return float(value)
    return value


def populate(
    namespace: dict[str, Any], client_module: str, protocol_module: str | None
) -> list[str]:
    """Define every public name of ``client_module``; already-defined names are kept."""
    entry = _names.module(client_module)
    for name, _row in entry["ops"].items():
        if name not in namespace:
            namespace[name] = remote_function(
                name, protocol_module or "", f"{client_module}.{name}"
            )
    for name, value in entry["constants"].items():
        namespace.setdefault(name, _constant(value))
    for name, dtype_name in entry["dtypes"].items():
        namespace.setdefault(name, scalar_type(dtype_name))
    for name in entry["other"]:
        namespace.setdefault(name, Unavailable(f"{client_module}.{name}"))
    return list(entry["all"])
