"""Subscript parsing: implicit output, ``...``, repeated labels and numpy's errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flopscope._einsum.parse import canonicalize, size_dict, split


@pytest.mark.parametrize(
    ("subscripts", "shapes", "canonical"),
    [
        ("ij,jk->ik", ((3, 4), (4, 5)), "ij,jk->ik"),
        ("ij,jk", ((3, 4), (4, 5)), "ij,jk->ik"),
        ("ii", ((4, 4),), "ii->"),
        ("ii->i", ((4, 4),), "ii->i"),
        ("ba", ((2, 3),), "ba->ab"),
        ("bA", ((2, 3),), "bA->Ab"),  # numpy sorts upper case first
        ("i j , j k -> i k", ((3, 4), (4, 5)), "ij,jk->ik"),
        (
            "...ij,...jk->...ik",
            ((2, 3, 4), (4, 5)),
            "aij,jk->aik",
        ),  # unused letters name the ellipsis axes
        ("...ij,...jk", ((2, 3, 4), (2, 4, 5)), "aij,ajk->aik"),
        ("...,...", ((), (3,)), ",a->a"),
        ("...i->...", ((2, 3, 4),), "abi->ab"),
        ("i...->i", ((3,),), "i->i"),  # an empty ellipsis needs no '...' in the output
    ],
)
def test_canonicalize(subscripts: str, shapes: tuple, canonical: str) -> None:
    assert canonicalize(subscripts, shapes) == canonical


@pytest.mark.parametrize(
    ("subscripts", "shapes"),
    [
        ("ij,jk->ik", ((3, 4),)),  # too few operands
        ("i", ((3,), (3,))),  # too many operands
        ("ij", ((3,),)),  # too many subscripts for the operand
        ("i", ((3, 4),)),
        ("1", ((3,),)),  # not a letter
        ("i->i->i", ((3,),)),
        ("i->ii", ((3,),)),  # repeated output label
        ("i->j", ((3,),)),  # output label not in the inputs
        ("..i->i", ((2, 3),)),  # a stray '.'
        ("...i->i", ((2, 3),)),  # ellipsis dims dropped from an explicit output
        ("ii->i", ((1, 4),)),  # a diagonal needs equal sizes
        ("ii->i", ((3, 4),)),
        ("ij,jk->ik", ((3, 4), (5, 6))),  # genuine size mismatch
        ("i-j", ((3, 4),)),
    ],
)
def test_bad_subscripts_raise_value_error_like_numpy(subscripts: str, shapes: tuple) -> None:
    ops = [np.ones(s) for s in shapes]
    with pytest.raises(ValueError):
        np.einsum(subscripts, *ops)
    with pytest.raises(ValueError):
        canonical = canonicalize(subscripts, shapes)
        size_dict(canonical, shapes)


def test_size_dict_broadcasts_ones() -> None:
    assert size_dict("ij,jk->ik", ((3, 1), (4, 5))) == {"i": 3, "j": 4, "k": 5}
    assert split("ij,jk->ik") == (["ij", "jk"], "ik")


_LETTERS = "abcdA"


@st.composite
def expressions(draw: st.DrawFn) -> tuple[str, list[tuple[int, ...]]]:
    """Random numpy-valid einsum calls (implicit/explicit, ellipsis, repeated labels)."""
    sizes = {c: draw(st.integers(1, 3)) for c in _LETTERS}
    n_ops = draw(st.integers(1, 3))
    ell = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    terms, shapes = [], []
    for _ in range(n_ops):
        labels = draw(st.lists(st.sampled_from(_LETTERS), max_size=3))
        shape = [sizes[c] for c in labels]
        term = "".join(labels)
        if ell and draw(st.booleans()):
            k = draw(st.integers(0, len(ell)))
            pos = draw(st.integers(0, len(labels)))
            term = "".join(labels[:pos]) + "..." + "".join(labels[pos:])
            shape = shape[:pos] + ell[len(ell) - k :] + shape[pos:]
        terms.append(term)
        shapes.append(tuple(shape))
    lhs = ",".join(terms)
    if draw(st.booleans()):
        return lhs, shapes
    used = sorted(set(lhs.replace(".", "").replace(",", "")))
    out = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
    if "..." in lhs:
        pos = draw(st.integers(0, len(out)))
        out = out[:pos] + "..." + out[pos:]
    return f"{lhs}->{out}", shapes


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_canonical_form_computes_what_numpy_computes(expr: tuple) -> None:
    subscripts, shapes = expr
    ops = [np.arange(1.0, 1.0 + np.prod(s)).reshape(s) for s in shapes]
    try:
        expected = np.einsum(subscripts, *ops)
    except ValueError:
        with pytest.raises(ValueError):
            canonical = canonicalize(subscripts, tuple(shapes))
            size_dict(canonical, tuple(shapes))
        return
    canonical = canonicalize(subscripts, tuple(shapes))
    assert "->" in canonical and "." not in canonical
    np.testing.assert_array_equal(np.einsum(canonical, *ops), expected)
