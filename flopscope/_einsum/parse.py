"""Einsum subscript parsing: implicit output, ``...`` and repeated labels, made explicit.

The canonical form names every axis with a letter (ellipsis dimensions get letters that the
user did not use) and always has ``->``, so costs and caches key on one spelling.
"""

from __future__ import annotations

import string
from functools import lru_cache

Shape = tuple[int, ...]

_LETTERS = string.ascii_letters


@lru_cache(maxsize=4096)
def canonicalize(subscripts: str, shapes: tuple[Shape, ...]) -> str:
    """Explicit subscripts for ``shapes``; raises ``ValueError`` like ``numpy.einsum``."""
    subs = subscripts.replace(" ", "")
    if "->" in subs:
        lhs, rhs = subs.split("->", 1)
        if "->" in rhs or "-" in rhs.replace("->", "") or ">" in rhs:
            raise ValueError("einsum(): subscripts contain more than one '->'")
    else:
        if "-" in subs or ">" in subs:
            raise ValueError("einsum(): invalid subscript '-' or '>' without '->'")
        lhs, rhs = subs, None
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(
            "einsum(): more operands were provided than specified in the subscripts string"
            if len(shapes) > len(terms)
            else "einsum(): fewer operands were provided than specified in the subscripts string"
        )
    used = set(lhs.replace(",", "").replace(".", ""))
    for ch in used | set((rhs or "").replace(".", "")):
        if ch not in _LETTERS:
            raise ValueError(
                f"einsum(): invalid subscript {ch!r} in einstein sum subscripts string"
            )
    free = [c for c in _LETTERS if c not in used]
    ell_dims = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            if term.count("...") > 1 or term.replace("...", "").count(".") > 0:
                raise ValueError("einsum(): invalid ellipsis in subscripts")
            n = len(shape) - (len(term) - 3)
            if n < 0:
                raise ValueError(
                    f"einsum(): operand has more dimensions than subscripts given in {term!r}"
                )
            ell_dims.append(n)
        else:
            if "." in term:
                raise ValueError("einsum(): invalid ellipsis in subscripts")
            if len(term) != len(shape):
                raise ValueError(
                    f"einsum(): the number of subscripts in {term!r} ({len(term)}) does not "
                    f"match the number of dimensions of the operand ({len(shape)})"
                )
            ell_dims.append(0)
    n_ell = max(ell_dims, default=0)
    if n_ell > len(free):
        raise ValueError("einsum(): too many dimensions under the ellipsis")
    ell = "".join(free[:n_ell])
    out_terms = []
    for term, n in zip(terms, ell_dims):
        out_terms.append(term.replace("...", ell[n_ell - n :]) if "..." in term else term)
    if rhs is None:
        counts: dict[str, int] = {}
        for term in out_terms:
            for ch in term:
                counts[ch] = counts.get(ch, 0) + 1
        singles = sorted(ch for ch, k in counts.items() if k == 1 and ch not in ell)
        out = ell + "".join(singles)
    else:
        if rhs.count("...") > 1 or rhs.replace("...", "").count("."):
            raise ValueError("einsum(): invalid ellipsis in output subscripts")
        if n_ell and "..." not in rhs:
            raise ValueError(
                "einsum(): output has more dimensions than subscripts given in einstein sum, "
                "but no '...' ellipsis provided to broadcast the extra dimensions"
            )
        out = rhs.replace("...", ell)
        seen = set()
        all_in = set("".join(out_terms))
        for ch in out:
            if ch in seen:
                raise ValueError(f"einsum(): output subscript {ch!r} appears more than once")
            if ch not in all_in:
                raise ValueError(
                    f"einsum(): output subscript {ch!r} does not appear in the input subscripts"
                )
            seen.add(ch)
    return ",".join(out_terms) + "->" + out


def split(canonical: str) -> tuple[list[str], str]:
    """``("ij,jk->ik")`` → ``(["ij", "jk"], "ik")``."""
    lhs, out = canonical.split("->")
    return lhs.split(","), out


@lru_cache(maxsize=4096)
def size_dict(canonical: str, shapes: tuple[Shape, ...]) -> dict[str, int]:
    """Label sizes, broadcasting 1s; ``ValueError`` on a genuine size mismatch."""
    terms, _ = split(canonical)
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, shapes):
        own: dict[str, int] = {}
        for ch, d in zip(term, shape):
            # a label repeated inside one operand (a diagonal) needs equal sizes, no broadcast
            if own.setdefault(ch, d) != d:
                raise ValueError(
                    f"einsum(): dimensions in operand for collapsing index {ch!r} don't match "
                    f"({own[ch]} != {d})"
                )
            prev = sizes.get(ch)
            if prev is None or prev == 1:
                sizes[ch] = d
            elif d != 1 and d != prev:
                raise ValueError(
                    f"einsum(): operands could not be broadcast together: label {ch!r} has "
                    f"sizes {prev} and {d}"
                )
    return sizes
