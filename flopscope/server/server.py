"""The dispatcher: one ROUTER socket, one session per connection, one worker per session.

The dispatcher thread only decodes headers, answers ``hello``/``admin`` and protocol
errors, forwards session requests to their worker and worker replies to the socket, fires
per-op timeouts and reaps idle or disconnected sessions. It never runs an op, so a slow op
in one session cannot delay another session's reply.
"""

from __future__ import annotations

import ipaddress
import os
import threading
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

import zmq
from zmq.utils.monitor import recv_monitor_message

from flopscope.ops import lookup
from flopscope.server import admin, fastpath, handlers, zsock
from flopscope.server.codec import ProtocolError, decode_header, peek_id
from flopscope.server.limits import Limits
from flopscope.server.session import Session
from flopscope.server.worker import Worker

_MAX_QUEUED = 1024  # requests waiting in one session


def default_url() -> str:
    base = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    return f"ipc://{base}/flopscope-{os.getuid()}.sock"


def check_url(url: str, allow_remote: bool = False) -> None:
    """Only IPC and loopback TCP, unless the operator explicitly allows a remote address."""
    if url.startswith("ipc://"):
        return
    if not url.startswith("tcp://"):
        raise ValueError(f"unsupported URL {url!r}: use ipc://PATH or tcp://127.0.0.1:PORT")
    host = url[len("tcp://") :].rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not allow_remote:
        raise ValueError(
            f"{url} is not a loopback address; pass --allow-remote to listen on it "
            "(anyone who can reach it can spend budgets)"
        )


def _count_ops() -> int:
    from flopscope.ops import all_ops

    return sum(len(op.public_names) * (1 + len(op.also_in)) for op in all_ops())


@dataclass
class ServerConfig:
    url: str = field(default_factory=default_url)
    limits: Limits = field(default_factory=Limits)
    token: bytes | None = None
    allow_remote: bool = False
    max_sessions: int = 256
    cost_model: str | None = None
    #: new sessions get no budget until the operator opens one (``admin open``)
    start_closed: bool = False
    #: address-space limit of the server process (set by the CLI; RLIMIT_AS)
    max_memory: int | None = None


