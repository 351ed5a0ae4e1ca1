"""``flops.namespace(backend)``: a counted Array-API namespace built from the op table.

Every row with an ``array_api`` name becomes a function of the namespace. The function
extracts the row's analytical inputs from the operands' shapes exactly as the NumPy
surface does (so every backend bills the same FLOPs), charges the active budget (raises
before anything runs), calls the backend's standard function, and wraps array results as
counted :class:`flopscope._array.Array` objects. Standard functions that no row declares
raise ``AttributeError`` naming them: flopscope never invents a cost.

A string that is not a backend name keeps the 0.4.0 meaning: ``flops.namespace("encoder")``
is a context manager attributing ops to that label (see :func:`flopscope.scope`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from time import perf_counter
from types import ModuleType
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from flopscope._array import Array, install
from flopscope._budget import _ACTIVE, _check_segment, default_context, scope
from flopscope._symmetry import xpcall
from flopscope.backends import Adapter, Shaped, get_adapter, is_backend_name, registry_name
from flopscope.backends import _standard as std
from flopscope.backends._base import BackendUnsupportedError, UnknownShapeError
from flopscope.costs.model import CostModel, resolve
from flopscope.ops import Op, all_ops
from flopscope.ops.contraction import inferred_output_group

__all__ = ["namespace", "CountedNamespace"]

_SCALARS = (bool, int, float, complex)
_CACHE: dict[tuple[str, CostModel | None, str], CountedNamespace] = {}
_CACHE_LOCK = threading.Lock()


def namespace(
    backend: Any = None,
    *,
    cost_model: str | CostModel | None = None,
    api_version: str | None = None,
) -> Any:
    """A counted Array-API namespace over ``backend`` (a module or a backend name).

    Args:
        backend: ``numpy`` (default), ``array_api_strict``, ``torch``, ``dask.array``,
            ``cupy``, ``jax.numpy``, their names, or their array-api-compat modules. A
            string that names no backend is an attribution label (0.4.0 meaning): the call
            returns a context manager, like ``flops.scope``.
        cost_model: prices this namespace's calls instead of the active budget's model.
        api_version: the standard version the namespace declares (default ``"2023.12"``).

    Namespaces are cached: the same arguments give the same object. Backend names are
    reserved: ``flops.namespace("torch")`` raises ``ImportError`` naming torch while its
    adapter or the library is missing, it never becomes a label. An unknown module raises
    ``ValueError`` naming it.
    """
    if _is_label(backend):
        return _label(backend, cost_model, api_version)
    version = std.DEFAULT_VERSION if api_version is None else api_version
    if version not in std.VERSIONS:
        raise ValueError(
            f"flops.namespace: unsupported api_version {api_version!r}; "
            f"supported: {', '.join(std.VERSIONS)}"
        )
    model = None if cost_model is None else resolve(cost_model)
    key = (registry_name(backend), model, version)
    ns = _CACHE.get(key)
    if ns is None:
        adapter = get_adapter(key[0])
        with _CACHE_LOCK:
            ns = _CACHE.get(key)
            if ns is None:
                ns = _CACHE[key] = CountedNamespace(adapter, model, version)
    return ns


def _is_label(backend: Any) -> bool:
    """A string naming no backend is a label; so is anything that is neither a module, a
    string nor ``None`` (0.4.0 rejects it as a segment: ``ValueError``)."""
    if isinstance(backend, str):
        return not is_backend_name(backend)
    return not (backend is None or isinstance(backend, ModuleType))


def _label(label: Any, cost_model: Any, api_version: Any) -> AbstractContextManager[None]:
    if cost_model is not None or api_version is not None:
        raise TypeError(
            f"flops.namespace({label!r}): {label!r} is not a backend name, so it is an "
            "attribution label; cost_model= and api_version= only apply to backends"
        )
    _check_segment(label)  # 0.4.0 rejects bad segments (ValueError) when called
    return scope(label)


class CountedNamespace(ModuleType):
    """Module-like counted namespace; see :func:`namespace`."""

    def __init__(self, adapter: Adapter, model: CostModel | None, version: str) -> None:
        suffix = "" if model is None else f"[{model.name}]"
        super().__init__(f"flopscope.namespace.{adapter.name}{suffix}")
        self._adapter = adapter
        self._model = model
        self._extensions: dict[str, _Extension] = {}
        self._plain = adapter.array_types[0]  # results of this exact type need no normalising
        self.__array_api_version__ = version
        self.__doc__ = f"Counted Array API namespace over {adapter.name}{suffix}."
        xp = adapter.xp
        self.__array_namespace_info__ = xp.__array_namespace_info__
        for name in (*std.DTYPES, *std.CONSTANTS):
            if hasattr(xp, name):
                setattr(self, name, getattr(xp, name))
        self.finfo = _info(self, xp.finfo)
        self.iinfo = _info(self, xp.iinfo)
        _populate(self)

    # -- helpers used by the generated functions and by Array --------------------------------

    def _raw(self, x: Any) -> Any:
        """Backend array (or untouched value) for a function argument."""
        if isinstance(x, Array):
            return x._raw
        if type(x) is list or type(x) is tuple:
            if any(isinstance(e, Array) for e in x):
                return type(x)(e._raw if isinstance(e, Array) else e for e in x)
            return x
        return self._adapter.unwrap(x)

    def _shape(self, x: Any) -> tuple[int, ...]:
        """Shape of an operand (counted array, backend array or Python scalar)."""
        if isinstance(x, Array):
            return self._adapter.shape(x._raw)
        return self._adapter.shape_of(x)

    def _proxy(self, x: Any) -> Any:
        """What a row's ``inputs`` callable sees: arrays become :class:`Shaped`."""
        adapter = self._adapter
        if isinstance(x, Array):
            return Shaped(adapter.shape(x._raw), x._raw.dtype, x)
        if adapter.is_array(x):
            return Shaped(adapter.shape(x), x.dtype, x)
        if type(x) is list or type(x) is tuple:
            return type(x)(self._proxy(e) for e in x)
        return x

    def _wrap(self, r: Any) -> Any:
        """Counted arrays for every backend array in a result (tuples and lists included)."""
        if type(r) is self._plain:
            return Array._new(r, self)
        r = self._adapter.as_result(r)
        if self._adapter.is_array(r):
            return Array._new(r, self)
        if isinstance(r, tuple):
            items = [self._wrap(e) for e in r]
            return type(r)(*items) if hasattr(r, "_fields") else type(r)(items)
        if type(r) is list:
            return [self._wrap(e) for e in r]
        return r

    def _run(
        self, op: Op, inputs: tuple, fn: Callable[..., Any], args: tuple, kwargs: dict, t0: float
    ) -> Any:
        """Charge ``op`` for ``inputs``, run ``fn``, refund if it raised, record."""
        ctx = _ACTIVE.get() or default_context()
        return ctx.call(op, inputs, fn, args, kwargs, t0, None, self._model)

    # -- missing names -----------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise _missing(self, name, "")

    def __dir__(self) -> list[str]:
        return sorted(k for k in self.__dict__ if not k.startswith("_") or k.startswith("__a"))

    def __repr__(self) -> str:
        return f"<counted Array API namespace {self.__name__!r}>"


