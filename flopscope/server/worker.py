"""One worker thread per session: runs its requests in order, abandonable on timeout.

Why threads and not processes: a process hop would add a second IPC round trip to every op
(the trivial-op target is 100 µs) and copy every array; numpy releases the GIL in its heavy
kernels (ufunc loops, BLAS, LAPACK, sorting, einsum loops), so a long op on one session does
not stop the dispatcher from serving the others. A Python thread cannot be killed, so an op
that runs past the per-op limit is *abandoned*: its client gets ``TimeoutError`` when the
limit passes, the session is marked busy (requests get ``TimeoutError`` until the op ends) and the op's
result is discarded when it finally returns. Array caps and the FLOP budget bound how long
any single op can run.
"""

from __future__ import annotations

import threading
from queue import Empty, SimpleQueue
from time import monotonic
from typing import Any

import zmq

from flopscope.server import handlers, zsock
from flopscope.server.session import Session

_STOP = None


class Worker:
    """Runs one session's requests on its own thread; replies go out through ``push``."""

    def __init__(self, session: Session, zctx: zmq.Context, reply_url: str) -> None:
        self.session = session
        self.queue: SimpleQueue[Any] = SimpleQueue()
        self.lock = threading.Lock()
        self.current: tuple[int, float] | None = None  # (request id, start) while running
        #: requests submitted and not yet answered (queued or running); the dispatcher may
        #: run a request itself only when this is 0, so a session never runs two at once
        self.pending = 0
        self.busy = False  # an op ran past the limit and has not returned yet
        self._zctx = zctx
        self._url = reply_url
        self._thread = threading.Thread(target=self._run, daemon=True, name="flopscope-session")
        self._thread.start()

    def submit(self, rid: int, header: dict[str, Any], buffers: list[Any]) -> None:
        with self.lock:
            self.pending += 1
        self.queue.put((rid, header, buffers))

    def stop(self) -> None:
        """End the thread after the current op (the session is freed then)."""
        self.queue.put(_STOP)

    def join(self, timeout: float) -> bool:
        """Wait for the thread to end; whether it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def drain(self) -> list[int]:
        """Take the queued requests back (their ids), e.g. to fail them after a timeout."""
        ids = []
        while True:
            try:
                item = self.queue.get_nowait()
            except Empty:
                return ids
            if item is _STOP:
                self.queue.put(_STOP)
                return ids
            with self.lock:
                self.pending -= 1
            ids.append(item[0])

    def expired(self, now: float, limit: float | None) -> int | None:
        """Mark the running request as timed out if it is past ``limit``; its id, else None."""
        if limit is None:
            return None
        with self.lock:
            cur = self.current
            if cur is None or self.busy or now - cur[1] <= limit:
                return None
            self.busy = True
            return cur[0]

    def _run(self) -> None:
        push = self._zctx.socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 0)
        push.connect(self._url)
        key = self.session.key
        try:
            while True:
                item = self.queue.get()
                if item is _STOP:
                    break
                rid, header, buffers = item
                with self.lock:
                    self.current = (rid, monotonic())
                first = self.session.next_handle
                out = handlers.handle(self.session, rid, header, buffers)
                with self.lock:
                    timed_out = self.busy
                    self.current = None
                if timed_out:
                    # the client was told TimeoutError: drop what the late result stored,
                    # and tell the dispatcher it owes no reply for it
                    self.session.free(list(range(first, self.session.next_handle)))
                    push.send(b"")
                else:
                    self.session.last_active = monotonic()
                    zsock.send(push, key, out)
                with self.lock:  # only now may the dispatcher touch the session again
                    self.busy = False
                    self.pending -= 1
        finally:
            self.session.clear()
            push.close()
