"""Many clients at once; a stuck op is abandoned without holding up the other sessions."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from flopscope.server import Limits, Server, ServerConfig, calls, fastpath
from tests.programs import QUICKSTART_CALLS, QUICKSTART_OPS
from tests.server.wire import QUICKSTART_FLOPS, Raw, quickstart


def _run_all(n: int, target) -> list:  # type: ignore[no-untyped-def]
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = target(i)
        except BaseException as exc:  # reported below with the thread's traceback
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return results


def test_sixteen_concurrent_quickstarts_bill_exactly_without_cross_talk(proc_url: str) -> None:
    def one(i: int) -> tuple[int, dict, np.ndarray]:
        c = Raw(proc_url)
        try:
            h = quickstart(c)
            summary = c.req("summary")
            ops = {
                k: (v["flop_cost"], v["calls"]) for k, v in summary["result"]["operations"].items()
            }
            return summary["budget"]["used"], ops, c.get(h).copy()
        finally:
            c.close()

    results = _run_all(16, one)
    first = results[0][2]
    for used, ops, h in results:
        assert used == QUICKSTART_FLOPS
        assert {k: cost for k, (cost, _) in ops.items()} == QUICKSTART_OPS
        assert {k: calls for k, (_, calls) in ops.items()} == QUICKSTART_CALLS
        np.testing.assert_array_equal(h, first)  # same seed, own stream: same numbers


def _sleep(seconds: float) -> None:
    time.sleep(seconds)  # stands for a long numpy kernel: both release the GIL


def _add_sleep_op(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve a test-only op ``sleep(seconds)``, always on a worker (a stuck op on demand)."""
    resolve, inline = calls.resolve, fastpath.inline
    monkeypatch.setattr(
        calls,
        "resolve",
        lambda name, *rest: (None, _sleep) if name == "sleep" else resolve(name, *rest),
    )
    monkeypatch.setattr(fastpath, "inline", lambda s, h: h.get("op") != "sleep" and inline(s, h))


@pytest.fixture
def quick_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """A server with a 0.3 s op limit and a test-only op ``sleep`` (a stuck op on demand)."""
    _add_sleep_op(monkeypatch)
    limits = Limits(budget=10**13, op_timeout_s=0.3)
    server = Server(ServerConfig(url="tcp://127.0.0.1:0", limits=limits)).start()
    yield server
    server.stop()


def test_stuck_op_times_out_and_does_not_delay_others(quick_timeout: Server) -> None:
    url = quick_timeout.url
    slow = Raw(url)
    t0 = time.perf_counter()
    slow.send("call", op="sleep", args=[3.0])
    queued = slow.send("call", op="add", args=[1, 2])  # waits behind the stuck op
    waits: list[float] = []

    def other(i: int) -> int:
        c = Raw(url)
        try:
            for _ in range(3):
                for op, args in [("add", [1, 2]), ("multiply", [c.put(np.ones(64)), 2.0])]:
                    t = time.perf_counter()
                    assert c.call(op, *args)["ok"]
                    waits.append(time.perf_counter() - t)
            h = quickstart(c)
            assert c.get(h).shape == (256,)
            return c.used()
        finally:
            c.close()

    assert all(u == QUICKSTART_FLOPS + 3 + 192 for u in _run_all(4, other))
    assert time.perf_counter() - t0 < 3.0  # the others finished while the op was stuck
    assert max(waits) < 0.3  # nobody else waited for it
    reply = slow.recv()
    assert reply["error"]["type"] == "TimeoutError", reply
    assert "per-op limit of 0.3 s" in reply["error"]["message"]
    assert time.perf_counter() - t0 < 0.3 + 1.0  # the limit plus the dispatcher's tick
    second = slow.recv()
    assert second["id"] == queued and second["error"]["type"] == "TimeoutError"
    busy = slow.call("add", 1, 2)
    assert busy["error"]["type"] == "TimeoutError" and "session busy" in busy["error"]["message"]
    deadline = time.perf_counter() + 30
    while not slow.call("add", 1, 2)["ok"]:  # usable again once the abandoned op returns
        assert time.perf_counter() < deadline
        time.sleep(0.05)
    assert slow.used() == 1  # the refused adds cost nothing; the last one 1 FLOP
    slow.close()
    # the abandoned op's drop notice was counted: the dispatcher owes no reply any more and
    # goes back to waiting on the client socket alone
    deadline = time.perf_counter() + 5
    while quick_timeout._awaiting:
        assert time.perf_counter() < deadline, quick_timeout._awaiting
        time.sleep(0.01)
    assert quick_timeout._awaiting == 0


def test_abandoned_ops_count_against_the_session_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    _add_sleep_op(monkeypatch)
    limits = Limits(op_timeout_s=0.2)
    server = Server(ServerConfig(url="tcp://127.0.0.1:0", limits=limits, max_sessions=2)).start()
    try:
        hog = Raw(server.url)
        hog.send("call", op="sleep", args=[2.0])
        assert hog.recv()["error"]["type"] == "TimeoutError"
        hog.close()  # reconnecting would start a fresh session: the stuck op still counts
        deadline = time.perf_counter() + 10
        while server.sessions:
            assert time.perf_counter() < deadline
            time.sleep(0.02)
        first = Raw(server.url)
        late = Raw(server.url, greet=False)
        assert late.req("hello", client="t", protocol=[1])["error"]["type"] == "MemoryError"
        time.sleep(2.0)  # the abandoned op returns
        assert late.req("hello", client="t", protocol=[1])["ok"]
        first.close()
    finally:
        server.stop()


def test_pipelined_requests_run_in_order(proc_url: str) -> None:
    c = Raw(proc_url)
    a = c.put(np.zeros(3))
    ids = []
    for i in range(50):  # worker ops (sort) and inline ones (setitem) interleaved
        ids.append(c.send("call", op="sort", args=[a]))
        ids.append(c.send("call", op="__setitem__", args=[a, 0, float(i + 1)]))
    replies = {}
    for _ in ids:
        r = c.recv()
        replies[r["id"]] = r
    assert sorted(replies) == sorted(ids) and all(r["ok"] for r in replies.values())
    for i in range(50):  # each sort saw exactly the writes sent before it
        got = c.get(replies[ids[2 * i]]["result"])
        assert got.tolist() == [0.0, 0.0, float(i)]
    c.close()
