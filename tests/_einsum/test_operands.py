"""The operands' symmetry fingerprint: identity read before any view, groups from the registry."""

from __future__ import annotations

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._einsum.operands import (
    axis_generators,
    fingerprint,
    fingerprint_from_pattern,
    identity_only,
    output_group,
)
from flopscope.backends import Shaped


def test_plain_distinct_operands_have_no_fingerprint() -> None:
    a, b = np.ones((3, 3)), fnp.asarray(np.ones((3, 3)))
    assert fingerprint((a, b), ((3, 3), (3, 3))) is None
    assert fingerprint((a, b, np.ones(3)), ((3, 3), (3, 3), (3,))) is None
    assert fingerprint((a,), ((3, 3),)) is None


def test_identity_pattern_is_first_occurrence() -> None:
    a, b = np.ones((3, 3)), np.ones((3, 3))
    assert fingerprint((a, a), ((3, 3),) * 2) == ((None, None), (0, 0))
    assert fingerprint((a, b, a, b), ((3, 3),) * 4) == ((None,) * 4, (0, 1, 0, 1))
    assert identity_only((a, a)) and not identity_only((a, b))
    # a view is another object: identity, not equal data, is what counts
    assert fingerprint((a, a[:]), ((3, 3),) * 2) is None


def test_groups_come_from_the_registry() -> None:
    S = flops.as_symmetric(np.ones((3, 3, 2)), symmetry=(0, 1))
    fp = fingerprint((S, np.ones(2)), ((3, 3, 2), (2,)))
    assert fp == ((((1, 0, 2),), None), (0, 1))
    # a proxy (namespace pricing) answers for its source array
    proxy = Shaped((3, 3, 2), None, S)
    assert fingerprint((proxy, proxy), ((3, 3, 2),) * 2) == ((((1, 0, 2),),) * 2, (0, 0))


def test_axis_generators_ignore_groups_that_do_not_fit() -> None:
    g = flops.SymmetryGroup.symmetric(axes=(1, 2))
    assert axis_generators(g, 3) == ((0, 2, 1),)
    assert axis_generators(g, 2) is None  # a stale tag never makes a call cheaper


def test_fingerprint_from_pattern() -> None:
    g = flops.SymmetryGroup.symmetric(axes=(0, 1))
    shapes = ((4, 4), (4, 4))
    assert fingerprint_from_pattern(shapes, None, None) is None
    assert fingerprint_from_pattern(shapes, [g, None], None) == ((((1, 0),), None), (0, 1))
    assert fingerprint_from_pattern(shapes, [(0, 1), (0, 1)], ((0, 1),)) == (
        (((1, 0),), ((1, 0),)),
        (0, 0),
    )
    with pytest.raises(ValueError):
        fingerprint_from_pattern(shapes, [g, None], ((0, 1),))  # same object, other group
    with pytest.raises(ValueError):
        fingerprint_from_pattern(((4, 4), (4, 3)), None, ((0, 1),))


def test_output_group_from_permutations() -> None:
    assert output_group(None) is None
    assert output_group(((0, 1),)) is None
    g = output_group(((0, 1, 2), (0, 2, 1)))
    assert g == flops.SymmetryGroup.symmetric(axes=(1, 2))
    s3 = output_group(((0, 1, 2), (1, 0, 2), (1, 2, 0), (0, 2, 1), (2, 0, 1), (2, 1, 0)))
    assert s3.order() == 6 and len(s3.generators) <= 2
