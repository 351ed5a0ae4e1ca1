"""The dask backend: priced when the graph is built, nothing computed to price a call.

Unknown chunk shapes (after boolean masking) cannot be priced and raise naming the op;
functions dask cannot run are refused at lookup. The function sweep checks every counted
standard function against dask's own (array-api-compat) call.
"""

from __future__ import annotations

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

import array_api_compat.dask.array as compat_dask  # noqa: E402
import backend_checks as checks  # noqa: E402
from array_api_calls import entries, qualname, strategy  # noqa: E402
from backend_sweep import check_call  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import flopscope as flops  # noqa: E402
from flopscope._array import Array  # noqa: E402
from flopscope.backends import (  # noqa: E402
    BackendUnsupportedError,
    UnknownShapeError,
    get_adapter,
    unsupported,
)
from flopscope.backends.dask import ADAPTER  # noqa: E402
from flopscope.ops import Op  # noqa: E402

XD = flops.namespace("dask")
XS = flops.namespace("array_api_strict")

#: what compat's dask namespace lacks (flopscope refuses them at lookup)
DASK_UNSUPPORTED = (
    "from_dlpack",
    "linalg.cross",
    "linalg.det",
    "linalg.eigh",
    "linalg.eigvalsh",
    "linalg.matrix_power",
    "linalg.matrix_rank",
    "linalg.pinv",
    "linalg.slogdet",
    "linalg.svdvals",
    "take_along_axis",
)


def _boom() -> np.ndarray:
    raise AssertionError("flopscope computed a dask graph")


def _never_computed(shape: tuple[int, ...]) -> Array:
    """A counted dask array whose data would raise if anything ever computed it."""
    raw = da.from_delayed(dask.delayed(_boom)(), shape=shape, dtype=np.float64)
    return Array(raw, XD)


def test_adapter() -> None:
    assert get_adapter(da) is ADAPTER and get_adapter(compat_dask) is ADAPTER
    assert get_adapter("dask.array") is ADAPTER and flops.namespace(da) is XD
    caps = ADAPTER.capabilities
    assert caps.lazy is True and caps.einsum is True and caps.complex is True
    assert caps.devices[0] == "cpu" and caps.extensions == ("linalg", "fft")
    assert caps.unsupported == ("linalg.matrix_rank", "linalg.svdvals")
    assert unsupported(ADAPTER) == DASK_UNSUPPORTED


def test_shapes_come_from_metadata() -> None:
    x = da.ones((4, 6), chunks=(2, 3))
    assert ADAPTER.shape(x) == (4, 6) and ADAPTER.public_shape(x) == (4, 6)
    masked = x[x[:, 0] > 0]
    assert ADAPTER.public_shape(masked) == (None, 6)
    with pytest.raises(UnknownShapeError, match="compute_chunk_sizes") as info:
        ADAPTER.shape(masked)
    assert info.value.op_name is None and info.value.backend == "dask"
    assert info.value.naming("exp").op_name == "exp"


def test_quickstart_bills_the_same_as_numpy() -> None:
    checks.check_quickstart(XD)
    checks.check_quickstart(XD, chunks=64)


def test_quickstart_with_dask_rng() -> None:
    rs = da.random.default_rng(0)
    ws = [rs.standard_normal((256, 256), chunks=128) / 256 for _ in range(5)]
    h = rs.standard_normal(256, chunks=128)
    checks.check_quickstart_with_backend_rng(XD, ws, h)


def _program(xp: object, ws: list, h: object) -> tuple:
    r = checks.quickstart(xp, ws, h)
    r2 = xp.einsum("ij,jk->ik", ws[0], ws[1])
    r3 = xp.concat([h, h])
    r4 = xp.linalg.vector_norm(ws[0], axis=0) + h
    return r, r2, r3, r4


def test_pricing_computes_nothing() -> None:
    ws = [_never_computed((256, 256)) for _ in range(5)]
    h = _never_computed((256,))
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        r, r2, r3, r4 = _program(XD, ws, h)
    assert r.shape == () and r2.shape == (256, 256) and r3.shape == (512,) and r4.shape == (256,)
    with pytest.raises(AssertionError, match="computed a dask graph"):
        r.backend_array.compute()  # the data only exists once the user computes
    xp = flops.namespace("numpy")
    nws, nh = checks.weights()
    nws, nh = [xp.asarray(w) for w in nws], xp.asarray(nh)
    with flops.BudgetContext(10**12, quiet=True) as np_ctx:
        _program(xp, nws, nh)
    assert [rec[:4] for rec in ctx.op_log] == [rec[:4] for rec in np_ctx.op_log]
    assert (
        ctx.flops_used
        == np_ctx.flops_used
        == checks.QUICKSTART_TOTAL + 256 * 256 * 511 + 512 + 256 * 512 + 256
    )


