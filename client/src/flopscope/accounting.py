"""``flopscope.accounting`` in the client: the names exist, but the cost helpers need the
full package (they run no op, so there is nothing to send to the server)."""

from __future__ import annotations

from ._surface import populate as _populate

__all__ = _populate(globals(), "flopscope.accounting", None)
