"""One drawn call of the function sweep, checked on a further backend (torch, dask, ...).

The call is drawn in array_api_strict terms (:mod:`array_api_calls`) and converted through
numpy to the backend's own arrays and dtypes. The counted namespace must return what the
backend's array-api-compat function returns (type, dtype, shape, values within per-dtype
tolerances) and bill exactly what array_api_strict bills. A call the backend rejects must
raise the backend's exception type and leave no trace; a function the backend cannot run
at all must be refused at lookup (:class:`BackendUnsupportedError`).
"""

from __future__ import annotations

from typing import Any

import array_api_compat
import numpy as np
import pytest
from array_api_calls import UNINITIALISED, Call, dtype_name, qualname, strict_function
from hypothesis import event

import flopscope as flops
from flopscope._array import Array
from flopscope.backends import BackendUnsupportedError, unsupported

#: relative tolerance by dtype name: counted and native calls run the same backend function
#: (einsum's reference is the backend's native einsum, so sums may be ordered differently)
RTOL = {"float32": 1e-5, "complex64": 1e-5, "float64": 1e-12, "complex128": 1e-12}


def to_backend(xp: Any, value: Any) -> Any:
    """The backend twin of a strict-terms value (arrays, dtypes, nested lists and dicts)."""
    strict_array = type(strict_function("", "asarray")(0))
    if isinstance(value, strict_array):
        return xp.asarray(np.asarray(value))
    if type(value).__name__ == "DType" and type(value).__module__.startswith("array_api_strict"):
        return getattr(xp, dtype_name(value))
    if type(value) in (list, tuple):
        return type(value)(to_backend(xp, v) for v in value)
    if type(value) is dict:
        return {k: to_backend(xp, v) for k, v in value.items()}
    return value


def _counted(ns: Any, value: Any) -> Any:
    if ns._adapter.is_array(value):
        return Array(value, ns)
    if type(value) in (list, tuple):
        return type(value)(_counted(ns, v) for v in value)
    if type(value) is dict:
        return {k: _counted(ns, v) for k, v in value.items()}
    return value


def _native(ns: Any, module: str, name: str, args: tuple, kwargs: dict) -> Any:
    if name == "einsum":
        return ns._adapter.einsum(*args, **kwargs)  # the backend's own einsum, uncounted
    xp = ns._adapter.xp
    return getattr(getattr(xp, module) if module else xp, name)(*args, **kwargs)


def _numpy(x: Any) -> np.ndarray:
    x = x.compute() if hasattr(x, "compute") else x  # dask: the test computes, never flopscope
    if hasattr(x, "resolve_conj"):  # torch: a lazily conjugated tensor refuses numpy()
        x = x.resolve_conj().resolve_neg().cpu()
    return np.asarray(x)


def assert_same(got: Any, ref: Any, ns: Any, *, values: bool) -> None:
    adapter = ns._adapter
    if adapter.is_array(ref):
        assert isinstance(got, Array) and got._ns is ns, type(got)
        g = got.backend_array
        assert type(g) is type(ref) and g.dtype == ref.dtype
        assert got.shape == adapter.public_shape(ref)
        if not values:
            return
        g, r = _numpy(g), _numpy(ref)
        rtol = RTOL.get(r.dtype.name)
        if rtol is None:
            np.testing.assert_array_equal(g, r)
        else:
            np.testing.assert_allclose(g, r, rtol=rtol, atol=rtol)
    elif isinstance(ref, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(ref)
        for g, r in zip(got, ref):
            assert_same(g, r, ns, values=values)
    else:
        assert got == ref


def check_call(
    ctx: flops.BudgetContext, ns: Any, module: str, name: str, call: Call, cost: int, records: int
) -> None:
    """``call`` through ``ns`` matches the backend and bills ``cost`` in ``records`` records
    of ``ctx`` (the active budget)."""
    fn_owner = getattr(ns, module) if module else ns
    if qualname(module, name) in unsupported(ns._adapter):
        with pytest.raises(BackendUnsupportedError, match=f"{ns._adapter.name}.*{name}"):
            getattr(fn_owner, name)
        event("unsupported by the backend")
        return
    fn = getattr(fn_owner, name)
    xp = ns._adapter.xp
    args, kwargs = to_backend(xp, call.args), to_backend(xp, call.kwargs)
    try:
        ref = _native(ns, module, name, args, kwargs)
        if ns._adapter.capabilities.lazy:
            _numpy_all(ref)  # a lazy backend may only fail when computed
    except Exception as exc:
        used, n = ctx.flops_used, len(ctx.op_log)
        try:
            r = fn(*_counted(ns, args), **_counted(ns, kwargs))
            if ns._adapter.capabilities.lazy:
                _numpy_all(r)
        except Exception as counted_exc:
            assert isinstance(counted_exc, type(exc)), (counted_exc, exc)
        else:
            raise AssertionError(f"the counted call did not raise {exc!r}")
        if not ns._adapter.capabilities.lazy:
            assert (ctx.flops_used, len(ctx.op_log)) == (used, n)  # no trace
        event("the backend rejects the call")
        return
    used, n = ctx.flops_used, len(ctx.op_log)
    got = fn(*_counted(ns, args), **_counted(ns, kwargs))
    assert_same(got, ref, ns, values=name not in UNINITIALISED)
    assert (ctx.flops_used - used, len(ctx.op_log) - n) == (cost, records)
    event("compared with the backend")


def _numpy_all(r: Any) -> None:
    if isinstance(r, (tuple, list)):
        for e in r:
            _numpy_all(e)
    elif isinstance(r, Array):
        _numpy(r.backend_array)
    elif array_api_compat.is_array_api_obj(r):
        _numpy(r)
