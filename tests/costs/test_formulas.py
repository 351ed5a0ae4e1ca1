"""Formulas are pure functions of analytical inputs."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from flopscope.costs.formulas import FORMULAS, broadcast_numel, ceil_log2, reduced_split


@given(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=4, max_side=4))
def test_broadcast_numel_matches_numpy(shapes) -> None:
    assert broadcast_numel(shapes.input_shapes) == math.prod(shapes.result_shape)


@given(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5), st.data())
def test_reduce_formula(shape, data) -> None:
    axis = None
    if shape and data.draw(st.booleans()):
        axis = tuple(sorted(data.draw(st.sets(st.integers(0, len(shape) - 1), min_size=1))))
    c, r = reduced_split(shape, axis)
    assert c * r == math.prod(shape)
    assert FORMULAS["reduce"]((shape, axis), "exact") == max(1, c * (r - 1))
    # 0.4.0 does not clamp mean/median-style costs: an empty reduction costs 0
    assert FORMULAS["reduce_mean"]((shape, axis), "exact") == c * r
    assert FORMULAS["reduce_select"]((shape, axis), "exact") == c * r
    assert np.zeros(shape).sum(axis=axis).size == c


def test_ceil_log2() -> None:
    assert [ceil_log2(n) for n in (1, 2, 3, 4, 5, 8, 9, 1024, 1025)] == [
        0,
        1,
        2,
        2,
        3,
        3,
        4,
        10,
        11,
    ]
    assert ceil_log2(2**80 + 1) == 81


def test_every_formula_is_documented() -> None:
    for key, fn in FORMULAS.items():
        assert fn.__doc__, key
