"""The public symmetry helpers: ``as_symmetric``, ``is_symmetric``, ``symmetrize``.

They work on every kind of array flopscope meets, and always record the group in the one
registry (:mod:`flopscope._symmetry.registry`):

* numpy data (``ndarray``, ``fnp.ndarray``, lists): the result is a ``SymmetricTensor``
  view (the ``fnp`` face of the registry);
* arrays of ``flops.namespace(...)`` (the counted ``Array`` wrapper): the wrapper itself is
  tagged and returned, since it is the object counted calls see;
* other Array-API arrays (torch tensors, ``array_api_strict`` arrays): the array itself is
  tagged and returned; it is checked with its own namespace (no copy to numpy).

None of them is charged: declaring or checking a symmetry is not part of the computation.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from flopscope._symmetry import registry
from flopscope._symmetry.group import DEFAULT_ENUMERATION_BUDGET, SymmetryGroup, as_group
from flopscope.errors import SymmetryError

ATOL = 1e-6
RTOL = 1e-5


# -- what kind of array ------------------------------------------------------------------


_ARRAY_TYPE: list[type] = []


def _counted_array_type() -> type:
    """``flops.namespace`` arrays' class (imported on first use: it pulls in the backends)."""
    if not _ARRAY_TYPE:
        from flopscope._array import Array

        _ARRAY_TYPE.append(Array)
    return _ARRAY_TYPE[0]


def _foreign_xp(x: Any) -> Any | None:
    """The Array-API namespace of a non-numpy array (None for numpy data and scalars)."""
    if isinstance(x, (np.ndarray, list, tuple, int, float, complex, bool)):
        return None
    import array_api_compat

    # torch tensors have no ``__array_namespace__``; array-api-compat knows them anyway
    if not array_api_compat.is_array_api_obj(x):
        return None
    return array_api_compat.array_namespace(x)


# -- permutations of the whole tensor ----------------------------------------------------


def _full_perm(group: SymmetryGroup, perm: tuple[int, ...], ndim: int) -> tuple[int, ...]:
    """A transpose order applying the group element ``perm`` (over positions) to the axes.

    Invariance under ``perm`` and under its inverse are the same condition, so the direction
    does not matter for checking; for averaging, the whole group is summed over anyway.
    """
    axes = group.axes
    assert axes is not None
    full = list(range(ndim))
    for i, j in enumerate(perm):
        full[axes[j]] = axes[i]
    return tuple(full)


def group_for(symmetry: Any, shape: tuple[int, ...]) -> SymmetryGroup:
    """The bound group of a shorthand; axes of one orbit must have equal lengths."""
    if type(symmetry) is tuple:
        try:
            group = _shorthand(symmetry, len(shape))
        except TypeError:  # unhashable members: let as_group explain
            group = as_group(symmetry, len(shape))
    else:
        group = as_group(symmetry, len(shape))
    for orbit in group.orbits():
        sizes = [shape[a] for a in orbit]
        if len(set(sizes)) > 1:
            raise SymmetryError(
                orbit,
                math.inf,
                message=(
                    f"Tensor not symmetric along axes {orbit}: axes of one orbit need equal "
                    f"lengths, got {tuple(sizes)}."
                ),
            )
    return group


@functools.lru_cache(maxsize=1024)
def _shorthand(symmetry: tuple, ndim: int) -> SymmetryGroup:
    # Tuples of axes are hashable and map to one interned group: skip re-parsing them.
    return as_group(symmetry, ndim)


# -- checking ----------------------------------------------------------------------------


def _numpy_deviation(
    a: np.ndarray, group: SymmetryGroup, atol: float, rtol: float
) -> tuple[tuple[int, ...], float] | None:
    """The first generator the data is not invariant under (its moved axes and the largest
    deviation), or None; the test is ``np.allclose(a, a permuted)``."""
    if a.size == 0:
        return None
    for g in group.generators:
        b = a.transpose(_full_perm(group, g, a.ndim))
        if (a == b).all():  # exact symmetry, the common case: no tolerance arithmetic
            continue
        if not np.allclose(a, b, atol=atol, rtol=rtol):
            with np.errstate(invalid="ignore"):
                dev = float(np.max(np.abs(a - b))) if a.dtype.kind != "b" else 1.0
            return _moved(group, g), dev
    return None


def _xp_deviation(
    raw: Any, xp: Any, group: SymmetryGroup, atol: float, rtol: float
) -> tuple[tuple[int, ...], float] | None:
    """As :func:`_numpy_deviation`, with the array's own namespace (torch, strict...)."""
    if math.prod(raw.shape) == 0:
        return None
    for g in group.generators:
        perm = _full_perm(group, g, raw.ndim)
        b = xp.permute_dims(raw, perm)
        if bool(xp.all(raw == b)):  # exact symmetry, the common case: no tolerance arithmetic
            continue
        if not xp.isdtype(raw.dtype, ("real floating", "complex floating")):
            raw = xp.astype(raw, xp.float64)  # integers/booleans: compare as floats
            b = xp.permute_dims(raw, perm)
        diff = xp.abs(raw - b)
        if not bool(xp.all(diff <= atol + rtol * xp.abs(b))):
            return _moved(group, g), float(xp.max(diff))
    return None


def _moved(group: SymmetryGroup, g: tuple[int, ...]) -> tuple[int, ...]:
    axes = group.axes
    assert axes is not None
    return tuple(sorted(axes[i] for i, j in enumerate(g) if i != j))


