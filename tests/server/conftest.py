"""Servers for the tests: a real ``python -m flopscope.server`` process and an in-process one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from flopscope.server import Limits, Server, ServerConfig
from tests.server.wire import Raw

TOKEN = "operator-secret"
LIMITS = Limits(
    budget=10**9,
    max_array_bytes=8 << 20,
    max_handles=200,
    max_session_bytes=32 << 20,
    op_timeout_s=2.0,
    idle_timeout_s=600.0,
)


def start_process(*extra: str, token: str | None = TOKEN) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ)
    env.pop("FLOPSCOPE_SERVER_TOKEN", None)
    if token is not None:
        env["FLOPSCOPE_SERVER_TOKEN"] = token
    proc = subprocess.Popen(
        [sys.executable, "-m", "flopscope.server", "--url", "tcp://127.0.0.1:0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = proc.stdout.readline()
    if "listening on " not in line:
        proc.kill()
        raise RuntimeError(f"server did not start: {line!r} {proc.stderr.read()}")
    return proc, line.split("listening on ")[1].split()[0]


def stop_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def proc_url() -> Iterator[str]:
    """A real server process on loopback TCP (budget 10^9, 8 MiB arrays, 2 s per op)."""
    proc, url = start_process(
        "--budget",
        "1e9",
        "--max-array-bytes",
        str(8 << 20),
        "--max-handles",
        "200",
        "--max-session-bytes",
        str(32 << 20),
        "--op-timeout",
        "2",
    )
    yield url
    stop_process(proc)
    assert proc.returncode == 0, proc.stderr.read()


@pytest.fixture(scope="module")
def thread_server() -> Iterator[Server]:
    """An in-process server (fast to start; same code as the process)."""
    server = Server(
        ServerConfig(url="tcp://127.0.0.1:0", limits=LIMITS, token=TOKEN.encode())
    ).start()
    yield server
    server.stop()


@pytest.fixture
def c(proc_url: str) -> Iterator[Raw]:
    """A fresh session (raw protocol client) on the module's server process."""
    client = Raw(proc_url)
    yield client
    client.close()
