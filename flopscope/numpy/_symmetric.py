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
    """An ``fnp.ndarray`` whose data is invariant under a group of axis permutations.

    Create one with ``flops.as_symmetric(data, symmetry=...)`` or ``flops.symmetrize``;
    ``fnp.zeros``/``ones``/``full``/``eye``/``identity``/``diag``/``diagflat`` return one when
    their shape makes the symmetry certain.
    """

    __slots__ = ()

    @property
    def symmetry(self) -> SymmetryGroup | None:
        """The group this array is tagged with (``None`` once a write dropped the tag)."""
        return registry.group_of(self)

    def is_symmetric(self, *, symmetry: Any = None, atol: float = 1e-6, rtol: float = 1e-5) -> bool:
        """Whether the data is invariant under ``symmetry`` (default: this array's own group;
        ``False`` when neither is given)."""
        from flopscope._symmetry.api import is_symmetric

        group = self.symmetry if symmetry is None else symmetry
        return is_symmetric(self.view(np.ndarray), symmetry=group, atol=atol, rtol=rtol)

    # Pickling carries the group (as a payload) and re-tags the unpickled array; numpy's own
    # reduce would rebuild an untagged array, since the tag is not stored on the object.
    def __reduce__(self) -> tuple:
        entry = registry.entry_of(self)
        payload = None if entry is None else (entry.group.to_payload(), entry.inferred)
        return (_unpickle, (self.view(np.ndarray), payload))

    def __reduce_ex__(self, protocol: Any) -> tuple:
        return self.__reduce__()

    # copy.copy / copy.deepcopy hold the same data, so they keep the group.
    def __copy__(self) -> Any:
        return _same_tag(np.ndarray.__copy__(self.view(np.ndarray)), self)

    def __deepcopy__(self, memo: dict) -> Any:
        return _same_tag(np.ndarray.__deepcopy__(self.view(np.ndarray), memo), self)


def _same_tag(data: np.ndarray, source: SymmetricTensor) -> SymmetricTensor:
    entry = registry.entry_of(source)
    if entry is None:
        return data.view(SymmetricTensor)
    return as_symmetric_view(data, entry.group, inferred=entry.inferred)


def _unpickle(data: np.ndarray, payload: tuple[dict, bool] | None) -> SymmetricTensor:
    if payload is None:
        return data.view(SymmetricTensor)
    group, inferred = SymmetryGroup.from_payload(payload[0]), payload[1]
    return as_symmetric_view(data, group, inferred=inferred)


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
