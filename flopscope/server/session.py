"""One client's session: its budget, handle table, random stream and memory account.

:func:`flopscope.server.handlers.handle` turns one decoded request into one reply with a
session's methods. It runs on the session's worker thread (or inline on the dispatcher for
requests that cannot block), never on two threads at once, so the session's state needs no
lock of its own.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

import numpy as np

from flopscope._budget import BudgetContext, activate, deactivate
from flopscope._einsum.pathinfo import PathInfo
from flopscope.errors import NoBudgetContextError
from flopscope.server import calls, dtypes, estimate
from flopscope.server.codec import (
    ALLOWED_KINDS,
    DTYPES,
    EXT_ARRAY,
    ArrayRef,
    Handle,
    ProtocolError,
    dtype_name,
    ext,
    handle_ext,
    scalar_value,
)
from flopscope.server.limits import Limits

#: opaque objects a handle may name besides arrays
_OPAQUE = (np.random.Generator, np.random.RandomState)
_SCALARS = (bool, int, float, complex, str, bytes, type(None))
#: values that are already what the op receives (strings are checked for dtype spellings)
_PLAIN = frozenset({int, float, bool, type(None)})
_NO_ARGS: list[Any] = []  # read only: a call without args or kwargs shares these
_NO_KWARGS: dict[str, Any] = {}
_UFUNC = frozenset({str, type(None)})  # the ``ufunc`` field: a name, or absent


def _meta(a: np.ndarray) -> list[Any]:
    """What a reply's ``shapes`` says of an array: shape, dtype, and a 0-d array's value."""
    meta: list[Any] = [list(a.shape), dtype_name(a.dtype)]
    if not a.ndim:
        meta.append(scalar_value(a))
    return meta


def _root(a: np.ndarray) -> np.ndarray:
    """The array that owns ``a``'s memory (views cost nothing extra)."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


