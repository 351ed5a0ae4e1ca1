"""The standard-only ``einsum`` used for backends without one (array_api_strict)."""

from __future__ import annotations

import array_api_strict as xs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flopscope.backends._einsum import einsum

CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("ij,j->i", [(3, 4), (4,)]),
    ("i,i->", [(5,), (5,)]),
    ("i,i", [(5,), (5,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("iii->i", [(3, 3, 3)]),
    ("iij->j", [(2, 2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ijk,kl,lm->ijm", [(2, 3, 4), (4, 5), (5, 2)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("i...,i...->...", [(3, 2), (3, 1)]),
    (",ij->ij", [(), (2, 3)]),
    (",->", [(), ()]),
    ("ij,ik,il->jkl", [(2, 3), (2, 4), (2, 5)]),
    ("ab,cd->", [(2, 3), (4, 5)]),
    ("ij,jk->ik", [(3, 0), (0, 5)]),
]


@pytest.mark.parametrize(("subscripts", "shapes"), CASES, ids=[c[0] for c in CASES])
def test_matches_numpy_einsum(subscripts: str, shapes: list[tuple[int, ...]]) -> None:
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in shapes]
    got = einsum(xs, subscripts, *(xs.asarray(a) for a in arrays))
    np.testing.assert_allclose(np.asarray(got), np.einsum(subscripts, *arrays), atol=1e-12)


def test_dtype_and_errors() -> None:
    a = xs.ones((2, 2), dtype=xs.float32)
    assert einsum(xs, "ij->i", a, dtype=xs.float64).dtype == xs.float64
    with pytest.raises(ValueError):
        einsum(xs, "ij,jk->ik", xs.ones((2, 3)), xs.ones((4, 5)))
    with pytest.raises(TypeError, match="out"):
        einsum(xs, "ij->i", a, out=a)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from("abcd"), min_size=1, max_size=3),
    st.lists(st.sampled_from("abcd"), min_size=1, max_size=3),
    st.data(),
)
def test_random_two_operand_contractions(
    left: list[str], right: list[str], data: st.DataObject
) -> None:
    labels = sorted(set(left) | set(right))
    sizes = {c: data.draw(st.integers(1, 3), label=c) for c in labels}
    out = "".join(
        data.draw(st.permutations(labels), label="out")[: data.draw(st.integers(0, len(labels)))]
    )
    subscripts = f"{''.join(left)},{''.join(right)}->{out}"
    rng = np.random.default_rng(1)
    a = rng.standard_normal(tuple(sizes[c] for c in left))
    b = rng.standard_normal(tuple(sizes[c] for c in right))
    got = einsum(xs, subscripts, xs.asarray(a), xs.asarray(b))
    np.testing.assert_allclose(np.asarray(got), np.einsum(subscripts, a, b), atol=1e-12)
