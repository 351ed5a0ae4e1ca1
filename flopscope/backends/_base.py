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

from flopscope.errors import FlopscopeError, UnsupportedFunctionError

_SCALARS = (bool, int, float, complex)


class BackendUnsupportedError(UnsupportedFunctionError, AttributeError):
    """A standard function that flopscope counts but this backend cannot run.

    Raised when the function is looked up on the namespace (``xp.linalg.eigh`` on dask),
    so nothing is ever charged for it; being an ``AttributeError`` too keeps
    ``hasattr(xp, name)`` an honest capability probe.
    """

    def __init__(self, backend: str, func_name: str, reason: str = "") -> None:
        self.func_name = func_name
        self.backend = backend
        self.reason = reason
        self.min_version = self.max_version = self.replacement = None
        why = f" ({reason})" if reason else ""
        FlopscopeError.__init__(
            self,
            f"flops.namespace({backend!r}): the {backend} backend cannot run {func_name!r}{why}; "
            "see flopscope.backends.capability_table() for what each backend supports",
        )

    def __reduce__(self) -> tuple:
        return (type(self), (self.backend, self.func_name, self.reason))


class UnknownShapeError(FlopscopeError, ValueError):
    """A lazy array's shape is not known yet (dask after boolean masking), so its FLOP
    cost cannot be priced. flopscope never computes anything to find out."""

    def __init__(self, backend: str, shape: tuple, op_name: str | None = None) -> None:
        self.backend = backend
        self.shape = shape
        self.op_name = op_name
        where = f"{op_name}: " if op_name else ""
        super().__init__(
            f"{where}cannot price a {backend} array of unknown shape {shape} (its chunk sizes "
            "are not known until computed, e.g. after boolean masking): call "
            "x.compute_chunk_sizes() on the dask array first (x.backend_array."
            "compute_chunk_sizes() for a counted array; it updates x in place). flopscope "
            "never computes anything to price a call"
        )

    def __reduce__(self) -> tuple:
        return (type(self), (self.backend, self.shape, self.op_name))

    def naming(self, op_name: str) -> UnknownShapeError:
        """The same error, naming the op whose pricing needed the shape."""
        return UnknownShapeError(self.backend, self.shape, op_name)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a backend supports, as far as the counted namespace is concerned.

    Attributes:
        einsum: the backend has a native ``einsum`` (otherwise a standard-only one is used).
        complex: complex dtypes are available.
        devices: names of the devices arrays may live on.
        lazy: results are deferred (shapes may be unknown until computed).
        extensions: standard extensions the backend provides (``"linalg"``, ``"fft"``).
        unsupported: qualified names (``"linalg.eigh"``) of counted standard functions the
            backend cannot run; the namespace raises :class:`BackendUnsupportedError` for
            them. Functions the backend's standard namespace lacks are added when a
            namespace is built (see :func:`flopscope.backends.capability_table`).
    """

    einsum: bool
    complex: bool
    devices: tuple[str, ...]
    lazy: bool
    extensions: tuple[str, ...]
    unsupported: tuple[str, ...] = ()


class Shaped:
    """Stand-in for an array when a row's ``inputs`` callable prices a call.

    Pricing only reads shapes, so rows see this instead of a backend array: ``np.shape``,
    ``np.size`` and ``np.ndim`` work on it and give plain ``int`` tuples on every backend.
    """

    __slots__ = ("shape", "dtype", "source")

    def __init__(self, shape: tuple[int, ...], dtype: Any = None, source: Any = None) -> None:
        self.shape = shape
        self.dtype = dtype
        # the array priced: contractions read its identity and symmetry tag, never its data
        self.source = source

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

    def public_shape(self, x: Any) -> tuple[int | None, ...]:
        """``x.shape`` as the standard reports it: ``None`` for a dimension not known yet."""
        return self.shape(x)

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
        """The backend's standard function ``module.name``, or ``None`` if it has none (or
        cannot run it: ``capabilities.unsupported``)."""
        if (f"{module}.{name}" if module else name) in self.capabilities.unsupported:
            return None
        ns = self.xp if not module else getattr(self.xp, module, None)
        if ns is None:
            return None
        return getattr(ns, name, None)

    def einsum(self, subscripts: str, *operands: Any, **kwargs: Any) -> Any:
        """Contract ``operands``; the default uses standard functions only."""
        from flopscope.backends._einsum import einsum

        return einsum(self.xp, subscripts, *operands, **kwargs)

    def devices(self) -> tuple[Any, ...]:
        """The devices of ``__array_namespace_info__().devices()`` (backend objects)."""
        return tuple(self.xp.__array_namespace_info__().devices())

    def device(self, x: Any) -> Any:
        from array_api_compat import device

        return device(x)

    def to_device(self, x: Any, device: Any, stream: Any = None) -> Any:
        from array_api_compat import to_device

        return to_device(x, device, stream=stream)

    def __repr__(self) -> str:
        return f"<flopscope backend adapter {self.name!r}>"