@pytest.mark.filterwarnings("ignore:Increasing number of chunks")
def test_a_computation_larger_than_any_machine_is_priced_without_running() -> None:
    n = 10**6
    a = XD.ones((n, n), dtype=XD.float32, chunks=(100_000, 100_000))  # 4 TB, never allocated
    with flops.BudgetContext(flop_budget=10**19, quiet=True) as budget:
        c = XD.matmul(a, a)
        total = XD.sum(c)
    assert budget.flops_used == n * n * (2 * n - 1) + (n * n - 1)
    assert c.shape == (n, n) and total.shape == ()
    with flops.BudgetContext(flop_budget=10**18, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError, match="matmul"):
            XD.matmul(a, a)
    assert budget.flops_used == 0


def test_unknown_shapes_raise_naming_the_op_and_charge_nothing() -> None:
    x = XD.asarray(np.arange(10.0), chunks=5)
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        m = x[x > 3.0]  # a comparison (counted) and boolean indexing (free)
        used = ctx.flops_used
        assert m.shape == (None,) and m.size is None
        calls = {
            "exp": lambda: XD.exp(m),
            "add": lambda: m + 1.0,
            "multiply": lambda: 2.0 * m,
            "negative": lambda: -m,
            "sum": lambda: XD.sum(m),
            "matmul": lambda: XD.matmul(m, m),
            "concat": lambda: XD.concat([m, m]),
            "linalg.vector_norm": lambda: XD.linalg.vector_norm(m),
            "einsum": lambda: XD.einsum("i,i->", m, m),
        }
        for name, call in calls.items():
            with pytest.raises(UnknownShapeError, match="compute_chunk_sizes") as info:
                call()
            assert info.value.op_name == name and str(info.value).startswith(f"{name}: ")
            assert isinstance(info.value, flops.FlopscopeError)
            assert isinstance(info.value, ValueError)
        assert ctx.flops_used == used
        m.backend_array.compute_chunk_sizes()  # the user computes the mask, explicitly
        assert m.shape == (6,)
        r = XD.exp(m)
    assert ctx.flops_used == used + 6 * 16
    np.testing.assert_allclose(checks.values(r), np.exp(np.arange(4.0, 10.0)))


def test_unsupported_functions_are_refused_at_lookup() -> None:
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        for qual in DASK_UNSUPPORTED:
            module, _, name = qual.rpartition(".")
            owner = getattr(XD, module) if module else XD
            declared = qual in ADAPTER.capabilities.unsupported
            why = "fails on every input" if declared else "standard namespace lacks it"
            with pytest.raises(BackendUnsupportedError, match=f"'dask'.*{qual}.*{why}"):
                getattr(owner, name)
            assert not hasattr(owner, name)
    assert ctx.flops_used == 0


def test_refusals_leave_no_trace() -> None:
    checks.check_refusals_leave_no_trace(XD)


def test_operators_bill_as_functions() -> None:
    checks.check_operators_bill_as_functions(XD)


def test_namespace_protocol_and_identity() -> None:
    checks.check_namespace_protocol(XD, da.ones((2, 3)))
    checks.check_identity_and_weakref(XD)


def test_devices() -> None:
    checks.check_devices(XD)
    assert XD.asarray([1.0]).device == "cpu"
    assert ADAPTER.devices() == tuple(compat_dask.__array_namespace_info__().devices())
    assert XD.asarray([1.0]).to_device("cpu").device == "cpu"


def test_chunks_pass_through_creation() -> None:
    x = XD.zeros((10, 10), chunks=(5, 2))
    assert x.backend_array.chunks == ((5, 5), (2,) * 5)


# -- the function sweep on dask ----------------------------------------------------------------

ENTRIES = entries()


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")
@pytest.mark.parametrize(
    ("module", "name", "op"), ENTRIES, ids=[qualname(m, n) for m, n, _ in ENTRIES]
)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_function_on_dask_matches_dask_and_bills_as_strict(
    module: str, name: str, op: Op, data: st.DataObject
) -> None:
    call = data.draw(strategy(module, name, op), label="call")
    with flops.BudgetContext(10**15, quiet=True) as ctx:
        fn = getattr(getattr(XS, module) if module else XS, name)
        try:
            fn(*_strict_counted(call.args), **_strict_counted(call.kwargs))
        except Exception:
            return  # strict rejects it: test_functions checks that refusal
        cost, records = ctx.flops_used, len(ctx.op_log)
        check_call(ctx, XD, module, name, call, cost, records)


def _strict_counted(value: object) -> object:
    if XS._adapter.is_array(value):
        return Array(value, XS)
    if type(value) in (list, tuple):
        return type(value)(_strict_counted(v) for v in value)
    if type(value) is dict:
        return {k: _strict_counted(v) for k, v in value.items()}
    return value
