"""The adapter protocol: what ``flops.namespace`` needs to know about one array backend.

An adapter is a thin object over the backend's Array-API-standard namespace (from
array-api-compat, or the backend itself when it already follows the standard). It says
which functions exist, how to read an array's shape cheaply (the only thing costs need),
how to recognise and unwrap the backend's arrays, and what the backend can do
(:class:`Capabilities`). It never prices anything: costs come from the op table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_SCALARS = (bool, int, float, complex)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a backend supports, as far as the counted namespace is concerned.

    Attributes:
        einsum: the backend has a native ``einsum`` (otherwise a standard-only one is used).
        complex: complex dtypes are available.
        devices: names of the devices arrays may live on.
        lazy: results are deferred (shapes may be unknown until computed).
        extensions: standard extensions the backend provides (``"linalg"``, ``"fft"``).
    """

    einsum: bool
    complex: bool
    devices: tuple[str, ...]
    lazy: bool
    extensions: tuple[str, ...]


class Shaped:
    """Stand-in for an array when a row's ``inputs`` callable prices a call.

    Pricing only reads shapes, so rows see this instead of a backend array: ``np.shape``,
    ``np.size`` and ``np.ndim`` work on it and give plain ``int`` tuples on every backend.
    """

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: tuple[int, ...], dtype: Any = None) -> None:
        self.shape = shape
        self.dtype = dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __repr__(self) -> str:
        return f"Shaped({self.shape})"


class Adapter:
    """Base adapter; one subclass instance per backend module in this package.

    Attributes:
        name: registry name (``"numpy"``, ``"array_api_strict"``).
        xp: the backend's standard namespace.
        array_types: classes of the backend's arrays.
        capabilities: see :class:`Capabilities`.
    """

    name: str = ""
    xp: Any = None
    array_types: tuple[type, ...] = ()
    capabilities: Capabilities

    # -- arrays ------------------------------------------------------------------------------

    def is_array(self, x: Any) -> bool:
        """``x`` is an array of this backend."""
        return isinstance(x, self.array_types)

    def unwrap(self, x: Any) -> Any:
        """The plain backend array to hand to backend functions."""
        return x

    def shape(self, x: Any) -> tuple[int, ...]:
        """Shape of a backend array as a tuple of ``int`` (cheap: metadata only)."""
        return tuple(x.shape)

    def as_result(self, r: Any) -> Any:
        """Normalise a backend result (e.g. numpy scalars become 0-d arrays)."""
        return r

    def shape_of(self, x: Any) -> tuple[int, ...]:
        """Shape of an operand that is not a counted array: backend array or Python scalar."""
        if self.is_array(x):
            return self.shape(x)
        if type(x) in _SCALARS:
            return ()
        raise TypeError(
            f"flops.namespace({self.name}): expected an array or a Python scalar, "
            f"got {type(x).__name__}"
        )

    # -- functions ---------------------------------------------------------------------------

    def function(self, name: str, module: str = "") -> Callable[..., Any] | None:
        """The backend's standard function ``module.name``, or ``None`` if it has none."""
        ns = self.xp if not module else getattr(self.xp, module, None)
        if ns is None:
            return None
        return getattr(ns, name, None)

    def einsum(self, subscripts: str, *operands: Any, **kwargs: Any) -> Any:
        """Contract ``operands``; the default uses standard functions only."""
        from flopscope.backends._einsum import einsum

        return einsum(self.xp, subscripts, *operands, **kwargs)

    def device(self, x: Any) -> Any:
        from array_api_compat import device

        return device(x)

    def to_device(self, x: Any, device: Any, stream: Any = None) -> Any:
        from array_api_compat import to_device

        return to_device(x, device, stream=stream)

    def __repr__(self) -> str:
        return f"<flopscope backend adapter {self.name!r}>"
