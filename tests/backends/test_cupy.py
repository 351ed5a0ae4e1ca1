"""The cupy backend (needs cupy and a CUDA GPU; skipped cleanly otherwise)."""

from __future__ import annotations

import numpy as np
import pytest

cupy = pytest.importorskip("cupy")
try:
    _GPUS = cupy.cuda.runtime.getDeviceCount()
except Exception:  # cupy without a driver
    _GPUS = 0
if not _GPUS:
    pytest.skip("cupy needs a CUDA GPU", allow_module_level=True)

import array_api_compat.cupy as compat_cupy  # noqa: E402
import backend_checks as checks  # noqa: E402

import flopscope as flops  # noqa: E402
from flopscope.backends import get_adapter  # noqa: E402
from flopscope.backends.cupy import ADAPTER  # noqa: E402

XC = flops.namespace("cupy")


def test_adapter() -> None:
    assert get_adapter(cupy) is ADAPTER and get_adapter(compat_cupy) is ADAPTER
    assert flops.namespace(cupy) is XC
    caps = ADAPTER.capabilities
    assert caps.einsum and caps.complex and not caps.lazy
    assert caps.extensions == ("linalg", "fft") and len(caps.devices) == _GPUS
    assert ADAPTER.shape(cupy.ones((2, 3))) == (2, 3)


def test_quickstart_bills_the_same_as_numpy() -> None:
    checks.check_quickstart(XC)


def test_quickstart_with_cupy_rng() -> None:
    rng = cupy.random.default_rng(0)
    ws = [rng.standard_normal((256, 256)) / 256 for _ in range(5)]
    h = rng.standard_normal(256)
    checks.check_quickstart_with_backend_rng(XC, ws, h)


def test_refusals_operators_protocol_identity() -> None:
    checks.check_refusals_leave_no_trace(XC)
    checks.check_operators_bill_as_functions(XC)
    checks.check_namespace_protocol(XC, cupy.ones((2, 3)))
    checks.check_identity_and_weakref(XC)


def test_devices() -> None:
    checks.check_devices(XC)
    x = XC.asarray(np.arange(3.0))
    assert x.device == cupy.cuda.Device(0)
    host = np.from_dlpack(x.to_device(x.device))  # DLPack exchange stays free
    np.testing.assert_array_equal(
        np.asarray(host.get() if hasattr(host, "get") else host), [0, 1, 2]
    )


def test_einsum_uses_cupy() -> None:
    a = XC.asarray(np.arange(6.0).reshape(2, 3))
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        r = XC.einsum("ij,j->i", a, a[0, :], dtype=XC.float32, optimize=True)
    assert r.dtype == cupy.float32 and ctx.flops_used == 2 * 5
    np.testing.assert_allclose(checks.values(r), np.arange(6.0).reshape(2, 3) @ np.arange(3.0))
