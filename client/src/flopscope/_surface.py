"""Fills the client's modules with the full package's public names.

Op rows become functions that send a ``call``; the classes the server constructs for a client
(``fnp.random.RandomState``) become :class:`RemoteClass` objects; the cost helpers of the
server's allow-list (``flops.accounting.*_cost``, ``flops.einsum_accumulation_cost``...)
become functions the server answers; constants and dtypes are local values; every other
name of the full package (budget contexts, cost models...) is a stub that raises :class:`~flopscope.errors.UnsupportedFunctionError`
naming itself when called, because it needs the full package in the same process.
"""

from __future__ import annotations

from typing import Any

from . import _names
from ._dtype import scalar_type
from ._proxy import RemoteObject, call
from ._record import as_records
from .errors import UnsupportedFunctionError


def remote_function(name: str, module: str, qualname: str) -> Any:
    """The client function for op ``name`` of protocol module ``module``."""

    def fn(*args: Any, **kwargs: Any) -> Any:
        return call(name, module, args, kwargs)

    fn.__name__ = name
    fn.__qualname__ = qualname
    fn.__doc__ = f"{qualname}: runs on the flopscope server (see the flopscope op reference)."
    return fn


def remote_helper(name: str, module: str, qualname: str, returns: str) -> Any:
    """The client function for cost helper ``name`` (served under protocol ``module``):
    it runs on the server, charges nothing, and a dataclass result (``returns``, e.g.
    ``AccumulationCost``) comes back as a :class:`~flopscope._record.Record`."""

    def fn(*args: Any, **kwargs: Any) -> Any:
        return as_records(call(name, module, args, kwargs), returns)

    fn.__name__ = name
    fn.__qualname__ = qualname
    fn.__doc__ = (
        f"{qualname}: computed by the flopscope server (free: charges nothing; without "
        "cost_model= it prices under the session's cost model)."
    )
    return fn


class RemoteClass:
    """A class whose objects live on the server (``fnp.random.RandomState``): calling it
    constructs one there (free, as in-process) and returns its
    :class:`~flopscope._proxy.RemoteObject`, whose counted methods run remotely."""

    def __init__(self, name: str, module: str, qualname: str) -> None:
        self.__name__ = name
        self.__qualname__ = qualname
        self._module = module
        self.__doc__ = f"{qualname}: constructed on the flopscope server."

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return call(self.__name__, self._module, args, kwargs)

    def __instancecheck__(self, obj: Any) -> bool:
        # ``isinstance(rs, fnp.random.RandomState)`` holds for the remote objects it makes
        return isinstance(obj, RemoteObject) and obj._type == self.__name__

    def __repr__(self) -> str:
        return f"<remote class {self.__qualname__}>"


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
    for name in entry.get("constructors", ()):
        namespace.setdefault(
            name, RemoteClass(name, protocol_module or "", f"{client_module}.{name}")
        )
    for name, spec in entry.get("helpers", {}).items():
        namespace.setdefault(
            name, remote_helper(name, spec["module"], f"{client_module}.{name}", spec["returns"])
        )
    for name, value in entry["constants"].items():
        namespace.setdefault(name, _constant(value))
    for name, dtype_name in entry["dtypes"].items():
        namespace.setdefault(name, scalar_type(dtype_name))
    for name in entry["other"]:
        namespace.setdefault(name, Unavailable(f"{client_module}.{name}"))
    return list(entry["all"])
