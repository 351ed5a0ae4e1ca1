"""Einsum execution (runs after the call has been priced and charged).

One or two operands run as one step; three or more follow the contraction path chosen by
``optimize=``. A step that is a (batched) matrix product of floating-point operands large
enough for BLAS to pay off is handed to ``np.matmul`` after transposes/reshapes (private
summed labels are summed out first); every other step is ``np.einsum`` itself, so small and
non-BLAS contractions give numpy's own bits.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from flopscope._einsum.parse import Shape, canonicalize, size_dict, split
from flopscope._einsum.path import (
    check_explicit,
    contract_path,
    execution_strategy,
    normalize_optimize,
)

#: dtype characters BLAS multiplies (float32/64, complex64/128)
_BLAS_DTYPES = frozenset("fdFD")
#: below this many index tuples np.einsum is as fast as the transpose/reshape/matmul route
BLAS_MIN_TUPLES = 4096


class BlasPlan(NamedTuple):
    """How one two-operand step runs as ``matmul``."""

    sum_a: tuple[int, ...]  # private labels summed out of operand a first
    sum_b: tuple[int, ...]
    perm_a: tuple[int, ...]  # -> (batch, left, contracted)
    perm_b: tuple[int, ...]  # -> (batch, contracted, right)
    shape_a: tuple[int, ...]
    shape_b: tuple[int, ...]
    shape_r: tuple[int, ...]  # matmul result -> (batch..., left..., right...)
    perm_r: tuple[int, ...] | None  # -> output order (None: already in order)


def einsum(
    subscripts: str,
    *operands: Any,
    out: Any = None,
    optimize: Any = "auto",
    dtype: Any = None,
    order: str = "K",
    casting: str = "safe",
    symmetry: Any = None,
) -> Any:
    """Contract ``operands`` as ``numpy.einsum`` does (BLAS for matrix-product steps).

    ``symmetry=`` declares the output's group: the result is validated against it
    (``SymmetryError`` otherwise; the counted wrapper then refunds the call) and returned as
    a ``SymmetricTensor``. It does not change the cost.
    """
    if symmetry is not None:
        r = einsum(subscripts, *operands, out=out, optimize=optimize, dtype=dtype, order=order,
                   casting=casting)  # fmt: skip
        from flopscope._symmetry.api import as_symmetric

        tagged = as_symmetric(r, symmetry=symmetry)
        return r if out is not None else tagged
    if out is not None and not isinstance(out, np.ndarray):
        raise TypeError("keyword parameter out must be an array for einsum")
    ops = [o if isinstance(o, np.ndarray) else np.asarray(o) for o in operands]
    shapes = tuple([o.shape for o in ops])
    canonical, plan = prepare(subscripts, shapes)
    key = "auto" if optimize == "auto" else normalize_optimize(optimize)
    if len(ops) <= 2:
        if type(key) is tuple:
            check_explicit(key, len(ops))
        if plan is not None:
            rt = np.dtype(dtype) if dtype is not None else np.result_type(*ops)
            if rt.char in _BLAS_DTYPES:
                if dtype is not None:
                    ops = [o.astype(dtype, casting=casting, copy=False) for o in ops]
                return _finish(run_blas(plan, ops[0], ops[1]), out, order, casting)
        # numpy's own einsum: its bits, its casting rules and errors (defaults not passed on:
        # every keyword costs parsing time in c_einsum)
        kw: dict[str, Any] = {}
        if out is not None:
            kw["out"] = out
        if dtype is not None:
            kw["dtype"] = dtype
        if order != "K":
            kw["order"] = order
        if casting != "safe":
            kw["casting"] = casting
        return np.einsum(canonical, *ops, **kw)
    if dtype is not None:
        ops = [o.astype(dtype, casting=casting, copy=False) for o in ops]
    _, info = contract_path(canonical, shapes, execution_strategy(key, len(ops)))
    for inds, _, step, _, _ in info.contraction_list:
        args = [ops.pop(i) for i in inds]
        ops.append(run_step(step, args))
    return _finish(ops[0], out, order, casting)


@lru_cache(maxsize=4096)
def prepare(subscripts: str, shapes: tuple[Shape, ...]) -> tuple[str, BlasPlan | None]:
    """Canonical subscripts (validated) and, for two operands, the BLAS plan if any."""
    canonical = canonicalize(subscripts, shapes)
    size_dict(canonical, shapes)
    return canonical, blas_plan(canonical, shapes) if len(shapes) == 2 else None


def run_step(step: str, args: list[Any]) -> Any:
    """One path step: ``matmul`` when BLAS-able, else ``np.einsum``."""
    if len(args) == 2 and np.result_type(*args).char in _BLAS_DTYPES:
        plan = blas_plan(step, (args[0].shape, args[1].shape))
        if plan is not None:
            return run_blas(plan, args[0], args[1])
    return np.einsum(step, *args)


def run_blas(plan: BlasPlan, a: Any, b: Any) -> Any:
    if plan.sum_a:
        a = a.sum(axis=plan.sum_a)
    if plan.sum_b:
        b = b.sum(axis=plan.sum_b)
    r = np.matmul(a.transpose(plan.perm_a).reshape(plan.shape_a),
                  b.transpose(plan.perm_b).reshape(plan.shape_b))  # fmt: skip
    r = r.reshape(plan.shape_r)
    return r if plan.perm_r is None else r.transpose(plan.perm_r)


@lru_cache(maxsize=4096)
def blas_plan(canonical: str, shapes: tuple[Shape, ...]) -> BlasPlan | None:
    """A matmul plan for a two-operand step, or ``None`` if np.einsum should run it.

    BLAS-able: two operands, no label repeated inside an operand, at least one label summed
    over both, shared labels of equal size (no broadcasting), and enough work.
    """
    terms, out = split(canonical)
    if len(terms) != 2:
        return None
    ta, tb = terms
    if len(set(ta)) != len(ta) or len(set(tb)) != len(tb):
        return None
    sa, sb = shapes
    size_a, size_b = dict(zip(ta, sa)), dict(zip(tb, sb))
    shared = [c for c in ta if c in size_b]
    if any(size_a[c] != size_b[c] for c in shared):
        return None
    contract = [c for c in shared if c not in out]
    if not contract:
        return None
    sizes = {**size_a, **size_b}
    if math.prod(sizes.values()) < BLAS_MIN_TUPLES:
        return None
    sum_a = tuple(i for i, c in enumerate(ta) if c not in out and c not in size_b)
    sum_b = tuple(i for i, c in enumerate(tb) if c not in out and c not in size_a)
    ra = [c for c in ta if c not in out and c not in size_b]
    rb = [c for c in tb if c not in out and c not in size_a]
    ta2 = [c for c in ta if c not in ra]
    tb2 = [c for c in tb if c not in rb]
    batch = [c for c in ta2 if c in size_b and c in out]
    left = [c for c in ta2 if c not in size_b]
    right = [c for c in tb2 if c not in size_a]

    def prod(labels: list[str]) -> int:
        return math.prod(sizes[c] for c in labels)

    n_b, n_l, n_k, n_r = prod(batch), prod(left), prod(contract), prod(right)
    if batch:
        shape_a: tuple[int, ...] = (n_b, n_l, n_k)
        shape_b: tuple[int, ...] = (n_b, n_k, n_r)
    else:
        shape_a, shape_b = (n_l, n_k), (n_k, n_r)
    produced = batch + left + right
    perm_r = tuple(produced.index(c) for c in out)
    return BlasPlan(
        sum_a=sum_a,
        sum_b=sum_b,
        perm_a=tuple(ta2.index(c) for c in batch + left + contract),
        perm_b=tuple(tb2.index(c) for c in batch + contract + right),
        shape_a=shape_a,
        shape_b=shape_b,
        shape_r=tuple(sizes[c] for c in produced),
        perm_r=None if perm_r == tuple(range(len(out))) else perm_r,
    )


def _finish(r: Any, out: Any, order: str, casting: str) -> Any:
    """Apply ``order=`` and write into ``out`` (numpy's errors for a wrong ``out``)."""
    if order in ("C", "F"):
        r = np.asarray(r, order=order)
    if out is None:
        return r
    if out.shape != np.shape(r):
        raise ValueError(
            f"einsum: out has shape {out.shape} but the result has shape {np.shape(r)}"
        )
    np.copyto(out, r, casting=casting)
    return out


def einsum_path(subscripts: str, *operands: Any, optimize: Any = "auto") -> Any:
    """``(path, PathInfo)`` for the contraction, as :func:`einsum` would execute it."""
    from flopscope._einsum.pathinfo import build_path_info

    shapes = tuple(np.shape(o) for o in operands)
    return build_path_info(subscripts, shapes, optimize)