class _Extension(ModuleType):
    """``xp.linalg`` / ``xp.fft``: the rows of one standard extension."""

    def __init__(self, parent: CountedNamespace, name: str) -> None:
        super().__init__(f"{parent.__name__}.{name}")
        self._parent = parent
        self._ext = name

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise _missing(self._parent, name, self._ext)

    def __dir__(self) -> list[str]:
        return sorted(k for k in self.__dict__ if not k.startswith("_"))


def _missing(ns: CountedNamespace, name: str, module: str) -> AttributeError:
    """The error for a name the namespace does not serve (an ``AttributeError``, so that
    ``hasattr`` probes capabilities); a counted function the backend cannot run raises
    :class:`BackendUnsupportedError` naming the backend."""
    where = f"flops.namespace({ns._adapter.name!r})"
    qual = f"{module}.{name}" if module else name
    standard = std.EXTENSIONS.get(module, frozenset()) if module else std.FUNCTIONS
    if not module and name in std.EXTENSIONS:
        return AttributeError(
            f"{where} has no {name!r} extension yet: no op row declares the cost of its "
            "functions (they arrive with their rows)"
        )
    if name in standard:
        row = _row_for(name, module)
        if row is not None:
            adapter = ns._adapter
            declared = qual in adapter.capabilities.unsupported
            why = (
                "its standard function fails on every input"
                if declared
                else "its standard namespace lacks it"
            )
            return BackendUnsupportedError(adapter.name, qual, why)
        return AttributeError(
            f"{where} does not provide the Array API function {qual!r} yet: flopscope's op "
            "table declares no cost for it (it arrives with its op row)"
        )
    return AttributeError(f"{where} has no attribute {qual!r} (not part of the Array API standard)")


def _row_for(name: str, module: str) -> Op | None:
    for op in all_ops():
        if op.array_api == name and module in (op.module, *op.also_in):
            return op
    return None


# -- building the functions from the rows ---------------------------------------------------


