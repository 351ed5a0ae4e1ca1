"""Client-only helpers (not in the full package): the server connection and raw transfers.

``FLOPSCOPE_SERVER_URL`` selects the server; :func:`connect` switches to another one (a new
connection is a new session on the server: new budget, no handles).
"""

from __future__ import annotations

from typing import Any

from ._codec import LocalArray
from ._conn import connect as _connect
from ._conn import connection, default_url
from ._dtype import canonical
from ._proxy import RemoteArray, wrap

__all__ = [
    "connect",
    "connection",
    "default_url",
    "server_info",
    "budget",
    "upload",
    "download",
    "flush",
]


def connect(url: str | None = None, *, timeout_s: float | None = None) -> None:
    """Use the server at ``url`` (default: ``FLOPSCOPE_SERVER_URL`` or the default socket).

    ``timeout_s`` bounds the wait for each reply (``TimeoutError``; default: wait)."""
    _connect(url, timeout_s)


def server_info() -> dict[str, Any]:
    """The server's ``hello`` reply: protocol, server version, capabilities, limits."""
    conn = connection()
    conn.request("free", handles=[])  # makes sure the handshake happened
    return dict(conn.server)


def budget() -> dict[str, Any]:
    """``{"used", "limit", "remaining"}`` as of the last reply (no round trip)."""
    return dict(connection().budget)


def upload(data: bytes, dtype: Any, shape: tuple[int, ...] | list[int]) -> RemoteArray:
    """Store raw C-order little-endian bytes as a server array (free: no op runs)."""
    name = canonical(dtype)
    conn = connection()
    value = LocalArray(bytes(memoryview(data).cast("B")), name, tuple(int(n) for n in shape))
    result, reply = conn.request("put", value=value)
    return wrap(conn, result, reply.get("shapes") or {})


def download(x: RemoteArray) -> tuple[bytes, str, tuple[int, ...]]:
    """``(bytes, dtype name, shape)`` of a server array."""
    local = x._download()
    return local.data, local.dtype, local.shape


def flush() -> None:
    """Send the queued ``free`` of garbage-collected proxies now."""
    connection().flush()
