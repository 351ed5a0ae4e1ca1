"""Every function of the counted namespace, on numpy, array_api_strict and torch.

For each row of the op table with an ``array_api`` name (the list comes from the table),
hypothesis draws calls; the counted namespace over array_api_strict must return exactly what
array_api_strict returns (values, dtype, shape), the namespace over numpy must agree with
it, and both must bill the same FLOPs and records. Elementwise functions and reductions
must also bill what the NumPy surface (``fnp``) bills for the same call. A call that
array_api_strict rejects must raise the same exception type and leave no trace. Where torch
is installed, the same draws run on the torch namespace against torch's own calls
(:mod:`backend_sweep`; test_dask.py does the same for dask).
"""

from __future__ import annotations

import importlib.util
from typing import Any

import array_api_compat.numpy as compat_numpy
import array_api_strict
import numpy
import numpy as np
import pytest
from array_api_calls import (
    SPECIAL,
    UNINITIALISED,
    Call,
    dtype_name,
    entries,
    qualname,
    strategy,
    strict_function,
    to_numpy,
    xs_array_type,
)
from backend_sweep import check_call
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._array import Array
from flopscope.ops import Op

XP = flops.namespace(numpy)
XS = flops.namespace(array_api_strict)
ENTRIES = entries()
IDS = [qualname(m, n) for m, n, _ in ENTRIES]
GENERIC = ("ufunc", "elementwise", "reduction")


def _function(ns: Any, module: str, name: str) -> Any:
    return getattr(getattr(ns, module) if module else ns, name)


def test_the_table_declares_array_api_functions() -> None:
    names = {qualname(m, n) for m, n, _ in ENTRIES}
    # a sample from each family, so an empty or broken table cannot pass the sweep vacuously
    assert {"add", "exp", "sum", "cumulative_sum", "matmul", "linalg.matmul", "reshape"} <= names
    assert len(ENTRIES) >= 100


def test_every_array_api_row_has_a_call_strategy() -> None:
    missing = [qualname(m, n) for m, n, op in ENTRIES if strategy(m, n, op) is None]
    assert missing == []
    stale = set(SPECIAL) - {qualname(op.module, n) for _, n, op in ENTRIES}
    assert stale == set()


@pytest.mark.parametrize("ns", [XP, XS], ids=["numpy", "array_api_strict"])
def test_every_array_api_row_is_a_namespace_function(ns: Any) -> None:
    for module, name, op in ENTRIES:
        fn = _function(ns, module, name)
        assert fn.__wrapped_op__ is op, (module, name)


def _wrap_args(ns: Any, value: Any) -> Any:
    """Turn backend arrays in a call into the namespace's counted arrays."""
    if ns._adapter.is_array(value):
        return Array(value, ns)
    if type(value) in (list, tuple):
        return type(value)(_wrap_args(ns, v) for v in value)
    return value


def _for_backend(ns: Any, call: Call) -> Call:
    if ns is XS:
        return Call(_wrap_args(ns, call.args), _wrap_args(ns, call.kwargs))
    args = _wrap_args(ns, to_numpy(call.args))
    return Call(args, {k: _wrap_args(ns, to_numpy(v)) for k, v in call.kwargs.items()})


def _wrap_kwargs(ns: Any, kwargs: dict) -> dict:
    return {k: _wrap_args(ns, v) for k, v in kwargs.items()}


def _measure(ctx: flops.BudgetContext, fn: Any, call: Call) -> tuple[Any, int, int]:
    used, records = ctx.flops_used, len(ctx.op_log)
    result = fn(*call.args, **call.kwargs)
    return result, ctx.flops_used - used, len(ctx.op_log) - records


