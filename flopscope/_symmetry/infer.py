"""Symmetry that constructors know by construction (spec §4.3), applied after they run.

A creation row declares one of these rule keys in its ``symmetry`` field; the ``fnp`` factory
wraps the row's function with the matching rule (:data:`CONSTRUCTOR_RULES`). The result is a
``SymmetricTensor`` whose tag is marked *inferred* (lenient when used as ``out=``):

* ``"infer_equal_axes"`` (``zeros``, ``ones``, ``full`` with a scalar fill): every set of two
  or more axes of equal length gets the full symmetric group (a Young group when there are
  several sets). A constant array is symmetric under any permutation of equal-length axes.
* ``"infer_diagonal"`` (``eye``/``identity``/``diag``/``diagflat`` on the main diagonal with
  a square result): the symmetric group on the two axes.

Tags are only added where the data is certainly symmetric (DIFFERENCES 6): ``full`` with an
array fill value, ``eye`` with ``k != 0`` or a non-square shape, and ``diag`` of a 2-D input
stay plain.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from flopscope._symmetry.group import SymmetryGroup
from flopscope.numpy._symmetric import as_symmetric_view

Fn = Callable[..., Any]


@functools.lru_cache(maxsize=1024)
def equal_axes_group(shape: tuple[int, ...]) -> SymmetryGroup | None:
    """The Young group of the equal-length axis sets of ``shape`` (None if none repeat)."""
    by_length: dict[int, list[int]] = {}
    for axis, n in enumerate(shape):
        by_length.setdefault(n, []).append(axis)
    blocks = sorted(tuple(b) for b in by_length.values() if len(b) >= 2)
    if not blocks:
        return None
    if len(blocks) == 1:
        return SymmetryGroup.symmetric(axes=blocks[0])
    return SymmetryGroup.young(blocks)


_S2 = SymmetryGroup.symmetric(axes=(0, 1))


def _tag(result: Any, group: SymmetryGroup | None) -> Any:
    if group is None or not isinstance(result, np.ndarray):
        return result
    return as_symmetric_view(result, group, inferred=True)


def _arg(args: tuple, kwargs: dict, pos: int, name: str, default: Any) -> Any:
    return args[pos] if len(args) > pos else kwargs.get(name, default)


def _on_main_diagonal(k: Any) -> bool:
    try:
        return operator.index(k) == 0
    except TypeError:
        return False


def infer_equal_axes(fn: Fn, fill_pos: int | None = None) -> Fn:
    """``fn`` (a constant-array constructor) tagging equal-length axes of its result.

    ``fill_pos``: position of a fill-value argument (``full``); an array fill value can
    vary along the axes, so only a scalar fill infers a group.
    """

    def constructor(*args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        if fill_pos is not None and np.ndim(_arg(args, kwargs, fill_pos, "fill_value", 0)):
            return result
        if isinstance(result, np.ndarray) and result.ndim >= 2:
            return _tag(result, equal_axes_group(result.shape))
        return result

    return constructor


def infer_diagonal(fn: Fn, k_pos: int | None, vector: bool = False) -> Fn:
    """``fn`` (a diagonal-matrix constructor) tagging a square main-diagonal result S2.

    ``k_pos``: position of the ``k`` argument (None: no ``k``); ``vector``: the first argument must be 1-D
    (``diag`` of a 2-D input extracts a diagonal instead).
    """

    def constructor(*args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        if not isinstance(result, np.ndarray) or result.ndim != 2:
            return result
        if result.shape[0] != result.shape[1]:
            return result
        if k_pos is not None and not _on_main_diagonal(_arg(args, kwargs, k_pos, "k", 0)):
            return result
        if vector and np.ndim(_arg(args, kwargs, 0, "v", None)) != 1:
            return result
        return _tag(result, _S2)

    return constructor


#: row ``symmetry`` key -> (row name -> wrapper of the row's ``fnp`` function)
CONSTRUCTOR_RULES: dict[str, Callable[[str, Fn], Fn]] = {
    "infer_equal_axes": lambda name, fn: infer_equal_axes(fn, 1 if name == "full" else None),
    "infer_diagonal": lambda name, fn: infer_diagonal(
        fn,
        k_pos={"eye": 2, "identity": None, "diag": 1, "diagflat": 1}[name],
        vector=name == "diag",
    ),
}


def with_inferred_symmetry(name: str, rule: str, fn: Fn) -> Fn:
    """The ``fnp`` function of a creation row whose ``symmetry`` is a constructor rule."""
    return CONSTRUCTOR_RULES[rule](name, fn)
