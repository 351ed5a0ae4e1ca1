"""Brute-force FLOP counter: evaluate naive loops of an op and tally every scalar operation.

A :class:`Num` wraps a number and records each multiply and add it takes part in. Pointwise
ops, reductions and bilinear products are evaluated on object arrays of ``Num`` (numpy's own
object loops do the arithmetic: a dot product of length k is k multiplies and k - 1 adds);
einsum is enumerated index tuple by index tuple, following the algorithm the cost models
define (private labels reduced first, then one pairwise step; three or more operands follow
opt_einsum's ``"auto"`` path).

The tallies become the three conventions' counts by their definitions
(docs/cost-models.md): ``exact`` counts every multiply and add; ``fma`` counts a multiply
feeding a sum as 2 (so a length-k dot product is 2k); ``mac`` counts it as 1. A product with
no summed index is one multiply under every convention.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

#: enumerate at most this many scalar steps; bigger cases use the closed forms in rules.py
LIMIT = 60_000


@dataclass
class Tally:
    """Scalar operations seen while evaluating one call."""

    mul: int = 0  # multiplies (of a step with no summed index: plain products)
    add: int = 0  # additions accumulating those products
    pre: int = 0  # additions of a pure sum or pre-reduction (never fused with a multiply)
    madd: int = 0  # multiplies that feed a sum (a step with a summed index)

    def fuse(self) -> Tally:
        """Mark this step's multiplies as feeding sums (the step sums an index)."""
        self.madd += self.mul
        self.mul = 0
        return self

    def merge(self, other: Tally) -> None:
        self.mul += other.mul
        self.add += other.add
        self.pre += other.pre
        self.madd += other.madd

    def conventions(self) -> dict[str, int]:
        """The ``exact``/``fma``/``mac`` counts of these tallies."""
        plain = self.pre + self.mul
        return {
            "exact": plain + self.madd + self.add,
            "fma": plain + 2 * self.madd,
            "mac": plain + self.madd,
        }


class Num:
    """A counting scalar: arithmetic on it bumps the shared :class:`Tally`."""

    __slots__ = ("tally", "v")

    def __init__(self, v: Any, tally: Tally) -> None:
        self.v = v
        self.tally = tally

    @staticmethod
    def _val(o: Any) -> Any:
        return o.v if isinstance(o, Num) else o

    def __mul__(self, o: Any) -> Num:
        self.tally.mul += 1
        return Num(self.v * self._val(o), self.tally)

    __rmul__ = __mul__

    def __add__(self, o: Any) -> Num:
        self.tally.add += 1
        return Num(self.v + self._val(o), self.tally)

    __radd__ = __add__

    def conjugate(self) -> Num:  # vdot conjugates its first operand: free
        return self


def objects(shape: tuple[int, ...], tally: Tally) -> np.ndarray:
    """An object array of counting scalars (all ones) of ``shape``."""
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = Num(1.0, tally)
    return out


def fits(*shapes: tuple[int, ...], factor: int = 1) -> bool:
    """Whether enumerating these shapes stays under :data:`LIMIT` steps."""
    return factor * sum(math.prod(s) for s in shapes) <= LIMIT


# -- pointwise and reductions --------------------------------------------------------------


def pointwise(shapes: list[tuple[int, ...]]) -> int:
    """One evaluation per element of the broadcast output (at least 1: a 0-d call is one)."""
    tally = Tally()

    def apply(*xs: Any) -> int:
        tally.add += 1  # the op itself, whatever it is, is one FLOP per element
        return 0

    ufunc = np.frompyfunc(apply, max(1, len(shapes)), 1)
    ufunc(*[np.zeros(s, dtype=object) for s in shapes])
    return max(1, tally.add)


def reduce(
    shape: tuple[int, ...], axis: int | tuple[int, ...] | None, extra_per_cell: int = 0
) -> int:
    """Fold every reduced slice with a counted combine: the first element is a free copy.

    ``extra_per_cell`` adds that many operations per output cell (``mean``'s divide). A
    ``mean`` over an empty slice reads nothing and divides nothing: it counts 0 (0.4.0
    measures 0 there), where the other reductions keep the floor of 1.
    """
    tally = Tally()
    combine = np.frompyfunc(lambda a, b: a + b, 2, 1)  # numpy's object reduce: n - 1 adds
    if axis is None:
        axes = tuple(range(len(shape)))
    else:
        axes = tuple(a % len(shape) for a in (axis if isinstance(axis, tuple) else (axis,)))
    cells = math.prod(s for i, s in enumerate(shape) if i not in axes)
    empty = any(shape[a] == 0 for a in axes)
    if extra_per_cell and (empty or cells == 0):
        return 0
    if not empty:
        data = objects(shape, tally)
        for a in sorted(axes, reverse=True):  # fold axis by axis: still C·(R − 1) in total
            data = combine.reduce(data, axis=a)
    return max(1, tally.add + extra_per_cell * cells)


# -- bilinear products on object arrays ------------------------------------------------------

BILINEAR = {
    "matmul": np.matmul,
    "dot": np.dot,
    "inner": np.inner,
    "vdot": np.vdot,
    "tensordot": np.tensordot,
    "vecdot": np.vecdot,
    "matvec": np.matvec,
    "vecmat": np.vecmat,
    "outer": np.outer,
    "kron": np.kron,
}


