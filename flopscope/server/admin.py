"""Operator actions (``kind: "admin"``): budget lifecycle and limits of any session.

The token has been checked before anything here runs. Sessions are named by the hex of
their ROUTER identity, which only ``sessions`` reveals (and only to the operator).
"""

from __future__ import annotations

from time import monotonic
from typing import Any, Protocol

from flopscope.server.codec import ProtocolError
from flopscope.server.handlers import _model
from flopscope.server.limits import SETTABLE, Limits
from flopscope.server.session import Session


class Registry(Protocol):
    sessions: dict[bytes, Session]
    defaults: Limits


def _target(reg: Registry, sender: Session, header: dict[str, Any]) -> Session:
    name = header.get("session")
    if name is None:
        return sender
    if type(name) is not str:
        raise ProtocolError("'session' must be a hex string")
    try:
        key = bytes.fromhex(name)
    except ValueError:
        raise ProtocolError(f"'session' must be a hex string, got {name!r}") from None
    session = reg.sessions.get(key)
    if session is None:
        raise ProtocolError(f"unknown session {name}")
    return session


def _describe(s: Session, now: float) -> dict[str, Any]:
    state = s.budget_state()
    return {
        "used": state["used"],
        "limit": state["limit"],
        "open": s.ctx is not None,
        "handles": len(s.handles),
        "bytes": s.nbytes,
        "idle_s": round(now - s.last_active, 3),
    }


def run(reg: Registry, sender: Session, header: dict[str, Any]) -> Any:
    """Apply one admin action; returns the reply's ``result``."""
    action = header.get("action")
    if action == "sessions":
        now = monotonic()
        return {key.hex(): _describe(s, now) for key, s in list(reg.sessions.items())}
    if action == "limits":
        changes = {k: header[k] for k in SETTABLE if k in header}
        if header.get("session") == "defaults":
            reg.defaults = reg.defaults.updated(changes)
            return reg.defaults.public()
        target = _target(reg, sender, header)
        target.limits = target.limits.updated(changes)
        return target.limits.public()
    target = _target(reg, sender, header)
    if action == "open":
        budget = header.get("budget", target.limits.budget)
        target.limits = target.limits.updated({"budget": budget})
        target.open(target.limits.budget)
        return target.budget_state()
    if action == "close":
        return target.close()
    if action == "reset":
        target.open(target.limits.budget)
        return target.budget_state()
    if action == "set_cost_model":
        name = _model(header)
        if name is None:
            raise ProtocolError("'set_cost_model' needs 'cost_model'")
        target.set_cost_model(name)
        return name
    if action == "summary":
        return target.summary()
    raise ProtocolError(f"unknown admin action {action!r}")
