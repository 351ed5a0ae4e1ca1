"""Propagation rules: the symmetry group of an op's result (spec §4.4, DIFFERENCES 6).

Pure functions of groups, shapes and arguments; no arrays, no registry. Each rule returns
``(group, lost)``: the group the result provably has (``None``: no symmetry) and, when a
declared symmetry was dropped, ``(dims, reason)`` for the ``SymmetryLossWarning`` (else
``None``). A rule may return a smaller group than the data has (the cost is then higher than
it could be) but never a larger one: a tag must never make a computation cheaper than it is.

Groups are bound to tensor axes (``group.axes``); rules relabel them to the result's axes and
drop axes no element moves, so a result is tagged with exactly the axes it permutes.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from flopscope import _config
from flopscope._symmetry.group import EnumerationBudgetError, SymmetryGroup

Shape = tuple[int, ...]
Lost = tuple[tuple[int, ...], str] | None
Result = tuple[SymmetryGroup | None, Lost]


# -- helpers ----------------------------------------------------------------------------------


def moved_axes(group: SymmetryGroup) -> tuple[int, ...]:
    """The axes some element of ``group`` moves, sorted."""
    pts = group.axes or tuple(range(group.degree))
    return tuple(sorted({pts[i] for g in group.generators for i, j in enumerate(g) if i != j}))


def normalise(group: SymmetryGroup | None) -> SymmetryGroup | None:
    """``group`` on the axes it moves only; ``None`` for the trivial group."""
    if group is None:
        return None
    moved = moved_axes(group)
    if not moved:
        return None
    pts = group.axes or tuple(range(group.degree))
    if len(moved) == len(pts):
        return group
    return group.restrict(moved)


def relabel(group: SymmetryGroup, mapping: dict[int, int]) -> SymmetryGroup:
    """The same permutations acting on axes renamed by ``mapping`` (old axis -> new axis)."""
    pts = group.axes or tuple(range(group.degree))
    new_axes = [mapping[a] for a in pts]
    order = sorted(range(len(new_axes)), key=new_axes.__getitem__)
    # keep axes sorted (as the constructors do): conjugate the generators by the sort
    pos = {old: new for new, old in enumerate(order)}
    gens = [tuple(pos[g[old]] for old in order) for g in group.generators]
    out = SymmetryGroup(*gens, axes=[new_axes[i] for i in order])
    out._order = group._order
    return out


def shift(group: SymmetryGroup | None, by: int) -> SymmetryGroup | None:
    """``group`` with every axis moved ``by`` places (broadcast alignment, new leading axes)."""
    if group is None or by == 0:
        return group
    return relabel(group, {a: a + by for a in (group.axes or range(group.degree))})


def _lost(group: SymmetryGroup, reason: str) -> Lost:
    return moved_axes(group), reason


def _contains(group: SymmetryGroup, perm: dict[int, int]) -> bool:
    """Whether the axis map ``perm`` (identity outside its keys) is an element of ``group``."""
    pts = group.axes or tuple(range(group.degree))
    if any(a not in pts and b != a for a, b in perm.items()):
        return False
    index = {a: i for i, a in enumerate(pts)}
    moved_out = {b for a, b in perm.items() if a in index}
    if any(b not in index for b in moved_out):
        return False
    return group.contains(tuple(index[perm.get(a, a)] for a in pts))


def includes(big: SymmetryGroup | None, small: SymmetryGroup | None) -> bool:
    """Whether every element of ``small`` is in ``big`` (both bound to the same axes)."""
    if small is None:
        return True
    if big is None:
        return False
    pts = small.axes or tuple(range(small.degree))
    return all(_contains(big, {pts[i]: pts[j] for i, j in enumerate(g)}) for g in small.generators)


# -- pointwise --------------------------------------------------------------------------------


def pointwise(operands: Sequence[tuple[Shape, SymmetryGroup | None]], out_shape: Shape) -> Result:
    """Elementwise op of broadcast ``operands`` (shape, group): the intersection of what each
    operand allows.

    A permutation σ of the output axes keeps the result iff it keeps every operand after
    broadcasting: it maps the operand's own (non-broadcast) axes onto themselves and acts on
    them as an element of the operand's group. Scalars and fully broadcast operands allow
    everything; a dense operand with several axes allows only what fixes them.
    """
    nd = len(out_shape)
    aligned = []
    for shape, group in operands:
        off = nd - len(shape)
        own = frozenset(off + i for i, d in enumerate(shape) if d != 1 or out_shape[off + i] == 1)
        aligned.append((own, shift(group, off)))
    tagged = [g for _, g in aligned if g is not None]
    if not tagged:
        return None, None
    if all(g is not None or not own for own, g in aligned) and all(g == tagged[0] for g in tagged):
        return tagged[0], None  # one group, other operands constant: nothing to intersect
    base = min(tagged, key=lambda g: g.order())
    pts = base.axes or tuple(range(base.degree))
    try:
        elements = base.elements(budget=_config.get("dimino_budget"))
    except EnumerationBudgetError:
        return None, _lost(base, "its group is too large to intersect")
    kept = []
    for g in elements:
        perm = {pts[i]: pts[j] for i, j in enumerate(g)}
        if all(_keeps(perm, own, group) for own, group in aligned):
            kept.append(g)
    result = normalise(base._generated_by(kept)) if kept else None
    biggest = max(tagged, key=lambda g: g.order())
    if result is not None and result.order() == biggest.order():
        return result, None
    plain = any(g is None and len(own) > 1 for own, g in aligned)
    reason = (
        "an operand without that symmetry was combined with it"
        if plain or len(tagged) == 1
        else "operands with different symmetries keep only their common part"
    )
    return result, _lost(biggest, reason)


def _keeps(perm: dict[int, int], own: frozenset[int], group: SymmetryGroup | None) -> bool:
    """Whether the axis permutation ``perm`` keeps an operand living on axes ``own``."""
    moving = {a: b for a, b in perm.items() if a != b}
    for a, b in moving.items():
        if (a in own) != (b in own):
            return False  # an axis the operand varies along would swap with a broadcast one
    on_own = {a: b for a, b in moving.items() if a in own}
    if not on_own:
        return True
    return group is not None and _contains(group, on_own)


# -- reductions -------------------------------------------------------------------------------


def reduction(
    group: SymmetryGroup | None, ndim: int, axis: tuple[int, ...] | None, keepdims: bool
) -> Result:
    """What survives reducing ``axis``: the setwise stabiliser of the reduced axes acting on
    the kept ones, renumbered to the output (kept in place with ``keepdims``)."""
    if group is None:
        return None, None
    if axis is None:
        return None, None  # a scalar (or all-length-1) result has nothing to keep
    pts = group.axes or tuple(range(group.degree))
    kept_all = [a for a in range(ndim) if a not in axis]
    kept = [a for a in pts if a not in axis]
    if not kept_all:
        return None, None
    result = normalise(group.restrict(kept)) if kept else None
    if result is not None and not keepdims:
        result = relabel(result, {a: kept_all.index(a) for a in result.axes or ()})
    if result is None:
        return None, _lost(group, "the reduction left no symmetric pair of axes")
    return result, None


def cumulative(group: SymmetryGroup | None, ndim: int, axis: int | None) -> Result:
    """A running reduction along ``axis`` commutes with the permutations fixing that axis:
    the output keeps the pointwise stabiliser of ``axis`` (DIFFERENCES 6: the axes that are
    actually symmetric, ``cumsum(S3, axis=0)`` → S2 on (1, 2)). Flattening drops."""
    if group is None:
        return None, None
    if axis is None:
        return (None, _lost(group, "a flattening cumulative op")) if ndim > 1 else (None, None)
    pts = group.axes or tuple(range(group.degree))
    if axis not in pts:
        return group, None
    result = normalise(group.pointwise_stabilizer([axis]))
    if result is None:
        return None, _lost(group, f"a cumulative op along axis {axis}")
    return result, None


# -- axis relabelling -------------------------------------------------------------------------


def transpose(group: SymmetryGroup | None, perm: Sequence[int]) -> SymmetryGroup | None:
    """Output axis ``i`` is input axis ``perm[i]``."""
    if group is None:
        return None
    where = {old: new for new, old in enumerate(perm)}
    return relabel(group, where)


def swapaxes(group: SymmetryGroup | None, ndim: int, a: int, b: int) -> SymmetryGroup | None:
    perm = list(range(ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return transpose(group, perm)


def moveaxis(
    group: SymmetryGroup | None, ndim: int, source: Sequence[int], destination: Sequence[int]
) -> SymmetryGroup | None:
    order = [n for n in range(ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return transpose(group, order)


def reshape(group: SymmetryGroup | None, in_shape: Shape, out_shape: Shape) -> Result:
    """Kept when only length-1 axes are inserted or removed (``expand_dims``, ``squeeze``,
    ``x[None]``); merging or splitting axes drops the group."""
    if group is None:
        return None, None
    src = [i for i, d in enumerate(in_shape) if d != 1]
    dst = [i for i, d in enumerate(out_shape) if d != 1]
    if [in_shape[i] for i in src] != [out_shape[i] for i in dst]:
        return None, _lost(group, "a reshape that merges or splits axes")
    pts = group.axes or tuple(range(group.degree))
    live = [a for a in pts if in_shape[a] != 1]
    if not live:
        return None, None
    kept = normalise(group.restrict(live))
    if kept is None:
        return None, None
    mapping = dict(zip(src, dst))
    return relabel(kept, {a: mapping[a] for a in kept.axes or ()}), None


# -- indexing ---------------------------------------------------------------------------------


def _is_int(k: Any) -> bool:
    if isinstance(k, (bool, np.bool_)):
        return False
    if isinstance(k, np.ndarray):
        return k.ndim == 0 and k.dtype.kind in "iu"
    try:
        operator.index(k)
    except TypeError:
        return False
    return True


def index(group: SymmetryGroup | None, shape: Shape, key: Any) -> Result:
    """``x[key]``: full slices keep, integers keep the pointwise stabiliser of the indexed
    axes, ``None`` shifts; partial slices, steps, fancy and boolean indices drop."""
    if group is None:
        return None, None
    key = key if isinstance(key, tuple) else (key,)
    if sum(k is Ellipsis for k in key) > 1:
        return None, None  # numpy raises
    n_axes = sum(1 for k in key if k is not None and k is not Ellipsis)
    if Ellipsis in [k for k in key if not isinstance(k, np.ndarray)]:
        i = next(j for j, k in enumerate(key) if k is Ellipsis)
        key = key[:i] + (slice(None),) * (len(shape) - n_axes) + key[i + 1 :]
    else:
        key = key + (slice(None),) * (len(shape) - n_axes)
    fixed: list[int] = []
    mapping: dict[int, int] = {}
    src = out = 0
    for k in key:
        if k is None:
            out += 1
        elif _is_int(k):
            fixed.append(src)
            src += 1
        elif isinstance(k, slice):
            if src >= len(shape) or k.indices(shape[src]) != (0, shape[src], 1):
                return None, _lost(group, "a partial or strided slice")
            mapping[src] = out
            src += 1
            out += 1
        else:
            return None, _lost(group, "fancy or boolean indexing")
    pts = group.axes or tuple(range(group.degree))
    stab = group.pointwise_stabilizer([a for a in fixed if a in pts]) if fixed else group
    result = normalise(stab)
    if result is None:
        # a result with fewer than two axes has nothing left that could be symmetric
        return None, (_lost(group, "integer indexing") if len(mapping) >= 2 else None)
    return relabel(result, {a: mapping[a] for a in result.axes or ()}), None


def free(
    key: str,
    name: str,
    group: SymmetryGroup | None,
    in_shape: Shape,
    args: tuple,
    kwargs: dict,
    out_shape: Shape,
) -> Result:
    """The rule of a free row (``op.symmetry`` = ``key``) called as ``op(a, *args, **kwargs)``
    on an ``in_shape`` array with ``group``, giving an ``out_shape`` array."""
    if group is None:
        return None, None
    ndim = len(in_shape)
    if key == "copy":
        return group, None
    if key == "transpose":
        axes = args[0] if args else kwargs.get("axes")
        perm = tuple(reversed(range(ndim))) if axes is None else normalize_axis_tuple(axes, ndim)
        return transpose(group, perm), None
    if key == "matrix_transpose":
        return swapaxes(group, ndim, ndim - 2, ndim - 1), None
    if key == "swapaxes":
        a1 = args[0] if args else kwargs["axis1"]
        a2 = args[1] if len(args) > 1 else kwargs["axis2"]
        return swapaxes(
            group, ndim, normalize_axis_index(a1, ndim), normalize_axis_index(a2, ndim)
        ), None
    if key == "moveaxis":
        src = normalize_axis_tuple(args[0] if args else kwargs["source"], ndim, "source")
        dst = normalize_axis_tuple(
            args[1] if len(args) > 1 else kwargs["destination"], ndim, "destination"
        )
        return moveaxis(group, ndim, src, dst), None
    if key == "reshape":
        return reshape(group, in_shape, out_shape)
    if len(out_shape) < 2 or name.endswith("_like"):
        return None, None  # nothing left that could carry a symmetry; *_like reads no data
    return drop(group, name)


def matrix_keep(group: SymmetryGroup | None, ndim: int) -> SymmetryGroup | None:
    """``inv``/``pinv``/``matrix_power`` of a stack of matrices: they commute with transposing
    the matrices and with permuting the stack, not with mixing the two."""
    if group is None or ndim < 2:
        return None
    pts = group.axes or tuple(range(group.degree))
    last = [a for a in (ndim - 2, ndim - 1) if a in pts]
    return normalise(group.setwise_stabilizer(last)) if last else group


def drop(group: SymmetryGroup | None, what: str) -> Result:
    """An op that is not symmetry-aware: the result is plain."""
    if group is None:
        return None, None
    return None, _lost(group, f"{what} is not symmetry-aware")


def keeps_on_write(target: SymmetryGroup | None, written: SymmetryGroup | None) -> bool:
    """Whether writing data symmetric under ``written`` over a whole array keeps ``target``."""
    return includes(written, target)


__all__ = [
    "cumulative",
    "drop",
    "free",
    "includes",
    "index",
    "matrix_keep",
    "keeps_on_write",
    "moveaxis",
    "moved_axes",
    "normalise",
    "pointwise",
    "reduction",
    "relabel",
    "reshape",
    "shift",
    "swapaxes",
    "transpose",
]
