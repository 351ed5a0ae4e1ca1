"""Sessions come and go: disconnects and idle reaping free memory; caps on sessions."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pytest
import zmq

from flopscope.server import Limits, Server, ServerConfig
from tests.server.wire import A, Raw


def _wait(cond, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


@pytest.fixture
def server() -> Iterator[Server]:
    limits = Limits(budget=10**9, idle_timeout_s=0.5, op_timeout_s=5.0)
    s = Server(ServerConfig(url="tcp://127.0.0.1:0", limits=limits, max_sessions=3)).start()
    yield s
    s.stop()


def test_disconnect_frees_the_session(server: Server) -> None:
    c = Raw(server.url)
    c.put(np.ones(1000))
    c.ok("sort", c.put(np.arange(10.0)))  # a worker-run op: the worker thread exists too
    assert len(server.sessions) == 1
    (session,) = server.sessions.values()
    assert session.nbytes == 8000 + 80 + 80
    c.close()
    _wait(lambda: not server.sessions)
    _wait(lambda: session.nbytes == 0 and not session.handles)


def test_idle_sessions_are_reaped(server: Server) -> None:
    c = Raw(server.url)
    h = c.put(np.ones(10))
    (session,) = server.sessions.values()
    _wait(lambda: not server.sessions, 5)
    assert not session.handles
    # the connection is still open: its next request starts a fresh session
    reply = c.req("get", handle=h)
    assert reply["error"]["type"] == "ProtocolError"
    assert c.req("hello", client="t", protocol=[1])["ok"]
    assert c.req("get", handle=h)["error"]["message"] == "unknown handle 1"


def test_session_cap(server: Server) -> None:
    clients = [Raw(server.url) for _ in range(3)]
    extra = Raw(server.url, greet=False)
    reply = extra.req("hello", client="t", protocol=[1])
    assert reply["error"]["type"] == "MemoryError"
    clients[0].close()
    _wait(lambda: len(server.sessions) == 2)
    assert extra.req("hello", client="t", protocol=[1])["ok"]


def test_start_closed_sessions_wait_for_the_operator() -> None:
    config = ServerConfig(url="tcp://127.0.0.1:0", token=b"tok", start_closed=True)
    s = Server(config).start()
    try:
        c = Raw(s.url)
        assert c.call("add", 1, 2)["error"]["type"] == "NoBudgetContextError"
        (key,) = (k.hex() for k in s.sessions)
        op = Raw(s.url)
        assert op.req("admin", token="tok", action="open", session=key, budget=10)["ok"]
        assert c.call("add", 1, 2)["budget"] == {"used": 1, "limit": 10, "remaining": 9}
    finally:
        s.stop()


def test_oversize_message_drops_only_that_connection() -> None:
    limits = Limits(max_array_bytes=1 << 10, max_message_bytes=1 << 16)
    s = Server(ServerConfig(url="tcp://127.0.0.1:0", limits=limits)).start()
    try:
        other = Raw(s.url)
        hog = Raw(s.url, timeout_ms=1500)
        hog.send("put", (b"\0" * (1 << 17),))  # over ZeroMQ's MAXMSGSIZE: disconnected
        with pytest.raises(zmq.Again):
            hog.recv()
        assert other.ok("add", 1, 2) is not None
        small = hog.req("put", (b"\0" * 2048,), value=A("float64", [256]))
        assert small["error"]["type"] in ("ProtocolError", "MemoryError")  # a fresh session
    finally:
        s.stop()


def test_ipc_socket_is_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.sock"
    s = Server(ServerConfig(url=f"ipc://{path}")).start()
    try:
        assert path.stat().st_mode & 0o077 == 0  # only the owner may connect
        assert Raw(s.url).ok("add", 1, 2) is not None
    finally:
        s.stop()
