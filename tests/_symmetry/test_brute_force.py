"""The brute-force checker itself reproduces hand-computed figures (so agreeing with it means
something)."""

from __future__ import annotations

import pytest

from _symmetry.brute_force import brute_cost, closure, expression_group

S2 = [(1, 0)]
S3 = [(1, 0, 2), (1, 2, 0)]


def test_closure_orders() -> None:
    assert len(closure(S3, 3)) == 6
    assert len(closure([(1, 2, 0)], 3)) == 3
    assert closure([], 2) == {(0, 1)}


def test_gram_group_swaps_j_and_k() -> None:
    ident = {(0, 1)}
    maps = expression_group(["ij", "ik"], [ident, ident], [0, 0])
    assert maps == {(("i", "i"), ("j", "j"), ("k", "k")), (("i", "i"), ("j", "k"), ("k", "j"))}
    # distinct objects: nothing but the identity
    assert len(expression_group(["ij", "ik"], [ident, ident], [0, 1])) == 1


@pytest.mark.parametrize(
    ("subscripts", "shapes", "gens", "ident", "expected"),
    [
        ("ij,ik->jk", [(5, 4), (5, 4)], [None, None], [0, 0], 90),  # 5·10 + 5·10 − 10
        ("ij,ik->jk", [(5, 4), (5, 4)], [None, None], [0, 1], 5 * 16 * 2 - 16),
        ("ij,jk->ik", [(5, 5), (5, 5)], [S2, S2], [0, 0], 135),
        ("ij,jk->ik", [(5, 5), (5, 5)], [S2, S2], [0, 1], 225),
        ("ij,ji->", [(5, 5), (5, 5)], [S2, S2], [0, 1], 29),
        ("ij->i", [(5, 5)], [S2], [0], 20),  # α = 25 (singleton), O = 5
        ("ijk->ij", [(4, 4, 4)], [S3], [0], 30),  # α = 10·4, O = 10
        ("ijk->", [(4, 4, 4)], [S3], [0], 19),
        ("i,j->ij", [(7,), (7,)], [None, None], [0, 0], 28),
        ("i,i->", [(7,), (7,)], [None, None], [0, 0], 13),
        ("ij,jk->i", [(3, 4), (4, 5)], [None, None], [0, 1], 4 * 4 + 2 * 12 - 3),  # pre: 16
    ],
)
def test_known_figures(
    subscripts: str, shapes: list, gens: list, ident: list, expected: int
) -> None:
    assert brute_cost(subscripts, shapes, gens, ident) == expected
