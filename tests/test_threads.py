"""Thread model (spec §3.10, corrected): contexts are per thread and per asyncio task, and one
context entered in several threads is charged atomically."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _budget
from flopscope.errors import BudgetExhaustedError

THREADS = 8


@pytest.fixture(autouse=True)
def _frequent_thread_switches() -> Iterator[None]:
    # switch threads far more often than the default 5 ms so that charges interleave
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(old)


def _run_threads(target: Callable[[int], None], n: int = THREADS) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_eight_threads_charge_one_context_exactly() -> None:
    calls = 20_000
    ctx = flops.BudgetContext(10**12, quiet=True)
    x = np.ones(4)
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def work(_: int) -> None:
        try:
            with ctx:  # each worker enters the shared context in its own thread
                start.wait()
                add = fnp.add
                for _ in range(calls):
                    add(x, x)
        except BaseException as e:  # pragma: no cover - reported below
            failures.append(e)

    _run_threads(work)
    assert failures == []
    total = THREADS * calls
    assert ctx.flops_used == 4 * total
    log = ctx.op_log
    assert len(log) == total
    # every reservation got its own cumulative value: no lost or doubled update
    assert sorted(r.cumulative for r in log) == list(range(4, 4 * total + 1, 4))
    add_entry = ctx.summary_dict()["operations"]["add"]
    assert (add_entry["flop_cost"], add_entry["calls"]) == (4 * total, total)
    assert ctx._open == 0 and ctx.wall_time_s is not None


def test_concurrent_refusals_never_overspend() -> None:
    fit = 5_000
    ctx = flops.BudgetContext(4 * fit, quiet=True)
    x = np.ones(4)
    refused = [0] * THREADS
    start = threading.Barrier(THREADS)

    def work(i: int) -> None:
        with ctx:
            start.wait()
            for _ in range(1_000):
                try:
                    fnp.add(x, x)
                except BudgetExhaustedError:
                    refused[i] += 1

    _run_threads(work)
    assert ctx.flops_used == 4 * fit
    assert ctx.flops_remaining == 0
    assert len(ctx.op_log) == fit
    assert sum(refused) == THREADS * 1_000 - fit


def test_each_thread_its_own_context() -> None:
    contexts = [flops.BudgetContext(10**9, quiet=True) for _ in range(THREADS)]

    def work(i: int) -> None:
        with contexts[i]:
            for _ in range(100):
                fnp.add(np.ones(i + 1), 1)

    _run_threads(work)
    assert [c.flops_used for c in contexts] == [100 * (i + 1) for i in range(THREADS)]
    assert all(len(c.op_log) == 100 for c in contexts)


def test_context_is_invisible_to_threads_that_did_not_enter_it() -> None:
    default = _budget.default_context()
    before = default.flops_used
    with flops.BudgetContext(100, quiet=True) as ctx:
        _run_threads(lambda i: fnp.add(np.ones(5), 1), n=2)
        fnp.add(np.ones(1), 1)
    assert ctx.flops_used == 1
    assert default.flops_used == before + 10


def test_labels_are_per_thread_on_a_shared_context() -> None:
    ctx = flops.BudgetContext(10**9, quiet=True, namespace="run")
    start = threading.Barrier(4)

    def work(i: int) -> None:
        with ctx, flops.scope(f"w{i}"):
            start.wait()
            for _ in range(200):
                fnp.add(np.ones(i + 1), 1)

    _run_threads(work, n=4)
    spaces = ctx.summary_dict(by_namespace=True)["by_namespace"]
    assert {k: (v["flops_used"], v["calls"]) for k, v in spaces.items()} == {
        f"run.w{i}": (200 * (i + 1), 200) for i in range(4)
    }


def test_refunds_under_contention_keep_the_total_exact() -> None:
    ctx = flops.BudgetContext(10**9, quiet=True)

    def work(i: int) -> None:
        with ctx:
            for j in range(500):
                if j % 2:
                    try:
                        fnp.add(np.ones(3), 1, casting="bogus")
                    except ValueError:
                        pass
                else:
                    fnp.add(np.ones(3), 1)

    _run_threads(work)
    assert ctx.flops_used == THREADS * 250 * 3
    assert len(ctx.op_log) == THREADS * 250
