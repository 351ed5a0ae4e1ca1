"""``flopscope.numpy`` in the client: the full package's names, each op run on the server.

Results are :class:`~flopscope._proxy.RemoteArray` proxies (``fnp.ndarray``). Names of the
full package that cannot run remotely raise ``UnsupportedFunctionError`` when called;
names numpy has but flopscope blocks raise ``AttributeError``, as in-process.
"""

from __future__ import annotations

import importlib
from typing import Any

from .. import _names
from .._codec import LocalArray
from .._dtype import dtype as _dtype
from .._info import finfo as finfo
from .._info import iinfo as iinfo
from .._proxy import RemoteArray, call
from .._surface import populate as _populate

ndarray = RemoteArray
dtype = _dtype


def frombuffer(buffer: Any, dtype: Any = float, count: int = -1, offset: int = 0) -> Any:
    """numpy's ``frombuffer``: the bytes travel to the server, which reads them there."""
    data = bytes(memoryview(buffer).cast("B"))
    raw = LocalArray(data, "uint8", (len(data),))
    return call("frombuffer", "", (raw,), {"dtype": dtype, "count": count, "offset": offset})


_SUBMODULES = ("linalg", "random", "fft")

__all__ = sorted(_populate(globals(), "flopscope.numpy", ""))


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _names.blocked():
        raise AttributeError(_names.blocked()[name])
    raise AttributeError(
        f"flopscope.numpy does not provide {name!r}. See the op reference in the flopscope "
        "docs for supported operations."
    )


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_SUBMODULES))
