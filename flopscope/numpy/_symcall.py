"""The slow paths of counted ``fnp`` calls that see a ``SymmetricTensor``.

The builders of :mod:`flopscope.numpy._factory` hand a call here after one type check, so
plain arrays never pay for symmetry. Each path follows the usual flow (price from shapes →
charge → run → record) with two additions: the price is counted under the group the result
keeps (a :class:`~flopscope._symmetry.costs.Sym` marker ends the inputs), and the result is
tagged by the op row's propagation rule (``op.symmetry``), warning when a declared symmetry is
dropped. Writes (``out=``, in-place operators, item assignment, in-place sorts, ``copyto``...)
drop the target's tag unless the written data provably keeps its group.

This module also gives ``SymmetricTensor`` its view methods (``.T``, ``transpose``,
``reshape``, ``__getitem__``...), which propagate the tag, and its write paths.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from time import perf_counter
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from flopscope import _config
from flopscope._symmetry import propagate, registry
from flopscope._symmetry.costs import SYMMETRIC_FORMS, Sym, broadcast_shape
from flopscope._symmetry.group import SymmetryGroup
from flopscope.errors import symmetry_loss_warning
from flopscope.numpy._ndarray import FlopscopeArray
from flopscope.numpy._symmetric import SymmetricTensor, as_symmetric_view, symmetry_of
from flopscope.ops import Op

_ndarray = np.ndarray


def _ndim(x: Any) -> int:
    # attributes, not np.ndim: on a FlopscopeArray that would dispatch back to ``fnp``
    return x.ndim if isinstance(x, _ndarray) else np.ndim(x)


def _shape(x: Any) -> tuple[int, ...]:
    return x.shape if isinstance(x, _ndarray) else np.shape(x)


def _factory() -> Any:
    from flopscope.numpy import _factory  # imports this module: resolve at call time

    return _factory


# -- warnings, tags and writes ------------------------------------------------------------


def group_of(x: Any) -> SymmetryGroup | None:
    """``x``'s group if it still fits ``x``: a tag whose axes no longer match the shape (the
    array was resized or its ``shape`` reassigned in place) is dropped, never used."""
    group = symmetry_of(x)
    if group is None:
        return None
    shape = x.shape
    axes = group.axes or ()
    if any(a >= len(shape) for a in axes) or any(
        len({shape[a] for a in orbit}) > 1 for orbit in group.orbits()
    ):
        registry.untag(x)
        return None
    return group


def warn_lost(lost: propagate.Lost, what: str = "") -> None:
    """Issue the ``SymmetryLossWarning`` of a dropped symmetry (unless silenced)."""
    if lost is None or not _config.get("symmetry_warnings"):
        return
    dims, reason = lost
    text = f"{what}: {reason}" if what else reason
    warnings.warn(symmetry_loss_warning(dims, text), stacklevel=_factory()._user_level())


def tagged(result: Any, group: SymmetryGroup | None) -> Any:
    """``result`` as a ``SymmetricTensor`` tagged ``group`` (plain ``fnp.ndarray`` if none)."""
    if not isinstance(result, _ndarray):
        return result
    if group is None or result.ndim == 0:
        return result if type(result) is FlopscopeArray else result.view(FlopscopeArray)
    return as_symmetric_view(result.view(_ndarray), group)


def is_symmetric_out(out: Any) -> bool:
    """Whether an ``out=`` argument holds a tagged array (the write may break its tag)."""
    if type(out) is tuple:
        return any(type(o) is SymmetricTensor for o in out)
    return type(out) is SymmetricTensor


def written(target: Any, group: SymmetryGroup | None, what: str) -> None:
    """``target`` was overwritten by data symmetric under ``group`` (its own axes): keep the
    tag only if that data keeps the target's group (DIFFERENCES 6)."""
    if type(target) is not SymmetricTensor:
        return
    own = group_of(target)
    if own is None or propagate.includes(group, own):
        return
    registry.untag(target)
    warn_lost((propagate.moved_axes(own), f"{what} wrote data without that symmetry"))


def _targets(out: Any) -> tuple[Any, ...]:
    return out if type(out) is tuple else (out,)


# -- pointwise ----------------------------------------------------------------------------


