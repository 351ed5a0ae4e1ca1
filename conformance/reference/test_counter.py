"""The brute-force counter: spec figures, enumeration vs counting, and flopscope's formulas."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.reference import counter, rules


def test_pointwise_counts_the_broadcast_output() -> None:
    assert counter.pointwise([(4, 1), (1, 5)]) == 20
    assert counter.pointwise([()]) == 1  # a 0-d call is one evaluation
    assert counter.pointwise([(0, 3)]) == 1  # the floor of 1 (spec 2.2)


@pytest.mark.parametrize(
    ("shape", "axis", "extra", "want"),
    [
        ((6, 7), None, 0, 41),  # spec 2.4 figures
        ((6, 7), 0, 0, 35),
        ((6, 7), 1, 0, 36),
        ((6, 7, 5), (0, 2), 0, 203),
        ((6, 7), 0, 1, 42),  # mean: one divide per output cell
        ((3, 4), None, 1, 12),
        ((), None, 0, 1),
        ((0, 3), 0, 1, 0),  # a mean of nothing divides nothing
    ],
)
def test_reduce_spec_figures(shape: tuple, axis: object, extra: int, want: int) -> None:
    assert counter.reduce(shape, axis, extra) == want


def test_bilinear_tallies_numpy_object_loops() -> None:
    t = counter.bilinear("matmul", (4, 5), (5, 3))
    assert (t.mul, t.add) == (60, 48)  # k multiplies and k - 1 adds per output cell
    assert t.fuse().conventions() == {"exact": 108, "fma": 120, "mac": 60}
    outer = counter.bilinear("outer", (3,), (4,))
    assert outer.conventions() == {"exact": 12, "fma": 12, "mac": 12}


@pytest.mark.parametrize(
    ("subscripts", "shapes", "want"),
    [
        ("ij,jk->ik", [(3, 4), (4, 5)], {"exact": 105, "fma": 120, "mac": 60}),
        ("ij,jk->i", [(3, 4), (4, 5)], {"exact": 37, "fma": 40, "mac": 28}),  # k reduced first
        ("ii", [(4, 4)], {"exact": 3, "fma": 3, "mac": 3}),  # a sum is adds everywhere
        ("i,j->ij", [(3,), (4,)], {"exact": 12, "fma": 12, "mac": 12}),
        ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 5)], {"exact": 210, "fma": 240, "mac": 120}),
    ],
)
def test_einsum_figures(subscripts: str, shapes: list, want: dict) -> None:
    assert counter.einsum(subscripts, shapes).conventions() == want


labels = st.text(alphabet="abcd", min_size=1, max_size=3)


@st.composite
def einsums(draw: st.DrawFn) -> tuple[str, list[tuple[int, ...]]]:
    n = draw(st.integers(1, 3))
    terms = [draw(labels) for _ in range(n)]
    sizes = {c: draw(st.integers(1, 3)) for c in "abcd"}
    pool = sorted(set("".join(terms)))
    out = "".join(draw(st.permutations(pool))[: draw(st.integers(0, len(pool)))])
    return ",".join(terms) + "->" + out, [tuple(sizes[c] for c in t) for t in terms]


@settings(max_examples=80, deadline=None)
@given(einsums())
def test_walk_and_count_agree(case: tuple[str, list[tuple[int, ...]]]) -> None:
    subscripts, shapes = case
    walked = counter.einsum(subscripts, shapes, enumerate_=True)
    counted = counter.einsum(subscripts, shapes, enumerate_=False)
    assert walked.conventions() == counted.conventions()


@settings(max_examples=60, deadline=None)
@given(einsums())
def test_counter_agrees_with_flopscope(case: tuple[str, list[tuple[int, ...]]]) -> None:
    # the promise: brute force and the fast formulas agree wherever both apply
    import flopscope as flops
    import flopscope.numpy as fnp

    subscripts, shapes = case
    ops = [np.ones(s) for s in shapes]
    want = counter.einsum(subscripts, shapes).conventions()
    for model in ("exact", "fma", "mac"):
        with flops.BudgetContext(10**12, cost_model=model, quiet=True) as budget:
            fnp.einsum(subscripts, *ops)
        assert budget.flops_used == want[model], model


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(0, 2))
def test_matmul_counter_agrees_with_flopscope(m: int, k: int, n: int, batch: int) -> None:
    import flopscope as flops
    import flopscope.numpy as fnp

    a, b = (2,) * batch + (m, k), (k, n)
    tally = counter.bilinear("matmul", a, b)
    want = tally.fuse().conventions()
    for model in ("exact", "fma", "mac"):
        with flops.BudgetContext(10**12, cost_model=model, quiet=True) as budget:
            fnp.matmul(np.ones(a), np.ones(b))
        assert budget.flops_used == want[model], model


def test_rules_weights_follow_the_spec_tiers() -> None:
    assert rules.weight("exp") == 16
    assert rules.weight("linalg.svd") == 4
    assert rules.weight("std") == 2
    assert rules.weight("hanning") == 8
    assert rules.weight("asarray") == 0
    assert rules.weight("add") == 1
    assert rules.weight("random.Generator.normal") == 16  # inherits random.normal
    assert rules.weight("random.Generator.integers") == 1  # via random.randint
    assert rules.weight("stats.uniform.pdf") == 1
    assert rules.weight("stats.cauchy.pdf") == 4
    assert rules.weight("stats.norm.cdf") == 16


def test_unweighted_refuses_a_non_multiple() -> None:
    assert rules.unweighted(192, "exp") == 12
    assert rules.unweighted(0, "asarray") == 0
    with pytest.raises(ValueError, match="not a multiple"):
        rules.unweighted(17, "exp")


def test_madd_rules() -> None:
    mat = [{"shape": [2, 4, 4]}]
    exact = 2 * 3 * (2 * 4**3 - 4**2)  # batch 2, three products (k = 5: 4·4·... ) scaled
    got = rules.MADD_RULES["linalg.matrix_power"](exact, mat, {})
    assert got == {"exact": exact, "fma": 6 * 2 * 4**3, "mac": 6 * 4**3}
    conv = rules.MADD_RULES["convolve"](2 * 5 * 3 - 5 - 3, [{"shape": [5]}, {"shape": [3]}], {})
    assert conv == {"exact": 22, "fma": 30, "mac": 15}
    assert rules.MADD_RULES["polyval"](48, [], {}) == {"exact": 48, "fma": 48, "mac": 24}
    vec = rules.MADD_RULES["linalg.lstsq"](248, [{"shape": [5, 4]}, {"shape": [5]}], {})
    assert vec == {"exact": 248, "fma": 248, "mac": 248}  # 1-D b: nominal terms, no product
