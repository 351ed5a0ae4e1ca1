"""``flopscope-server``: serves the counted NumPy surface to remote, numpy-free clients.

See ``docs/protocol.md`` for the wire format and ``docs/remote.md`` for running it. Needs the
``[server]`` extra (``pyzmq``, ``msgpack``).
"""

from __future__ import annotations

from flopscope.server.limits import Limits
from flopscope.server.server import Server, ServerConfig, check_url, default_url, serve

__all__ = ["Limits", "Server", "ServerConfig", "check_url", "default_url", "serve"]
