"""``einsum`` from standard functions only, for backends that have no native one.

The call has already been priced (the cost is path-independent), so this only has to be
right: repeated labels inside an operand become diagonals (``take``), then operands are
contracted left to right, each pair as one batched ``matmul``.
"""

from __future__ import annotations

import math
from typing import Any

from flopscope._einsum.parse import canonicalize, size_dict


def einsum(xp: Any, subscripts: str, *operands: Any, dtype: Any = None, **kwargs: Any) -> Any:
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(f"einsum() got unexpected keyword arguments {sorted(kwargs)}")
    shapes = tuple(tuple(int(d) for d in x.shape) for x in operands)
    canonical = canonicalize(subscripts, shapes)
    size_dict(canonical, shapes)
    lhs, out = canonical.split("->")
    if dtype is not None:
        operands = tuple(xp.astype(x, dtype) for x in operands)
    items = [_distinct(xp, x, t) for x, t in zip(operands, lhs.split(","))]
    x, labels = items[0]
    for k in range(1, len(items)):
        keep = set(out).union(*(t for _, t in items[k + 1 :]))
        x, labels = _pair(xp, x, labels, *items[k], keep)
    x, labels = _sum_out(xp, x, labels, set(out))
    return xp.permute_dims(x, tuple(labels.index(c) for c in out))


def _distinct(xp: Any, x: Any, labels: str) -> tuple[Any, str]:
    """Take diagonals until every label occurs once in ``labels``."""
    while len(set(labels)) < len(labels):
        c = next(ch for ch in labels if labels.count(ch) > 1)
        p = labels.index(c)
        q = labels.index(c, p + 1)
        rest = [i for i in range(len(labels)) if i not in (p, q)]
        x = xp.permute_dims(x, (*rest, p, q))
        n = int(x.shape[-1])
        x = xp.reshape(x, (*x.shape[:-2], n * n))
        x = xp.take(x, xp.arange(0, n * n, n + 1), axis=-1)
        labels = "".join(labels[i] for i in rest) + c
    return x, labels


def _sum_out(xp: Any, x: Any, labels: str, keep: set[str]) -> tuple[Any, str]:
    axes = tuple(i for i, c in enumerate(labels) if c not in keep)
    if not axes:
        return x, labels
    x = xp.sum(x, axis=axes, dtype=x.dtype)
    return x, "".join(c for c in labels if c in keep)


def _pair(xp: Any, a: Any, ta: str, b: Any, tb: str, keep: set[str]) -> tuple[Any, str]:
    """Contract two operands with distinct labels, keeping the labels in ``keep``."""
    a, ta = _sum_out(xp, a, ta, keep | set(tb))
    b, tb = _sum_out(xp, b, tb, keep | set(ta))
    sizes = {c: max(int(d) for d in _sizes(c, a, ta, b, tb)) for c in set(ta) | set(tb)}
    a = _broadcast(xp, a, ta, sizes)
    b = _broadcast(xp, b, tb, sizes)
    batch = [c for c in ta if c in tb and c in keep]
    contr = [c for c in ta if c in tb and c not in keep]
    a_only = [c for c in ta if c not in tb]
    b_only = [c for c in tb if c not in ta]
    lead = tuple(sizes[c] for c in batch)
    m = math.prod(sizes[c] for c in a_only)
    k = math.prod(sizes[c] for c in contr)
    n = math.prod(sizes[c] for c in b_only)
    a2 = xp.reshape(
        xp.permute_dims(a, tuple(ta.index(c) for c in batch + a_only + contr)), (*lead, m, k)
    )
    b2 = xp.reshape(
        xp.permute_dims(b, tuple(tb.index(c) for c in batch + contr + b_only)), (*lead, k, n)
    )
    r = xp.matmul(a2, b2)
    shape = (*lead, *(sizes[c] for c in a_only), *(sizes[c] for c in b_only))
    return xp.reshape(r, shape), "".join(batch + a_only + b_only)


def _sizes(c: str, a: Any, ta: str, b: Any, tb: str) -> list[int]:
    found = []
    if c in ta:
        found.append(a.shape[ta.index(c)])
    if c in tb:
        found.append(b.shape[tb.index(c)])
    return found


def _broadcast(xp: Any, x: Any, labels: str, sizes: dict[str, int]) -> Any:
    """Stretch size-1 axes that meet a longer axis of the other operand (``...`` rules)."""
    target = tuple(sizes[c] for c in labels)
    return x if tuple(x.shape) == target else xp.broadcast_to(x, target)
