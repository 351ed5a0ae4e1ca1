"""``flopscope.numpy.linalg`` in the client: linear algebra run on the server."""

from __future__ import annotations

from .._surface import populate as _populate
from ..errors import LinAlgError as LinAlgError

__all__ = sorted(_populate(globals(), "flopscope.numpy.linalg", "linalg"))
