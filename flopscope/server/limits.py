"""Per-session caps (from the CLI; the operator may change them through ``admin limits``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

#: limits that travel in ``hello`` and that ``admin limits`` may set
SETTABLE = (
    "budget",
    "max_array_bytes",
    "max_handles",
    "max_session_bytes",
    "op_timeout_s",
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps of one session; ``None`` means unlimited.

    Attributes:
        budget: FLOP budget of a fresh session (and of ``admin open`` without ``budget``).
        max_array_bytes: largest single array (upload or result).
        max_handles: live handles per session.
        max_session_bytes: bytes of all arrays a session holds (views of held arrays are
            free: the memory is counted once per underlying buffer).
        op_timeout_s: per-op wall-clock limit; past it the client gets ``TimeoutError``.
        idle_timeout_s: a session idle this long is reaped (its memory freed).
        max_message_bytes: largest request (all frames); bigger ones are dropped by ZeroMQ.
    """

    budget: int = 10**15
    max_array_bytes: int | None = 1 << 30
    max_handles: int | None = 100_000
    max_session_bytes: int | None = 4 << 30
    op_timeout_s: float | None = 60.0
    idle_timeout_s: float | None = 3600.0
    max_message_bytes: int | None = None

    def public(self) -> dict[str, Any]:
        d = asdict(self)
        if d["max_message_bytes"] is None and self.max_array_bytes is not None:
            d["max_message_bytes"] = self.message_cap()
        return d

    def message_cap(self) -> int | None:
        """ZeroMQ's ``MAXMSGSIZE``: one array plus room for its header."""
        if self.max_message_bytes is not None:
            return self.max_message_bytes
        if self.max_array_bytes is None:
            return None
        return self.max_array_bytes + (1 << 20)

    def updated(self, changes: dict[str, Any]) -> Limits:
        """A copy with ``changes`` applied (validated: the operator's typos raise)."""
        known = {f.name for f in fields(self)}
        for key, value in changes.items():
            if key not in SETTABLE or key not in known:
                raise ValueError(f"unknown limit {key!r} (settable: {', '.join(SETTABLE)})")
            if key == "budget":
                if type(value) is not int or value <= 0:
                    raise ValueError("budget must be a positive int")
            elif value is not None and (
                type(value) not in (int, float) or value < 0 or isinstance(value, bool)
            ):
                raise ValueError(f"{key} must be a non-negative number or nil")
        return replace(self, **changes)
