"""Round trips to ``flopscope-server`` on loopback TCP and IPC, against their baselines.

Run ``python benchmarks/remote.py`` (``--quick`` for a short pass). For each transport it
starts a real server process and a bare ZeroMQ echo process (the same ROUTER/DEALER pair,
no flopscope), then times, with a raw protocol client:

* ``echo``: a bare socket round trip of a request-sized message (the floor);
* ``trivial``: ``add(1, 2)`` through the server (target: median ≤ 100 µs; the 0.4.0 pair
  measured 180–205 µs on the same kind of machine);
* ``matmul``: ``matmul(a, b)`` of two 256×256 float64 arrays held by the server, against
  the in-process ``fnp.matmul`` plus the echo round trip (target: ratio ≤ 1.5).

Medians of per-call times, measured in alternating blocks (echo and trivial op; remote and
in-process matmul) so that each pair sees the same machine; every number comes from the
same run.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from time import perf_counter
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable from a checkout without installing
    sys.path.insert(0, str(ROOT))

import msgpack  # noqa: E402
import numpy as np  # noqa: E402
import zmq  # noqa: E402

import flopscope as flops  # noqa: E402
import flopscope.numpy as fnp  # noqa: E402

ECHO = textwrap.dedent(
    """
    import sys, zmq
    from zmq.backend import Socket as B
    r = zmq.Context().socket(zmq.ROUTER)
    r.bind(sys.argv[1])
    print("ready", flush=True)
    MORE = int(zmq.RCVMORE)
    while True:  # the server's own read and reply calls (flopscope.server.zsock), no work
        frames = [B.recv(r)]
        while B.get(r, MORE):
            frames.append(B.recv(r))
        for f in frames[:-1]:
            B.send(r, f, int(zmq.SNDMORE))
        B.send(r, frames[-1])
    """
)


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (Linux ``/proc``; None elsewhere)."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_us_per_call(pid: int, fn: Callable[[], Any], n: int) -> float | None:
    """CPU time the process ``pid`` spends per call of ``fn`` (robust on a busy machine,
    where wall-clock round trips mostly measure the scheduler)."""
    before = _cpu_s(pid)
    for _ in range(n):
        fn()
    after = _cpu_s(pid)
    return None if before is None or after is None else (after - before) / n * 1e6


def _interleaved_medians(
    fns: dict[str, Callable[[], Any]], n: int, block: int, after_block: Callable[[], Any]
) -> dict[str, float]:
    """Median per-call time (µs) of each function over ``n`` calls, run in alternating
    blocks of ``block`` calls so that every function sees the same machine (a busy spell
    cannot favour one of them); ``after_block`` runs untimed between blocks."""
    for fn in fns.values():  # warm up
        for _ in range(min(block, 20)):
            fn()
    after_block()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(max(1, n // block)):
        for name, fn in fns.items():
            ts = times[name]
            for _ in range(block):
                t0 = perf_counter()
                fn()
                ts.append(perf_counter() - t0)
            after_block()
    return {name: statistics.median(ts) * 1e6 for name, ts in times.items()}


_send, _recv, _get = zmq.backend.Socket.send, zmq.backend.Socket.recv, zmq.backend.Socket.get
_SNDMORE, _RCVMORE = int(zmq.SNDMORE), int(zmq.RCVMORE)


class Client:
    """A lean raw-protocol client: pyzmq's Cython socket methods, as the server uses (its
    Python wrappers cost ~10 µs a round trip, which would be charged to the server)."""

    def __init__(self, url: str) -> None:
        self.sock = zmq.Context.instance().socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        self.sock.connect(url)
        self.rid = 0

    def req(self, header: dict[str, Any], *buffers: bytes) -> list[bytes]:
        self.rid += 1
        header["id"] = self.rid
        sock = self.sock
        _send(sock, msgpack.packb(header, use_bin_type=True), _SNDMORE if buffers else 0)
        for i, b in enumerate(buffers):
            _send(sock, b, _SNDMORE if i < len(buffers) - 1 else 0)
        frames = [_recv(sock)]
        while _get(sock, _RCVMORE):
            frames.append(_recv(sock))
        return frames


def _start(cmd: list[str]) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()  # "ready" / "listening on ..."
    return proc


def _put(c: Client, a: np.ndarray) -> Any:
    ext = msgpack.ExtType(2, msgpack.packb([a.dtype.name, list(a.shape), 0]))
    reply = msgpack.unpackb(c.req({"v": 1, "kind": "put", "value": ext}, a.tobytes())[0])
    return reply["result"]


def bench(url_server: str, url_echo: str, n: int) -> dict[str, Any]:
    echo_proc = _start([sys.executable, "-c", ECHO, url_echo])
    server = _start(
        [sys.executable, "-m", "flopscope.server", "--url", url_server, "--budget", "1e18"]
    )
    try:
        echo, c = Client(url_echo), Client(url_server)
        trivial = {"v": 1, "kind": "call", "op": "add", "args": [1, 2]}
        c.req({"v": 1, "kind": "hello", "client": "bench", "protocol": [1]})
        held: list[Any] = []

        def call(header: dict[str, Any]) -> None:
            held.append(msgpack.unpackb(c.req(dict(header))[0], raw=False)["result"])

        def free() -> None:  # between timed blocks: keeps the handle table small
            if held:
                c.req({"v": 1, "kind": "free", "handles": held[:]})
                held.clear()

        rng = np.random.default_rng(0)
        a, b = rng.standard_normal((256, 256)), rng.standard_normal((256, 256))
        ha, hb = _put(c, a), _put(c, b)
        mm = {"v": 1, "kind": "call", "op": "matmul", "args": [ha, hb]}
        fa, fb = fnp.asarray(a), fnp.asarray(b)
        out: dict[str, Any] = _interleaved_medians(
            {"echo": lambda: echo.req(dict(trivial)), "trivial": lambda: call(trivial)},
            n,
            100,
            free,
        )
        with flops.BudgetContext(1e18, quiet=True):
            out.update(
                _interleaved_medians(
                    {"matmul": lambda: call(mm), "matmul_inproc": lambda: fnp.matmul(fa, fb)},
                    max(40, n // 10),
                    10,
                    free,
                )
            )
        out["echo_cpu"] = _cpu_us_per_call(echo_proc.pid, lambda: echo.req(dict(trivial)), n)
        out["trivial_cpu"] = _cpu_us_per_call(server.pid, lambda: call(trivial), n)
        free()
        return out
    finally:
        server.terminate()
        echo_proc.terminate()
        server.wait(10)
        echo_proc.wait(10)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer calls (noisier)")
    args = p.parse_args(argv)
    n = 300 if args.quick else 3000
    tmp = tempfile.mkdtemp(prefix="flopscope-bench-")
    transports = {
        "tcp": ("tcp://127.0.0.1:5701", "tcp://127.0.0.1:5702"),
        "ipc": (f"ipc://{tmp}/server.sock", f"ipc://{tmp}/echo.sock"),
    }
    print(f"cpus={os.cpu_count()}  numpy={np.__version__}  zmq={zmq.zmq_version()}  n={n}")
    for name, (srv, echo) in transports.items():
        r = bench(srv, echo, n)
        floor = r["matmul_inproc"] + r["echo"]
        print(
            f"{name}: echo {r['echo']:.1f} µs | trivial op {r['trivial']:.1f} µs "
            f"({r['trivial'] / r['echo']:.2f}× echo; target ≤ 100 µs) | "
            f"matmul 256² {r['matmul']:.1f} µs vs in-process {r['matmul_inproc']:.1f} + echo "
            f"= {floor:.1f} µs → ratio {r['matmul'] / floor:.2f} (target ≤ 1.5)"
        )
        if r["echo_cpu"] is not None and r["trivial_cpu"] is not None:
            print(
                f"{name}: process CPU per request: echo {r['echo_cpu']:.1f} µs, "
                f"server trivial op {r['trivial_cpu']:.1f} µs"
            )


if __name__ == "__main__":
    main()
