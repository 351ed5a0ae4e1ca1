"""Command line of ``flopscope-server``."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

import zmq

from flopscope.server.limits import Limits
from flopscope.server.server import Server, ServerConfig, default_url

TOKEN_ENV = "FLOPSCOPE_SERVER_TOKEN"


def _optional(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """``none`` (or ``off``) means unlimited."""

    def parse(text: str) -> Any:
        if text.lower() in ("none", "off", "unlimited"):
            return None
        return kind(text)

    parse.__name__ = kind.__name__
    return parse


def _count(text: str) -> int:
    """Integers, also written as ``1e9`` or ``1_000``."""
    value = float(text.replace("_", ""))
    if value < 0 or value != int(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a non-negative integer")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    d = Limits()
    p = argparse.ArgumentParser(
        prog="flopscope-server",
        description="Serve counted NumPy ops to remote flopscope clients (see docs/remote.md).",
    )
    p.add_argument("--url", default=None, help=f"ipc://PATH or tcp://HOST:PORT ({default_url()})")
    p.add_argument(
        "--allow-remote", action="store_true", help="allow a TCP address that is not loopback"
    )
    p.add_argument("--budget", type=_count, default=d.budget, help="FLOP budget of a session")
    p.add_argument("--max-array-bytes", type=_optional(_count), default=d.max_array_bytes)
    p.add_argument("--max-handles", type=_optional(_count), default=d.max_handles)
    p.add_argument("--max-session-bytes", type=_optional(_count), default=d.max_session_bytes)
    p.add_argument("--op-timeout", type=_optional(float), default=d.op_timeout_s, help="seconds")
    p.add_argument("--idle-timeout", type=_optional(float), default=d.idle_timeout_s)
    p.add_argument("--max-sessions", type=_count, default=256)
    p.add_argument(
        "--max-memory",
        type=_optional(_count),
        default=None,
        help="address-space limit of the whole server process (RLIMIT_AS): an allocation "
        "no estimate foresaw raises MemoryError instead of waking the OOM killer",
    )
    p.add_argument(
        "--start-closed",
        action="store_true",
        help="sessions get no budget until the operator opens one (admin open)",
    )
    p.add_argument("--cost-model", choices=("flopscope", "exact", "fma", "mac"), default=None)
    p.add_argument(
        "--token-fd",
        type=int,
        default=None,
        help=f"read the operator token from this file descriptor (else ${TOKEN_ENV})",
    )
    return p


def read_token(fd: int | None) -> bytes | None:
    """The operator token from a file descriptor, else the environment (then forgotten)."""
    if fd is not None:
        chunks = []
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
        os.close(fd)
        token = b"".join(chunks).strip()
    else:
        token = os.environ.pop(TOKEN_ENV, "").strip().encode()
    return token or None


def limit_memory(nbytes: int | None) -> None:
    """Cap the process's address space (a backstop behind the per-session caps)."""
    if nbytes is None:
        return
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (nbytes, nbytes))


def config_from(argv: Sequence[str] | None = None) -> ServerConfig:
    a = _parser().parse_args(argv)
    limits = Limits(
        budget=a.budget,
        max_array_bytes=a.max_array_bytes,
        max_handles=a.max_handles,
        max_session_bytes=a.max_session_bytes,
        op_timeout_s=a.op_timeout,
        idle_timeout_s=a.idle_timeout,
    )
    return ServerConfig(
        url=a.url or default_url(),
        limits=limits,
        token=read_token(a.token_fd),
        allow_remote=a.allow_remote,
        max_sessions=a.max_sessions,
        cost_model=a.cost_model,
        start_closed=a.start_closed,
        max_memory=a.max_memory,
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        config = config_from(argv)
        limit_memory(config.max_memory)
        server = Server(config)
    except (ValueError, OSError, zmq.ZMQError) as exc:
        print(f"flopscope-server: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    # the interpreter's, numpy's and flopscope's own objects live as long as the process:
    # frozen, they are no longer scanned by the full collections that sessions' arrays and
    # ledgers trigger (each took ~14 ms on a small VM, a pause for every client)
    gc.freeze()
    admin = "enabled" if config.token else "disabled (no token)"
    print(f"flopscope-server listening on {server.url} (admin {admin})", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    return 0
