"""Which requests the dispatcher may run itself instead of handing them to the worker.

Handing a request to a thread and its reply back costs two thread wake-ups (hundreds of µs
on a loaded machine), more than a small op itself. A request runs inline only when it
cannot take long: an elementwise, reduction or free op on at most ``SMALL`` bytes of arrays
with a known small output, or ``put``/``get``/``free``/``summary`` of small data. Anything
else (contractions, linalg, sorting, random, big arrays) goes to the session's worker,
where the per-op time limit applies.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flopscope.ops import lookup
from flopscope.server import estimate
from flopscope.server.codec import ArrayRef, Handle
from flopscope.server.session import Session

SMALL = 1 << 16  # bytes of input and of output an inline op may touch
_KINDS = frozenset({"ufunc", "elementwise", "reduction", "free", "logged"})
_MODULES = frozenset({"", "linalg", "fft"})


def _bytes(session: Session, x: Any, budget: int) -> int:
    """Bytes of the arrays ``x`` names (stops counting once past ``budget``)."""
    t = type(x)
    if t is Handle:
        obj = session.handles.get(x.number)
        return obj.nbytes if isinstance(obj, np.ndarray) else 0
    if t is ArrayRef:
        return x.nbytes
    if t is list or t is tuple:
        total = 8 * len(x)
        for e in x:
            if total > budget:
                break
            if type(e) in (list, tuple, Handle, ArrayRef, dict):
                total += _bytes(session, e, budget - total)
        return total
    if t is dict:
        return sum(_bytes(session, v, budget) for v in x.values())
    return 0


def _basic(key: Any) -> bool:
    if type(key) is tuple:
        return all(_basic(k) for k in key)
    return type(key) in (int, slice, type(None), type(Ellipsis), bool)


def _shape(session: Session, x: Any) -> tuple[int, ...]:
    t = type(x)
    if t is Handle:
        obj = session.handles.get(x.number)
        return obj.shape if isinstance(obj, np.ndarray) else ()
    if t is ArrayRef:
        return x.shape
    if t is list:
        return (len(x),)
    return ()


def _broadcast_small(shapes: list[tuple[int, ...]]) -> bool:
    """Broadcasting small operands can still make a big result ((n,1) + (1,n))."""
    dims: list[int] = []
    for shape in shapes:
        if not shape:
            continue
        if len(shape) > len(dims):
            dims = [1] * (len(shape) - len(dims)) + dims
        for i, d in enumerate(shape, len(dims) - len(shape)):
            dims[i] = max(dims[i], d)  # mismatches are numpy's error, raised later
    n = 16
    for d in dims:
        n *= d
    return n <= SMALL


_NEVER, _ANY, _BROADCAST, _INDEX, _UNKNOWN = range(5)
#: (op, module) -> how ``inline`` judges the call; bounded by the op table (unknown names
#: are not cached, so made-up names cannot grow it)
_CLASSES: dict[tuple[str, str], int] = {}
_CONTAINERS = frozenset({list, tuple, dict})


def _classify(name: str, module: str) -> int:
    if name in ("__getitem__", "__setitem__") and module == "":
        return _INDEX  # basic indices give views; fancy ones (a[[0] * 8000]) can be big
    op = lookup(name, module)
    if op is None:
        return _UNKNOWN  # an error reply, nothing runs
    if op.kind not in _KINDS or op.name in estimate.CREATION:
        return _NEVER  # zeros((10**5, 10**4)) is a free op with a tiny request
    return _BROADCAST if op.kind in ("ufunc", "elementwise") else _ANY


def _flat(session: Session, values: Any) -> tuple[int, list[tuple[int, ...]]] | None:
    """``(bytes, array shapes)`` of scalars, handles and uploads in one pass; None when a
    value is a container (the general walk, ``_bytes`` and ``_shape``, counts those). The
    walk would do for every call, but costs 2.5 µs more per request (measured)."""
    total = 0
    shapes = []
    handles = session.handles
    for a in values:
        t = type(a)
        if t is Handle:
            obj = handles.get(a.number)
            if isinstance(obj, np.ndarray):
                total += obj.nbytes
                shapes.append(obj.shape)
        elif t is ArrayRef:
            total += a.nbytes
            shapes.append(a.shape)
        elif t in _CONTAINERS:
            return None
    return total, shapes


def _inline_call(session: Session, header: dict[str, Any]) -> bool:
    name, module = header.get("op"), header.get("module", "")
    if type(name) is not str or type(module) is not str or module not in _MODULES:
        return False
    args, kwargs = header.get("args", []), header.get("kwargs", {})
    if type(args) is not list or type(kwargs) is not dict:
        return True  # an error reply, nothing runs
    cls = _CLASSES.get((name, module))
    if cls is None:
        cls = _classify(name, module)
        if cls != _UNKNOWN:
            _CLASSES[(name, module)] = cls
    if cls == _NEVER:
        return False
    flat = _flat(session, args)
    flat_kw = _flat(session, kwargs.values()) if kwargs else (0, [])
    if flat is None or flat_kw is None:
        size = _bytes(session, args, SMALL) + _bytes(session, kwargs, SMALL)
        shapes = [_shape(session, a) for a in args]
    else:
        size, shapes = flat[0] + flat_kw[0], flat[1]
    if size > SMALL:
        return False
    if cls == _INDEX:
        return len(args) < 2 or _basic(args[1])
    if cls == _BROADCAST:
        return _broadcast_small(shapes)
    return True


def inline(session: Session, header: dict[str, Any]) -> bool:
    """Whether ``header`` is cheap enough to run on the dispatcher thread."""
    kind = header.get("kind")
    if kind == "call":
        return _inline_call(session, header)
    if kind == "get":
        h = header.get("handle")
        obj = session.handles.get(h.number) if type(h) is Handle else None
        return not isinstance(obj, np.ndarray) or obj.nbytes <= SMALL
    if kind == "put":
        return _bytes(session, header.get("value"), SMALL) <= SMALL
    return kind in ("free", "summary")