class Server:
    """``Server(config).serve()`` blocks; ``start()`` serves from a daemon thread (tests)."""

    def __init__(self, config: ServerConfig) -> None:
        check_url(config.url, config.allow_remote)
        self.config = config
        self.defaults = config.limits
        self.sessions: dict[bytes, Session] = {}
        self.workers: dict[bytes, Worker] = {}
        self._zombies: list[Worker] = []  # workers of dropped sessions, still in an op
        #: requests handed to workers whose reply (or drop notice) has not come back yet
        self._awaiting = 0
        self._n_ops = _count_ops()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._zctx = zmq.Context()
        self._reply_url = f"inproc://flopscope-replies-{id(self)}"
        self.router = self._zctx.socket(zmq.ROUTER)
        self.router.setsockopt(zmq.LINGER, 0)
        # dead peers are found by heartbeats; their disconnects come through the monitor
        self.router.setsockopt(zmq.HEARTBEAT_IVL, 5000)
        self.router.setsockopt(zmq.HEARTBEAT_TIMEOUT, 15000)
        self.monitor = self.router.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        self._fd_key: dict[int, bytes] = {}  # connection fd -> session key
        self._retired: dict[int, int] = {}  # disconnect events already acted upon, per fd
        cap = self.defaults.message_cap()
        if cap is not None:
            self.router.setsockopt(zmq.MAXMSGSIZE, cap)
        self.pull = self._zctx.socket(zmq.PULL)
        self.pull.setsockopt(zmq.LINGER, 0)
        self.pull.bind(self._reply_url)
        old = os.umask(0o077)  # an IPC socket only its owner can connect to
        try:
            self.router.bind(config.url)
        finally:
            os.umask(old)
        self.url = self.router.getsockopt(zmq.LAST_ENDPOINT).decode()
        lookup("add")  # build the op index before the first request

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Server:
        self._thread = threading.Thread(target=self.serve, daemon=True, name="flopscope-server")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def serve(self) -> None:
        poller = zmq.Poller()
        poller.register(self.router, zmq.POLLIN)
        poller.register(self.pull, zmq.POLLIN)
        poller.register(self.monitor, zmq.POLLIN)
        router = self.router
        timeout_ms = -1
        next_check = monotonic()
        try:
            while not self._stop.is_set():
                now = monotonic()
                if now >= next_check:
                    self._check_timeouts(now)
                    self._disconnects()
                    tick = self._tick()
                    next_check = now + tick
                    if round(tick * 1000) != timeout_ms:
                        timeout_ms = round(tick * 1000)
                        router.setsockopt(zmq.RCVTIMEO, timeout_ms)
                if not self._awaiting:
                    # no worker owes a reply, so only a client can have news: a blocking
                    # read on the router alone wakes up faster than a poll of three sockets
                    # (disconnects wait for the next tick, at most 50 ms)
                    try:
                        self._read()
                    except zmq.Again:
                        pass
                    continue
                wait = max(0.0, min(next_check - now, 0.1))
                events = dict(poller.poll(wait * 1000))
                if self.pull in events:
                    self._forward()
                if self.monitor in events:
                    self._disconnects()
                if router in events:
                    self._read()
        finally:
            for w in list(self.workers.values()):
                w.stop()
            self.router.disable_monitor()
            self.monitor.close()
            self.router.close()
            self.pull.close()
            # a worker stuck in an op still holds its socket: leave the context to process
            # exit rather than wait for the op
            if all(w.join(1.0) for w in list(self.workers.values())):
                self._zctx.term()

    def _tick(self) -> float:
        limit = self.defaults.op_timeout_s
        return 0.05 if limit is None else max(0.005, min(0.05, limit / 10))

    # -- messages ----------------------------------------------------------------------------

    # One message per wake-up: the poll that woke the loop is the cheapest "is there more?"
    # check pyzmq has (a getsockopt(EVENTS) costs twice as much), and it keeps replies and
    # requests interleaved fairly.

    def _forward(self) -> None:
        """One worker reply to its client (an empty key: a timed-out op's dropped result)."""
        frames = self.pull.recv_multipart(copy=False)
        self._awaiting -= 1
        if len(frames) > 1:
            zsock.forward(self.router, frames)

    def _read(self) -> None:
        key, header, buffers = zsock.read(self.router, self.sessions)
        try:
            self._on_message(key, header, buffers)
        except Exception:  # never let one message take the dispatcher down
            pass

    def _disconnects(self) -> None:
        """Free the sessions whose connection closed (monitor events carry the fd)."""
        while self.monitor.poll(0):
            event = recv_monitor_message(self.monitor)
            fd = int(event["value"])
            if self._retired.get(fd):
                self._retired[fd] -= 1  # already dropped when a new connection reused the fd
                continue
            key = self._fd_key.pop(fd, None)
            if key is not None:
                self._drop(key)

    def _track(self, key: bytes, frame: Any) -> None:
        """Remember which connection (fd) carries session ``key``; a new session on the fd
        of a known one means that one's connection closed, whatever order events come in."""
        fd = frame.get(zmq.SRCFD)
        old = self._fd_key.get(fd)
        if old == key or fd < 0:
            return
        if old is not None:
            self._retired[fd] = self._retired.get(fd, 0) + 1
            self._drop(old)
        self._fd_key[fd] = key

    def _send(self, key: bytes, header: dict[str, Any]) -> None:
        zsock.send(self.router, key, handlers.frames(header))

    def _on_message(self, key: bytes, header_frame: Any, buffers: list[Any]) -> None:
        """One request: ``header_frame`` is bytes, or a frame (its connection's fd is read)
        when the session is new; ``None`` when the message had no header."""
        if header_frame is None:
            return  # nothing to answer
        session = self.sessions.get(key)
        if isinstance(header_frame, bytes):
            raw = header_frame
        else:
            if session is None:
                self._track(key, header_frame)
            raw = header_frame.bytes
        try:
            header = decode_header(raw)
        except ProtocolError as exc:
            self._send(key, handlers.error(peek_id(raw), session, exc))
            return
        rid = header.get("id")
        if type(rid) is not int:
            exc = ProtocolError("header needs an integer 'id'")
            self._send(key, handlers.error(None, session, exc))
            return
        try:
            if header.get("v") != 1:
                raise ProtocolError(f"unsupported header version {header.get('v')!r}")
            kind = header.get("kind")
            if type(kind) is not str:
                raise ProtocolError("header needs a string 'kind'")
            if session is None:
                session = self._new_session(key)
            session.last_active = monotonic()
            if kind == "hello":
                reply = handlers.hello(session, rid, header, self._n_ops)
            elif kind == "admin":
                handlers.token_ok(self.config.token, header)
                result = handlers.str_keys(admin.run(self, session, header))
                reply = handlers.ok(rid, session, result)
            elif kind not in handlers.WORKER_KINDS:
                raise ProtocolError(f"unknown kind {kind!r}")
            elif not session.greeted:
                raise ProtocolError("send 'hello' first")
            else:
                self._submit(key, session, rid, header, buffers)
                return
        except Exception as exc:
            reply = handlers.error(rid, session, exc)
        self._send(key, reply)

    def _submit(self, key: bytes, session: Session, rid: int, header: dict, bufs: list) -> None:
        worker = self.workers.get(key)
        idle = worker is None or (worker.pending == 0 and not worker.busy)
        if idle and fastpath.inline(session, header):
            out = handlers.handle(session, rid, header, bufs, small=True)
            zsock.send(self.router, key, out)
            return
        if worker is None:
            worker = self.workers[key] = Worker(session, self._zctx, self._reply_url)
        if worker.busy:
            raise TimeoutError(
                "session busy: an earlier op ran past the per-op time limit and is still running"
            )
        if worker.pending >= _MAX_QUEUED:
            raise MemoryError(f"more than {_MAX_QUEUED} requests in flight in this session")
        worker.submit(rid, header, bufs)
        self._awaiting += 1

    # -- sessions ----------------------------------------------------------------------------

    def _new_session(self, key: bytes) -> Session:
        # dropped sessions whose op still runs count too: reconnecting must not pile them up
        self._zombies = [w for w in self._zombies if not w.join(0)]
        if len(self.sessions) + len(self._zombies) >= self.config.max_sessions:
            raise MemoryError(
                f"the server holds {len(self.sessions)} sessions and "
                f"{len(self._zombies)} abandoned ops (cap {self.config.max_sessions})"
            )
        session = Session(key, self.defaults, self.config.cost_model)
        if self.config.start_closed:
            session.close()
        self.sessions[key] = session
        return session

    def _drop(self, key: bytes) -> None:
        session = self.sessions.pop(key, None)
        worker = self.workers.pop(key, None)
        if worker is not None:
            worker.stop()  # the worker frees the session once its current op is over
            if worker.current is not None:
                self._zombies.append(worker)
        elif session is not None:
            session.clear()

    def _check_timeouts(self, now: float) -> None:
        for key, worker in list(self.workers.items()):
            rid = worker.expired(now, worker.session.limits.op_timeout_s)
            if rid is None:
                continue
            limit = worker.session.limits.op_timeout_s
            exc = TimeoutError(f"op ran past the per-op limit of {limit} s; its result is dropped")
            self._send(key, handlers.error(rid, worker.session, exc))
            for queued in worker.drain():
                self._awaiting -= 1
                busy = TimeoutError("session busy: an earlier op ran past the per-op time limit")
                self._send(key, handlers.error(queued, worker.session, busy))
        for key, session in list(self.sessions.items()):
            idle = session.limits.idle_timeout_s
            worker = self.workers.get(key)
            running = worker is not None and (worker.pending > 0 or worker.busy)
            if idle is not None and not running and now - session.last_active > idle:
                self._drop(key)


def serve(config: ServerConfig) -> None:
    Server(config).serve()
