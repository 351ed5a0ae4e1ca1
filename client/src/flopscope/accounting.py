"""``flopscope.accounting`` in the client: the cost helpers run on the server (they run no
op and charge nothing; without ``cost_model=`` they price under the session's model)."""

from __future__ import annotations

from ._surface import populate as _populate

__all__ = _populate(globals(), "flopscope.accounting", None)