def _assert_same(got: Any, ref: Any, ns: Any, *, values: bool, close: bool) -> None:
    if isinstance(ref, (xs_array_type(), np.ndarray)):
        assert isinstance(got, Array) and got._ns is ns, type(got)
        g, r = np.asarray(got.backend_array), np.asarray(ref)
        assert g.shape == r.shape
        assert dtype_name(got.dtype) == dtype_name(ref.dtype)
        if not values:
            return
        if close:
            tol = 1e-4 if r.dtype == np.float32 else 1e-9
            np.testing.assert_allclose(g, r, rtol=tol, atol=tol)
        else:
            np.testing.assert_array_equal(g, r)
    elif isinstance(ref, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(ref)
        for g, r in zip(got, ref):
            _assert_same(g, r, ns, values=values, close=close)
    elif type(ref) is bool or not hasattr(ref, "dtype") and not isinstance(ref, type):
        if dtype_name_or_none(ref) is not None:
            assert dtype_name(got) == dtype_name(ref)
        else:
            assert got == ref
    else:
        assert dtype_name(got) == dtype_name(ref)


def dtype_name_or_none(value: Any) -> str | None:
    try:
        return dtype_name(value)
    except TypeError:
        return None


def _reference(module: str, name: str, call: Call) -> tuple[Any, BaseException | None, bool]:
    """(result, exception, approximate) of the reference implementation for ``call``."""
    if name == "einsum":  # an extension: array_api_strict has none, numpy's is the reference
        return np.asarray(np.einsum(*to_numpy(call.args))), None, True
    try:
        return strict_function(module, name)(*call.args, **call.kwargs), None, False
    except Exception as exc:
        return None, exc, False


def _numpy_reference(module: str, name: str, call: Call) -> Any:
    args, kwargs = to_numpy(call.args), to_numpy(call.kwargs)
    if name == "einsum":
        return np.asarray(np.einsum(*args))
    ns = getattr(compat_numpy, module) if module else compat_numpy
    return getattr(ns, name)(*args, **kwargs)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(("module", "name", "op"), ENTRIES, ids=IDS)
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_function_matches_strict_and_bills_the_same(
    module: str, name: str, op: Op, data: st.DataObject
) -> None:
    call = data.draw(strategy(module, name, op), label="call")
    ref, error, close = _reference(module, name, call)
    values = name not in UNINITIALISED
    with flops.BudgetContext(10**15, quiet=True) as ctx:
        strict_call = _for_backend(XS, call)
        if error is not None:
            used, records = ctx.flops_used, len(ctx.op_log)
            with pytest.raises(type(error)):
                _function(XS, module, name)(*strict_call.args, **strict_call.kwargs)
            assert (ctx.flops_used, len(ctx.op_log)) == (used, records)  # no trace
            return
        got, cost, records = _measure(ctx, _function(XS, module, name), strict_call)
        _assert_same(got, ref, XS, values=values, close=close)

        # the numpy namespace is compat-numpy plus counting: compare with compat-numpy's own
        # result (it differs from strict where numpy is laxer, e.g. can_cast(bool, int8))
        numpy_ref = _numpy_reference(module, name, call)
        numpy_call = _for_backend(XP, call)
        got_np, cost_np, records_np = _measure(ctx, _function(XP, module, name), numpy_call)
        _assert_same(got_np, numpy_ref, XP, values=values, close=close)
        assert (cost_np, records_np) == (cost, records)

        if op.kind in GENERIC:
            fnp_call = Call(to_numpy(call.args), to_numpy(call.kwargs))
            _, cost_fnp, _ = _measure(ctx, getattr(fnp, op.name), fnp_call)
            assert cost_fnp == cost


# -- torch: the same draws, compared with torch's own (array-api-compat) call ----------------

TORCH = importlib.util.find_spec("torch") is not None


@pytest.mark.skipif(not TORCH, reason="torch is not installed")
@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")
@pytest.mark.parametrize(("module", "name", "op"), ENTRIES, ids=IDS)
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_function_on_torch_matches_torch_and_bills_as_strict(
    module: str, name: str, op: Op, data: st.DataObject
) -> None:
    """Values are torch's own; FLOPs are array_api_strict's for the same call (see
    :mod:`backend_sweep`)."""
    call = data.draw(strategy(module, name, op), label="call")
    _, error, _ = _reference(module, name, call)
    if error is not None:
        return  # strict rejects it: the sweep above checks the refusal
    with flops.BudgetContext(10**15, quiet=True) as ctx:
        _, cost, records = _measure(ctx, _function(XS, module, name), _for_backend(XS, call))
        check_call(ctx, flops.namespace("torch"), module, name, call, cost, records)
