"""The jax backend (``jax.numpy`` is a standard namespace itself; skipped without jax).

JAX arrays are immutable: in-place operators rebind the counted array and bill the same.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)  # float64 like the numpy reference

import backend_checks as checks  # noqa: E402
import jax.numpy as jnp  # noqa: E402

import flopscope as flops  # noqa: E402
from flopscope._array import Array  # noqa: E402
from flopscope.backends import get_adapter  # noqa: E402
from flopscope.backends.jax import ADAPTER  # noqa: E402

XJ = flops.namespace("jax")


def test_adapter() -> None:
    assert get_adapter(jnp) is ADAPTER and get_adapter("jax.numpy") is ADAPTER
    assert flops.namespace(jnp) is XJ and ADAPTER.xp is jnp
    caps = ADAPTER.capabilities
    assert caps.einsum and caps.complex and not caps.lazy and caps.devices
    assert ADAPTER.shape(jnp.ones((2, 3))) == (2, 3)


def test_quickstart_bills_the_same_as_numpy() -> None:
    checks.check_quickstart(XJ)


def test_quickstart_with_jax_rng() -> None:
    keys = jax.random.split(jax.random.key(0), 6)
    ws = [jax.random.normal(k, (256, 256), dtype=jnp.float64) / 256 for k in keys[:5]]
    h = jax.random.normal(keys[5], (256,), dtype=jnp.float64)
    checks.check_quickstart_with_backend_rng(XJ, ws, h)


def test_refusals_operators_protocol_identity() -> None:
    checks.check_refusals_leave_no_trace(XJ)
    checks.check_operators_bill_as_functions(XJ)
    checks.check_namespace_protocol(XJ, jnp.ones((2, 3)))
    checks.check_identity_and_weakref(XJ)


def test_in_place_operators_rebind_immutable_arrays() -> None:
    x = XJ.ones(3)
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        x += 2.0
    assert isinstance(x, Array) and ctx.flops_used == 3
    np.testing.assert_array_equal(checks.values(x), [3.0, 3.0, 3.0])


def test_devices() -> None:
    checks.check_devices(XJ)


def test_einsum_dtype() -> None:
    a = XJ.asarray(np.arange(6.0).reshape(2, 3))
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        r = XJ.einsum("ij,j->i", a, a[0, :], dtype=XJ.float32, optimize=True)
    assert r.dtype == jnp.float32 and ctx.flops_used == 2 * 5
    np.testing.assert_allclose(checks.values(r), np.arange(6.0).reshape(2, 3) @ np.arange(3.0))
