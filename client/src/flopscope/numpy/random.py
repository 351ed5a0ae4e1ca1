"""``flopscope.numpy.random`` in the client: samplers run on the server.

Module-level samplers use the session's own random stream on the server (``seed`` seeds it);
``default_rng(seed)`` and ``RandomState(seed)`` return a remote ``Generator`` / ``RandomState``
with a stream of its own, whose samplers run there too."""

from __future__ import annotations

from .._surface import populate as _populate

__all__ = sorted(_populate(globals(), "flopscope.numpy.random", "random"))
