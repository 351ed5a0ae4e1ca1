"""Remote array proxies: what ``flopscope.numpy`` returns in the client.

A :class:`RemoteArray` holds a server handle plus the shape and dtype the reply reported, so
``shape``/``dtype``/``ndim``/``size`` need no round trip. Operators and counted methods are
generated from the op table (shipped in ``_names.json``): ``a + b`` is sent as the ``add``
row, exactly as in-process. Values come back only when asked for (``float(a)``,
``a.tolist()``, ``a.tobytes()``, ``repr(a)``). A proxy that is garbage-collected queues its
handle for a batched ``free``.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

from . import _names
from ._codec import Handle, LocalArray
from ._conn import Connection, connection
from ._dtype import dtype, to_list


def call(op: str, module: str, args: tuple | list, kwargs: dict[str, Any], **extra: Any) -> Any:
    """Run one op row on the server and wrap its result."""
    conn = connection()
    conn.epoch += 1  # any op may write (``out=``, views): cached 0-d values expire
    result, reply = conn.request(
        "call", op=op, module=module, args=list(args), kwargs=kwargs, **extra
    )
    return wrap(conn, result, reply.get("shapes") or {})


def wrap(conn: Connection, value: Any, shapes: dict[str, Any]) -> Any:
    """Turn decoded handles into proxies (one live proxy per handle number)."""
    if isinstance(value, Handle):
        return _proxy(conn, value.number, shapes.get(str(value.number)))
    if isinstance(value, tuple):
        return tuple(wrap(conn, v, shapes) for v in value)
    if isinstance(value, list):
        return [wrap(conn, v, shapes) for v in value]
    if isinstance(value, dict):
        return {k: wrap(conn, v, shapes) for k, v in value.items()}
    return value


_live: weakref.WeakValueDictionary[tuple[int, int], Any] = weakref.WeakValueDictionary()


def _proxy(conn: Connection, number: int, meta: Any) -> Any:
    # the server may hand back a handle the client already holds (``out=a``): reuse that
    # proxy, or two proxies would free the same handle
    key = (id(conn), number)
    if number in conn._pending_free:  # a collected proxy's handle, named again before its
        conn._pending_free.remove(number)  # free was sent: the server still holds it
    known = _live.get(key)
    if known is not None:
        if isinstance(known, RemoteArray) and isinstance(meta, list) and meta[0] is not None:
            known._meta(meta, conn.epoch)
        return known
    if isinstance(meta, list) and len(meta) >= 2 and meta[0] is None:
        obj: Any = RemoteObject(conn, number, str(meta[1]))
    elif isinstance(meta, list) and len(meta) >= 2:
        obj = RemoteArray(conn, number)
        obj._meta(meta, conn.epoch)
    else:
        obj = RemoteObject(conn, number, "object")
    _live[key] = obj
    return obj


class _Handled:
    """Common part of proxies: the handle, its connection, and release on collection."""

    __slots__ = ("_conn", "_number", "__weakref__")

    def __init__(self, conn: Connection, number: int) -> None:
        self._conn = conn
        self._number = number

    def _flopscope_handle(self) -> int:
        return self._number

    def __del__(self) -> None:
        try:
            self._conn.release(self._number)
        except Exception:  # interpreter shutdown: the session ends with the process
            pass

    def __reduce__(self) -> Any:
        # a pickled handle would outlive its session (or be freed twice): refuse it
        raise TypeError(
            f"cannot pickle a remote {type(self).__name__}; send its .tobytes() with its "
            "shape and dtype instead"
        )


class RemoteObject(_Handled):
    """A non-array server object (a random ``Generator`` or ``RandomState``): its counted
    methods (the rows of module ``random.<type>``) run remotely, the object as first argument."""

    __slots__ = ("_type",)

    def __init__(self, conn: Connection, number: int, type_name: str) -> None:
        super().__init__(conn, number)
        self._type = type_name

    def __getattr__(self, name: str) -> Any:
        module = f"random.{self._type}"
        if name.startswith("_") or name not in _names.classes().get(module, ()):
            raise AttributeError(f"remote {self._type} object has no counted method {name!r}")

        def method(*args: Any, **kwargs: Any) -> Any:
            return call(name, module, (self, *args), kwargs)

        method.__name__ = name
        return method

    def __repr__(self) -> str:
        return f"<remote {self._type} #{self._number}>"


def _normalise_shape(args: tuple) -> Any:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return args[0] if len(args) == 1 else tuple(args)


class RemoteArray(_Handled):
    """An array that lives on the server (``flopscope.numpy.ndarray`` in the client)."""

    __slots__ = ("_shape", "_dtype", "_scalar", "_epoch")
    __hash__ = None  # type: ignore[assignment]  # arrays are unhashable, as in numpy

    def _meta(self, meta: list, epoch: int) -> None:
        self._shape = tuple(int(n) for n in meta[0])
        self._dtype = dtype(meta[1])
        # a 0-d result carries its value; it stays valid until the next op (which may write)
        self._scalar = (meta[2],) if len(meta) > 2 else None
        self._epoch = epoch

    # -- metadata --------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self._shape

    @property
    def dtype(self) -> dtype:
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def size(self) -> int:
        n = 1
        for d in self._shape:
            n *= d
        return n

    @property
    def itemsize(self) -> int:
        return self._dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.size * self.itemsize

    # -- free views and conversions (rows of the table, free as in-process) -----------------

    @property
    def T(self) -> Any:  # noqa: N802 - numpy's name
        return call("transpose", "", (self,), {})

    @property
    def mT(self) -> Any:  # noqa: N802 - numpy's name
        return call("matrix_transpose", "", (self,), {})

    @property
    def real(self) -> Any:
        # numpy's attribute is a free view; for real dtypes ``a[...]`` is that view. The
        # real part of a complex array has no free row: it bills as ``fnp.real``
        if self._dtype.kind != "c":
            return self[...]
        return call("real", "", (self,), {})

    @property
    def imag(self) -> Any:
        if self._dtype.kind != "c":
            return call("zeros_like", "", (self,), {})
        return call("imag", "", (self,), {})

    def reshape(self, *shape: Any, **kwargs: Any) -> Any:
        return call("reshape", "", (self, _normalise_shape(shape)), kwargs)

    def transpose(self, *axes: Any) -> Any:
        if not axes or (len(axes) == 1 and axes[0] is None):
            return call("transpose", "", (self,), {})
        return call("transpose", "", (self, _normalise_shape(axes)), {})

    def astype(self, dtype: Any, **kwargs: Any) -> Any:
        return call("astype", "", (self, dtype), kwargs)

    def copy(self, order: str = "C") -> Any:
        return call("copy", "", (self,), {"order": order})

    def __copy__(self) -> Any:  # copy.copy(a) copies the data, as numpy does
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        return self.copy()

    def flatten(self, order: str = "C") -> Any:
        return call("copy", "", (call("ravel", "", (self,), {"order": order}),), {})

    def squeeze(self, axis: Any = None) -> Any:
        return call("squeeze", "", (self,), {"axis": axis})

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        return call("swapaxes", "", (self, axis1, axis2), {})

    def fill(self, value: Any) -> None:
        self[...] = value

    def sort(self, *args: Any, **kwargs: Any) -> None:
        # in place, as numpy's method: the sort row prices it, the copy back is free
        self[...] = call("sort", "", (self, *args), kwargs)

    def partition(self, *args: Any, **kwargs: Any) -> None:
        self[...] = call("partition", "", (self, *args), kwargs)

    def compress(self, condition: Any, axis: Any = None, out: Any = None) -> Any:
        kwargs: dict[str, Any] = {"axis": axis}
        if out is not None:
            kwargs["out"] = out
        return call("compress", "", (condition, self), kwargs)

    # -- indexing and iteration --------------------------------------------------------------

    def __getitem__(self, key: Any) -> Any:
        return call("__getitem__", "", (self, key), {})

    def __setitem__(self, key: Any, value: Any) -> None:
        call("__setitem__", "", (self, key, value), {})

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of unsized object")
        return self._shape[0]

    def __iter__(self) -> Iterator[Any]:
        if not self._shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self._shape[0]))

    def __contains__(self, value: Any) -> bool:
        # numpy's ``in`` is ``(a == value).any()`` done as ``logical_or.reduce``; both count
        mask = self == value
        found = call("reduce", "ufunc", (mask,), {"axis": None}, ufunc="logical_or")
        return bool(found)

    # -- values ----------------------------------------------------------------------------

    def _download(self) -> LocalArray:
        if self.size == 0:  # nothing to fetch
            return LocalArray(b"", self._dtype.name, self._shape)
        conn = self._conn
        result, _ = conn.request("get", handle=self)
        if not isinstance(result, LocalArray):
            from .errors import ProtocolError

            raise ProtocolError(f"get returned {type(result).__name__}, not an array")
        if result.shape != self._shape and len(result.data) == self.nbytes:
            # a 0-d array may come back as shape (1,): the proxy's shape is the truth
            result = LocalArray(result.data, result.dtype, self._shape)
        return result

    def tobytes(self, order: str = "C") -> bytes:
        if order not in ("C", "A", "K"):
            return call("copy", "", (self,), {"order": "F"})._download().data
        return self._download().data

    def tolist(self) -> Any:
        if self._scalar is not None and self._epoch == self._conn.epoch:
            return self._scalar[0]
        local = self._download()
        return to_list(local.data, local.dtype, local.shape)

    def item(self, *args: Any) -> Any:
        if len(args) == 1 and isinstance(args[0], int):  # a flat index, as in numpy
            return call("reshape", "", (self, -1), {})[args[0]].item()
        if args:
            return self[args if len(args) > 1 else args[0]].item()
        if self.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        value = self.tolist()
        while isinstance(value, list):
            value = value[0]
        return value

    def _scalar_value(self, what: str) -> Any:
        if self.size != 1:
            raise TypeError(f"only length-1 arrays can be converted to Python scalars ({what})")
        return self.item()

    def __float__(self) -> float:
        return float(self._scalar_value("float"))

    def __int__(self) -> int:
        return int(self._scalar_value("int"))

    def __complex__(self) -> complex:
        return complex(self._scalar_value("complex"))

    def __index__(self) -> int:
        if self._dtype.kind not in "iub" or self.ndim:
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return int(self.item())

    def __bool__(self) -> bool:
        if self.size != 1:
            raise ValueError(
                "The truth value of an array with more than one element is ambiguous. "
                "Use a.any() or a.all()"
            )
        return bool(self.item())

    def __repr__(self) -> str:
        body = repr(self.tolist())
        if self._dtype.name in ("float64", "int64", "bool", "complex128"):
            return f"array({body})"
        return f"array({body}, dtype={self._dtype.name})"

    def __str__(self) -> str:
        return str(self.tolist())

    def __format__(self, spec: str) -> str:
        if self.ndim == 0:
            return format(self.item(), spec)
        return format(str(self), spec)


def _install() -> None:
    """Operator dunders and counted methods from the table (``_names.json``)."""
    for dunder, (op, role) in _names.dunders().items():
        setattr(RemoteArray, dunder, _dunder(dunder, op, role))
    for method, op in _names.methods().items():
        if method in RemoteArray.__dict__:
            continue  # in-place methods and argument-order differences written above
        setattr(RemoteArray, method, _method(method, op))


def _dunder(name: str, op: str, role: str) -> Any:
    if role == "unary":

        def unary(self: Any) -> Any:
            return call(op, "", (self,), {})

        fn: Any = unary
    elif role == "forward":

        def forward(self: Any, other: Any) -> Any:
            if not _operand(other):
                return NotImplemented
            return call(op, "", (self, other), {})

        fn = forward
    elif role == "reflected":

        def reflected(self: Any, other: Any) -> Any:
            if not _operand(other):
                return NotImplemented
            return call(op, "", (other, self), {})

        fn = reflected
    else:

        def inplace(self: Any, other: Any) -> Any:
            if not _operand(other):
                return NotImplemented
            call(op, "", (self, other), {"out": self})
            return self

        fn = inplace
    fn.__name__ = name
    return fn


def _operand(x: Any) -> bool:
    """What the operators accept: proxies, Python numbers and (nested) lists/tuples."""
    return isinstance(x, (RemoteArray, int, float, complex, list, tuple))


def _method(name: str, op: str) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return call(op, "", (self, *args), kwargs)

    method.__name__ = name
    return method


_install()