def pointwise_call(op: Op, impl: Callable[..., Any], args: tuple, nin: int, kwargs: dict) -> Any:
    """A pointwise row (ufunc or elementwise function) with a symmetric operand or ``out=``.

    The cost is the unique-element count of the output under the group it keeps; the result
    is tagged with that group (spec §4.4: scalar ⊕ S keeps, S ⊕ dense drops, S ⊕ S'
    intersects)."""
    f = _factory()
    t0 = perf_counter()
    xs = args[:nin]
    shapes = tuple(f.shape_of(x) for x in xs)
    out_shape = broadcast_shape(shapes)
    group, lost = propagate.pointwise([(s, group_of(x)) for s, x in zip(shapes, xs)], out_shape)
    if _masked(kwargs):
        group, lost = None, _masked_loss(xs)
    inputs = (*shapes, Sym(group)) if group is not None else shapes
    out = kwargs.get("out")
    if out is not None:
        out_arg, ret = f._out_arg(out)
        kwargs["out"] = out_arg
    r = f.run_counted(op, inputs, impl, args, kwargs, t0)
    if out is not None:
        for target in _targets(out):
            written(target, group, f"{op.name}(out=...)")
        return ret
    warn_lost(lost, op.name)
    if isinstance(r, tuple):
        return tuple(_tag_if_shaped(e, group, out_shape) for e in r)
    return _tag_if_shaped(r, group, out_shape)


def _masked(kwargs: dict) -> bool:
    """A ``where=`` mask: cells it skips keep whatever was there, so no symmetry is known."""
    where = kwargs.get("where", True)
    return not (where is True or (type(where) is bool and where))


def _masked_loss(xs: tuple) -> propagate.Lost:
    group = next((g for g in map(symmetry_of, xs) if g is not None), None)
    return None if group is None else (propagate.moved_axes(group), "a where= mask")


def ufunc_call(op: Op, xs: tuple, out: Any, kwargs: dict) -> Any:
    """A ufunc row called with a symmetric operand or ``out=`` (see :func:`pointwise_call`)."""
    if out is not None:
        kwargs["out"] = out
    return pointwise_call(op, op.impl, xs, len(xs), kwargs)


def _tag_if_shaped(r: Any, group: SymmetryGroup | None, shape: tuple[int, ...]) -> Any:
    if isinstance(r, _ndarray) and r.shape == shape:
        return tagged(r, group)
    return _factory().wrap(r)


# -- reductions ---------------------------------------------------------------------------


def _weighted_average(op: Op, args: tuple, kwargs: dict) -> bool:
    # per-element weights need not share the input's symmetry: price it dense
    return op.name == "average" and (kwargs.get("weights") is not None or len(args) >= 2)


def reduction_call(op: Op, a: Any, args: tuple, kwargs: dict) -> Any:
    """A reduction or cumulative row on a symmetric input (or into a symmetric ``out=``)."""
    f = _factory()
    impl = f._undispatched(op.impl)
    t0 = perf_counter()
    s = f.shape_of(a)
    pos = op.axis_pos
    axis = args[pos - 1] if 0 < pos <= len(args) else kwargs.get("axis")
    try:
        norm = f.normalize_axis(axis, len(s))
    except Exception as exc:
        f.native_error(impl, (a, *args), kwargs, exc)
    group = group_of(a)
    if _masked(kwargs):
        group = None  # a mask need not share the input's symmetry: dense cost, plain result
    priced = group
    if op.formula not in SYMMETRIC_FORMS or _weighted_average(op, args, kwargs):
        priced = None
    inputs = (s, norm, Sym(priced)) if priced is not None else (s, norm)
    out = kwargs.get("out")
    if out is not None:
        out_arg, ret = f._out_arg(out)
        kwargs["out"] = out_arg
    r = f.run_counted(op, inputs, impl, (a, *args), kwargs, t0)
    result = ret if out is not None else r
    ndim = len(s)
    if op.symmetry == "cumulative":
        new, lost = propagate.cumulative(group, ndim, None if norm is None else norm[0])
        expected = ndim if norm is not None else 1
    else:
        rdim = _ndim(result)
        keep = norm is not None and rdim >= ndim and ndim > 0
        new, lost = propagate.reduction(group, ndim, norm, keep)
        expected = ndim if keep else (0 if norm is None else ndim - len(norm))
    # leading axes a reduction adds (several percentiles) shift the kept group
    new = propagate.shift(new, max(0, _ndim(result) - expected))
    if out is not None:
        for target in _targets(out):
            written(target, new, f"{op.name}(out=...)")
        return ret
    warn_lost(lost, op.name)
    return tagged(r, new) if isinstance(r, _ndarray) else f.wrap(r)


# -- free rows (views and shape manipulation) ----------------------------------------------


