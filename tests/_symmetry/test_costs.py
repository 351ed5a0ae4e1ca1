"""Symmetric unique-element and reduction counts (spec §4.5, §4.7), checked against an
independent brute force that enumerates index tuples and group elements."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
from flopscope._symmetry import costs
from flopscope._symmetry.costs import Sym, reduction_counts, unique_count
from flopscope._symmetry.group import SymmetryGroup
from flopscope.costs.formulas import FORMULAS
from flopscope.errors import CostFallbackWarning
from flopscope.numpy._symmetric import as_symmetric_view

S2 = SymmetryGroup.symmetric(axes=(0, 1))
S3 = SymmetryGroup.symmetric(axes=(0, 1, 2))


# -- brute force ------------------------------------------------------------------------------


def _image(t: tuple[int, ...], axes: tuple[int, ...], g: tuple[int, ...]) -> tuple[int, ...]:
    """Index tuple ``t`` with the group element ``g`` (over positions of ``axes``) applied."""
    u = list(t)
    for i, j in enumerate(g):
        u[axes[j]] = t[axes[i]]
    return tuple(u)


def _orbits(shape, group):
    axes = group.axes
    elements = group.elements()
    seen: dict[tuple[int, ...], int] = {}
    orbits: list[list[tuple[int, ...]]] = []
    for t in itertools.product(*(range(n) for n in shape)):
        if t in seen:
            continue
        orbit = {_image(t, axes, g) for g in elements}
        for u in orbit:
            seen[u] = len(orbits)
        orbits.append(sorted(orbit))
    return orbits


def brute_unique(shape, group) -> int:
    return len(_orbits(shape, group))


def brute_reduction(shape, axis, group) -> tuple[int, int]:
    """(α, O): full-tuple orbits × the output orbits their tuples project into."""
    kept = [a for a in range(len(shape)) if axis is not None and a not in axis]
    axes = group.axes
    # H: elements mapping the kept axes onto themselves, acting on the projections
    h = []
    for g in group.elements():
        perm = {axes[i]: axes[j] for i, j in enumerate(g)}
        if all(perm.get(a, a) in kept for a in kept):
            h.append(perm)

    def out_orbit(t):
        proj = {a: t[a] for a in kept}
        images = set()
        for perm in h:
            u = dict(proj)
            for a in kept:
                u[perm.get(a, a)] = proj[a]
            images.add(tuple(u[a] for a in kept))
        return min(images)

    alpha = 0
    outs = set()
    for orbit in _orbits(shape, group):
        found = {out_orbit(t) for t in orbit}
        alpha += len(found)
        outs |= found
    return alpha, len(outs)


# -- spec figures -------------------------------------------------------------------------------


def test_unique_counts_of_the_spec() -> None:
    assert unique_count((100, 100), S2) == 5_050
    assert unique_count((5, 5, 5), S3) == 35
    assert unique_count((3, 3, 3), SymmetryGroup.cyclic(axes=(0, 1, 2))) == 11
    assert unique_count((4, 4, 3), S2) == 30  # axis 2 is not moved: 10 · 3
    assert unique_count((4, 4), None) == 16
    assert unique_count((0, 0), S2) == 0


@pytest.mark.parametrize(
    ("shape", "axis", "group", "cost"),
    [
        ((100, 100), None, S2, 5_049),  # dense 9,999
        ((4, 4, 4), None, S3, 19),
        ((5, 5, 5), (2,), S3, 60),
        ((4, 4, 4), (0,), S3, 30),
        ((100, 100), (0,), S2, 9_900),  # the output has no symmetry: no saving
        ((5, 5), (1,), S2, 20),
        ((6, 7), (1,), None, 36),
    ],
)
def test_tier1_reductions_of_the_spec(shape, axis, group, cost) -> None:
    alpha, outs = reduction_counts(shape, axis, group)
    assert alpha - outs == cost


def test_mean_adds_one_divide_per_output_orbit() -> None:
    inputs = ((4, 4, 4), (0,), Sym(S3))
    assert FORMULAS["reduce_mean"](inputs, "exact") == 30 + 10


def test_tier2_is_output_orbits_times_reduced_length() -> None:
    assert FORMULAS["reduce_select"](((5, 5), (0,), Sym(S2)), "exact") == 25
    assert FORMULAS["reduce_select"](((5, 5), None, Sym(S2)), "exact") == 25
    # S3 4³ over axis 0: 10 output orbits (S2 on the kept axes) × 4
    assert FORMULAS["reduce_select"](((4, 4, 4), (0,), Sym(S3)), "exact") == 40


def test_formulas_keep_their_dense_behaviour() -> None:
    assert FORMULAS["numel"](((3, 4),), "exact") == 12
    assert FORMULAS["numel"](((100, 100), Sym(S2)), "exact") == 5_050
    assert FORMULAS["numel_first"](((100, 100), (), Sym(S2)), "exact") == 5_050
    assert FORMULAS["reduce"](((6, 7), (0,)), "exact") == 35
    assert FORMULAS["reduce"](((100, 100), None, Sym(S2)), "exact") == 5_049
    assert FORMULAS["numel"].__doc__.startswith("One FLOP per element")


def test_symmetric_inputs_do_not_collide_with_dense_ones_in_a_price_cache() -> None:
    model = flops.CostModel("flopscope")
    from flopscope.ops import lookup

    exp = lookup("exp")
    assert model.price(exp, ((100, 100),)) == 160_000
    assert model.price(exp, ((100, 100), Sym(S2))) == 80_800
    assert flops.CostModel("exact").price(exp, ((100, 100), Sym(S2))) == 5_050


# -- the inspection helpers and accounting ---------------------------------------------------


def _s(n: int) -> np.ndarray:
    a = np.arange(n * n, dtype=float).reshape(n, n)
    return as_symmetric_view(a + a.T, S2)


def _s3(n: int) -> np.ndarray:
    t = np.arange(float(n**3)).reshape(n, n, n)
    t = sum(t.transpose(p) for p in itertools.permutations(range(3)))
    return as_symmetric_view(t, S3)


def test_reduction_accumulation_cost_of_symmetric_inputs() -> None:
    assert flops.reduction_accumulation_cost(_s(5)).total == 14
    assert flops.reduction_accumulation_cost(_s3(5), axis=2).total == 60
    acc = flops.reduction_accumulation_cost(_s(100))
    assert (acc.total, acc.alpha, acc.m_total, acc.dense_baseline) == (5_049, 5_050, 5_050, 10_000)
    assert flops.reduction_accumulation_cost(_s(6), axis=1, op_factor=2, extra_ops=6).total == (
        2 * (36 - 6) + 6
    )
    # dense figures of §4.7 unchanged
    assert flops.reduction_accumulation_cost(np.ones((6, 7)), axis=1).total == 36
    dense = flops.reduction_accumulation_cost(np.ones((6, 7)), axis=1, op_factor=2, extra_ops=6)
    assert dense.total == 78


def test_tier2_reduction_cost_of_symmetric_inputs() -> None:
    assert flops.tier2_reduction_cost(_s(5), axis=0) == 25
    assert flops.tier2_reduction_cost(_s3(4), axis=0) == 40
    assert flops.tier2_reduction_cost(_s3(4), axis=0, dense_per_output_cost=3) == 30
    assert flops.tier2_reduction_cost(np.ones((6, 7)), axis=0) == 42


def test_accounting_helpers_take_symmetry() -> None:
    acc = flops.accounting
    assert acc.reduction_cost("sum", input_shape=(4, 4), symmetry=S2) == 9
    assert acc.reduction_cost("sum", input_shape=(4, 4, 4), axis=0, symmetry=(0, 1, 2)) == 30
    assert acc.reduction_cost("std", input_shape=(4, 4, 4), axis=0, symmetry=(0, 1, 2)) == 60
    assert acc.pointwise_cost("exp", shape=(100, 100), symmetry=S2) == 80_800
    assert acc.pointwise_cost("add", shape=(5, 5, 5), symmetry=(0, 1, 2)) == 35
    assert acc.pointwise_cost("exp", shape=(2, 3)) == 96
    with pytest.raises(ValueError):
        acc.pointwise_cost("exp", shape=(2, 3), symmetry=(0, 1))  # unequal orbit sizes


def test_large_groups_fall_back_to_the_dense_count_with_a_warning() -> None:
    big = SymmetryGroup.cyclic(axes=tuple(range(9)))
    flops.configure(dimino_budget=3)
    try:
        with pytest.warns(CostFallbackWarning):
            assert unique_count((2,) * 9, big) == 2**9
        costs.reduction_counts.cache_clear()
        with pytest.warns(CostFallbackWarning):
            assert reduction_counts((2,) * 9, (0,), big) == (2**9, 2**8)
        flops.configure(symmetry_warnings=False)
        costs.reduction_counts.cache_clear()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert reduction_counts((2,) * 9, (0,), big) == (2**9, 2**8)
    finally:
        flops.configure(dimino_budget=50_000, symmetry_warnings=True)
        costs.reduction_counts.cache_clear()


def test_more_than_eight_equal_axes_count_by_formula() -> None:
    # DIFFERENCES 6: no internal error; the full symmetric group needs no enumeration
    s10 = SymmetryGroup.symmetric(axes=tuple(range(10)))
    assert unique_count((2,) * 10, s10) == 11
    assert reduction_counts((2,) * 10, None, s10) == (11, 1)


# -- brute force agreement ----------------------------------------------------------------------


@st.composite
def groups(draw):
    ndim = draw(st.integers(2, 4))
    kind = draw(st.sampled_from(["symmetric", "cyclic", "dihedral", "young", "generators"]))
    axes = tuple(sorted(draw(st.sets(st.integers(0, ndim - 1), min_size=2, max_size=ndim))))
    if kind == "symmetric":
        group = SymmetryGroup.symmetric(axes=axes)
    elif kind == "cyclic":
        group = SymmetryGroup.cyclic(axes=axes)
    elif kind == "dihedral":
        group = SymmetryGroup.dihedral(axes=axes)
    elif kind == "young":
        if len(axes) < 4:
            group = SymmetryGroup.young([axes])
        else:
            group = SymmetryGroup.young([axes[:2], axes[2:]])
    else:
        perm = draw(st.permutations(range(len(axes))))
        if list(perm) == list(range(len(axes))):
            perm = list(reversed(range(len(axes))))
        group = SymmetryGroup.from_generators([list(perm)], axes=axes)
    n = draw(st.integers(1, 3))
    other = draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim))
    shape = tuple(n if a in axes else other[a] for a in range(ndim))
    return shape, group


@settings(max_examples=150, deadline=None)
@given(groups(), st.data())
def test_counts_agree_with_brute_force(shape_group, data) -> None:
    shape, group = shape_group
    ndim = len(shape)
    axis = data.draw(
        st.one_of(st.none(), st.sets(st.integers(0, ndim - 1), min_size=1).map(sorted).map(tuple))
    )
    assert unique_count(shape, group) == brute_unique(shape, group)
    alpha, outs = reduction_counts(shape, axis, group)
    assert (alpha, outs) == brute_reduction(shape, axis, group)
    # never cheaper than possible, never dearer than dense
    c, r = (
        (1, math.prod(shape))
        if axis is None
        else (
            math.prod(d for i, d in enumerate(shape) if i not in axis),
            math.prod(shape[i] for i in axis),
        )
    )
    assert 0 <= alpha - outs <= c * (r - 1)
    assert unique_count(shape, group) <= math.prod(shape)
