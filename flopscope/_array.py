"""The counted array of ``flops.namespace(backend)``: a backend array plus its namespace.

Attributes (``shape dtype device ndim size T mT``), indexing and conversions are free and
delegate to the backend array. Operator dunders are not written here: :func:`install`
generates them from the op table (each row names the dunders that route to it), so
``x + y`` bills exactly as ``xp.add(x, y)``. The backend's own dunder computes the result,
so Python scalars on either side follow the standard's type promotion.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from time import perf_counter
from typing import TYPE_CHECKING, Any

from flopscope._symmetry import xpcall
from flopscope.backends._base import UnknownShapeError

if TYPE_CHECKING:
    from flopscope._namespace import CountedNamespace
    from flopscope.ops import Op

_SCALARS = (bool, int, float, complex)
#: the symmetry registry's entries: empty means no operand is tagged (one truth test)
_TAGS = xpcall.ENTRIES


class Array:
    """An array of a counted namespace. Create arrays with the namespace (``xp.asarray``)."""

    __slots__ = ("_raw", "_ns", "__weakref__")
    __hash__ = None  # type: ignore[assignment]
    # numpy binops and ufuncs give way (NotImplemented / TypeError) instead of computing
    # uncounted on an object array
    __array_ufunc__ = None

    _raw: Any
    _ns: CountedNamespace

    def __init__(self, raw: Any, namespace: CountedNamespace) -> None:
        self._raw = namespace._adapter.unwrap(raw)
        self._ns = namespace

    @classmethod
    def _new(cls, raw: Any, namespace: CountedNamespace) -> Array:
        self = object.__new__(cls)
        self._raw = raw
        self._ns = namespace
        return self

    # -- attributes (free) -------------------------------------------------------------------

    @property
    def backend_array(self) -> Any:
        """The wrapped backend array; operations on it are not counted."""
        return self._raw

    @property
    def shape(self) -> tuple[int | None, ...]:
        # the standard's shape: ``None`` for a dimension a lazy backend does not know yet
        return self._ns._adapter.public_shape(self._raw)

    @property
    def dtype(self) -> Any:
        return self._raw.dtype

    @property
    def device(self) -> Any:
        return self._ns._adapter.device(self._raw)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int | None:
        shape = self.shape
        return None if any(d is None for d in shape) else math.prod(shape)

    @property
    def T(self) -> Array:
        r = self._ns._wrap(self._raw.T)
        if _TAGS:
            xpcall.transposed(self, r, tuple(reversed(range(self.ndim))))
        return r

    @property
    def mT(self) -> Array:
        r = self._ns._wrap(self._raw.mT)
        if _TAGS and self.ndim >= 2:
            n = self.ndim
            xpcall.transposed(self, r, (*range(n - 2), n - 1, n - 2))
        return r

    # -- protocol ----------------------------------------------------------------------------

    def __array_namespace__(self, /, *, api_version: str | None = None) -> CountedNamespace:
        ns = self._ns
        if api_version is None or api_version == ns.__array_api_version__:
            return ns
        from flopscope._namespace import namespace

        return namespace(ns._adapter.name, cost_model=ns._model, api_version=api_version)

    def to_device(self, device: Any, /, *, stream: Any = None) -> Array:
        return self._ns._wrap(self._ns._adapter.to_device(self._raw, device, stream))

    def __dlpack__(self, /, **kwargs: Any) -> Any:
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        return self._raw.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> Any:
        return self._raw.__dlpack_device__()

    # -- conversions (free; the backend decides what it supports) ----------------------------

    def __bool__(self) -> bool:
        return bool(self._raw)

    def __int__(self) -> int:
        return int(self._raw)

    def __float__(self) -> float:
        return float(self._raw)

    def __complex__(self) -> complex:
        return complex(self._raw)

    def __index__(self) -> int:
        return self._raw.__index__()

    def __len__(self) -> int:
        return len(self._raw)

    def __iter__(self) -> Iterator[Array]:
        wrap = self._ns._wrap
        return (wrap(e) for e in iter(self._raw))

    # -- indexing (free) ---------------------------------------------------------------------

    def __getitem__(self, key: Any) -> Array:
        r = self._ns._wrap(self._raw[_key(key)])
        return xpcall.getitem(self, key, r) if _TAGS else r

    def __setitem__(self, key: Any, value: Any) -> None:
        self._raw[_key(key)] = value._raw if isinstance(value, Array) else value
        if _TAGS:
            xpcall.setitem(self, key, value)  # a write may break a tagged array's symmetry

    def __repr__(self) -> str:
        return f"flopscope.Array({self._raw!r}, backend={self._ns._adapter.name!r})"

    def __str__(self) -> str:
        return str(self._raw)


def _key(key: Any) -> Any:
    if isinstance(key, Array):
        return key._raw
    if type(key) is tuple and any(isinstance(k, Array) for k in key):
        return tuple(k._raw if isinstance(k, Array) else k for k in key)
    return key


# -- operator dunders generated from the rows ------------------------------------------------


def _operand(self: Array, other: Any) -> Any:
    """The backend value for ``other``, or ``NotImplemented`` for foreign objects."""
    if isinstance(other, Array):
        return other._raw
    if type(other) in _SCALARS:
        return other
    adapter = self._ns._adapter
    if adapter.is_array(other):
        return adapter.unwrap(other)
    return NotImplemented


def _inputs(self: Array, op: Op, first: Any, second: Any) -> tuple:
    """Analytical inputs of ``op(first, second)``, as the namespace function prices them."""
    shape_of = self._ns._adapter.shape_of
    if op.kind == "custom":
        ns = self._ns
        return op.inputs(ns._proxy(first), ns._proxy(second))
    return (shape_of(first), shape_of(second))


def _binary(op: Op, dunder: str, role: str) -> Callable[..., Any]:
    forward = op.dunders[0]
    custom = op.kind == "custom"
    reflected = role == "reflected"
    inplace = role == "inplace"

    def method(self: Array, other: Any) -> Any:
        if _TAGS and not custom and xpcall.any_symmetric(self, other):
            return xpcall.dunder(op, dunder, role, self, other)  # symmetric: the slow path
        t0 = perf_counter()
        ns = self._ns
        a = self._raw
        if type(other) is Array and not custom:  # the hot path
            o = other._raw
            shape = ns._adapter.shape
            try:
                inputs = (shape(o), shape(a)) if reflected else (shape(a), shape(o))
            except UnknownShapeError as exc:
                raise exc.naming(op.name) from None
            raw_method = getattr(a, dunder, None)
        else:
            o = _operand(self, other)
            if o is NotImplemented:
                return NotImplemented
            raw_method = getattr(a, dunder, None)
            try:
                inputs = _inputs(self, op, o, a) if reflected else _inputs(self, op, a, o)
            except UnknownShapeError as exc:
                raise exc.naming(op.name) from None
            except Exception as exc:
                _native_error(raw_method, o, exc)
        if raw_method is None and inplace:
            raw_method = getattr(a, forward)  # immutable backend: rebind instead
        r = ns._run(op, inputs, _call, (raw_method, o), {}, t0)
        if not inplace:
            return ns._wrap(r)
        self._raw = ns._adapter.as_result(r)
        return self

    method.__name__ = dunder
    method.__doc__ = f"Counted as ``{op.name}`` (same row as ``xp.{op.array_api}``)."
    return method


def _call(fn: Callable[..., Any] | None, other: Any) -> Any:
    """The backend dunder, turning ``NotImplemented`` into the error Python would raise."""
    r = NotImplemented if fn is None else fn(other)
    if r is NotImplemented:
        raise TypeError(f"unsupported operand type for the backend: {type(other).__name__}")
    return r


def _native_error(fn: Callable[..., Any] | None, other: Any, exc: BaseException) -> None:
    if isinstance(exc, UnknownShapeError):
        raise exc  # see below: named by the caller
    if fn is not None:
        try:
            r = fn(other)
        except Exception as native:
            raise native from None
        if r is NotImplemented:
            raise TypeError(f"unsupported operand for {fn.__name__}") from exc
    raise exc


def _unary(op: Op, dunder: str) -> Callable[..., Any]:
    def method(self: Array) -> Any:
        if _TAGS and xpcall.group_of(self) is not None:
            return xpcall.unary_dunder(op, dunder, self)  # symmetric: the slow path
        t0 = perf_counter()
        ns = self._ns
        a = self._raw
        try:
            inputs = (ns._adapter.shape(a),)
        except UnknownShapeError as exc:
            raise exc.naming(op.name) from None
        return ns._wrap(ns._run(op, inputs, getattr(a, dunder), (), {}, t0))

    method.__name__ = dunder
    method.__doc__ = f"Counted as ``{op.name}`` (same row as ``xp.{op.array_api}``)."
    return method


_ROLES = ("forward", "reflected", "inplace")
_INSTALLED: list[bool] = []


def install(rows: tuple[Op, ...]) -> None:
    """Attach the operator dunders declared by the array-API rows to :class:`Array` (once)."""
    if _INSTALLED:
        return
    for op in rows:
        if not op.dunders or op.array_api is None:
            continue  # dunders of numpy-only rows (``divmod``) are not standard
        if _is_unary(op):
            setattr(Array, op.dunders[0], _unary(op, op.dunders[0]))
            continue
        for role, name in zip(_ROLES, op.dunders):
            setattr(Array, name, _binary(op, name, role))
    _INSTALLED.append(True)


def dunder_rows(rows: tuple[Op, ...]) -> dict[str, Op]:
    """Every generated dunder name and the row it bills as."""
    return {
        name: op for op in rows if op.dunders and op.array_api is not None for name in op.dunders
    }


def _is_unary(op: Op) -> bool:
    if op.kind == "ufunc":
        return op.impl.nin == 1
    return op.family == "pointwise-unary"


__all__ = ["Array", "dunder_rows", "install"]