def free_call(op: Op, args: tuple, kwargs: dict) -> Any:
    """A free row whose first argument is symmetric: run it, then propagate by the row's
    rule (relabel, keep on copy and length-1 reshapes, drop elsewhere)."""
    f = _factory()
    sargs, skw = f.strip_all(args, kwargs)
    result = op.impl(*sargs, **skw)
    group, lost = None, None
    if isinstance(result, _ndarray):
        a = args[0]
        group, lost = propagate.free(
            op.symmetry, op.name, group_of(a), a.shape, args[1:], kwargs, result.shape
        )
    warn_lost(lost, op.name)
    if isinstance(result, _ndarray):
        return tagged(result, group)
    return f.wrap_free(result)


def joins_symmetric(seq: Any) -> bool:
    """A sequence argument (``concatenate([S, X])``) holds a symmetric array."""
    return type(seq) in (list, tuple) and any(type(e) is SymmetricTensor for e in seq)


def joined(op: Op, seq: Any) -> None:
    """Joining arrays keeps no group: warn for each symmetric one (after the call ran)."""
    for e in seq:
        if type(e) is SymmetricTensor:
            warn_lost(propagate.drop(group_of(e), op.name)[1])


# -- custom rows --------------------------------------------------------------------------


def _clip_operands(args: tuple, kwargs: dict) -> list[Any]:
    bounds = list(args[1:3])
    for name in ("a_min", "a_max", "min", "max"):
        if kwargs.get(name) is not None:
            bounds.append(kwargs[name])
    return [args[0], *bounds]


def custom_call(op: Op, args: tuple, kwargs: dict, default: Callable[..., Any]) -> Any:
    """A custom row whose first argument is symmetric (``default`` is the row's plain path)."""
    key = op.symmetry
    if key == "pointwise":  # clip: numel(a) counted as unique elements
        f = _factory()
        t0 = perf_counter()
        xs = _clip_operands(args, kwargs)
        shapes = [f.shape_of(x) for x in xs]
        shape = shapes[0]
        group, lost = propagate.pointwise([(s, group_of(x)) for s, x in zip(shapes, xs)], shape)
        if broadcast_shape(shapes) != shape:
            group = None
        base = op.inputs(*args, **kwargs)  # type: ignore[misc]
        inputs = (*base, Sym(group)) if group is not None else base
        out = kwargs.get("out")
        if out is not None:
            out_arg, ret = f._out_arg(out)
            kwargs["out"] = out_arg
        r = f.run_counted(op, inputs, op.execute or op.impl, args, kwargs, t0)
        if out is not None:
            for target in _targets(out):
                written(target, group, f"{op.name}(out=...)")
            return ret
        warn_lost(lost, op.name)
        return _tag_if_shaped(r, group, shape)
    result = default(*args, **kwargs)
    if key == "matrix_keep":  # inv, pinv, matrix_power: dense cost, symmetric result
        a = args[0]
        if isinstance(result, _ndarray) and result.shape == a.shape:
            return tagged(result, propagate.matrix_keep(group_of(a), a.ndim))
    elif key == "write":
        _after_write(op, args, kwargs)
    elif key == "keep_write":
        pass  # writes that keep every axis-permutation symmetry (fill_diagonal)
    elif _looks_kept(op, args[0], result):
        warn_lost(propagate.drop(group_of(args[0]), op.name)[1])
    return result


def _looks_kept(op: Op, a: Any, result: Any) -> bool:
    """Whether a user could expect ``result`` to keep ``a``'s symmetry (so dropping it is
    worth a warning): a same-shape array that is not a matrix factor (``cholesky``, ``qr``)."""
    return (
        isinstance(result, _ndarray)
        and result.ndim >= 2
        and result.shape == _shape(a)
        and op.family != "linalg"
    )


def _after_write(op: Op, args: tuple, kwargs: dict) -> None:
    """``copyto(S, src)``, ``put``, ``place``, ``putmask``...: the first argument was written."""
    target = args[0]
    group = None
    if op.name == "copyto" and len(args) >= 2 and kwargs.get("where", True) is True:
        src = args[1]
        shape = _shape(target)
        group, _ = propagate.pointwise([(_shape(src), group_of(src))], shape)
        if group is None and _ndim(src) == 0:
            group = group_of(target)  # a constant keeps every symmetry
    written(target, group, f"{op.name}")


def in_place_sorted(target: Any, name: str) -> None:
    """``S.sort()`` / ``S.partition()`` sorted the data along an axis: the tag goes."""
    written(target, None, f"in-place {name}")


# -- SymmetricTensor view and write methods -----------------------------------------------


def _plain_key(key: Any) -> Any:
    if isinstance(key, FlopscopeArray):
        return key.view(_ndarray)
    if type(key) is tuple:
        return tuple(k.view(_ndarray) if isinstance(k, FlopscopeArray) else k for k in key)
    return key


