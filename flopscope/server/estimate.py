"""Upper bounds on the bytes an op will allocate, computed from its arguments before it runs.

Only ops that can turn a small request into a big array need a rule (creation from a shape,
random samplers, broadcasting, outer products, fancy indexing). ``None`` means "no cheap
bound": the session then checks the result after the fact and refuses it.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from flopscope.ops import Op

_ITEM = 8  # default itemsize (float64, int64); wider argument or requested dtypes count


def _dims(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (list, tuple)):
        return tuple(operator.index(d) for d in shape)
    return (operator.index(shape),)


def _numel(shape: Any) -> int:
    return math.prod(max(d, 0) for d in _dims(shape))


def _arg(args: tuple, kwargs: dict, pos: int, name: str, default: Any = None) -> Any:
    if len(args) > pos:
        return args[pos]
    return kwargs.get(name, default)


_SCALAR_TYPES = (int, float, complex, bool, str, type(None))


def _shape_of(x: Any) -> tuple[int, ...]:
    if isinstance(x, np.ndarray):
        return x.shape
    return () if isinstance(x, _SCALAR_TYPES) else np.shape(x)


def _shape_first(args: tuple, kwargs: dict) -> int:
    return _numel(_arg(args, kwargs, 0, "shape", ()))


def _like(args: tuple, kwargs: dict) -> int:
    shape = kwargs.get("shape")
    if shape is not None:
        return _numel(shape)
    return math.prod(_shape_of(_arg(args, kwargs, 0, "a", 0)))


def _eye(args: tuple, kwargs: dict) -> int:
    n = operator.index(_arg(args, kwargs, 0, "N", 0))
    m = _arg(args, kwargs, 1, "M")
    return max(n, 0) * max(n if m is None else operator.index(m), 0)


def _identity(args: tuple, kwargs: dict) -> int:
    n = operator.index(_arg(args, kwargs, 0, "n", 0))
    return max(n, 0) ** 2


def _arange(args: tuple, kwargs: dict) -> int:
    vals = [a for a in args[:3]]
    for key in ("start", "stop", "step"):
        if key in kwargs:
            vals.append(kwargs[key])
    nums = [float(v) for v in vals if isinstance(v, (int, float))]
    if len(nums) != len(vals) or not nums:
        raise TypeError  # no bound: let the post-check handle it
    start, stop, step = (0.0, nums[0], 1.0) if len(nums) == 1 else (*nums[:2], 1.0)
    if len(nums) >= 3:
        step = nums[2]
    if step == 0:
        return 0
    return max(0, math.ceil((stop - start) / step))


def _num(pos: int, default: int) -> Callable[[tuple, dict], int]:
    return lambda args, kwargs: operator.index(_arg(args, kwargs, pos, "num", default))


def _broadcast(args: tuple, kwargs: dict) -> int:
    dims: list[int] = []
    for a in args:
        if isinstance(a, np.dtype):
            continue
        shape = _shape_of(a)
        if len(shape) > len(dims):
            dims = [1] * (len(shape) - len(dims)) + dims
        for i, d in enumerate(shape, len(dims) - len(shape)):
            if d != 1:
                dims[i] = d  # mismatched dims are numpy's error, raised when it runs
    return math.prod(dims)


def _outer(args: tuple, kwargs: dict) -> int:
    return math.prod(math.prod(_shape_of(a)) for a in args[:2])


def _tile(args: tuple, kwargs: dict) -> int:
    a = math.prod(_shape_of(_arg(args, kwargs, 0, "A", 0)))
    return a * _numel(_arg(args, kwargs, 1, "reps", 1))


def _repeat(args: tuple, kwargs: dict) -> int:
    a = math.prod(_shape_of(_arg(args, kwargs, 0, "a", 0)))
    reps = _arg(args, kwargs, 1, "repeats", 1)
    return a * max(int(np.max(reps)) if np.size(reps) else 0, 0)


def _resize(args: tuple, kwargs: dict) -> int:
    return _numel(_arg(args, kwargs, 1, "new_shape", ()))


def _pad(args: tuple, kwargs: dict) -> int:
    shape = _shape_of(_arg(args, kwargs, 0, "array", 0))
    width = np.broadcast_to(np.asarray(_arg(args, kwargs, 1, "pad_width", 0)), (len(shape), 2))
    return math.prod(d + int(w.sum()) for d, w in zip(shape, width))


def _total(x: Any) -> int:
    """Elements of every array in ``x`` (nested sequences of arrays: ``concatenate``)."""
    if isinstance(x, np.ndarray):
        return x.size
    if isinstance(x, (list, tuple)):
        return sum(_total(e) for e in x) or len(x)
    return 1


def _joined(args: tuple, kwargs: dict) -> int:
    return _total(_arg(args, kwargs, 0, "arrays", ()))


def _first_size(args: tuple, kwargs: dict) -> int:
    # copies of a broadcast view allocate its full (virtual) size
    return math.prod(_shape_of(_arg(args, kwargs, 0, "a", 0)))


def _meshgrid(args: tuple, kwargs: dict) -> int:
    sizes = [math.prod(_shape_of(a)) for a in args]
    return math.prod(sizes) * len(sizes)


def _diag(args: tuple, kwargs: dict) -> int:
    shape = _shape_of(_arg(args, kwargs, 0, "v", 0))
    if len(shape) != 1:
        return math.prod(shape)  # extracting a diagonal: at most the input
    n = shape[0] + abs(operator.index(_arg(args, kwargs, 1, "k", 0)))
    return n * n


def _bins(args: tuple, kwargs: dict) -> int:
    bins = _arg(args, kwargs, 1, "bins", 10)
    data = math.prod(_shape_of(_arg(args, kwargs, 0, "a", 0)))
    return data + (operator.index(bins) if isinstance(bins, int) else _total(bins))


def _bincount(args: tuple, kwargs: dict) -> int:
    x = _arg(args, kwargs, 0, "x", ())
    top = int(np.max(x)) + 1 if np.size(x) else 0
    return max(top, operator.index(_arg(args, kwargs, 2, "minlength", 0)))


def _vander(args: tuple, kwargs: dict) -> int:
    n = math.prod(_shape_of(_arg(args, kwargs, 0, "x", 0)))
    cols = _arg(args, kwargs, 1, "N")
    return n * (n if cols is None else operator.index(cols))


def _einsum(args: tuple, kwargs: dict) -> int:
    sub = args[0]
    if not isinstance(sub, str) or "->" not in sub:
        raise TypeError
    ins, out = sub.replace(" ", "").split("->")
    sizes: dict[str, int] = {}
    for term, x in zip(ins.split(","), args[1:]):
        shape = _shape_of(x)
        letters = term.replace("...", "")
        if "..." in term or len(letters) != len(shape):
            raise TypeError
        for ch, d in zip(letters, shape):
            sizes[ch] = max(sizes.get(ch, 1), d)
    return math.prod(sizes.get(ch, 1) for ch in out)


def _sampler(op: Op, args: tuple, kwargs: dict) -> int:
    # the row's own pricing inputs count the drawn numbers (formula "count")
    if op.formula == "count" and op.inputs is not None:
        return int(op.inputs(*args, **kwargs)[0])
    raise TypeError


_RULES: dict[str, Callable[[tuple, dict], int]] = {
    "zeros": _shape_first,
    "ones": _shape_first,
    "empty": _shape_first,
    "full": _shape_first,
    "zeros_like": _like,
    "ones_like": _like,
    "empty_like": _like,
    "full_like": _like,
    "eye": _eye,
    "identity": _identity,
    "tri": _eye,
    "arange": _arange,
    "linspace": _num(2, 50),
    "logspace": _num(2, 50),
    "geomspace": _num(2, 50),
    "outer": _outer,
    "kron": _outer,
    "tile": _tile,
    "repeat": _repeat,
    "resize": _resize,
    "einsum": _einsum,
    "pad": _pad,
    "concatenate": _joined,
    "stack": _joined,
    "vstack": _joined,
    "hstack": _joined,
    "dstack": _joined,
    "column_stack": _joined,
    "block": _joined,
    "append": lambda args, kwargs: _total(list(args[:2])),
    "copy": _first_size,
    "array": _first_size,
    "asarray": _first_size,
    "ascontiguousarray": _first_size,
    "meshgrid": _meshgrid,
    "diag": _diag,
    "diagflat": lambda args, kwargs: _diag((np.ravel(args[0]), *args[1:]), kwargs),
    "histogram": _bins,
    "histogram_bin_edges": _bins,
    "bincount": _bincount,
    "vander": _vander,
    "indices": lambda args, kwargs: (
        _numel(_arg(args, kwargs, 0, "dimensions", ()))
        * max(1, len(_dims(_arg(args, kwargs, 0, "dimensions", ()))))
    ),
}


#: ops that can build a big array from a small request
CREATION = frozenset(
    "zeros ones empty full zeros_like ones_like empty_like full_like eye identity tri arange "
    "linspace logspace geomspace indices tril_indices triu_indices mask_indices diag_indices "
    "meshgrid".split()
)


def _itemsize(args: tuple, kwargs: dict) -> int:
    """Widest itemsize the result can have: the arguments' dtypes, a requested dtype, or 8."""
    item = _ITEM
    for x in (*args, *kwargs.values()):
        if isinstance(x, np.ndarray):
            item = max(item, x.dtype.itemsize)
        elif isinstance(x, np.dtype):
            item = max(item, x.itemsize)
        elif isinstance(x, complex):
            item = max(item, 16)
    return item


