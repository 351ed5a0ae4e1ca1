"""Fixtures of the client tests: the client package under another name, and a real server.

The client distribution imports as ``flopscope``, like the full package these tests also
need (to build inputs and to compare with in-process runs). It is loaded here a second time
under the name ``flopscope_client`` (its modules import each other relatively), so both live
in one process. Servers are real ``python -m flopscope.server`` processes.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT_SRC = ROOT / "client" / "src"
ALIAS = "flopscope_client"

zmq = pytest.importorskip("zmq")
msgpack = pytest.importorskip("msgpack")


def load_client() -> ModuleType:
    """The client package, imported as ``flopscope_client`` (once per process)."""
    if ALIAS in sys.modules:
        return sys.modules[ALIAS]
    pkg_dir = CLIENT_SRC / "flopscope"
    spec = importlib.util.spec_from_file_location(
        ALIAS, pkg_dir / "__init__.py", submodule_search_locations=[str(pkg_dir)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[ALIAS] = module
    spec.loader.exec_module(module)
    return module


class Server:
    """A ``python -m flopscope.server`` child process on a private socket."""

    def __init__(self, url: str, *extra: str, env: dict[str, str] | None = None) -> None:
        self.url = url
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "flopscope.server", "--url", url, *extra],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_ready()

    def _wait_ready(self, timeout_s: float = 60.0) -> None:
        ctx = zmq.Context.instance()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"server exited with {self.proc.returncode}: {err}")
            sock = ctx.socket(zmq.DEALER)
            sock.setsockopt(zmq.LINGER, 0)
            sock.connect(self.url)
            hello = {"v": 1, "id": 1, "kind": "hello", "client": "probe", "protocol": [1]}
            sock.send(msgpack.packb(hello))
            ready = sock.poll(500)
            sock.close(linger=0)
            if ready:
                return
        raise RuntimeError(f"server at {self.url} did not answer within {timeout_s}s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="session")
def server_dir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="fs-client-") as d:
        yield d


@pytest.fixture(scope="session")
def server(server_dir: str) -> Iterator[Server]:
    """One server for the module's tests (each test connects a fresh session)."""
    s = Server(f"ipc://{server_dir}/server.sock")
    yield s
    s.stop()


@pytest.fixture()
def client(server: Server) -> Iterator[Any]:
    """The client package connected to ``server`` in a fresh session."""
    pkg = load_client()
    importlib.import_module(f"{ALIAS}.numpy")
    cl = importlib.import_module(f"{ALIAS}.client")
    cl.connect(server.url, timeout_s=120)
    yield pkg
    cl.connect(server.url)  # drops this session (the server frees its handles)
