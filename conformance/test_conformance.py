"""The tables on the selected backends and models (see conftest.py for the options)."""

from __future__ import annotations

from typing import Any

import pytest

from conformance import runner, table
from conformance.__main__ import check_backend


def test_family(family: str, backend: str, model_spec: str, run_family: Any) -> None:
    why = check_backend(backend)
    if why:
        pytest.fail(f"backend {backend!r} cannot run: {why}")
    results = run_family(family, backend, model_spec)
    # every case is present: run, passed or declared unsupported, never dropped
    assert [r.id for r in results] == [row["id"] for row in table.load([family])]
    fails = [f"{r.id}: {r.detail}" for r in results if r.status == runner.FAIL]
    assert not fails, "\n".join(fails)
    if backend == "numpy":  # the NumPy surface runs every case
        assert all(r.status == runner.PASS for r in results)


def test_totals_identical_across_backends(model_spec: str, run_family: Any, request: Any) -> None:
    from conformance.conftest import selected_backends

    backends = [b for b in selected_backends(request.config) if not check_backend(b)]
    if len(backends) < 2:
        pytest.skip("one backend selected: nothing to compare")
    results = [
        r for fam in table.families() for b in backends for r in run_family(fam, b, model_spec)
    ]
    assert runner.cross_check(results) == []


def quickstart(xp: Any) -> None:
    """The README's quick start written against a namespace (deterministic weights)."""
    import numpy as np

    depth, width = 5, 256
    weights = [
        xp.asarray(np.linspace(-1.0, 1.0, width * width).reshape(width, width) / (width * (i + 1)))
        for i in range(depth)
    ]
    h = xp.asarray(np.linspace(0.1, 0.9, width))
    for i, w in enumerate(weights):
        h = xp.matmul(w, h)
        if i < depth - 1:
            h = xp.maximum(h, xp.zeros_like(h))
    xp.sum(xp.exp(h))


#: 5 matvecs of 256·(2·256 − 1), 4 maximum of 256, exp of 256 (× 16 under flopscope), sum 255
QUICKSTART = {
    "flopscope": 5 * 256 * 511 + 4 * 256 + 16 * 256 + 255,
    "exact": 5 * 256 * 511 + 4 * 256 + 256 + 255,
    "fma": 5 * 2 * 256 * 256 + 4 * 256 + 256 + 255,
    "mac": 5 * 256 * 256 + 4 * 256 + 256 + 255,
}


@pytest.mark.parametrize("model", sorted(QUICKSTART))
def test_quickstart_bills_the_same_on_every_backend(model: str, request: Any) -> None:
    import flopscope as flops
    from conformance.conftest import selected_backends

    totals = {}
    for backend in selected_backends(request.config):
        if check_backend(backend):
            continue
        with flops.BudgetContext(10**9, cost_model=model, quiet=True) as budget:
            quickstart(flops.namespace(backend))
        totals[backend] = budget.flops_used
    assert totals and set(totals.values()) == {QUICKSTART[model]}, totals
