"""Symmetry inferred by constructors (spec §4.3): which calls tag, with which group, marked
inferred; which calls stay plain (so a tag is never wrong); costs of the constructors are
unchanged by the tag."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._symmetry import registry
from flopscope._symmetry.infer import equal_axes_group

G = flops.SymmetryGroup
S2 = G.symmetric(axes=(0, 1))


def _inferred(x: object, group: flops.SymmetryGroup) -> None:
    assert type(x) is flops.SymmetricTensor
    assert x.symmetry == group
    assert registry.is_inferred(x)
    assert flops.is_symmetric(np.asarray(x), symmetry=group)


@pytest.mark.parametrize(
    ("call", "group"),
    [
        ("fnp.ones((100, 100))", G.symmetric(axes=(0, 1))),
        ("fnp.zeros((2, 3, 2))", G.symmetric(axes=(0, 2))),
        ("fnp.full((3, 3, 3), 1)", G.symmetric(axes=(0, 1, 2))),
        ("fnp.full((3, 3), fill_value=np.float32(2.5))", S2),
        ("fnp.zeros((2, 2, 5, 5))", G.young([(0, 1), (2, 3)])),
        ("fnp.ones((4, 3, 4, 3, 4))", G.young([(0, 2, 4), (1, 3)])),
        ("fnp.zeros((1, 1), dtype=np.int32)", S2),
        ("fnp.eye(5)", S2),
        ("fnp.eye(4, 4)", S2),
        ("fnp.eye(4, 4, 0)", S2),
        ("fnp.eye(3, k=0, dtype=int)", S2),
        ("fnp.identity(3)", S2),
        ("fnp.diag(np.array([1.0, 2.0, 3.0]))", S2),
        ("fnp.diag([1.0, 2.0])", S2),
        ("fnp.diagflat(np.array([[1.0, 2.0], [3.0, 4.0]]))", S2),
        ("fnp.diagflat([1.0, 2.0, 3.0], 0)", S2),
    ],
)
def test_tagged(call: str, group: flops.SymmetryGroup) -> None:
    _inferred(eval(call, {"fnp": fnp, "np": np}), group)


@pytest.mark.parametrize(
    "call",
    [
        "fnp.zeros(4)",
        "fnp.zeros((3, 4))",
        "fnp.ones((2, 3, 4))",
        "fnp.empty((3, 3))",  # uninitialised data: nothing is known
        "fnp.zeros_like(np.ones((3, 3)))",
        "fnp.ones_like(np.ones((3, 3)))",
        "fnp.full_like(np.ones((3, 3)), 1.0)",
        "fnp.full((3, 3), [1.0, 2.0, 3.0])",  # an array fill varies along an axis
        "fnp.full((2, 2), fill_value=np.arange(2.0))",
        "fnp.eye(3, 4)",
        "fnp.eye(3, k=1)",
        "fnp.eye(3, 3, -1)",
        "fnp.diag(np.array([1.0, 2.0]), k=1)",
        "fnp.diag(np.ones((3, 3)))",  # extracts a diagonal: 1-D
        "fnp.diagflat([1.0, 2.0], k=-1)",
        "fnp.array([[1.0, 2.0], [2.0, 1.0]])",  # fnp.array stays plain
        "fnp.asarray(np.eye(3))",
    ],
)
def test_plain(call: str) -> None:
    x = eval(call, {"fnp": fnp, "np": np})
    assert type(x) is not flops.SymmetricTensor
    assert registry.group_of(x) is None


def test_constructor_costs_are_unchanged() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        fnp.zeros((4, 4))
        fnp.ones((4, 4))
        fnp.eye(4)
        fnp.identity(4)
    assert b.flops_used == 0 and b.op_log == []
    with flops.BudgetContext(10**6, quiet=True) as b:
        fnp.full((3, 4), 2.0)
        fnp.full((3, 3, 3), 1.0)
        fnp.diag(np.array([0.1, 0.4, 0.6, 0.9]))
        fnp.diagflat(np.array([0.1, 0.4, 0.6, 0.9]))
    assert [r.flop_cost for r in b.op_log] == [12, 27, 64, 16]


def test_refused_constructor_tags_nothing() -> None:
    before = registry.size()
    with flops.BudgetContext(10, quiet=True):
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.full((4, 4), 1.0)
    assert registry.size() == before


def test_values_are_numpys() -> None:
    np.testing.assert_array_equal(np.asarray(fnp.eye(3)), np.eye(3))
    np.testing.assert_array_equal(np.asarray(fnp.full((2, 2), 7)), np.full((2, 2), 7))
    assert fnp.full((2, 2), 7).dtype == np.full((2, 2), 7).dtype
    np.testing.assert_array_equal(np.asarray(fnp.diag([1.0, 2.0])), np.diag([1.0, 2.0]))


def test_declared_symmetry_replaces_the_inferred_mark() -> None:
    z = fnp.zeros((3, 3))
    assert registry.is_inferred(z)
    s = flops.as_symmetric(z, symmetry=(0, 1))
    assert not registry.is_inferred(s) and s.symmetry == S2


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=0, max_size=6))
def test_equal_axes_group_matches_brute_force(shape: list[int]) -> None:
    group = equal_axes_group(tuple(shape))
    lengths: dict[int, list[int]] = {}
    for axis, n in enumerate(shape):
        lengths.setdefault(n, []).append(axis)
    blocks = sorted(tuple(b) for b in lengths.values() if len(b) > 1)
    if not blocks:
        assert group is None
        return
    assert group is not None
    assert [o for o in group.orbits() if len(o) > 1] == blocks
    assert group.order() == math.prod(math.factorial(len(b)) for b in blocks)
    assert group.axes == tuple(sorted(a for b in blocks for a in b))
