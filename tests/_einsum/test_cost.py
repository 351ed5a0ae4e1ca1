"""Dense einsum cost: the spec's numbers, path independence, conventions, and a brute-force
count of the algorithm the formula describes."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._einsum.cost import einsum_cost, naive_cost
from flopscope._einsum.parse import canonicalize, size_dict, split
from flopscope._einsum.path import STRATEGIES

CHAIN = ("ij,jk,kl->il", ((10, 20), (20, 30), (30, 5)))
OPTIMIZE_VALUES = [False, True, *STRATEGIES, [(0, 1), (0, 1)], [(1, 2), (0, 1)], [(0, 2), (0, 1)]]


def cost(subscripts: str, shapes: tuple, convention: str = "exact") -> int:
    return einsum_cost(canonicalize(subscripts, shapes), shapes, convention)


@pytest.mark.parametrize(
    ("subscripts", "shapes", "expected"),
    [
        ("ii->", ((4, 4),), 3),
        ("i->", ((10,),), 9),
        ("ij->i", ((4, 5),), 16),
        ("ij->ji", ((4, 5),), 0),  # a permutation costs nothing
        ("ii->i", ((4, 4),), 0),  # so does a diagonal
        ("ij,jk->ik", ((3, 4), (4, 5)), 105),
        ("ij,jk->ik", ((256, 256), (256, 256)), 33_488_896),
        ("ij,jk->i", ((10, 20), (20, 30)), 970),  # 580 pre-reduction + 390
        ("ij,jk->", ((10, 20), (20, 30)), 799),  # 180 + 580 + 39
        ("i,j->ij", ((5,), (7,)), 35),
        ("i,i->", ((7,), (7,)), 13),
        ("...j,j->...", ((6, 6), (6,)), 66),
        ("bij,bjk->bik", ((3, 4, 5), (3, 5, 6)), 648),
        (*CHAIN, 7_850),  # steps 5,900 + 1,950
        ("ij,jk,kl,lm->im", ((2, 3), (3, 4), (4, 5), (5, 6)), 218),
        ("ab,bc,cd,de,ef->af", ((2, 3), (3, 4), (4, 2), (2, 5), (5, 3)), 134),
        ("i,j,k->ijk", ((4,), (4,), (4,)), 80),
        ("abc,cd,de->abe", ((2, 3, 4), (4, 5), (5, 2)), 156),
        ("ij,jk->ik", ((3, 1), (4, 5)), 105),  # a broadcast 1 counts at full size
    ],
)
def test_spec_numbers(subscripts: str, shapes: tuple, expected: int) -> None:
    assert cost(subscripts, shapes) == expected


def test_256_cube_conventions() -> None:
    shapes = ((256, 256), (256, 256))
    assert cost("ij,jk->ik", shapes, "exact") == 33_488_896
    assert cost("ij,jk->ik", shapes, "fma") == 33_554_432
    assert cost("ij,jk->ik", shapes, "mac") == 16_777_216


@pytest.mark.parametrize("optimize", OPTIMIZE_VALUES, ids=str)
def test_chain_charges_7850_for_every_optimize(optimize: object) -> None:
    ops = [np.ones(s) for s in CHAIN[1]]
    with flops.BudgetContext(10**9, quiet=True) as budget:
        fnp.einsum(CHAIN[0], *ops, optimize=optimize)
    assert budget.flops_used == 7_850


@pytest.mark.parametrize(
    ("subscripts", "shapes"),
    [
        ("i,i->", ((0,), (0,))),
        ("ij,jk->ik", ((3, 0), (0, 5))),
        ("ij,jk->i", ((2, 3), (3, 0))),
        ("ij->", ((0, 4),)),
        ("ij,jk,kl->il", ((2, 0), (0, 3), (3, 4))),
    ],
)
def test_empty_sums_never_go_negative(subscripts: str, shapes: tuple) -> None:
    for convention in ("exact", "fma", "mac"):
        assert cost(subscripts, shapes, convention) >= 0


def test_naive_cost() -> None:
    assert naive_cost("ij,ik->jk", ((100, 100), (100, 100)), "exact") == 1_990_000
    assert naive_cost("ij,jk,kl->il", CHAIN[1], "exact") == 3 * 30_000 - 50
    assert naive_cost("ij,jk,kl->il", CHAIN[1], "mac") == 2 * 30_000
    assert naive_cost("ii->", ((4, 4),), "fma") == 3


# -- brute force ---------------------------------------------------------------------------


def brute_force(canonical: str, shapes: tuple, convention: str) -> int:
    """Run the counted algorithm on index tuples: pre-reduce labels private to one of two
    operands, then loop over the residual tuples; the first value landing in a cell is a
    copy, every further one an addition."""
    terms, out = split(canonical)
    sizes = size_dict(canonical, shapes)

    def accumulate(labels: list[str], keep: list[str]) -> int:
        adds, cells = 0, set()
        for tup in itertools.product(*(range(sizes[c]) for c in labels)):
            key = tuple(v for c, v in zip(labels, tup) if c in keep)
            if key in cells:
                adds += 1
            cells.add(key)
        return adds

    if len(terms) == 1:
        return accumulate(sorted(set(terms[0])), list(out))
    pre, residual = 0, set()
    for i, term in enumerate(terms):
        other = set(terms[1 - i])
        private = {c for c in term if c not in out and c not in other}
        if private:
            pre += accumulate(sorted(set(term)), sorted(set(term) - private))
        residual |= set(term) - private
    labels = sorted(residual)
    mults = math.prod(sizes[c] for c in labels)  # one multiply per residual tuple
    adds = accumulate(labels, list(out))
    summed = any(c not in out for c in labels)
    if convention == "exact":
        return pre + mults + adds
    if convention == "fma":
        return pre + (2 * mults if summed else mults)
    return pre + mults


@st.composite
def small_expressions(draw: st.DrawFn, n_ops: tuple[int, int] = (1, 2)) -> tuple[str, tuple]:
    """Random explicit expressions (repeated labels allowed) on sizes 0..3."""
    letters = "ijkl"
    sizes = {c: draw(st.integers(0, 3)) for c in letters}
    n = draw(st.integers(*n_ops))
    terms = [draw(st.lists(st.sampled_from(letters), max_size=3)) for _ in range(n)]
    used = sorted({c for t in terms for c in t})
    out = draw(st.permutations(used))[: draw(st.integers(0, len(used)))]
    subscripts = ",".join("".join(t) for t in terms) + "->" + "".join(out)
    return subscripts, tuple(tuple(sizes[c] for c in t) for t in terms)


@settings(max_examples=300, deadline=None)
@given(small_expressions(), st.sampled_from(["exact", "fma", "mac"]))
def test_formula_agrees_with_brute_force(expr: tuple, convention: str) -> None:
    subscripts, shapes = expr
    canonical = canonicalize(subscripts, shapes)
    assert einsum_cost(canonical, shapes, convention) == brute_force(canonical, shapes, convention)


@settings(max_examples=200, deadline=None)
@given(small_expressions((2, 2)))
def test_exact_between_mac_and_fma(expr: tuple) -> None:
    subscripts, shapes = expr
    canonical = canonicalize(subscripts, shapes)
    terms, out = split(canonical)
    residual_summed = set(terms[0]) & set(terms[1]) - set(out)
    if not residual_summed:
        return
    exact = einsum_cost(canonical, shapes, "exact")
    assert einsum_cost(canonical, shapes, "mac") <= exact <= einsum_cost(canonical, shapes, "fma")


@settings(max_examples=40, deadline=None)
@given(small_expressions((3, 4)), st.data())
def test_charge_is_the_same_for_every_optimize(expr: tuple, data: st.DataObject) -> None:
    subscripts, shapes = expr
    ops = [np.ones(s) for s in shapes]
    expected = flops.accounting.einsum_cost(subscripts, shapes)
    optimize = data.draw(st.sampled_from([False, True, *STRATEGIES]))
    with flops.BudgetContext(10**12, quiet=True) as budget:
        fnp.einsum(subscripts, *ops, optimize=optimize)
    assert budget.flops_used == expected
