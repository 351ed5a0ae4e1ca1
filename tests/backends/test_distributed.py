"""The dask backend on a ``dask.distributed`` cluster (one in-process worker on loopback TCP).

Pricing happens in the client when the graph is built; the cluster only ever sees the graph
when the user computes it, and computing bills nothing more.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

distributed = pytest.importorskip("dask.distributed")
da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

import backend_checks as checks  # noqa: E402

import flopscope as flops  # noqa: E402
from flopscope._array import Array  # noqa: E402

XD = flops.namespace("dask")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_the_cluster_listens_on_loopback(client: Any) -> None:
    assert client.scheduler.address.startswith("tcp://127.0.0.1:")
    assert len(client.scheduler_info()["workers"]) == 1


def test_quickstart_priced_in_the_client_computed_on_the_cluster(client: Any) -> None:
    ws, h = checks.weights()
    dws = [XD.asarray(w, chunks=128) for w in ws]
    dh = XD.asarray(h, chunks=128)
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        r = checks.quickstart(XD, dws, dh)
        priced = ctx.flops_used
        future = client.compute(r.backend_array)
        value = future.result()
    assert priced == ctx.flops_used == checks.QUICKSTART_TOTAL  # computing bills nothing
    assert len(ctx.op_log) == 5 + 4 + 2
    assert float(value) == pytest.approx(float(checks.quickstart(np, ws, h)), rel=1e-10)


def _boom() -> np.ndarray:
    raise RuntimeError("computed on the cluster")


def test_pricing_sends_nothing_to_the_cluster(client: Any) -> None:
    raw = da.from_delayed(dask.delayed(_boom)(), shape=(1000, 1000), dtype=np.float64)
    x = Array(raw, XD)
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        y = XD.sum(XD.exp(x @ x))
    assert ctx.flops_used == 1000 * 1000 * 1999 + 16 * 10**6 + (10**6 - 1)
    with pytest.raises(RuntimeError, match="computed on the cluster"):
        client.compute(y.backend_array).result()  # the data only exists when computed


def test_persisted_arrays_keep_pricing_from_metadata(client: Any) -> None:
    x = XD.asarray(np.arange(16.0).reshape(4, 4), chunks=2)
    persisted = Array(client.persist(x.backend_array), XD)
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        r = XD.matmul(persisted, persisted)
    assert ctx.flops_used == 16 * 7
    np.testing.assert_allclose(
        client.compute(r.backend_array).result(),
        np.arange(16.0).reshape(4, 4) @ np.arange(16.0).reshape(4, 4),
    )
