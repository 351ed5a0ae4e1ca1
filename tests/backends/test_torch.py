"""The torch backend: capabilities, billing identical to numpy, devices (cpu, meta, cuda)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import array_api_compat.torch as compat_torch  # noqa: E402
import backend_checks as checks  # noqa: E402

import flopscope as flops  # noqa: E402
from flopscope._array import Array  # noqa: E402
from flopscope.backends import BackendUnsupportedError, Capabilities, get_adapter  # noqa: E402
from flopscope.backends.torch import ADAPTER  # noqa: E402

XT = flops.namespace("torch")
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


def test_adapter() -> None:
    assert get_adapter(torch) is ADAPTER and get_adapter(compat_torch) is ADAPTER
    assert flops.namespace(torch) is XT and XT._adapter is ADAPTER
    assert ADAPTER.xp is compat_torch
    caps = ADAPTER.capabilities
    assert caps == Capabilities(
        einsum=True,
        complex=True,
        devices=caps.devices,
        lazy=False,
        extensions=("linalg", "fft"),
        unsupported=("unique_all",),
    )
    assert "cpu" in caps.devices and "meta" in caps.devices
    assert ("cuda:0" in caps.devices) == torch.cuda.is_available()


def test_shapes_are_plain_int_tuples() -> None:
    s = ADAPTER.shape(torch.ones(2, 3))
    assert s == (2, 3) and type(s) is tuple
    assert ADAPTER.shape_of(1.5) == () and ADAPTER.shape_of(torch.tensor(2)) == ()
    with pytest.raises(TypeError, match="torch"):
        ADAPTER.shape_of(np.ones(2))


def test_quickstart_bills_the_same_as_numpy() -> None:
    checks.check_quickstart(XT)
    checks.check_quickstart(XT, dtype=XT.float64)


def test_quickstart_with_torch_rng() -> None:
    g = torch.Generator().manual_seed(0)
    ws = [torch.randn(256, 256, generator=g, dtype=torch.float64) / 256 for _ in range(5)]
    h = torch.randn(256, generator=g, dtype=torch.float64)
    checks.check_quickstart_with_backend_rng(XT, ws, h)
    with flops.BudgetContext(10**12, quiet=True):
        got = checks.quickstart(XT, ws, h)
    native = torch.sum(torch.exp(_native_layers(ws, h)))
    torch.testing.assert_close(got.backend_array, native)


def _native_layers(ws: list[Any], h: Any) -> Any:
    for i, w in enumerate(ws):
        h = w @ h
        if i < len(ws) - 1:
            h = torch.clamp_min(h, 0.0)
    return h


def test_float32_quickstart_matches_torch_within_float32_tolerance() -> None:
    ws, h = checks.weights()
    w32 = [torch.asarray(w, dtype=torch.float32) for w in ws]
    h32 = torch.asarray(h, dtype=torch.float32)
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        got = checks.quickstart(XT, w32, h32)
    assert ctx.flops_used == checks.QUICKSTART_TOTAL
    assert got.dtype == torch.float32
    torch.testing.assert_close(got.backend_array, torch.sum(torch.exp(_native_layers(w32, h32))))


def test_refusals_leave_no_trace() -> None:
    checks.check_refusals_leave_no_trace(XT)


def test_operators_bill_as_functions() -> None:
    checks.check_operators_bill_as_functions(XT)


def test_namespace_protocol_and_identity() -> None:
    checks.check_namespace_protocol(XT, torch.ones(2, 3))
    checks.check_identity_and_weakref(XT)


def test_devices() -> None:
    checks.check_devices(XT)
    x = XT.asarray([1.0, 2.0], device="cpu")
    assert x.device == torch.device("cpu")
    devices = compat_torch.__array_namespace_info__().devices()
    assert XT.__array_namespace_info__().devices() == devices
    assert ADAPTER.devices() == tuple(devices) and torch.device("meta") in devices


def test_meta_tensors_price_without_memory_or_compute() -> None:
    """A meta tensor has a shape and no data: the whole model is priced, nothing runs."""
    n = 100_000
    a = XT.ones((n, n), device="meta")
    with flops.BudgetContext(10**16, quiet=True) as ctx:
        c = XT.exp(XT.matmul(a, a))
    assert ctx.flops_used == n * n * (2 * n - 1) + 16 * n * n
    assert c.shape == (n, n) and c.device == torch.device("meta")


def test_einsum_uses_torch_and_promotes_like_the_standard() -> None:
    a = XT.asarray(np.arange(6.0).reshape(2, 3), dtype=XT.float32)
    b = XT.asarray(np.arange(3.0), dtype=XT.float64)
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        r = XT.einsum("ij,j->i", a, b)
        d = XT.einsum("ii->i", XT.eye(3), optimize=True)
        s = XT.einsum("ij,j->i", a, a[0, :], dtype=XT.float64)
    assert r.dtype == torch.float64 and s.dtype == torch.float64
    np.testing.assert_array_equal(checks.values(r), np.arange(6.0).reshape(2, 3) @ np.arange(3.0))
    np.testing.assert_array_equal(checks.values(d), np.ones(3))
    assert ctx.flops_used == 2 * 5 + 0 + 2 * 5
    with pytest.raises(TypeError, match="unexpected keyword"):
        XT.einsum("i->", b, out=None)


def test_unsupported_function_is_refused_at_lookup() -> None:
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        with pytest.raises(
            BackendUnsupportedError, match="torch.*unique_all.*fails on every input"
        ) as info:
            XT.unique_all(XT.ones(3))
    assert ctx.flops_used == 0 and len(ctx.op_log) == 0
    assert isinstance(info.value, flops.UnsupportedFunctionError)
    assert isinstance(info.value, AttributeError)
    assert not hasattr(XT, "unique_all")
    assert info.value.backend == "torch" and info.value.func_name == "unique_all"


def test_torch_errors_are_refunded_and_keep_their_type() -> None:
    a, b = XT.ones((2, 3)), XT.ones((4, 5))
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        with pytest.raises(RuntimeError):
            a @ b
        with pytest.raises(RuntimeError):
            XT.add(a, b)
    assert ctx.flops_used == 0 and len(ctx.op_log) == 0


def test_in_place_operators_keep_the_tensor() -> None:
    x = XT.ones(3)
    raw = x.backend_array
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        x *= 3.0
    assert isinstance(x, Array) and x.backend_array is raw
    np.testing.assert_array_equal(checks.values(x), [3.0, 3.0, 3.0])
    assert ctx.flops_used == 3


@CUDA
def test_cuda_device_round_trip_bills_nothing() -> None:
    x = XT.asarray([1.0, 2.0])
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        g = x.to_device("cuda")
        y = XT.exp(g)
        z = XT.zeros((2,), device="cuda")
    assert g.device.type == "cuda" and y.device.type == "cuda" and z.device.type == "cuda"
    assert ctx.flops_used == 32
    np.testing.assert_allclose(checks.values(y.to_device("cpu")), np.exp([1.0, 2.0]))


@CUDA
def test_quickstart_on_cuda_bills_the_same() -> None:
    checks.check_quickstart(XT, device="cuda")
