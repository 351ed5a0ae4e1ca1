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


# -- through the public API, per backend -------------------------------------------------
# Every loop keeps one array alive at a time; the registry must never hold more than that
# (plus what was there before), sampled as it runs, and return to its size at the end.

import flopscope as flops  # noqa: E402
import flopscope.numpy as fnp  # noqa: E402

SYM = np.array([[1.0, 2.0], [2.0, 1.0]])


def _bounded(make, count: int, every: int = 1000) -> None:
    gc.collect()
    before = registry.size()
    peak = before
    for i in range(count):
        x = make()
        if i % every == 0:
            assert registry.group_of(x) is not None  # really a tagged array
            peak = max(peak, registry.size())
    del x
    gc.collect()
    assert peak <= before + 1
    assert registry.size() == before


def test_one_million_inferred_fnp_zeros_stay_bounded() -> None:
    # fnp.zeros((2, 2)) is a SymmetricTensor (inferred S2): the cheapest public maker
    _bounded(lambda: fnp.zeros((2, 2)), 1_000_000, every=10_000)


def test_hundred_thousand_as_symmetric_numpy_stay_bounded() -> None:
    _bounded(lambda: flops.as_symmetric(SYM, symmetry=(0, 1)), 100_000)


def test_hundred_thousand_as_symmetric_namespace_arrays_stay_bounded() -> None:
    xp = flops.namespace("numpy")
    # xp.eye is free (xp.asarray would leave a 0-FLOP record per call in the default budget)
    _bounded(lambda: flops.as_symmetric(xp.eye(2), symmetry=(0, 1)), 100_000)


def _torch():
    torch = pytest.importorskip("torch")
    try:
        return torch, flops.namespace("torch")
    except ImportError as exc:
        pytest.skip(f"flops.namespace('torch') unavailable: {exc}")


def test_ten_thousand_torch_arrays_stay_bounded() -> None:
    # a torch check costs ~0.1 ms (a few small tensor ops), hence 10^4 of each kind
    torch, xp = _torch()
    _bounded(lambda: flops.as_symmetric(xp.eye(2), symmetry=(0, 1)), 10_000)
    _bounded(lambda: flops.as_symmetric(torch.eye(2), symmetry=(0, 1)), 10_000)


def test_one_million_tagged_torch_tensors_stay_bounded() -> None:
    # the registry itself at the scale with torch objects: each tensor is tagged the
    # way as_symmetric tags it once validated (validation is what the test above exercises)
    torch, _ = _torch()

    def make():
        t = torch.empty(2, 2)
        registry.tag(t, S2)
        return t

    _bounded(make, 1_000_000, every=10_000)


# -- recycled ids ------------------------------------------------------------------------


def _reuse_id(dead_id: int, make, tries: int = 100_000):
    """Allocate (and drop) until an object gets ``dead_id``; return it (kept alive)."""
    keep = []
    for _ in range(tries):
        x = make()
        if id(x) == dead_id:
            return x
        keep.append(x)  # hold the misses so the allocator moves on to other slots
        if len(keep) > 64:
            keep.clear()
    pytest.skip("the allocator never reused the id")


def test_an_array_reusing_a_dead_arrays_id_has_no_group() -> None:
    s = flops.as_symmetric(SYM.copy(), symmetry=(0, 1))
    dead = id(s)
    assert s.symmetry is not None
    del s
    x = _reuse_id(dead, lambda: SYM.copy().view(flops.SymmetricTensor))
    assert id(x) == dead
    assert registry.group_of(x) is None and x.symmetry is None
    assert registry.entry_of(x) is None and not registry.is_inferred(x)


def test_a_stale_entry_is_never_read_through_a_recycled_id() -> None:
    # The weakref callback normally removes the entry first; here the dead array's entry is
    # put back by hand (as if the callback had not run yet) and the lookup must still see
    # that the id names another object.
    s = flops.as_symmetric(SYM.copy(), symmetry=(0, 1))
    dead = id(s)
    stale = registry._ENTRIES[dead]
    del s
    assert dead not in registry._ENTRIES
    registry._ENTRIES[dead] = stale
    try:
        x = _reuse_id(dead, lambda: SYM.copy().view(flops.SymmetricTensor))
        assert registry.group_of(x) is None and x.symmetry is None
        assert registry.entry_of(x) is None
        registry.untag(x)  # must not remove the entry it does not own
        assert registry._ENTRIES.get(dead) is stale
    finally:
        registry._ENTRIES.pop(dead, None)


def test_torch_tensor_reusing_an_id_has_no_group() -> None:
    torch, xp = _torch()
    a = xp.asarray(SYM)
    flops.as_symmetric(a, symmetry=(0, 1))
    dead = id(a)
    del a
    x = _reuse_id(dead, lambda: xp.eye(2))
    assert registry.group_of(x) is None
    t = torch.tensor(SYM)
    flops.as_symmetric(t, symmetry=(0, 1))
    dead = id(t)
    del t
    y = _reuse_id(dead, lambda: torch.tensor(SYM), tries=20_000)
    assert registry.group_of(y) is None
