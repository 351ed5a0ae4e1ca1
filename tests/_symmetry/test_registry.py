"""The symmetry registry: entries die with their arrays and never leak onto a recycled id."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from flopscope._symmetry import registry
from flopscope._symmetry.group import SymmetryGroup

S2 = SymmetryGroup.symmetric(axes=(0, 1))


def test_tag_and_lookup() -> None:
    a = np.zeros((3, 3))
    assert registry.group_of(a) is None
    registry.tag(a, S2)
    assert registry.group_of(a) == S2
    assert not registry.is_inferred(a)
    registry.untag(a)
    assert registry.group_of(a) is None


def test_inferred_flag() -> None:
    a = np.ones((2, 2))
    registry.tag(a, S2, inferred=True)
    assert registry.is_inferred(a)


def test_entry_dies_with_array() -> None:
    before = registry.size()
    a = np.zeros((2, 2))
    registry.tag(a, S2)
    assert registry.size() == before + 1
    del a
    gc.collect()
    assert registry.size() == before


def test_many_arrays_stay_bounded() -> None:
    before = registry.size()
    for _ in range(100_000):
        a = np.zeros((2, 2))
        registry.tag(a, S2)
    del a
    gc.collect()
    assert registry.size() == before


def test_recycled_id_has_no_group() -> None:
    # Simulate a stale entry whose callback has not run: the id check alone must refuse it.
    a = np.zeros((2, 2))
    b = np.zeros((2, 2))
    registry.tag(a, S2)
    stale = registry._ENTRIES[id(a)]
    registry._ENTRIES[id(b)] = stale  # b "reuses" an id whose entry names another object
    try:
        assert registry.group_of(b) is None
    finally:
        del registry._ENTRIES[id(b)]


def test_untaggable_objects_refused() -> None:
    with pytest.raises(TypeError):
        registry.tag([1, 2], S2)
