"""Checks every counted backend must pass; each ``test_<backend>.py`` runs them on its own
namespace (so torch, dask, cupy and jax are held to the same rules as numpy).

The quick-start program written against the namespace bills the same total on every
backend: 5 × matmul 256·(2·256−1) + 4 × maximum 256 + exp 256 × 16 + sum 255 = 659,455
FLOPs under the default ``flopscope`` model.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import array_api_compat
import numpy as np
import pytest

import flopscope as flops
from flopscope._array import Array

WIDTH, DEPTH = 256, 5
QUICKSTART = {"matmul": 654_080, "maximum": 1_024, "exp": 4_096, "sum": 255}
QUICKSTART_TOTAL = 659_455
QUICKSTART_MAC = 5 * 65_536 + 1_024 + 256 + 255


def values(x: Any) -> np.ndarray:
    """Host numpy copy of a counted or backend array (the test computes lazy ones)."""
    raw = x.backend_array if isinstance(x, Array) else x
    if hasattr(raw, "compute"):
        raw = raw.compute()
    if hasattr(raw, "resolve_conj"):
        raw = raw.resolve_conj().cpu()
    if hasattr(raw, "get"):  # cupy
        raw = raw.get()
    return np.asarray(raw)


def weights(seed: int = 0) -> tuple[list[np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    ws = [rng.standard_normal((WIDTH, WIDTH)) / WIDTH for _ in range(DEPTH)]
    return ws, rng.standard_normal(WIDTH)


def quickstart(xp: Any, ws: list[Any], h: Any) -> Any:
    """The README's quick start, written against the namespace (`maximum(h, 0)` with a Python scalar)."""
    for i, w in enumerate(ws):
        h = xp.matmul(w, h)
        if i < DEPTH - 1:
            h = xp.maximum(h, 0)
    return xp.sum(xp.exp(h))


def check_quickstart(xp: Any, **asarray: Any) -> None:
    """Same total and per-op costs as numpy; the same value as numpy's float64 run."""
    ws, h = weights()
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        r = quickstart(xp, [xp.asarray(w, **asarray) for w in ws], xp.asarray(h, **asarray))
    ops = ctx.summary_dict()["operations"]
    assert {k: v["flop_cost"] for k, v in ops.items() if v["flop_cost"]} == QUICKSTART
    assert ctx.flops_used == QUICKSTART_TOTAL
    expected = quickstart(np, ws, h)
    assert float(values(r)) == pytest.approx(float(expected), rel=1e-10)
    with flops.BudgetContext(10**12, quiet=True, cost_model="mac") as ctx:
        quickstart(xp, [xp.asarray(w, **asarray) for w in ws], xp.asarray(h, **asarray))
    assert ctx.flops_used == QUICKSTART_MAC


def check_quickstart_with_backend_rng(xp: Any, ws: list[Any], h: Any) -> None:
    """Weights drawn by the backend's own RNG (counted arrays or raw ones) bill the same."""
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        quickstart(xp, [xp.asarray(w) for w in ws], xp.asarray(h))
    assert ctx.flops_used == QUICKSTART_TOTAL
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        quickstart(xp, ws, h)  # raw backend arrays straight into the namespace
    assert ctx.flops_used == QUICKSTART_TOTAL


def check_refusals_leave_no_trace(xp: Any) -> None:
    a = xp.ones((64, 64))
    b = xp.ones((64, 64))
    before = values(a).copy()
    with flops.BudgetContext(1_000, quiet=True) as ctx:
        with pytest.raises(flops.BudgetExhaustedError, match="matmul"):
            xp.matmul(a, b)
        with pytest.raises(flops.BudgetExhaustedError, match="add"):
            a += b  # in place: the array must stay as it was
        with pytest.raises(flops.BudgetExhaustedError, match="exp"):
            xp.exp(a)
    assert ctx.flops_used == 0 and len(ctx.op_log) == 0
    np.testing.assert_array_equal(values(a), before)


def check_operators_bill_as_functions(xp: Any) -> None:
    a = xp.asarray(np.arange(12.0).reshape(3, 4))
    b = xp.asarray(np.arange(4.0))
    with flops.BudgetContext(10**9, quiet=True) as ctx:
        r = a * b + 1.0
        r2 = a @ b
        r3 = 2.0 - a
    assert [rec.op_name for rec in ctx.op_log] == ["multiply", "add", "matmul", "subtract"]
    assert ctx.flops_used == 12 + 12 + 3 * 7 + 12
    np.testing.assert_allclose(values(r), np.arange(12.0).reshape(3, 4) * np.arange(4.0) + 1)
    np.testing.assert_allclose(values(r2), np.arange(12.0).reshape(3, 4) @ np.arange(4.0))
    np.testing.assert_allclose(values(r3), 2.0 - np.arange(12.0).reshape(3, 4))


def check_namespace_protocol(xp: Any, raw: Any) -> None:
    x = xp.asarray(raw)
    assert isinstance(x, Array) and x._ns is xp
    assert array_api_compat.array_namespace(x) is xp
    assert x.__array_namespace__() is xp
    assert xp._adapter.is_array(x.backend_array)
    assert type(x.shape) is tuple and all(type(d) is int for d in x.shape)


def check_identity_and_weakref(xp: Any) -> None:
    """Symmetry tags live on the counted wrapper: it is weak-referenceable and stable, and a
    registry entry lives exactly as long as the wrapper."""
    from flopscope._symmetry.group import as_group
    from flopscope._symmetry.registry import group_of, tag

    x = xp.ones((3, 3))
    ref = weakref.ref(x)
    assert ref() is x and x is x
    group = as_group((0, 1), 2)
    tag(x, group)
    # reading attributes, counting calls with it, and the namespace never rewrap x
    assert x.__array_namespace__() is xp and x.shape == (3, 3)
    with flops.BudgetContext(10**6, quiet=True):
        xp.exp(x)
    assert group_of(x) is group
    assert group_of(xp.asarray(x.backend_array)) is None  # a new wrapper is not tagged
    del x
    gc.collect()
    assert ref() is None


def check_devices(xp: Any) -> None:
    """``device=`` on creation, ``x.device``, ``to_device`` and the info devices."""
    info = xp.__array_namespace_info__()
    default = info.default_device()
    if default is None:  # "the library picks" (jax): use the first device it lists
        default = info.devices()[0]
    assert default in info.devices()
    x = xp.asarray([1.0, 2.0], device=default)
    assert x.device == default
    for make in (
        lambda d: xp.zeros((2, 3), device=d),
        lambda d: xp.ones((2,), device=d),
        lambda d: xp.full((2,), 3.0, device=d),
        lambda d: xp.arange(4, device=d),
        lambda d: xp.eye(3, device=d),
        lambda d: xp.linspace(0.0, 1.0, 5, device=d),
        lambda d: xp.empty((2,), device=d),
        lambda d: xp.zeros_like(x, device=d),
    ):
        assert make(default).device == default
    y = x.to_device(default)
    assert isinstance(y, Array) and y._ns is xp and y.device == default
    np.testing.assert_array_equal(values(y), [1.0, 2.0])
    # results stay on their operands' device
    assert xp.exp(x).device == default and (x + x).device == default