def _populate(ns: CountedNamespace) -> None:
    adapter = ns._adapter
    for op in all_ops():
        if op.array_api is None:
            continue
        for module in (op.module, *op.also_in):
            if module and module not in std.EXTENSIONS:
                continue
            backend_fn = _backend_function(adapter, op.array_api, module)
            if backend_fn is None:
                continue
            fn = _build(ns, op, backend_fn)
            if adapter.capabilities.lazy:
                fn = _naming_unknown_shapes(
                    fn, f"{module}.{op.array_api}" if module else op.array_api
                )
            fn.__name__ = fn.__qualname__ = op.array_api
            fn.__module__ = ns.__name__ + (f".{module}" if module else "")
            fn.__doc__ = _doc(op, adapter)
            fn.__wrapped_op__ = op  # type: ignore[attr-defined]
            _target(ns, module).__dict__[op.array_api] = fn
    install(all_ops())


def _naming_unknown_shapes(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    """Lazy backends only: an operand of unknown shape fails pricing naming the function."""

    def counted(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UnknownShapeError as exc:
            if exc.op_name is not None:
                raise
            raise exc.naming(name) from None

    return counted


def _backend_function(adapter: Adapter, name: str, module: str) -> Callable[..., Any] | None:
    if name == "einsum" and not module:
        return adapter.einsum  # an extension to the standard; adapters supply one
    return adapter.function(name, module)


def _target(ns: CountedNamespace, module: str) -> ModuleType:
    if not module:
        return ns
    ext = ns._extensions.get(module)
    if ext is None:
        ext = ns._extensions[module] = _Extension(ns, module)
        ns.__dict__[module] = ext
    return ext


def _doc(op: Op, adapter: Adapter) -> str:
    kind = "free (no FLOPs)" if not op.counted else f"counted as {op.name!r}"
    return f"Array API ``{op.array_api}`` over {adapter.name}, {kind} ({op.family})."


def _build(ns: CountedNamespace, op: Op, backend_fn: Callable[..., Any]) -> Callable[..., Any]:
    if op.kind in ("ufunc", "elementwise"):
        unary = op.impl.nin == 1 if op.kind == "ufunc" else op.family == "pointwise-unary"
        return (_unary if unary else _binary)(ns, op, backend_fn)
    return _BUILDERS[op.kind](ns, op, backend_fn)


def _native_error(fn: Callable[..., Any], args: tuple, kwargs: dict, exc: BaseException) -> None:
    """Pricing failed on bad input: raise the backend's own error for it, else ``exc``."""
    if isinstance(exc, UnknownShapeError):
        raise exc  # the backend would not fail on it: a lazy shape is not bad input
    try:
        fn(*args, **kwargs)
    except Exception as native:
        raise native from None
    raise exc


#: the symmetry registry's entries: while it is empty no operand can be symmetric, so the
#: builders skip their registry lookups with one truth test
_TAGS = xpcall.ENTRIES


def _raw_kwargs(ns: CountedNamespace, kwargs: dict) -> dict:
    return {k: ns._raw(v) for k, v in kwargs.items()} if kwargs else kwargs


def _unary(ns: CountedNamespace, op: Op, bfn: Callable[..., Any]) -> Callable[..., Any]:
    shape, run, wrap = ns._adapter.shape, ns._run, ns._wrap

    def fn(x: Any, /, **kwargs: Any) -> Any:
        if _TAGS and xpcall.group_of(x) is not None:
            return xpcall.pointwise(ns, op, bfn, (x,), kwargs)  # symmetric: the slow path
        t0 = perf_counter()
        if type(x) is Array:  # the hot path: one counted operand
            a = x._raw
            inputs = (shape(a),)
        else:
            a = ns._raw(x)
            try:
                inputs = (ns._shape(a),)
            except Exception as exc:
                _native_error(bfn, (a,), _raw_kwargs(ns, kwargs), exc)
        if kwargs:
            kwargs = _raw_kwargs(ns, kwargs)
        return wrap(run(op, inputs, bfn, (a,), kwargs, t0))

    return fn


def _binary(ns: CountedNamespace, op: Op, bfn: Callable[..., Any]) -> Callable[..., Any]:
    shape, run, wrap = ns._adapter.shape, ns._run, ns._wrap

    def fn(x1: Any, x2: Any, /, **kwargs: Any) -> Any:
        if _TAGS and xpcall.any_symmetric(x1, x2):
            return xpcall.pointwise(ns, op, bfn, (x1, x2), kwargs)  # symmetric: the slow path
        t0 = perf_counter()
        if type(x1) is Array and type(x2) is Array:  # the hot path
            a, b = x1._raw, x2._raw
            inputs = (shape(a), shape(b))
        else:
            a, b = ns._raw(x1), ns._raw(x2)
            try:
                inputs = (ns._shape(a), ns._shape(b))
            except Exception as exc:
                _native_error(bfn, (a, b), _raw_kwargs(ns, kwargs), exc)
        if kwargs:
            kwargs = _raw_kwargs(ns, kwargs)
        return wrap(run(op, inputs, bfn, (a, b), kwargs, t0))

    return fn


def normalize_axis(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """The reduction's analytical axis, normalised exactly as the NumPy surface does."""
    if axis is None:
        return None
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return normalize_axis_tuple(int(axis), ndim)
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _reduction(ns: CountedNamespace, op: Op, bfn: Callable[..., Any]) -> Callable[..., Any]:
    name = op.array_api

    def fn(x: Any, /, *args: Any, **kwargs: Any) -> Any:
        if args:
            # standard reductions take axis= as a keyword; a positional one would be priced
            # as a full reduction while the backend reduces one axis
            raise TypeError(f"{name}() takes 1 positional argument but {1 + len(args)} were given")
        if _TAGS and xpcall.group_of(x) is not None:
            return xpcall.reduction(ns, op, bfn, x, kwargs)  # symmetric: the slow path
        t0 = perf_counter()
        a = ns._raw(x)
        kwargs = _raw_kwargs(ns, kwargs)
        try:
            shape = ns._shape(a)
            inputs = (shape, normalize_axis(kwargs.get("axis"), len(shape)))
        except Exception as exc:
            _native_error(bfn, (a,), kwargs, exc)
        return ns._wrap(ns._run(op, inputs, bfn, (a,), kwargs, t0))

    return fn


def _custom(ns: CountedNamespace, op: Op, bfn: Callable[..., Any]) -> Callable[..., Any]:
    pre = op.inputs
    post = op.extra.get("price_result")
    # contractions tag their result with the output group the cost model inferred (a Gram
    # matrix is symmetric), as fnp does; priced inputs carry a fingerprint only then
    contraction = op.symmetry == "contraction"

    def fn(*args: Any, **kwargs: Any) -> Any:
        t0 = perf_counter()
        raw_args = tuple(ns._raw(a) for a in args)
        raw_kwargs = _raw_kwargs(ns, kwargs)
        if pre is not None:
            try:
                # proxies of the caller's objects: identity and symmetry tags are theirs
                inputs = pre(*(ns._proxy(a) for a in args), **_proxies(ns, raw_kwargs))
            except Exception as exc:
                _native_error(bfn, raw_args, raw_kwargs, exc)
            r = ns._wrap(ns._run(op, inputs, bfn, raw_args, raw_kwargs, t0))
            if contraction and len(inputs) == 3:
                return xpcall.tag(r, inferred_output_group(inputs))
            return r
        return ns._wrap(_priced_after(ns, op, post, bfn, raw_args, raw_kwargs, t0))

    return fn


def _proxies(ns: CountedNamespace, kwargs: dict) -> dict:
    return {k: ns._proxy(v) for k, v in kwargs.items()} if kwargs else kwargs


def _priced_after(
    ns: CountedNamespace,
    op: Op,
    price: Callable[[Any, tuple, dict], tuple],
    fn: Callable[..., Any],
    args: tuple,
    kwargs: dict,
    t0: float,
) -> Any:
    """Side-effect-free ops sized by their result (``arange``, ``concat``, ``tile``): run,
    price from the result's shape, then charge; a refused call discards the result."""
    t1 = perf_counter()
    r = ns._adapter.as_result(fn(*args, **kwargs))
    t2 = perf_counter()
    inputs = price(ns._proxy(r), tuple(ns._proxy(a) for a in args), _proxies(ns, kwargs))
    (_ACTIVE.get() or default_context()).settle(op, inputs, t0, t1, t2, ns._model)
    return r


def _free(ns: CountedNamespace, op: Op, bfn: Callable[..., Any]) -> Callable[..., Any]:
    def fn(*args: Any, **kwargs: Any) -> Any:
        r = ns._wrap(bfn(*(ns._raw(a) for a in args), **_raw_kwargs(ns, kwargs)))
        if _TAGS and args and xpcall.group_of(args[0]) is not None:
            return xpcall.free(ns, op, args, kwargs, r)  # propagates or drops the tag
        return r

    return fn


def _logged(ns: CountedNamespace, op: Op, bfn: Callable[..., Any]) -> Callable[..., Any]:
    is_array = ns._adapter.is_array

    def fn(*args: Any, **kwargs: Any) -> Any:
        t0 = perf_counter()
        raw_args = tuple(ns._raw(a) for a in args)
        inputs = tuple(ns._shape(a) for a in raw_args if is_array(a))
        return ns._wrap(ns._run(op, inputs, bfn, raw_args, _raw_kwargs(ns, kwargs), t0))

    return fn


_BUILDERS: dict[str, Callable[..., Callable[..., Any]]] = {
    "reduction": _reduction,
    "custom": _custom,
    "free": _free,
    "logged": _logged,
}


def _info(ns: CountedNamespace, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``finfo``/``iinfo`` accept a dtype or a (counted) array."""

    def info(type: Any, /) -> Any:
        return fn(ns._raw(type))

    info.__name__ = fn.__name__
    info.__doc__ = fn.__doc__
    return info