class Session:
    """State of one connection (ROUTER identity)."""

    def __init__(self, key: bytes, limits: Limits, cost_model: str | None = None) -> None:
        self.key = key
        self.limits = limits
        self.cost_model = cost_model
        self.ctx: BudgetContext | None = self._new_context(limits.budget)
        self._closed_used = 0  # FLOPs of the ledger the operator closed
        self.greeted = False
        self.handles: dict[int, Any] = {}
        self._by_id: dict[int, int] = {}  # id(object) -> handle, for objects held here
        self._roots: dict[int, list[Any]] = {}  # id(root) -> [root, live handles on it]
        self.nbytes = 0
        self.next_handle = 1
        self.random = calls.RandomRows()
        #: (op, module, ufunc) -> (row, function): bounded by the names ``resolve`` accepts
        self._functions: dict[tuple[str, str, Any], tuple[Any, Any, Any]] = {}
        self.err = calls.ErrorState()
        self.last_active = monotonic()

    # -- budget ------------------------------------------------------------------------------

    def _new_context(self, budget: int) -> BudgetContext:
        return BudgetContext(budget, quiet=True, cost_model=self.cost_model)

    def budget_state(self) -> dict[str, int | None]:
        ctx = self.ctx
        if ctx is None:
            used = self._closed_used
            return {"used": used, "limit": None, "remaining": None}
        used, limit = ctx.flops_used, int(ctx.flop_budget)
        return {"used": used, "limit": limit, "remaining": limit - used}

    def open(self, budget: int) -> None:
        self.ctx = self._new_context(budget)

    def close(self) -> dict[str, Any]:
        summary = self.summary()
        self._closed_used = self.ctx.flops_used if self.ctx is not None else 0
        self.ctx = None
        return summary

    def set_cost_model(self, name: str) -> None:
        """Calls after this are priced under ``name``; the ledger keeps its prices."""
        self.cost_model = name
        if self.ctx is not None:
            self.ctx.use_cost_model(name)

    def summary(self, by_namespace: bool = False, cost_model: str | None = None) -> dict:
        if self.ctx is None:
            return {"flop_budget": None, "flops_used": self._closed_used, "operations": {}}
        return self.ctx.summary_dict(by_namespace, cost_model=cost_model)

    # -- handles and memory ------------------------------------------------------------------

    def lookup(self, h: Handle) -> Any:
        try:
            return self.handles[h.number]
        except KeyError:
            raise ProtocolError(f"unknown handle {h.number}") from None

    def _new_bytes(self, objs: list[Any]) -> tuple[int, int, int]:
        """``(bytes, largest array, handles)`` that holding ``objs`` would add (buffers and
        objects already held count 0)."""
        seen: set[int] = set()
        total = largest = fresh = 0
        for x in objs:
            if id(x) in self._by_id:
                continue
            fresh += 1
            if isinstance(x, np.ndarray):
                largest = max(largest, x.nbytes)
                r = _root(x)
                if id(r) not in self._roots and id(r) not in seen:
                    seen.add(id(r))
                    total += r.nbytes
        return total, largest, fresh

    def check_room(self, new_bytes: int, new_handles: int = 1, single: int = 0) -> None:
        """Raise ``MemoryError`` unless the caps leave room (called before allocating)."""
        lim = self.limits
        if lim.max_array_bytes is not None and single > lim.max_array_bytes:
            raise MemoryError(
                f"array of {single:,} bytes exceeds the cap of {lim.max_array_bytes:,} bytes"
            )
        if lim.max_handles is not None and len(self.handles) + new_handles > lim.max_handles:
            raise MemoryError(
                f"session holds {len(self.handles):,} handles (cap {lim.max_handles:,}); "
                "free some first"
            )
        if lim.max_session_bytes is not None and self.nbytes + new_bytes > lim.max_session_bytes:
            raise MemoryError(
                f"session would hold {self.nbytes + new_bytes:,} bytes "
                f"(cap {lim.max_session_bytes:,}); free some arrays first"
            )

    def store(self, obj: Any) -> int:
        """Hold ``obj`` and return its handle (the same handle if it is already held)."""
        h = self._by_id.get(id(obj))
        if h is not None:
            return h
        if isinstance(obj, np.ndarray):
            r = _root(obj)
            return self._add(obj, r, self._roots.get(id(r)))
        return self._add(obj, None, None)

    def _add(self, obj: Any, root: np.ndarray | None, entry: list[Any] | None) -> int:
        """A new handle for ``obj`` (not held yet), whose memory is ``root``'s."""
        h = self.next_handle
        self.next_handle = h + 1
        self.handles[h] = obj
        self._by_id[id(obj)] = h
        if root is not None:
            if entry is None:
                self._roots[id(root)] = [root, 1]
                self.nbytes += root.nbytes
            else:
                entry[1] += 1
        return h

    def free(self, numbers: list[int]) -> int:
        freed = 0
        for n in numbers:
            obj = self.handles.pop(n, None)
            if obj is None:
                continue
            freed += 1
            del self._by_id[id(obj)]
            if isinstance(obj, np.ndarray):
                r = _root(obj)
                entry = self._roots[id(r)]
                entry[1] -= 1
                if entry[1] == 0:
                    del self._roots[id(r)]
                    self.nbytes -= r.nbytes
        return freed

    def clear(self) -> None:
        """Drop everything (disconnect, reap)."""
        self.handles.clear()
        self._by_id.clear()
        self._roots.clear()
        self.nbytes = 0
        self.ctx = None

    # -- values in ---------------------------------------------------------------------------

    def materialize(self, ref: ArrayRef, buffers: list[Any], pending: list[int]) -> np.ndarray:
        """An uploaded array, after the caps and the buffer length are checked."""
        nbytes = ref.nbytes
        self.check_room(pending[0] + nbytes, 0, single=nbytes)
        if not 0 <= ref.index < len(buffers):
            raise ProtocolError(f"array refers to buffer {ref.index}; {len(buffers)} were sent")
        buf = buffers[ref.index]
        if len(buf) != nbytes:
            raise ValueError(
                f"buffer {ref.index} holds {len(buf)} bytes; "
                f"{ref.dtype.name}{list(ref.shape)} needs {nbytes}"
            )
        pending[0] += nbytes
        a = np.frombuffer(bytearray(buf), dtype=ref.dtype).reshape(ref.shape)
        return a if a.dtype.isnative else a.astype(a.dtype.newbyteorder("="))

    def resolve(self, x: Any, buffers: list[Any], pending: list[int]) -> Any:
        """Replace handles and array refs in a decoded value by the objects they name."""
        t = type(x)
        if t is Handle:
            return self.lookup(x)
        if t in (int, float, bool, type(None), complex):
            return x
        if t is str:  # checked where numpy would read it as a dtype (dtypes.check)
            return x
        if t is ArrayRef:
            return self.materialize(x, buffers, pending)
        if t is list:
            return [self.resolve(e, buffers, pending) for e in x]
        if t is tuple:
            return tuple(self.resolve(e, buffers, pending) for e in x)
        if t is dict:
            if not all(type(k) is str for k in x):
                raise ProtocolError("map keys must be strings")
            return {k: self.resolve(v, buffers, pending) for k, v in x.items()}
        if t is bytes:
            raise ProtocolError("msgpack bin is not a value (send str, or an array ext)")
        if t is slice:
            return slice(*(self.resolve(e, buffers, pending) for e in (x.start, x.stop, x.step)))
        if x is Ellipsis or t is np.dtype or isinstance(x, np.dtype):
            return x
        raise ProtocolError(f"a {t.__name__} is not a value")  # msgpack's Timestamp (ext -1)

    # -- values out --------------------------------------------------------------------------

    def _check_result(self, r: Any, out: list[Any]) -> None:
        """Collect arrays of a result; refuse dtypes and types that may not travel."""
        if isinstance(r, (np.ndarray, np.generic)):
            if r.dtype.kind not in ALLOWED_KINDS:
                raise TypeError(f"results of dtype {r.dtype} are not served")
            out.append(r)
        elif isinstance(r, (tuple, list)):
            for e in r:
                self._check_result(e, out)
        elif isinstance(r, dict):
            for e in r.values():
                self._check_result(e, out)
        elif isinstance(r, _OPAQUE):
            out.append(r)
        elif isinstance(r, np.dtype) or (isinstance(r, type) and issubclass(r, np.generic)):
            try:
                kind = np.dtype(r).kind
            except TypeError:  # an abstract scalar type (np.floating) is no dtype
                kind = ""
            if kind not in ALLOWED_KINDS:  # promote_types("O", "f8")
                raise TypeError(f"results of dtype {r} are not served")
        elif not isinstance(r, (*_SCALARS, PathInfo)):
            raise TypeError(f"a result of type {type(r).__name__} cannot be sent")

    def to_wire(self, r: Any, shapes: dict[str, Any]) -> Any:
        """The result as a value: arrays and opaque objects become handles."""
        if isinstance(r, np.generic):
            r = np.asarray(r)
        if isinstance(r, np.ndarray):
            h = self.store(r)
            shapes[str(h)] = _meta(r)
            return handle_ext(h)
        if isinstance(r, PathInfo):
            return str(r)  # numpy's einsum_path gives the printed report as a string too
        if isinstance(r, _OPAQUE):
            h = self.store(r)
            shapes[str(h)] = [None, type(r).__name__]
            return handle_ext(h)
        if isinstance(r, tuple):
            return tuple(self.to_wire(e, shapes) for e in r)
        if isinstance(r, list):
            return [self.to_wire(e, shapes) for e in r]
        if isinstance(r, dict):
            return {str(k): self.to_wire(v, shapes) for k, v in r.items()}
        return r

    def array_out(self, obj: Any) -> tuple[Any, list[Any]]:
        """``get``: the array as ext 2 with its bytes in buffer 0."""
        if not isinstance(obj, np.ndarray):
            raise TypeError(f"handle names a {type(obj).__name__}, not an array")
        a = obj.view(np.ndarray) if type(obj) is not np.ndarray else obj
        if a.dtype.byteorder == ">":
            a = a.astype(a.dtype.newbyteorder("<"))
        if a.dtype.name not in DTYPES:
            raise TypeError(f"arrays of dtype {a.dtype} are not served")
        # ``tobytes`` copies in C order: ZeroMQ sends in the background, and the session's
        # next op may write to ``a``
        return ext(EXT_ARRAY, [a.dtype.name, list(a.shape), 0]), [a.tobytes()]

    # -- calls -------------------------------------------------------------------------------

    def function(self, header: dict[str, Any]) -> tuple[Any, Any, Any]:
        """``(row, function, dtype slots)`` of a call request (cached per session: random
        samplers and ``seterr`` are bound to this session's stream and error state)."""
        key = (header.get("op"), header.get("module", ""), header.get("ufunc"))
        cacheable = type(key[0]) is str and type(key[1]) is str and type(key[2]) in _UFUNC
        hit = self._functions.get(key) if cacheable else None
        if hit is None:
            op, fn = calls.resolve(*key, self.random, self.err)  # raises for bad names
            hit = (op, fn, dtypes.slots(fn if op is None else op.impl))
            if cacheable:
                self._functions[key] = hit
        return hit

    def call(
        self, header: dict[str, Any], buffers: list[Any], small: bool = False
    ) -> tuple[Any, dict[str, Any]]:
        """Run one ``call`` request; returns ``(wire result, shapes)``. ``small``: the
        dispatcher has already bounded the op's output (see ``fastpath``)."""
        args, kwargs = header.get("args", _NO_ARGS), header.get("kwargs", _NO_KWARGS)
        if type(args) is not list:
            raise ProtocolError("'args' must be a list")
        if type(kwargs) is not dict or (kwargs and not all(type(k) is str for k in kwargs)):
            raise ProtocolError("'kwargs' must be a map with string keys")
        op, fn, slots = self.function(header)
        ctx = self.ctx
        if ctx is None:
            raise NoBudgetContextError()
        pending = [0]
        resolve = self.resolve
        args = [a if type(a) in _PLAIN else resolve(a, buffers, pending) for a in args]
        if kwargs:
            kwargs = {
                k: v if type(v) in _PLAIN else resolve(v, buffers, pending)
                for k, v in kwargs.items()
            }
        if kwargs or slots != dtypes.NO_SLOTS:
            dtypes.check(slots, args, kwargs)
        # a bound on what the op will allocate, checked before it runs (a small inline op
        # only needs room for its uploads and one handle)
        if not small:
            if op is None:  # indexing or a constructor (calls.CONSTRUCTORS)
                indexing = fn is calls.getitem and len(args) == 2
                bound = estimate.getitem_bytes(args[0], args[1]) if indexing else None
            else:
                bound = estimate.output_bytes(op, tuple(args), kwargs)
            self.check_room(pending[0] + (bound or 0), single=bound or 0)
        else:
            self.check_room(pending[0])
        mark = ctx.checkpoint()
        token = activate(ctx)
        try:
            if self.err.settings is None:
                result = fn(*args, **kwargs)
            else:
                with np.errstate(**self.err.settings):
                    result = fn(*args, **kwargs)
        finally:
            deactivate(token)
        try:
            if isinstance(result, np.generic):
                result = np.asarray(result)
            if isinstance(result, np.ndarray):  # the common case, without the generic walk
                return self._hold_array(result)
            held: list[Any] = []
            self._check_result(result, held)
            new, largest, fresh = self._new_bytes(held)
            self.check_room(new, fresh, single=largest)
        except BaseException:
            ctx.rollback(mark)  # the result is discarded: the call leaves no trace
            raise
        shapes: dict[str, Any] = {}
        return self.to_wire(result, shapes), shapes

    def _hold_array(self, a: np.ndarray) -> tuple[Any, dict[str, Any]]:
        """One array result: checked, held (caps first) and described for the reply."""
        if a.dtype.kind not in ALLOWED_KINDS:
            raise TypeError(f"results of dtype {a.dtype} are not served")
        h = self._by_id.get(id(a))
        if h is None:
            r = _root(a)
            entry = self._roots.get(id(r))
            self.check_room(0 if entry is not None else r.nbytes, 1, single=a.nbytes)
            h = self._add(a, r, entry)
        return handle_ext(h), {str(h): _meta(a)}

    def put(self, value: Any, buffers: list[Any]) -> tuple[Any, dict[str, Any]]:
        pending = [0]
        obj = self.resolve(value, buffers, pending)
        arr = obj if isinstance(obj, np.ndarray) else np.asarray(obj)
        if arr.dtype.kind not in ALLOWED_KINDS:
            raise TypeError(f"values of dtype {arr.dtype} are not served")
        new, largest, fresh = self._new_bytes([arr])
        self.check_room(new, fresh, single=largest)
        shapes: dict[str, Any] = {}
        return self.to_wire(arr, shapes), shapes
