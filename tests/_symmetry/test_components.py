"""Expression groups and label components (flopscope/_symmetry/components.py)."""

from __future__ import annotations

import math

import pytest

from flopscope._symmetry.components import (
    GroupBudgetExceeded,
    closure,
    components,
    expression_group,
    restrict,
)


def test_closure_and_budget() -> None:
    assert len(closure([(1, 0, 2), (1, 2, 0)], 3)) == 6
    assert closure([], 2) == ((0, 1),)
    with pytest.raises(GroupBudgetExceeded):
        closure([(1, 0, 2, 3), (1, 2, 3, 0)], 4, budget=10)


def test_gram_group() -> None:
    sizes = {"i": 5, "j": 4, "k": 4}
    group = expression_group(["ij", "ik"], "ijk", sizes, [None, None], [0, 0])
    assert group == ((0, 1, 2), (0, 2, 1))  # identity, (j k)
    assert expression_group(["ij", "ik"], "ijk", sizes, [None, None], [0, 1]) == ((0, 1, 2),)


def test_unequal_sizes_never_swap() -> None:
    # same object read as 'ij' and 'ji' on a non-square array: shapes differ, no swap
    sizes = {"i": 3, "j": 4}
    assert expression_group(["ij", "ij"], "ij", sizes, [None, None], [0, 0]) == ((0, 1),)


def test_search_budget() -> None:
    sizes = dict.fromkeys("abcdefghi", 2)
    terms = list("abcdefghi")
    with pytest.raises(GroupBudgetExceeded):
        expression_group(terms, "abcdefghi", sizes, [None] * 9, [0] * 9, budget=1000)


def test_diagonal_elements_keep_their_labels_together() -> None:
    # 'ij,kl->ijkl' with one object twice: π = (i k)(j l) moves two orbits at once, so
    # {i,k} and {j,l} are not independent: one component of four labels
    sizes = dict.fromkeys("ijkl", 2)
    group = expression_group(["ij", "kl"], "ijkl", sizes, [None, None], [0, 0])
    assert len(group) == 2
    assert components(group, 4) == [(0, 1, 2, 3)]


def test_independent_factors_split() -> None:
    # S2 x S2 (Young) on two pairs: two components, the group is their product
    group = tuple(closure([(1, 0, 2, 3), (0, 1, 3, 2)], 4))
    comps = components(group, 4)
    assert comps == [(0, 1), (2, 3)]
    assert math.prod(len(restrict(group, c)) for c in comps) == len(group)


def test_three_way_dependence_merges() -> None:
    # {e, (ab)(cd), (cd)(ef), (ab)(ef)}: pairwise independent restrictions, not a product
    a = (1, 0, 3, 2, 4, 5)
    b = (0, 1, 3, 2, 5, 4)
    group = tuple(closure([a, b], 6))
    assert len(group) == 4
    assert components(group, 6) == [(0, 1, 2, 3, 4, 5)]
