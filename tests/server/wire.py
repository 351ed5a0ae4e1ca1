"""A raw protocol-v1 client for the server tests (no flopscope client involved)."""

from __future__ import annotations

import itertools
import math
from typing import Any

import msgpack
import numpy as np
import zmq

_CTX = zmq.Context.instance()


def H(n: int) -> msgpack.ExtType:
    return msgpack.ExtType(1, msgpack.packb(n))


def T(*items: Any) -> msgpack.ExtType:
    return msgpack.ExtType(6, msgpack.packb(list(items), use_bin_type=True))


def S(start: Any = None, stop: Any = None, step: Any = None) -> msgpack.ExtType:
    return msgpack.ExtType(4, msgpack.packb([start, stop, step]))


def A(dtype: str, shape: list[int], index: int = 0) -> msgpack.ExtType:
    return msgpack.ExtType(2, msgpack.packb([dtype, shape, index]))


def number(ext: msgpack.ExtType) -> int:
    assert ext.code == 1, ext
    return msgpack.unpackb(ext.data)


class Reply(dict):
    buffers: list[bytes]


class Raw:
    """One DEALER connection = one session."""

    def __init__(self, url: str, greet: bool = True, timeout_ms: int = 20_000) -> None:
        self.sock = _CTX.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.setsockopt(zmq.RCVTIMEO, timeout_ms)
        self.sock.connect(url)
        self._ids = itertools.count(1)
        if greet:
            assert self.req("hello", client="tests", protocol=[1])["ok"]

    def close(self) -> None:
        self.sock.close()

    def send(self, kind: str, buffers: tuple = (), **fields: Any) -> int:
        rid = next(self._ids)
        header = {"v": 1, "id": rid, "kind": kind, **fields}
        self.sock.send_multipart([msgpack.packb(header, use_bin_type=True), *buffers])
        return rid

    def recv(self) -> Reply:
        frames = self.sock.recv_multipart()
        reply = Reply(msgpack.unpackb(frames[0], raw=False, strict_map_key=False))
        reply.buffers = frames[1:]
        return reply

    def req(self, kind: str, buffers: tuple = (), **fields: Any) -> Reply:
        rid = self.send(kind, buffers, **fields)
        reply = self.recv()
        assert reply["id"] == rid, (reply, rid)
        return reply

    def raw(self, *frames: bytes) -> Reply:
        self.sock.send_multipart(list(frames))
        return self.recv()

    def call(self, op: str, *args: Any, module: str = "", **kwargs: Any) -> Reply:
        return self.req("call", op=op, module=module, args=list(args), kwargs=kwargs)

    def ok(self, op: str, *args: Any, module: str = "", **kwargs: Any) -> Any:
        reply = self.call(op, *args, module=module, **kwargs)
        assert reply["ok"], reply
        return reply["result"]

    def put(self, a: np.ndarray) -> msgpack.ExtType:
        a = np.asarray(a)
        reply = self.req("put", (a.tobytes(),), value=A(a.dtype.name, list(a.shape)))  # C order
        assert reply["ok"], reply
        return reply["result"]

    def get(self, handle: msgpack.ExtType) -> np.ndarray:
        reply = self.req("get", handle=handle)
        assert reply["ok"], reply
        dtype, shape, index = msgpack.unpackb(reply["result"].data)
        return np.frombuffer(reply.buffers[index], dtype=dtype).reshape(shape)

    def used(self) -> int:
        return self.req("summary")["budget"]["used"]


def quickstart(c: Raw) -> msgpack.ExtType:
    """The README's quick start (5 layers of 256×256 He-initialised weights, ReLU)."""
    c.ok("seed", 0, module="random")
    scale = c.ok("sqrt", 2 / 256)
    weights = [c.ok("multiply", c.ok("randn", 256, 256, module="random"), scale) for _ in range(5)]
    h = c.ok("randn", 256, module="random")
    for i, w in enumerate(weights):
        h = c.ok("einsum", "ij,j->i", w, h)
        if i < 4:
            h = c.ok("maximum", h, 0)
    return h


QUICKSTART_FLOPS = 6_229_761
assert math.isclose(QUICKSTART_FLOPS, 5_246_976 + 654_080 + 327_680 + 1_024 + 1)
