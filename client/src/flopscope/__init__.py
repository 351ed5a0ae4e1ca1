"""flopscope-client: the numpy-free ``import flopscope`` that runs every op on a server.

``import flopscope.numpy as fnp`` gives the same names as the full package; each array
operation is sent to the flopscope server named by ``FLOPSCOPE_SERVER_URL`` (default: the
server's default IPC socket), which holds the data, prices the call and enforces the
budget. Arrays are :class:`~flopscope._proxy.RemoteArray` proxies.
"""

from __future__ import annotations

__version__ = "0.5.0"

import importlib  # noqa: E402 - __version__ first: _conn reads it
from typing import Any  # noqa: E402

from . import _names  # noqa: E402
from ._proxy import RemoteArray  # noqa: E402
from ._summary import budget_summary, budget_summary_dict  # noqa: E402, F401
from ._surface import populate as _populate  # noqa: E402
from .errors import (  # noqa: E402, F401
    BudgetExhaustedError,
    FlopscopeError,
    FlopscopeWarning,
    NoBudgetContextError,
    SymmetryError,
    SymmetryLossWarning,
    TimeExhaustedError,
    UnsupportedFunctionError,
)

FlopscopeArray = RemoteArray

_LAZY_MODULES = {"numpy", "stats", "accounting", "errors", "client"}

__all__ = [n for n in _populate(globals(), "flopscope", None) if n not in _LAZY_MODULES]
__all__ += sorted(_LAZY_MODULES & set(_names.module("flopscope")["all"]))
for _lazy in _LAZY_MODULES:
    globals().pop(_lazy, None)  # stubs of submodule names: the real modules load lazily


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(
        f"flopscope does not provide {name!r}. NumPy-style operations live in "
        f"flopscope.numpy: `import flopscope.numpy as fnp; fnp.{name}`."
    )


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