def _getitem(self: SymmetricTensor, key: Any) -> Any:
    group = group_of(self)
    r = _ndarray.__getitem__(self.view(_ndarray), _plain_key(key))
    if not isinstance(r, _ndarray):
        return r
    new, lost = propagate.index(group, self.shape, key)
    warn_lost(lost, "indexing")
    return tagged(r, new)


def _full_key(key: Any) -> bool:
    """``x[...]``, ``x[:]``, ``x[:, :]``: the whole array."""
    key = key if type(key) is tuple else (key,)
    return all(k is Ellipsis or (type(k) is slice and k == slice(None)) for k in key)


def _setitem(self: SymmetricTensor, key: Any, value: Any) -> None:
    if isinstance(value, FlopscopeArray):
        plain = value.view(_ndarray)
    else:
        plain = value
    _ndarray.__setitem__(self.view(_ndarray), _plain_key(key), plain)
    own = group_of(self)
    if own is None:
        return
    if _full_key(key):
        if _ndim(value) == 0:
            return  # one constant everywhere keeps every symmetry
        group, _ = propagate.pointwise([(_shape(value), group_of(value))], self.shape)
        written(self, group, "item assignment")
        return
    written(self, None, "item assignment")


def _transpose(self: SymmetricTensor, *axes: Any) -> Any:
    r = _ndarray.transpose(self.view(_ndarray), *axes)
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = () if axes[0] is None else tuple(axes[0])
    perm = normalize_axis_tuple(axes, self.ndim) if axes else tuple(reversed(range(self.ndim)))
    return tagged(r, propagate.transpose(group_of(self), perm))


def _swapaxes(self: SymmetricTensor, axis1: int, axis2: int) -> Any:
    r = _ndarray.swapaxes(self.view(_ndarray), axis1, axis2)
    i, j = normalize_axis_index(axis1, self.ndim), normalize_axis_index(axis2, self.ndim)
    return tagged(r, propagate.swapaxes(group_of(self), self.ndim, i, j))


def _reshaped(name: str) -> Callable[..., Any]:
    native = getattr(_ndarray, name)

    def method(self: SymmetricTensor, *args: Any, **kwargs: Any) -> Any:
        r = native(self.view(_ndarray), *args, **kwargs)
        new, lost = propagate.reshape(group_of(self), self.shape, r.shape)
        warn_lost(lost, name)
        return tagged(r, new)

    method.__name__ = name
    return method


def _copy(self: SymmetricTensor, *args: Any, **kwargs: Any) -> Any:
    return tagged(_ndarray.copy(self.view(_ndarray), *args, **kwargs), group_of(self))


def _dropping(name: str) -> Callable[..., Any]:
    native = getattr(_ndarray, name)

    def method(self: SymmetricTensor, *args: Any, **kwargs: Any) -> Any:
        r = native(self.view(_ndarray), *args, **kwargs)
        if isinstance(r, _ndarray) and r.ndim >= 2:
            warn_lost(propagate.drop(group_of(self), name)[1])
        return tagged(r, None)

    method.__name__ = name
    return method


def _resize(self: SymmetricTensor, *args: Any, **kwargs: Any) -> None:
    """In-place resize: the data and shape change, so the tag goes."""
    own = group_of(self)
    _ndarray.resize(self, *args, **kwargs)
    if own is not None:
        registry.untag(self)
        warn_lost((propagate.moved_axes(own), "an in-place resize"))


def install_methods() -> None:
    """Attach the propagating view methods and the tag-dropping write paths."""
    methods: dict[str, Any] = {
        "__getitem__": _getitem,
        "__setitem__": _setitem,
        "transpose": _transpose,
        "swapaxes": _swapaxes,
        "reshape": _reshaped("reshape"),
        "squeeze": _reshaped("squeeze"),
        "copy": _copy,
        "__copy__": _copy,
        "__deepcopy__": lambda self, memo=None: _copy(self),
        "astype": _dropping("astype"),
        "resize": _resize,
        "flatten": _dropping("flatten"),
        "diagonal": _dropping("diagonal"),
    }
    for name, fn in methods.items():
        if name not in SymmetricTensor.__dict__:
            setattr(SymmetricTensor, name, fn)
    if "T" not in SymmetricTensor.__dict__:
        SymmetricTensor.T = property(lambda self: _transpose(self))  # type: ignore[attr-defined]
    if "mT" not in SymmetricTensor.__dict__:
        SymmetricTensor.mT = property(  # type: ignore[attr-defined]
            lambda self: _swapaxes(self, -2, -1)
        )


install_methods()