def _deviation(x: Any, group: SymmetryGroup, atol: float, rtol: float) -> Any:
    if isinstance(x, _counted_array_type()):
        if isinstance(x._raw, np.ndarray):  # numpy-backed namespace: the numpy check
            return _numpy_deviation(x._raw, group, atol, rtol)
        return _xp_deviation(x._raw, x._ns._adapter.xp, group, atol, rtol)
    xp = _foreign_xp(x)
    if xp is not None:
        return _xp_deviation(x, xp, group, atol, rtol)
    return _numpy_deviation(np.asarray(x), group, atol, rtol)


def _shape(x: Any) -> tuple[int, ...]:
    if isinstance(x, np.ndarray):
        return x.shape
    if isinstance(x, _counted_array_type()) or _foreign_xp(x) is not None:
        return tuple(x.shape)
    return np.shape(x)


# -- the public helpers ------------------------------------------------------------------


def as_symmetric(data: Any, *, symmetry: Any) -> Any:
    """Declare that ``data`` is symmetric under ``symmetry``; validated, charges nothing.

    ``symmetry`` is a ``SymmetryGroup`` or a shorthand: a tuple of axes (the full symmetric
    group on them) or a tuple of disjoint blocks of axes (a Young group). The axes of one
    orbit must have equal lengths and the data must be invariant under every generator
    (``np.allclose`` with atol 1e-6, rtol 1e-5), else :class:`~flopscope.SymmetryError`.

    Returns a ``SymmetricTensor`` view of numpy data, or the given array itself (tagged) for
    ``flops.namespace`` arrays and other Array-API arrays.
    """
    if symmetry is None:
        raise TypeError("as_symmetric() needs a symmetry (a SymmetryGroup or a tuple of axes)")
    group = group_for(symmetry, _shape(data))
    bad = _deviation(data, group, ATOL, RTOL)
    if bad is not None:
        raise SymmetryError(bad[0], bad[1], atol=ATOL, rtol=RTOL)
    return _tagged(data, group)


def is_symmetric(data: Any, *, symmetry: Any, atol: float = ATOL, rtol: float = RTOL) -> bool:
    """Whether every element of ``data`` is invariant under ``symmetry`` (``np.allclose``
    per generator); ``None`` symmetry or unequal lengths within an orbit give ``False``."""
    if symmetry is None:
        return False
    try:
        group = group_for(symmetry, _shape(data))
    except SymmetryError:
        return False
    return _deviation(data, group, atol, rtol) is None


def symmetrize(data: Any, *, symmetry: Any) -> Any:
    """The Reynolds average of ``data`` over every element of the group, declared symmetric
    (a ``SymmetricTensor`` for numpy data, a tagged array otherwise); charges nothing."""
    if symmetry is None:
        raise TypeError("symmetrize() needs a symmetry (a SymmetryGroup or a tuple of axes)")
    group = group_for(symmetry, _shape(data))
    if isinstance(data, _counted_array_type()):
        raw = _xp_average(data._raw, data._ns._adapter.xp, group)
        return _tagged(data._ns._wrap(raw), group)
    xp = _foreign_xp(data)
    if xp is not None:
        return _tagged(_xp_average(data, xp, group), group)
    return _tagged(reynolds(np.asarray(data), group), group)


def reynolds(a: np.ndarray, group: SymmetryGroup) -> np.ndarray:
    """``sum(a permuted by g for g in group) / |G|``: the Reynolds projection."""
    if a.dtype.kind in "biu":  # average in floating point: bool sums are ORs, ints overflow
        a = a.astype(np.float64)
    return np.asarray(_average(a, group, np.transpose))


def _xp_average(raw: Any, xp: Any, group: SymmetryGroup) -> Any:
    if not xp.isdtype(raw.dtype, ("real floating", "complex floating")):
        raw = xp.astype(raw, xp.float64)
    return _average(raw, group, xp.permute_dims)


def _average(a: Any, group: SymmetryGroup, permute: Any) -> Any:
    """The group average, summed in the group's element order; groups too large to list
    (past the enumeration budget) are averaged block by block when they are products of
    full symmetric groups, and refused otherwise (``EnumerationBudgetError``)."""
    if group.order() > DEFAULT_ENUMERATION_BUDGET and group._is_young():
        for orbit in group.orbits():
            a = _symmetric_average(a, orbit, permute)
        return a
    elements = group.elements()
    total = None
    for g in elements:
        term = permute(a, _full_perm(group, g, a.ndim))
        total = term if total is None else total + term
    return total / len(elements)


def _symmetric_average(a: Any, axes: tuple[int, ...], permute: Any) -> Any:
    """Average over S_k on ``axes`` with k(k−1)/2 swaps instead of k! terms: S_m is the union
    of the cosets (i m−1)·S_(m−1), so R_m = (1/m)·Σ_i (i m−1)·R_(m−1)."""
    for m in range(2, len(axes) + 1):
        last = axes[m - 1]
        total = a
        for i in range(m - 1):
            swap = list(range(a.ndim))
            swap[axes[i]], swap[last] = last, axes[i]
            total = total + permute(a, tuple(swap))
        a = total / m
    return a


def _tagged(data: Any, group: SymmetryGroup) -> Any:
    """Record ``group`` for ``data`` and return what the caller should use from now on."""
    if isinstance(data, _counted_array_type()) or _foreign_xp(data) is not None:
        registry.tag(data, group)
        return data
    from flopscope.numpy._symmetric import as_symmetric_view

    return as_symmetric_view(data, group)
