"""Sorting, searching, set and histogram cost formulas (spec §2.9).

Comparison sorts cost n·⌈log2 n⌉ per sorted run, binary searches ⌈log2 n⌉ per query and
partitions one pass per kth value. Every log here is :func:`lg`: ⌈log2 n⌉ with ⌈log2 1⌉
(and an empty run) taken as 1, as the 0.4.0 release does (``sort`` of a length-1 axis still
costs one compare per element). Every count is clamped to at least 1. None of these depends
on the multiply-add convention: there is no contraction to convention.
"""

from __future__ import annotations

import math

from flopscope.costs.formulas import Shape, ceil_log2, formula


def lg(n: int) -> int:
    """⌈log2 n⌉, at least 1 (so runs of length 0, 1 and 2 all cost one level)."""
    return max(1, ceil_log2(n))


def _runs(shape: Shape, axis: int | None) -> tuple[int, int]:
    """``(runs, L)``: independent 1-D runs and their length (``axis=None``: one flat run)."""
    if axis is None:
        return 1, math.prod(shape)
    return math.prod(d for i, d in enumerate(shape) if i != axis), shape[axis]


@formula("sort")
def sort(inputs: tuple, convention: str) -> int:
    """n·⌈log2 n⌉ per sorted run: runs·L·⌈log2 L⌉ (⌈log2 1⌉ taken as 1), at least 1.

    inputs: ``(shape, axis)`` with ``axis`` normalised, or ``None`` for the flattened array.
    """
    runs, length = _runs(*inputs)
    return max(1, runs * length * lg(length))


@formula("nlogn")
def nlogn(inputs: tuple, convention: str) -> int:
    """n·⌈log2 n⌉ with n = numel(input) (⌈log2 1⌉ taken as 1), at least 1. inputs: ``(shape,)``."""
    n = math.prod(inputs[0])
    return max(1, n * lg(n))


@formula("lexsort")
def lexsort(inputs: tuple, convention: str) -> int:
    """k·n·⌈log2 n⌉ for k keys of length n = len(keys[0]), at least 1. inputs: ``(k, n)``."""
    k, n = inputs
    return max(1, k * n * lg(n))


@formula("partition")
def partition(inputs: tuple, convention: str) -> int:
    """One pass per kth value over each run: runs·L·(number of kth), at least 1.

    inputs: ``(shape, axis, n_kth)`` with ``axis`` normalised or ``None`` (flattened).
    """
    shape, axis, n_kth = inputs
    runs, length = _runs(shape, axis)
    return max(1, runs * length * n_kth)


@formula("search")
def search(inputs: tuple, convention: str) -> int:
    """Binary search: m·⌈log2 n⌉ for m queries into n sorted values, at least 1.

    inputs: ``(m, n)`` (``searchsorted``: numel(v), len(a); ``digitize``: numel(x),
    len(bins); ``interp``: numel(x), len(xp)).
    """
    m, n = inputs
    return max(1, m * lg(n))


@formula("set_op")
def set_op(inputs: tuple, convention: str) -> int:
    """Sort of both operands together: (n+m)·⌈log2(n+m)⌉, at least 1. inputs: ``(n, m)``."""
    total = inputs[0] + inputs[1]
    return max(1, total * lg(total))


@formula("histogram")
def histogram(inputs: tuple, convention: str) -> int:
    """n·Σ⌈log2 bᵢ⌉ over the binned axes, at least 1.

    inputs: ``(n, bins)`` with n points and one entry per axis: the number of bins (int
    bins) or of edges (an edge array) searched per point, or ``None`` for a bin rule
    (``'auto'``...) priced at one pass (n).
    """
    n, bins = inputs
    return max(1, n * sum(1 if b is None else lg(b) for b in bins))
