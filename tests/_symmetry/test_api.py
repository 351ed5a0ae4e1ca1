"""``flops.as_symmetric``, ``flops.is_symmetric``, ``flops.symmetrize`` (spec §4.2) on numpy
data, ``fnp`` arrays, ``flops.namespace`` arrays (numpy, array_api_strict, torch) and raw
Array-API arrays: validation, errors, what is returned, and that nothing is charged."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._symmetry import registry

G = flops.SymmetryGroup
S2 = G.symmetric(axes=(0, 1))

SYM = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 5.0], [3.0, 5.0, 6.0]])
ASYM = np.arange(9.0).reshape(3, 3)


def s3_tensor(n: int = 4) -> np.ndarray:
    t = np.arange(float(n**3)).reshape(n, n, n)
    return sum(t.transpose(p) for p in itertools.permutations(range(3)))


# ---------------------------------------------------------------------------- public names
def test_public_names() -> None:
    for name in ("SymmetryGroup", "SymmetricTensor", "as_symmetric", "is_symmetric", "symmetrize"):
        assert name in flops.__all__ and getattr(flops, name) is not None
    assert flops.SymmetricTensor.__mro__[1] is flops.FlopscopeArray
    assert issubclass(flops.SymmetryError, flops.FlopscopeError)


# ---------------------------------------------------------------------------- as_symmetric
def test_as_symmetric_returns_a_tagged_view_and_charges_nothing() -> None:
    data = SYM.copy()
    with flops.BudgetContext(10**6, quiet=True) as b:
        s = flops.as_symmetric(data, symmetry=(0, 1))
    assert b.flops_used == 0 and b.op_log == []
    assert type(s) is flops.SymmetricTensor
    assert s.symmetry == S2 and s.symmetry is S2  # the shorthand maps to the interned group
    assert np.shares_memory(s, data)
    assert not registry.is_inferred(s)
    np.testing.assert_array_equal(np.asarray(s), SYM)


def test_symmetry_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        flops.as_symmetric(SYM, (0, 1))  # type: ignore[misc]
    with pytest.raises(TypeError):
        flops.is_symmetric(SYM, (0, 1))  # type: ignore[misc]
    with pytest.raises(TypeError):
        flops.symmetrize(SYM, (0, 1))  # type: ignore[misc]
    with pytest.raises(TypeError, match="needs a symmetry"):
        flops.as_symmetric(SYM, symmetry=None)


@pytest.mark.parametrize(
    "symmetry",
    [(0, 1), [1, 0], (-1, -2), G.symmetric(axes=(0, 1)), G([1, 0]), ((0, 1),)],
)
def test_every_shorthand_names_the_same_group(symmetry: object) -> None:
    assert flops.as_symmetric(SYM, symmetry=symmetry).symmetry == S2


def test_shorthand_errors_follow_as_group() -> None:
    with pytest.raises(ValueError):
        flops.as_symmetric(SYM, symmetry=(0, 2))  # axis 2 out of bounds for a matrix
    with pytest.raises(ValueError, match="overlap"):
        flops.as_symmetric(np.zeros((2, 2, 2)), symmetry=((0, 1), (1, 2)))
    with pytest.raises(TypeError):
        flops.as_symmetric(SYM, symmetry=[S2, S2])


def test_asymmetric_data_raises_symmetry_error_with_axes_and_deviation() -> None:
    with pytest.raises(flops.SymmetryError) as ei:
        flops.as_symmetric(ASYM, symmetry=(0, 1))
    err = ei.value
    assert err.axes == (0, 1)
    assert err.max_deviation == 4.0  # |ASYM - ASYM.T| peaks at |a[0, 2] - a[2, 0]| = |2 - 6|
    assert (err.atol, err.rtol) == (1e-6, 1e-5)
    assert str(err).startswith(
        "Tensor not symmetric along axes (0, 1): max deviation = 4.0 "
        "(tolerance: atol=1e-06, rtol=1e-05)."
    )


def test_deviation_reports_the_failing_generator() -> None:
    # symmetric in (0, 1), not in (1, 2): S3's second generator fails
    t = np.arange(8.0).reshape(2, 2, 2)
    t = t + t.transpose(1, 0, 2)
    assert flops.is_symmetric(t, symmetry=(0, 1))
    with pytest.raises(flops.SymmetryError) as ei:
        flops.as_symmetric(t, symmetry=(0, 1, 2))
    assert ei.value.axes == (1, 2)


def test_unequal_lengths_in_an_orbit() -> None:
    with pytest.raises(flops.SymmetryError) as ei:
        flops.as_symmetric(np.zeros((3, 4)), symmetry=(0, 1))
    assert ei.value.max_deviation == math.inf
    assert ei.value.axes == (0, 1)
    assert "(3, 4)" in str(ei.value)
    assert not flops.is_symmetric(np.zeros((3, 4)), symmetry=(0, 1))
    # different lengths in different orbits are fine
    y = flops.as_symmetric(np.zeros((3, 3, 5, 5)), symmetry=((0, 1), (2, 3)))
    assert y.symmetry == G.young([(0, 1), (2, 3)])


def test_tolerance_is_allclose() -> None:
    near = SYM.copy()
    near[0, 1] += 5e-7  # within atol 1e-6
    assert flops.as_symmetric(near, symmetry=(0, 1)).symmetry == S2
    far = SYM.copy()
    far[0, 1] += 1e-3
    with pytest.raises(flops.SymmetryError):
        flops.as_symmetric(far, symmetry=(0, 1))
    assert flops.is_symmetric(far, symmetry=(0, 1), atol=1e-2)
    assert not flops.is_symmetric(far, symmetry=(0, 1), atol=0.0, rtol=1e-6)
    assert flops.is_symmetric(far, symmetry=(0, 1), atol=0.0, rtol=1e-3)


def test_special_values() -> None:
    inf = np.array([[np.inf, 1.0], [1.0, -np.inf]])
    assert flops.is_symmetric(inf, symmetry=(0, 1))  # inf == inf, as np.allclose says
    nan = np.array([[np.nan, 1.0], [1.0, 0.0]])
    assert not flops.is_symmetric(nan, symmetry=(0, 1))  # NaN is never close (np.allclose)
    assert flops.is_symmetric(np.zeros((0, 0)), symmetry=(0, 1))
    assert flops.is_symmetric(np.array([[True, False], [False, True]]), symmetry=(0, 1))
    assert flops.is_symmetric(np.array([[1 + 1j, 2j], [2j, 0]]), symmetry=(0, 1))
    assert not flops.is_symmetric(np.array([[1, 2], [3, 4]]), symmetry=(0, 1))


def test_accepts_lists_fnp_arrays_and_symmetric_tensors() -> None:
    s = flops.as_symmetric([[1.0, 2.0], [2.0, 1.0]], symmetry=(0, 1))
    assert type(s) is flops.SymmetricTensor and s.symmetry == S2
    f = fnp.array([[1.0, 2.0], [2.0, 1.0]])
    assert type(f) is fnp.ndarray
    s2 = flops.as_symmetric(f, symmetry=(0, 1))
    assert type(s2) is flops.SymmetricTensor and np.shares_memory(s2, f)
    # re-declaring a SymmetricTensor gives a new view with the new group
    t = np.zeros((2, 2, 2))
    s3 = flops.as_symmetric(t, symmetry=(0, 1, 2))
    again = flops.as_symmetric(s3, symmetry=(0, 1))
    assert again.symmetry == S2 and s3.symmetry == G.symmetric(axes=(0, 1, 2))


def test_higher_order_groups() -> None:
    t = s3_tensor()
    s = flops.as_symmetric(t, symmetry=(0, 1, 2))
    assert s.symmetry.order() == 6
    r = np.arange(27.0).reshape(3, 3, 3) ** 3
    c = r + r.transpose(1, 2, 0) + r.transpose(2, 0, 1)  # invariant under rotations only
    cs = flops.as_symmetric(c, symmetry=G.cyclic(axes=(0, 1, 2)))
    assert cs.symmetry == G.cyclic(axes=(0, 1, 2))
    with pytest.raises(flops.SymmetryError):
        flops.as_symmetric(c, symmetry=(0, 1, 2))  # cyclic, not fully symmetric


# ---------------------------------------------------------------------------- is_symmetric
def test_is_symmetric_reference_values() -> None:
    assert flops.is_symmetric(np.eye(3), symmetry=(0, 1)) is True
    assert flops.is_symmetric(np.arange(9.0).reshape(3, 3), symmetry=(0, 1)) is False
    assert flops.is_symmetric(SYM, symmetry=None) is False
    with flops.BudgetContext(10**6, quiet=True) as b:
        flops.is_symmetric(SYM, symmetry=(0, 1))
    assert b.flops_used == 0 and b.op_log == []


# ------------------------------------------------------------------------------ symmetrize
def test_symmetrize_reference_values() -> None:
    s = flops.symmetrize(np.arange(16.0).reshape(4, 4), symmetry=(0, 1))
    a = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(np.asarray(s), (a + a.T) / 2)
    assert type(s) is flops.SymmetricTensor and s.symmetry == S2
    t = np.arange(27.0).reshape(3, 3, 3)
    s3 = flops.symmetrize(t, symmetry=(0, 1, 2))
    expected = sum(t.transpose(p) for p in itertools.permutations(range(3))) / 6
    np.testing.assert_array_equal(np.asarray(s3), expected)
    assert s3.symmetry.order() == 6


def test_symmetrize_charges_nothing_and_keeps_the_input() -> None:
    a = ASYM.copy()
    with flops.BudgetContext(10**6, quiet=True) as b:
        s = flops.symmetrize(a, symmetry=(0, 1))
    assert b.flops_used == 0 and b.op_log == []
    np.testing.assert_array_equal(a, ASYM)
    assert not np.shares_memory(s, a)


def test_symmetrize_integers_averages_in_floating_point() -> None:
    s = flops.symmetrize(np.array([[0, 1], [2, 3]]), symmetry=(0, 1))
    assert s.dtype == np.float64
    np.testing.assert_array_equal(np.asarray(s), [[0.0, 1.5], [1.5, 3.0]])
    # no wrap-around in small integer types, no logical OR for booleans
    s8 = flops.symmetrize(np.array([[0, 100], [120, 0]], dtype=np.int8), symmetry=(0, 1))
    np.testing.assert_array_equal(np.asarray(s8), [[0.0, 110.0], [110.0, 0.0]])
    sb = flops.symmetrize(np.array([[True, True], [False, True]]), symmetry=(0, 1))
    np.testing.assert_array_equal(np.asarray(sb), [[1.0, 0.5], [0.5, 1.0]])
    xp = flops.namespace("array_api_strict")
    si = flops.symmetrize(xp.asarray([[0, 1], [2, 3]]), symmetry=(0, 1))
    np.testing.assert_array_equal(np.asarray(si._raw), [[0.0, 1.5], [1.5, 3.0]])


def test_symmetrize_young_and_cyclic() -> None:
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 3, 2, 2))
    s = flops.symmetrize(a, symmetry=((0, 1), (2, 3)))
    assert s.symmetry.order() == 4
    assert flops.is_symmetric(s, symmetry=((0, 1), (2, 3)))
    assert not flops.is_symmetric(s, symmetry=(0, 1, 2))  # lengths 3, 3, 2 in one orbit
    c = flops.symmetrize(rng.standard_normal((4, 4, 4)), symmetry=G.cyclic(axes=(0, 1, 2)))
    assert flops.is_symmetric(c, symmetry=G.cyclic(axes=(0, 1, 2)))
    assert not flops.is_symmetric(c, symmetry=(0, 1, 2))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4),
    st.lists(st.permutations(range(3)).map(tuple), min_size=1, max_size=2),
    st.integers(0, 2**32 - 1),
)
def test_symmetrize_is_an_invariant_projection(n: int, gens: list, seed: int) -> None:
    group = G(*gens, axes=(0, 1, 2))
    a = np.random.default_rng(seed).standard_normal((n, n, n))
    s = flops.symmetrize(a, symmetry=group)
    # invariant under every element, and a projection: symmetrizing again changes nothing
    plain = np.asarray(s)
    for g in group.elements():
        np.testing.assert_allclose(plain, plain.transpose(np.argsort(g)), atol=1e-12)
    again = np.asarray(flops.symmetrize(s, symmetry=group))
    np.testing.assert_allclose(again, plain, atol=1e-12)
    assert flops.is_symmetric(s, symmetry=group)


# ------------------------------------------------------------------- namespace arrays
@pytest.fixture(params=["numpy", "array_api_strict"])
def xp(request: pytest.FixtureRequest):
    return flops.namespace(request.param)


def test_namespace_arrays_are_tagged_in_place(xp) -> None:
    a, other = xp.asarray(SYM), xp.asarray(ASYM)
    with flops.BudgetContext(10**6, quiet=True) as b:
        r = flops.as_symmetric(a, symmetry=(0, 1))
        assert flops.is_symmetric(a, symmetry=(0, 1))
        assert not flops.is_symmetric(other, symmetry=(0, 1))
        s = flops.symmetrize(other, symmetry=(0, 1))
    assert b.flops_used == 0 and b.op_log == []
    assert r is a and s is not other
    assert registry.group_of(a) == S2 and registry.group_of(s) == S2
    with pytest.raises(flops.SymmetryError) as ei:
        flops.as_symmetric(xp.asarray(ASYM), symmetry=(0, 1))
    assert ei.value.max_deviation == 4.0 and ei.value.axes == (0, 1)


def test_namespace_integer_arrays(xp) -> None:
    assert flops.is_symmetric(xp.asarray([[1, 2], [2, 1]]), symmetry=(0, 1))
    assert not flops.is_symmetric(xp.asarray([[1, 2], [3, 1]]), symmetry=(0, 1))


def test_namespace_symmetrize_returns_a_tagged_namespace_array(xp) -> None:
    a = xp.asarray(ASYM)
    s = flops.symmetrize(a, symmetry=(0, 1))
    assert type(s) is type(a) and s is not a
    assert registry.group_of(s) == S2
    assert registry.group_of(a) is None
    np.testing.assert_array_equal(np.asarray(s._raw), (ASYM + ASYM.T) / 2)


def test_raw_array_api_arrays_are_tagged_themselves() -> None:
    strict = pytest.importorskip("array_api_strict")
    raw = strict.asarray(SYM)
    assert flops.as_symmetric(raw, symmetry=(0, 1)) is raw
    assert registry.group_of(raw) == S2
    s = flops.symmetrize(strict.asarray(ASYM), symmetry=(0, 1))
    assert type(s) is type(raw) and registry.group_of(s) == S2


# ----------------------------------------------------------------------------- torch
def _torch_namespace():
    torch = pytest.importorskip("torch")
    try:
        return torch, flops.namespace("torch")
    except ImportError as exc:  # the torch adapter is not there yet
        pytest.skip(f"flops.namespace('torch') unavailable: {exc}")


def test_torch_namespace_arrays() -> None:
    torch, xp = _torch_namespace()
    a = xp.asarray(SYM)
    assert flops.as_symmetric(a, symmetry=(0, 1)) is a
    assert registry.group_of(a) == S2
    assert not flops.is_symmetric(xp.asarray(ASYM), symmetry=(0, 1))
    with pytest.raises(flops.SymmetryError):
        flops.as_symmetric(xp.asarray(ASYM), symmetry=(0, 1))
    s = flops.symmetrize(xp.asarray(ASYM), symmetry=(0, 1))
    assert registry.group_of(s) == S2
    np.testing.assert_array_equal(s._raw.numpy(), (ASYM + ASYM.T) / 2)
    # a raw tensor is tagged itself, not copied to numpy
    t = torch.tensor(SYM)
    assert flops.as_symmetric(t, symmetry=(0, 1)) is t and registry.group_of(t) == S2


# ------------------------------------------------------------------- groups too large to list
def test_block_averaging_equals_the_element_sum() -> None:
    from flopscope._symmetry.api import _symmetric_average, reynolds

    rng = np.random.default_rng(5)
    a = rng.standard_normal((3, 3, 3, 3))
    by_cosets = _symmetric_average(a, (0, 1, 2, 3), np.transpose)
    np.testing.assert_allclose(by_cosets, reynolds(a, G.symmetric(axes=(0, 1, 2, 3))), atol=1e-13)
    b = rng.standard_normal((3, 2, 3, 2, 3))
    young = G.young([(0, 2, 4), (1, 3)])
    out = b
    for orbit in young.orbits():
        out = _symmetric_average(out, orbit, np.transpose)
    np.testing.assert_allclose(out, reynolds(b, young), atol=1e-13)


def test_symmetrize_past_the_enumeration_budget() -> None:
    # S_10 has 3,628,800 elements: averaged by cosets, never listed
    rng = np.random.default_rng(6)
    s = flops.symmetrize(rng.standard_normal((2,) * 10), symmetry=tuple(range(10)))
    assert s.symmetry.order() == math.factorial(10)
    assert s.is_symmetric()
    # a non-Young group that large cannot be averaged: refused with a clear error
    from flopscope._symmetry.group import EnumerationBudgetError

    d4s = G.direct_product(*(G.dihedral(axes=range(4 * i, 4 * i + 4)) for i in range(6)))
    assert d4s.order() == 8**6 > 100_000 and not d4s._is_young()
    with pytest.raises(EnumerationBudgetError, match="budget"):
        flops.symmetrize(np.zeros((1,) * 24), symmetry=d4s)


def test_random_symmetric_with_nine_equal_axes() -> None:
    fnp.random.seed(0)
    with flops.BudgetContext(10**12, quiet=True) as b:
        r = fnp.random.symmetric((2,) * 9, tuple(range(9)))
    assert b.flops_used == 512 + 512 * math.factorial(9)
    assert r.is_symmetric()
