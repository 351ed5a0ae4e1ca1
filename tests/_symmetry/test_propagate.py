"""Propagation rules (spec §4.4 as corrected by DIFFERENCES 6): the group a result has."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flopscope._symmetry import propagate as p
from flopscope._symmetry.group import SymmetryGroup

S2 = SymmetryGroup.symmetric(axes=(0, 1))
S12 = SymmetryGroup.symmetric(axes=(1, 2))
S3 = SymmetryGroup.symmetric(axes=(0, 1, 2))


def sym(*axes: int) -> SymmetryGroup:
    return SymmetryGroup.symmetric(axes=axes)


# -- helpers ------------------------------------------------------------------------------------


def test_normalise_drops_fixed_axes_and_trivial_groups() -> None:
    g = SymmetryGroup.from_generators([[1, 0, 2]], axes=(0, 1, 2))
    assert p.normalise(g) == S2
    assert p.normalise(SymmetryGroup.symmetric(axes=(3,))) is None
    assert p.normalise(None) is None


def test_relabel_and_shift() -> None:
    assert p.relabel(S2, {0: 3, 1: 1}) == sym(1, 3)
    assert p.shift(S2, 2) == sym(2, 3)
    assert p.shift(None, 2) is None


def test_includes() -> None:
    assert p.includes(S3, S12)
    assert not p.includes(S12, S3)
    assert p.includes(S2, None)
    assert not p.includes(None, S2)


# -- pointwise ------------------------------------------------------------------------------------


def test_scalar_keeps_the_group() -> None:
    assert p.pointwise([((4, 4), S2), ((), None)], (4, 4)) == (S2, None)
    assert p.pointwise([((4, 4), S2), ((1, 1), None)], (4, 4)) == (S2, None)


def test_dense_operand_drops_with_a_reason() -> None:
    group, lost = p.pointwise([((100, 100), S2), ((100, 100), None)], (100, 100))
    assert group is None
    assert lost == ((0, 1), "an operand without that symmetry was combined with it")


def test_a_vector_along_one_axis_breaks_the_symmetry() -> None:
    group, lost = p.pointwise([((4, 4), S2), ((4,), None)], (4, 4))
    assert group is None and lost is not None


def test_intersections() -> None:
    # S3 ⊕ S2 on (0, 1) -> S2 on (0, 1), warning about the rest
    group, lost = p.pointwise([((4, 4, 4), S3), ((4, 4, 4), S2)], (4, 4, 4))
    assert group == S2 and lost is not None and lost[0] == (0, 1, 2)
    # S2(0,1) ⊕ S2(1,2) -> dense
    group, lost = p.pointwise([((4, 4, 4), S2), ((4, 4, 4), S12)], (4, 4, 4))
    assert group is None and lost is not None
    # broadcast alignment: a (4, 4) S2 operand sits on axes (1, 2) of the output
    group, lost = p.pointwise([((4, 4, 4), S3), ((4, 4), S2)], (4, 4, 4))
    assert group == S12
    # equal groups keep, silently
    assert p.pointwise([((3, 3), S2), ((3, 3), S2)], (3, 3)) == (S2, None)


def test_untagged_operands_only_give_no_group() -> None:
    assert p.pointwise([((3, 3), None), ((3, 3), None)], (3, 3)) == (None, None)


# -- reductions -----------------------------------------------------------------------------------


def test_reduction_keeps_the_setwise_stabiliser() -> None:
    assert p.reduction(S3, 3, (0,), False) == (S2, None)
    assert p.reduction(S3, 3, (1,), True) == (sym(0, 2), None)
    assert p.reduction(S3, 3, None, False) == (None, None)
    group, lost = p.reduction(S2, 2, (0,), False)
    assert group is None and lost == ((0, 1), "the reduction left no symmetric pair of axes")
    four = SymmetryGroup.symmetric(axes=(0, 1, 2, 3))
    assert p.reduction(four, 4, (1, 2), False) == (S2, None)
    assert p.reduction(S12, 3, (0,), False) == (S2, None)


def test_cumulative_tags_the_axes_that_are_really_symmetric() -> None:
    # DIFFERENCES 6: 0.4.0 tagged (0, 1); the data is symmetric in (1, 2)
    assert p.cumulative(S3, 3, 0) == (S12, None)
    assert p.cumulative(S3, 3, 2) == (S2, None)
    assert p.cumulative(S12, 3, 0) == (S12, None)
    group, lost = p.cumulative(S2, 2, 0)
    assert group is None and lost is not None
    group, lost = p.cumulative(S2, 2, None)
    assert group is None and lost is not None


def test_cumsum_tag_matches_the_data() -> None:
    t = np.arange(64.0).reshape(4, 4, 4)
    t = sum(t.transpose(q) for q in itertools.permutations(range(3)))
    for axis in range(3):
        group, _ = p.cumulative(S3, 3, axis)
        c = np.cumsum(t, axis=axis)
        (i, j) = group.axes
        assert np.array_equal(c, np.swapaxes(c, i, j))


# -- indexing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ((slice(None), slice(None)), S2),
        (Ellipsis, S2),
        (slice(0, 5), S2),  # covers the axis: a full slice
        ((None, slice(None), Ellipsis), sym(1, 2)),
        (0, None),
    ],
)
def test_index_keeps(key, expected) -> None:
    group, _ = p.index(S2, (5, 5), key)
    assert group == expected


def test_integer_index_keeps_the_pointwise_stabiliser() -> None:
    assert p.index(S3, (4, 4, 4), 0) == (S2, None)
    assert p.index(S3, (4, 4, 4), (slice(None), 1)) == (S2, None)
    assert p.index(S3, (4, 4, 4), (0, 1)) == (None, None)  # a vector: nothing to keep
    four = SymmetryGroup.symmetric(axes=(0, 1, 2, 3))
    assert p.index(four, (3, 3, 3, 3), (0, slice(None), 1)) == (
        SymmetryGroup.symmetric(axes=(0, 1)),
        None,
    )
    cyc = SymmetryGroup.cyclic(axes=(0, 1, 2))
    assert p.index(cyc, (3, 3, 3, 3), 0) == (None, ((0, 1, 2), "integer indexing"))


@pytest.mark.parametrize(
    "key",
    [
        (slice(1, 3), slice(1, 3)),
        (slice(None, None, 2), slice(None, None, 2)),
        slice(3),
        [0, 1],
        np.array([True, False, True, True, False]),
    ],
)
def test_index_drops(key) -> None:
    group, lost = p.index(S2, (5, 5), key)
    assert group is None and lost is not None


# -- axis relabelling and reshapes ----------------------------------------------------------------


def test_transposes_relabel() -> None:
    assert p.transpose(S12, (2, 0, 1)) == sym(0, 2)
    assert p.swapaxes(S12, 3, 0, 2) == sym(0, 1)
    assert p.moveaxis(S12, 3, (0,), (2,)) == S2
    assert p.transpose(None, (1, 0)) is None


def test_reshape_keeps_only_length_one_changes() -> None:
    assert p.reshape(S2, (4, 4), (1, 4, 1, 4)) == (sym(1, 3), None)
    assert p.reshape(sym(1, 2), (1, 4, 4), (4, 4)) == (S2, None)
    group, lost = p.reshape(S2, (4, 4), (16,))
    assert group is None and lost is not None
    group, lost = p.reshape(S2, (4, 4), (2, 2, 4))
    assert group is None and lost is not None


def test_free_rules() -> None:
    assert p.free("copy", "copy", S2, (3, 3), (), {}, (3, 3)) == (S2, None)
    assert p.free("transpose", "transpose", S12, (3, 4, 4), (), {}, (4, 4, 3)) == (S2, None)
    assert p.free("transpose", "transpose", S12, (3, 4, 4), ((1, 2, 0),), {}, (4, 4, 3))[0] == S2
    assert p.free("matrix_transpose", "m", S12, (3, 4, 4), (), {}, (3, 4, 4))[0] == S12
    assert p.free("swapaxes", "swapaxes", S12, (3, 4, 4), (0, 1), {}, (4, 3, 4))[0] == sym(0, 2)
    assert p.free("moveaxis", "moveaxis", S12, (3, 4, 4), (0, -1), {}, (4, 4, 3))[0] == S2
    assert p.free("reshape", "squeeze", sym(1, 2), (1, 4, 4), (), {}, (4, 4))[0] == S2
    assert p.free("free", "flip", S2, (3, 3), (), {}, (3, 3))[1] == (
        (0, 1),
        "flip is not symmetry-aware",
    )
    assert p.free("free", "ravel", S2, (3, 3), (), {}, (9,)) == (None, None)
    assert p.free("free", "zeros_like", S2, (3, 3), (), {}, (3, 3)) == (None, None)


# -- property: a propagated tag is never wrong ------------------------------------------------------


def _symmetric_data(shape, group, rng):
    data = rng.standard_normal(shape)
    axes = group.axes
    total = np.zeros(shape)
    for g in group.elements():
        perm = list(range(len(shape)))
        for i, j in enumerate(g):
            perm[axes[j]] = axes[i]
        total += data.transpose(perm)
    return total


def _invariant(x, group) -> bool:
    if group is None:
        return True
    for g in group.elements():
        perm = list(range(x.ndim))
        for i, j in enumerate(g):
            perm[group.axes[j]] = group.axes[i]
        if not np.allclose(x, x.transpose(perm)):
            return False
    return True


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([S2, S12, S3, SymmetryGroup.cyclic(axes=(0, 1, 2))]),
    st.integers(0, 2),
    st.integers(0, 3),
)
def test_propagated_tags_hold_on_the_data(group, axis, k) -> None:
    rng = np.random.default_rng(k)
    x = _symmetric_data((3, 3, 3), group, rng)
    assert _invariant(x, group)
    g, _ = p.reduction(group, 3, (axis,), False)
    assert _invariant(x.sum(axis=axis), g)
    g, _ = p.cumulative(group, 3, axis)
    assert _invariant(np.cumsum(x, axis=axis), g)
    g, _ = p.index(group, (3, 3, 3), (slice(None),) * axis + (k % 3,))
    assert _invariant(x[(slice(None),) * axis + (k % 3,)], g)
    perm = list(itertools.permutations(range(3)))[k]
    assert _invariant(x.transpose(perm), p.transpose(group, perm))
    y = _symmetric_data((3, 3, 3), S2, rng)
    g, _ = p.pointwise([((3, 3, 3), group), ((3, 3, 3), S2)], (3, 3, 3))
    assert _invariant(x + y, g)
