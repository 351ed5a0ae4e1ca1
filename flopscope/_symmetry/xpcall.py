"""The symmetric slow paths of ``flops.namespace(...)`` calls.

A namespace array is symmetric when the registry knows its counted ``Array`` wrapper (or the
backend array it wraps: ``flops.as_symmetric(torch_tensor, ...)``). The namespace builders
check the registry once per call, only while it holds any entry, and hand symmetric calls
here: the same rules and costs as ``fnp`` (:mod:`flopscope._symmetry.propagate`,
:mod:`flopscope._symmetry.costs`), with the result's wrapper tagged in the registry. Writes
into a tagged wrapper (in-place operators, ``__setitem__``) drop its tag unless the written
data keeps the group.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from time import perf_counter
from typing import Any

from flopscope import _config
from flopscope._symmetry import propagate, registry
from flopscope._symmetry.costs import SYMMETRIC_FORMS, Sym, broadcast_shape
from flopscope._symmetry.group import SymmetryGroup
from flopscope.errors import symmetry_loss_warning

#: the registry's entries: an empty registry means no operand can be symmetric
ENTRIES = registry._ENTRIES


def group_of(x: Any) -> SymmetryGroup | None:
    """The group of a namespace operand (its wrapper's tag, else its backend array's)."""
    e = ENTRIES.get(id(x))
    if e is not None and e.ref() is x:
        return e.group
    raw = getattr(x, "_raw", None)  # a counted Array: its backend array may be the tagged one
    if raw is not None:
        e = ENTRIES.get(id(raw))
        if e is not None and e.ref() is raw:
            return e.group
    return None


def any_symmetric(x1: Any, x2: Any) -> bool:
    """Whether either operand is tagged (callers test ``ENTRIES`` first)."""
    return group_of(x1) is not None or group_of(x2) is not None


def warn_lost(lost: propagate.Lost, what: str = "") -> None:
    if lost is None or not _config.get("symmetry_warnings"):
        return
    from flopscope.numpy._factory import _user_level

    dims, reason = lost
    text = f"{what}: {reason}" if what else reason
    warnings.warn(symmetry_loss_warning(dims, text), stacklevel=_user_level())


def tag(result: Any, group: SymmetryGroup | None) -> Any:
    """Tag a counted result (nothing to do for ``None`` or a 0-d result)."""
    if group is not None and getattr(result, "ndim", 0):
        registry.tag(result, group)
    return result


def written(target: Any, group: SymmetryGroup | None, what: str) -> None:
    """``target`` (a wrapper) was overwritten by data symmetric under ``group``."""
    own = registry.group_of(target)
    if own is None or propagate.includes(group, own):
        return
    registry.untag(target)
    warn_lost((propagate.moved_axes(own), f"{what} wrote data without that symmetry"))


def pointwise(ns: Any, op: Any, bfn: Callable[..., Any], xs: tuple, kwargs: dict) -> Any:
    """``xp.<pointwise>(x[, y])`` with a tagged operand: unique-element cost, tagged result."""
    t0 = perf_counter()
    raw = tuple(ns._raw(x) for x in xs)
    shapes = tuple(ns._shape(a) for a in raw)
    out_shape = broadcast_shape(shapes)
    if op.symmetry == "pointwise":
        group, lost = propagate.pointwise([(s, group_of(x)) for s, x in zip(shapes, xs)], out_shape)
    else:
        group, lost = propagate.drop(next(g for g in map(group_of, xs) if g), op.name)
    inputs = (*shapes, Sym(group)) if group is not None else shapes
    raw_kwargs = {k: ns._raw(v) for k, v in kwargs.items()}
    r = ns._wrap(ns._run(op, inputs, bfn, raw, raw_kwargs, t0))
    warn_lost(lost, op.name)
    if getattr(r, "shape", None) == out_shape:
        tag(r, group)
    return r


def reduction(ns: Any, op: Any, bfn: Callable[..., Any], x: Any, kwargs: dict) -> Any:
    """``xp.<reduction>(x, axis=...)`` of a tagged array (standard reductions keep no
    positional axis)."""
    from flopscope._namespace import normalize_axis

    t0 = perf_counter()
    a = ns._raw(x)
    raw_kwargs = {k: ns._raw(v) for k, v in kwargs.items()}
    shape = ns._shape(a)
    norm = normalize_axis(raw_kwargs.get("axis"), len(shape))
    group = group_of(x)
    priced = group if op.formula in SYMMETRIC_FORMS else None
    inputs = (shape, norm, Sym(priced)) if priced is not None else (shape, norm)
    r = ns._wrap(ns._run(op, inputs, bfn, (a,), raw_kwargs, t0))
    ndim = len(shape)
    if op.symmetry == "cumulative":
        new, lost = propagate.cumulative(group, ndim, None if norm is None else norm[0])
    else:
        keep = bool(raw_kwargs.get("keepdims")) and norm is not None
        new, lost = propagate.reduction(group, ndim, norm, keep)
    warn_lost(lost, op.name)
    return tag(r, new)


def free(ns: Any, op: Any, args: tuple, kwargs: dict, result: Any) -> Any:
    """A free row (``permute_dims``, ``reshape``, ``expand_dims``...) of a tagged array."""
    shape = getattr(result, "shape", None)
    if shape is None:
        return result
    in_shape = ns._shape(ns._raw(args[0]))
    raw_kwargs = {k: ns._raw(v) for k, v in kwargs.items()}
    group, lost = propagate.free(
        op.symmetry, op.name, group_of(args[0]), in_shape, args[1:], raw_kwargs, tuple(shape)
    )
    warn_lost(lost, op.name)
    return tag(result, group)


def getitem(x: Any, key: Any, result: Any) -> Any:
    """``x[key]`` of a tagged wrapper: the indexing rule of ``fnp``."""
    group = group_of(x)
    if group is None:
        return result
    new, lost = propagate.index(group, tuple(x.shape), key)
    warn_lost(lost, "indexing")
    return tag(result, new)


def transposed(x: Any, result: Any, perm: tuple[int, ...]) -> Any:
    """``x.T``/``x.mT``/``permute_dims``: relabel the group."""
    return tag(result, propagate.transpose(group_of(x), perm))


def dunder(op: Any, name: str, role: str, self: Any, other: Any) -> Any:
    """``self <op> other`` (``role``: forward, reflected, inplace) with a tagged operand."""
    from flopscope._array import _call, _operand

    t0 = perf_counter()
    ns = self._ns
    a = self._raw
    o = _operand(self, other)
    if o is NotImplemented:
        return NotImplemented
    raw_method = getattr(a, name, None)
    if raw_method is None and role == "inplace":
        raw_method = getattr(a, op.dunders[0])  # immutable backend: rebind instead
    first, second = (other, self) if role == "reflected" else (self, other)
    shapes = (ns._shape(ns._raw(first)), ns._shape(ns._raw(second)))
    out_shape = broadcast_shape(shapes)
    group, lost = propagate.pointwise(
        [(shapes[0], group_of(first)), (shapes[1], group_of(second))], out_shape
    )
    inputs = (*shapes, Sym(group)) if group is not None else shapes
    r = ns._run(op, inputs, _call, (raw_method, o), {}, t0)
    if role == "inplace":
        self._raw = ns._adapter.as_result(r)
        written(self, group, f"in-place {op.name}")
        return self
    warn_lost(lost, op.name)
    r = ns._wrap(r)
    if getattr(r, "shape", None) == out_shape:
        tag(r, group)
    return r


def unary_dunder(op: Any, name: str, self: Any) -> Any:
    """``-x`` / ``abs(x)`` of a tagged wrapper: unique-element cost, the group kept."""
    t0 = perf_counter()
    ns = self._ns
    a = self._raw
    shape = ns._shape(a)
    group = group_of(self)
    inputs = (shape, Sym(group)) if group is not None else (shape,)
    return tag(ns._wrap(ns._run(op, inputs, getattr(a, name), (), {}, t0)), group)


def setitem(self: Any, key: Any, value: Any) -> None:
    """After ``self[key] = value``: a tagged wrapper keeps its tag only for a whole-array
    write of a constant or of data with (at least) its group."""
    if registry.group_of(self) is None:
        return
    keys = key if type(key) is tuple else (key,)
    whole = all(k is Ellipsis or (type(k) is slice and k == slice(None)) for k in keys)
    if whole:
        shape = tuple(getattr(value, "shape", ()))
        if not shape:
            return  # one constant everywhere keeps every symmetry
        group, _ = propagate.pointwise([(shape, group_of(value))], tuple(self.shape))
        written(self, group, "item assignment")
        return
    written(self, None, "item assignment")


__all__ = [
    "any_symmetric",
    "dunder",
    "free",
    "getitem",
    "group_of",
    "pointwise",
    "reduction",
    "setitem",
    "tag",
    "transposed",
    "unary_dunder",
    "written",
]