def bilinear(name: str, a_shape: tuple[int, ...], b_shape: tuple[int, ...], **kwargs: Any) -> Tally:
    """Evaluate ``np.<name>`` on counting scalars of these shapes."""
    tally = Tally()
    BILINEAR[name](objects(a_shape, tally), objects(b_shape, tally), **kwargs)
    return tally


# -- einsum, enumerated ----------------------------------------------------------------------


def parse(subscripts: str, ndims: list[int]) -> tuple[list[str], str]:
    """Explicit terms and output of ``subscripts`` (ellipses become fresh upper-case labels)."""
    subscripts = subscripts.replace(" ", "")
    lhs, arrow, rhs = subscripts.partition("->")
    terms = lhs.split(",")
    spare = [c for c in "ZYXWVUTSRQPONMLKJIHGFEDCBA" if c not in subscripts]
    width = max(
        (nd - len(t.replace("...", "")) for t, nd in zip(terms, ndims) if "..." in t), default=0
    )
    ell = "".join(spare[:width][::-1])
    terms = [
        t.replace("...", ell[len(ell) - (nd - len(t.replace("...", ""))) :])
        for t, nd in zip(terms, ndims)
    ]
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts = {c: "".join(terms).count(c) for c in set("".join(terms))}
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    return terms, out


def sizes_of(terms: list[str], shapes: list[tuple[int, ...]]) -> dict[str, int]:
    """Label sizes; a 1-sized dim broadcasts against a longer one."""
    sizes: dict[str, int] = {}
    for term, shape in zip(terms, shapes):
        for c, d in zip(term, shape):
            sizes[c] = d if sizes.get(c, 1) == 1 else sizes[c]
    return sizes


def _step(
    terms: list[str], out: str, sizes: dict[str, int], tally: Tally, enumerate_: bool
) -> None:
    """One contraction step of one or two operands, counted into ``tally``."""
    out_set = set(out)
    if len(terms) == 1:  # a pure sum: plain additions under every convention
        sub = Tally()
        _accumulate(sorted(set(terms[0])), out, sizes, sub, enumerate_, multiply=False)
        tally.pre += sub.add
        return
    residual: set[str] = set()
    for i, term in enumerate(terms):
        others = set("".join(t for j, t in enumerate(terms) if j != i))
        private = {c for c in term if c not in out_set and c not in others}
        if private:  # reduce the private labels on this operand first: kept·(R − 1) adds
            kept = sorted(set(term) - private)
            sub = Tally()
            _accumulate(sorted(set(term)), "".join(kept), sizes, sub, enumerate_, multiply=False)
            tally.pre += sub.add
        residual |= set(term) - private
    labels = sorted(residual)
    step = Tally()
    _accumulate(labels, out, sizes, step, enumerate_, multiply=True)
    if any(c not in out_set for c in labels):  # the step sums an index: multiply-adds
        step.fuse()
    tally.merge(step)


def _accumulate(
    labels: list[str],
    out: str,
    sizes: dict[str, int],
    tally: Tally,
    enumerate_: bool,
    multiply: bool,
) -> None:
    """Walk every index tuple of ``labels``; the first tuple of an output cell is a copy."""
    out_pos = [labels.index(c) for c in out if c in labels]
    if not enumerate_:
        m = math.prod(sizes[c] for c in labels)
        o = math.prod(sizes[c] for c in set(out)) if m else 0
        tally.mul += m if multiply else 0
        tally.add += m - o
        return
    seen: set[tuple[int, ...]] = set()
    for idx in itertools.product(*(range(sizes[c]) for c in labels)):
        if multiply:
            tally.mul += 1
        cell = tuple(idx[p] for p in out_pos)
        if cell in seen:
            tally.add += 1
        else:
            seen.add(cell)


def einsum(subscripts: str, shapes: list[tuple[int, ...]], enumerate_: bool | None = None) -> Tally:
    """Tallies of the dense einsum algorithm on operands of ``shapes``.

    Index tuples are walked one by one when there are at most :data:`LIMIT` of them (or
    when ``enumerate_`` says so); otherwise each step's tuples are counted by multiplying
    label sizes, which the tests check against the walk on small shapes.
    """
    terms, out = parse(subscripts, [len(s) for s in shapes])
    sizes = sizes_of(terms, shapes)
    if enumerate_ is None:
        enumerate_ = walkable(subscripts, shapes)
    tally = Tally()
    if len(terms) <= 2:
        _step(terms, out, sizes, tally, enumerate_)
        return tally
    for step_terms, step_out in _path_steps(terms, out, sizes):
        _step(step_terms, step_out, sizes, tally, enumerate_)
    return tally


def walkable(subscripts: str, shapes: list[tuple[int, ...]]) -> bool:
    """Whether :func:`einsum` walks the index tuples of this call one by one."""
    terms, _ = parse(subscripts, [len(s) for s in shapes])
    sizes = sizes_of(terms, shapes)
    total = math.prod(sizes.values()) if sizes else 1
    return total * max(1, len(terms) - 1) <= LIMIT


def _path_steps(terms: list[str], out: str, sizes: dict[str, int]) -> list[tuple[list[str], str]]:
    """Pairwise steps of opt_einsum's ``"auto"`` path (shapes with broadcasts widened)."""
    import opt_einsum

    full = [tuple(sizes[c] for c in t) for t in terms]
    _, info = opt_einsum.contract_path(
        ",".join(terms) + "->" + out, *full, shapes=True, optimize="auto"
    )
    steps = []
    for contraction in info.contraction_list:
        lhs, rhs = contraction[2].split("->")
        steps.append((lhs.split(","), rhs))
    return steps
