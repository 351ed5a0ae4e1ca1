"""Request kinds → replies (protocol v1). Pure functions of a session and a decoded request.

``handle`` runs on the session's worker; ``hello`` and ``admin`` run on the dispatcher (they
never run an op), as do the error replies for requests that never reach a session.
"""

from __future__ import annotations

import hmac
from typing import Any

from flopscope.server.codec import PROTOCOL, Handle, ProtocolError, encode
from flopscope.server.session import Session

SERVER = "flopscope 0.5.0"
CAPABILITIES = ["call", "put", "get", "free", "summary", "admin"]
WORKER_KINDS = frozenset({"call", "put", "get", "free", "summary"})
MODELS = ("flopscope", "exact", "fma", "mac")
_MAX_MESSAGE = 4000  # characters of an error message that travel


def error_name(exc: BaseException) -> str:
    """The public class name (numpy's private ``_ArrayMemoryError`` is a ``MemoryError``)."""
    for cls in type(exc).__mro__:
        if not cls.__name__.startswith("_"):
            return cls.__name__
    return "Exception"


def ok(rid: Any, session: Session | None, result: Any = None, **extra: Any) -> dict[str, Any]:
    header = {"v": PROTOCOL, "id": rid, "ok": True, "result": result}
    header.update(extra)
    header["budget"] = _budget(session)
    return header


def error(rid: Any, session: Session | None, exc: BaseException) -> dict[str, Any]:
    try:
        message = str(exc.args[0] if exc.args else "") if isinstance(exc, KeyError) else str(exc)
    except Exception:  # an exception whose str() fails still gets a reply
        message = type(exc).__name__
    return {
        "v": PROTOCOL,
        "id": rid,
        "ok": False,
        "error": {"type": error_name(exc), "message": message[:_MAX_MESSAGE]},
        "budget": _budget(session),
    }


def _budget(session: Session | None) -> dict[str, Any]:
    if session is None:
        return {"used": 0, "limit": None, "remaining": None}
    return session.budget_state()


def str_keys(x: Any) -> Any:
    """Maps travel with string keys (``by_namespace``'s ``None`` label becomes ``"None"``)."""
    if isinstance(x, dict):
        return {str(k): str_keys(v) for k, v in x.items()}
    if isinstance(x, list):
        return [str_keys(v) for v in x]
    return x


def frames(header: dict[str, Any], buffers: list[Any] | None = None) -> list[Any]:
    return [encode(header), *(buffers or ())]


def _bool(header: dict[str, Any], key: str) -> bool:
    v = header.get(key, False)
    if type(v) is not bool:
        raise ProtocolError(f"{key!r} must be a bool")
    return v


def _model(header: dict[str, Any], key: str = "cost_model") -> str | None:
    v = header.get(key)
    if v is not None and (type(v) is not str or v not in MODELS):
        raise ProtocolError(f"{key!r} must be one of {', '.join(MODELS)}")
    return v


def handle(
    session: Session, rid: int, header: dict[str, Any], buffers: list[Any], small: bool = False
) -> list[Any]:
    """Run one session request (``call``/``put``/``get``/``free``/``summary``) → reply frames;
    ``small``: the dispatcher has bounded the op's output already."""
    try:
        kind = header["kind"]
        if kind == "call":
            result, shapes = session.call(header, buffers, small)
            return frames(ok(rid, session, result, shapes=shapes))
        if kind == "put":
            if "value" not in header:
                raise ProtocolError("'put' needs a 'value'")
            result, shapes = session.put(header["value"], buffers)
            return frames(ok(rid, session, result, shapes=shapes))
        if kind == "get":
            h = header.get("handle")
            if type(h) is not Handle:
                raise ProtocolError("'get' needs a 'handle' (ext 1)")
            value, out = session.array_out(session.lookup(h))
            return frames(ok(rid, session, value, value=value), out)
        if kind == "free":
            hs = header.get("handles")
            if type(hs) is not list or not all(type(h) is Handle for h in hs):
                raise ProtocolError("'free' needs 'handles', a list of handle exts")
            return frames(ok(rid, session, session.free([h.number for h in hs])))
        if kind == "summary":
            summary = str_keys(session.summary(_bool(header, "by_namespace"), _model(header)))
            return frames(ok(rid, session, summary, summary=summary))
        raise ProtocolError(f"unknown kind {kind!r}")
    except Exception as exc:
        return frames(error(rid, session, exc))


def hello(session: Session, rid: int, header: dict[str, Any], n_ops: int) -> dict[str, Any]:
    protocols = header.get("protocol")
    if type(protocols) is not list or not all(type(p) is int for p in protocols):
        raise ProtocolError("'hello' needs 'protocol', a list of ints")
    if PROTOCOL not in protocols:
        raise ProtocolError(
            f"client speaks protocol {protocols}, server speaks {PROTOCOL}: upgrade the older side"
        )
    session.greeted = True
    return ok(
        rid,
        session,
        None,
        protocol=PROTOCOL,
        server=SERVER,
        capabilities=CAPABILITIES,
        ops=n_ops,
        limits=session.limits.public(),
    )


def token_ok(expected: bytes | None, header: dict[str, Any]) -> None:
    """Constant-time token check; admin is disabled when the server has no token."""
    if expected is None:
        raise PermissionError("admin is disabled: the server was started without a token")
    given = header.get("token")
    if type(given) is not str or not hmac.compare_digest(given.encode(), expected):
        raise PermissionError("admin needs the operator token")
