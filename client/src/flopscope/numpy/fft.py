"""``flopscope.numpy.fft`` in the client: FFTs run on the server."""

from __future__ import annotations

from .._surface import populate as _populate

__all__ = sorted(_populate(globals(), "flopscope.numpy.fft", "fft"))
