"""``SymmetricTensor``: the NumPy-surface face of an array tagged in the symmetry registry.

The group lives in :mod:`flopscope._symmetry.registry` (the one place that knows it, for every
backend); this subclass only makes the tag visible to ``fnp`` users (``.symmetry``) and lets
the counted functions recognise a possibly-symmetric operand with one type check, so plain
arrays never pay for a registry lookup.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flopscope._symmetry import registry
from flopscope._symmetry.group import SymmetryGroup
from flopscope.numpy._ndarray import FlopscopeArray


class SymmetricTensor(FlopscopeArray):
    """An ``fnp.ndarray`` whose data is invariant under a group of axis permutations."""

    __slots__ = ()

    @property
    def symmetry(self) -> SymmetryGroup | None:
        """The group this array is tagged with (``None`` once a write dropped the tag)."""
        return registry.group_of(self)


def as_symmetric_view(data: Any, group: SymmetryGroup, *, inferred: bool = False) -> Any:
    """A ``SymmetricTensor`` view of ``data`` tagged with ``group``; no validation.

    Callers either validated the data or know the group by construction (a constructor, a
    propagation rule).
    """
    out = np.asarray(data).view(SymmetricTensor)
    registry.tag(out, group, inferred=inferred)
    return out


def symmetry_of(x: Any) -> SymmetryGroup | None:
    """The group of a counted operand, with a type check first (cheap for plain arrays)."""
    if type(x) is SymmetricTensor:
        return registry.group_of(x)
    return None