def output_bytes(op: Op, args: tuple, kwargs: dict) -> int | None:
    """An upper bound on the bytes ``op(*args, **kwargs)`` allocates, or ``None``."""
    try:
        if op.module.startswith("random"):
            return _sampler(op, args, kwargs) * _ITEM
        rule = _RULES.get(op.name)
        if rule is None and op.kind in ("ufunc", "elementwise"):
            rule = _broadcast
        if rule is None:
            return None
        return rule(args, kwargs) * _itemsize(args, kwargs)
    except Exception:
        return None  # bad arguments: numpy will say so (or the post-check catches it)


def getitem_bytes(a: np.ndarray, key: Any) -> int | None:
    """Bytes of ``a[key]`` from the key's structure (fancy indices can make it huge)."""
    try:
        key = key if isinstance(key, tuple) else (key,)
        consumed = sum(
            1
            if not isinstance(k, (np.ndarray, list)) or np.asarray(k).dtype != bool
            else np.ndim(k)
            for k in key
            if k is not None and k is not Ellipsis
        )
        if Ellipsis in [k for k in key if not isinstance(k, (np.ndarray, list))]:
            i = next(j for j, k in enumerate(key) if k is Ellipsis)
            key = (*key[:i], *([slice(None)] * (a.ndim - consumed)), *key[i + 1 :])
        dims = list(a.shape)
        basic = 1
        adv: list[tuple[int, ...]] = []
        for k in key:
            if k is None:
                continue
            if isinstance(k, slice):
                basic *= len(range(*k.indices(dims.pop(0))))
            elif isinstance(k, (np.ndarray, list)):
                arr = np.asarray(k)
                if arr.dtype == bool:
                    del dims[: arr.ndim]
                    adv.append((int(np.count_nonzero(arr)),))
                else:
                    dims.pop(0)
                    adv.append(arr.shape)
            else:
                dims.pop(0)  # an integer
        numel = basic * math.prod(dims) * math.prod(np.broadcast_shapes(*adv) if adv else ())
        return numel * a.dtype.itemsize
    except Exception:
        return None
