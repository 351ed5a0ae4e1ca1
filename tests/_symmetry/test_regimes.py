"""Per-component orbit counts and their regimes (flopscope/_symmetry/regimes.py)."""

from __future__ import annotations

import itertools
import math

import pytest

from flopscope._symmetry.components import closure
from flopscope._symmetry.regimes import (
    _partition_count,
    burnside,
    count_component,
    group_name,
)

S3 = tuple(itertools.permutations(range(3)))


def test_burnside() -> None:
    assert burnside(((0, 1), (1, 0)), [100, 100]) == 5050
    assert burnside(S3, [5, 5, 5]) == 35
    assert burnside(((0, 1, 2), (1, 2, 0), (2, 0, 1)), [3, 3, 3]) == 11


def test_group_names() -> None:
    assert group_name(((0, 1), (1, 0)), ["j", "k"]) == "S2{j,k}"
    assert group_name(S3, list("ijk")) == "S3{i,j,k}"
    assert group_name(((0, 1, 2), (1, 2, 0), (2, 0, 1)), list("ijk")) == "C3{i,j,k}"


def test_trivial_and_functional() -> None:
    c = count_component(["i"], [7], [False], ((0,),))
    assert (c.regime_id, c.m, c.alpha, c.num_output_orbits) == ("trivial", 7, 7, 1)
    c = count_component(["j", "k"], [4, 4], [True, True], ((0, 1), (1, 0)))
    assert (c.regime_id, c.m, c.alpha, c.num_output_orbits) == ("functionalProjection", 10, 10, 10)


@pytest.mark.parametrize(("n", "v", "w"), [(3, 1, 2), (4, 2, 1), (3, 2, 2), (2, 3, 1)])
def test_young_closed_form_equals_the_partition_count(n: int, v: int, w: int) -> None:
    m = v + w
    group = tuple(itertools.permutations(range(m)))
    vis = list(range(v))
    h_on_v = tuple(itertools.permutations(range(v)))
    counted = _partition_count(group, [n] * m, vis, h_on_v)
    assert counted == math.comb(n + v - 1, v) * math.comb(n + w - 1, w)
    c = count_component(list("abcd"[:m]), [n] * m, [i < v for i in range(m)], group)
    assert c.alpha == counted
    assert c.regime_id == ("singleton" if v == 1 else "young")


def test_partition_count_cyclic_and_budget() -> None:
    cyc = tuple(closure([(1, 2, 0)], 3))
    c = count_component(list("ijk"), [3, 3, 3], [True, True, False], cyc)
    assert c.regime_id == "partitionCount" and c.m == 11
    low = count_component(list("ijk"), [3, 3, 3], [True, True, False], cyc, partition_budget=2)
    assert low.regime_id == "unavailable" and low.unavailable_reason
    assert [s.regime_id for s in low.regime_trace][-1] == "unavailable"
