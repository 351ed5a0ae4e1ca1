"""The client's one connection to the server: a ZeroMQ DEALER socket, one request at a time.

The connection is made lazily on the first request (importing the client needs no server)
and starts with the ``hello`` handshake. The server answers one connection's requests in
order; replies with an id this client did not wait for (the fire-and-forget ``free``
requests that release garbage-collected handles) are dropped.
"""

from __future__ import annotations

import itertools
import os
import threading
from typing import Any

import zmq
from zmq.backend import Socket as _Base

from . import __version__
from ._codec import decode, encode
from .errors import ProtocolError, from_reply

PROTOCOLS = (1,)

#: handles released by garbage collection are sent to the server in batches of this size
FREE_BATCH = 32
#: frames at least this big are sent without a copy (a zero-copy send of a small frame costs
#: more than copying it)
ZERO_COPY_BYTES = 1 << 16


# pyzmq's Python-level socket wrappers (send_multipart's enum flags, routing-id checks) cost
# about 10 µs a round trip; the Cython methods beneath them do the same work
_send, _recv, _get = _Base.send, _Base.recv, _Base.get
_SNDMORE, _RCVMORE = int(zmq.SNDMORE), int(zmq.RCVMORE)


def _send_frames(sock: zmq.Socket, frames: list[bytes]) -> None:
    last = len(frames) - 1
    for i, f in enumerate(frames):
        _send(sock, f, _SNDMORE if i < last else 0, copy=len(f) < ZERO_COPY_BYTES)


def _recv_frames(sock: zmq.Socket) -> list[bytes]:
    frames = [_recv(sock)]
    while _get(sock, _RCVMORE):
        frames.append(_recv(sock))
    return frames


def default_url() -> str:
    """``FLOPSCOPE_SERVER_URL``, else the server's default IPC socket."""
    url = os.environ.get("FLOPSCOPE_SERVER_URL")
    if url:
        return url
    base = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return f"ipc://{base}/flopscope-{uid}.sock"


class Connection:
    """A session on one server. Thread-safe: requests are serialised by a lock."""

    def __init__(self, url: str, timeout_s: float | None = None) -> None:
        self.url = url
        self.timeout_ms = -1 if timeout_s is None else int(timeout_s * 1000)
        self._pid = os.getpid()
        self._ctx = zmq.Context.instance()
        self._sock: zmq.Socket | None = None
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._pending_free: list[int] = []
        self.server: dict[str, Any] = {}
        self.budget: dict[str, Any] = {}
        #: bumped by every op: 0-d values cached in proxies are valid only within one epoch
        self.epoch = 0
        #: requests sent on this connection (tests count round trips with it)
        self.requests = 0

    # -- lifecycle --------------------------------------------------------------------------

    def _socket(self) -> zmq.Socket:
        if self._pid != os.getpid():
            # a forked child must not touch its parent's socket: it gets its own session
            # (the parent's handles are unknown there)
            self._pid, self._sock = os.getpid(), None
            self._ctx = zmq.Context.instance()
            self._pending_free.clear()
        if self._sock is None:
            sock = self._ctx.socket(zmq.DEALER)
            sock.setsockopt(zmq.LINGER, 0)
            sock.connect(self.url)
            self._sock = sock
            try:
                self._hello()
            except BaseException:
                self.close()
                raise
        return self._sock

    def _hello(self) -> None:
        _, reply = self._roundtrip(
            {
                "kind": "hello",
                "client": f"flopscope-client {__version__}",
                "protocol": list(PROTOCOLS),
            }
        )
        if reply.get("protocol") not in PROTOCOLS:
            raise ProtocolError(
                f"server at {self.url} speaks protocol {reply.get('protocol')!r}, this "
                f"flopscope-client {__version__} speaks {list(PROTOCOLS)}: install matching versions"
            )
        self.server = reply

    def close(self) -> None:
        with self._lock:
            if self._sock is not None:
                self._sock.close(linger=0)
                self._sock = None
            self._pending_free.clear()  # the server frees a closed session's handles itself

    # -- requests ---------------------------------------------------------------------------

    def request(self, kind: str, **fields: Any) -> tuple[Any, dict[str, Any]]:
        """Send one request and return ``(result, reply header)``; errors are raised."""
        with self._lock:
            self._socket()
            if len(self._pending_free) >= FREE_BATCH:
                self._flush_free()
            return self._roundtrip({"kind": kind, **fields})

    def _roundtrip(self, header: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        sock = self._sock
        assert sock is not None
        rid = next(self._ids)
        self.requests += 1
        _send_frames(sock, encode({"v": 1, "id": rid, **header}))
        while True:
            if self.timeout_ms >= 0 and not sock.poll(self.timeout_ms):
                self.close()  # the reply may still come: a fresh socket cannot confuse it
                raise TimeoutError(f"no reply from the flopscope server at {self.url}")
            reply = decode(_recv_frames(sock))
            got = reply.get("id")
            if got == rid:
                break  # anything else: a fire-and-forget ``free`` reply, or a stale one
        if isinstance(reply.get("budget"), dict):
            self.budget = reply["budget"]
        if not reply.get("ok"):
            raise from_reply(reply.get("error"))
        return reply.get("result"), reply

    # -- garbage-collected handles ------------------------------------------------------------

    def release(self, number: int) -> None:
        """Called from ``__del__``: queue the handle (no socket I/O inside a finaliser)."""
        self._pending_free.append(number)

    def _flush_free(self) -> None:
        numbers, self._pending_free = self._pending_free, []
        rid = next(self._ids)
        frames = encode({"v": 1, "id": rid, "kind": "free", "handles": [_Raw(n) for n in numbers]})
        assert self._sock is not None
        _send_frames(self._sock, frames)

    def flush(self) -> None:
        """Send the queued frees now (their replies are read by the next request)."""
        with self._lock:
            if self._pending_free and self._sock is not None:
                self._flush_free()


class _Raw:
    """A handle number to encode as ext 1 without a proxy object."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def _flopscope_handle(self) -> int:
        return self.n


_conn: Connection | None = None
_conn_lock = threading.Lock()


def default_timeout() -> float | None:
    """``FLOPSCOPE_CLIENT_TIMEOUT`` seconds to wait for each reply (default: no limit; the
    server's own per-op limit answers slow ops with ``TimeoutError``)."""
    text = os.environ.get("FLOPSCOPE_CLIENT_TIMEOUT", "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"FLOPSCOPE_CLIENT_TIMEOUT={text!r} is not a number of seconds") from None
    return value if value > 0 else None


def connection() -> Connection:
    """The process's connection (made on first use from :func:`default_url`)."""
    global _conn
    if _conn is None:
        with _conn_lock:
            if _conn is None:
                _conn = Connection(default_url(), default_timeout())
    return _conn


def connect(url: str | None = None, timeout_s: float | None = None) -> Connection:
    """Use the server at ``url`` from now on (closes the current connection, if any)."""
    global _conn
    with _conn_lock:
        if _conn is not None:
            _conn.close()
        _conn = Connection(url or default_url(), timeout_s if timeout_s else default_timeout())
    return _conn
