"""sorting ops (rows arrive with the complete-surface issue)."""

from __future__ import annotations

from flopscope.ops._row import Op

OPS: tuple[Op, ...] = ()
