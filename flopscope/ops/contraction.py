"""Contractions and products. Every bilinear op bills what the equivalent ``einsum`` bills
under the active convention (one rule for multiply-adds); ``outer`` and ``kron`` are one
multiply per output element.

Each row's ``inputs`` builds the explicit einsum subscripts of the call from the operand
shapes, so the ledger records ``("ij,j->i", shapes)`` for ``A @ v`` exactly as for
``einsum('ij,j->i', A, v)``.
"""

from __future__ import annotations

import math
import string
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from flopscope._einsum import execute as _execute
from flopscope._einsum.operands import fingerprint, identity_only
from flopscope._einsum.parse import canonicalize, size_dict
from flopscope._einsum.path import normalize_optimize
from flopscope.ops._row import Example, Op

_WRAP: list[Any] = []


def _wrap(r: Any) -> Any:
    """``fnp``'s result wrapper (imported on first use: ``flopscope.numpy`` imports us)."""
    if not _WRAP:
        from flopscope.numpy._factory import wrap

        _WRAP.append(wrap)
    return _WRAP[0](r)


_L = string.ascii_letters


_SCALARS = (int, float, complex, bool)


def _shape(x: Any) -> tuple[int, ...]:
    """Shape of anything numpy treats as an array (Python scalars are 0-d)."""
    if isinstance(x, np.ndarray):
        return x.shape
    if type(x) in _SCALARS or x is None:
        return ()
    return np.shape(x)


@lru_cache(maxsize=4096)
def _einsum_inputs(subscripts: str, shapes: tuple[tuple[int, ...], ...]) -> tuple:
    canonical = canonicalize(subscripts, shapes)
    size_dict(canonical, shapes)  # validates sizes before anything is charged
    return (canonical, shapes)


def _elementwise_product(sa: tuple, sb: tuple) -> tuple:
    """A product with a 0-d operand is an elementwise multiply."""
    la = _L[: len(sa)] if sa else ""
    lb = _L[: len(sb)] if sb else ""
    return _einsum_inputs(f"{la},{lb}->{la or lb}", (sa, sb))


def _with_symmetry(base: tuple, operands: tuple) -> tuple:
    """``base`` einsum inputs plus the operands' symmetry fingerprint when they have one
    (declared groups, or the same object twice): bilinear ops bill what einsum bills."""
    fp = fingerprint(operands, base[1])
    return base if fp is None else (*base, fp)


def matmul_inputs(a: Any, b: Any, *args: Any, **kwargs: Any) -> tuple:
    return _with_symmetry(_matmul(_shape(a), _shape(b)), (a, b))


@lru_cache(maxsize=4096)
def _matmul(sa: tuple, sb: tuple) -> tuple:
    if not sa or not sb:
        raise ValueError("matmul: Input operand does not have enough dimensions")
    if sa[-1] != sb[-2 if len(sb) > 1 else -1]:
        raise ValueError(
            f"matmul: Input operand 1 has a mismatch in its core dimension 0 "
            f"(size {sb[-2 if len(sb) > 1 else -1]} is different from {sa[-1]})"
        )
    left = "...ij" if len(sa) > 1 else "j"
    right = "...jk" if len(sb) > 1 else "j"
    out = "..." + ("i" if len(sa) > 1 else "") + ("k" if len(sb) > 1 else "")
    return _einsum_inputs(f"{left},{right}->{out}", (sa, sb))


def _aligned(sa: tuple, sb: tuple, ia: int, ib: int) -> None:
    """Contracted axes must match exactly (bilinear ops never broadcast them)."""
    if sa[ia] != sb[ib]:
        raise ValueError(
            f"shapes {sa} and {sb} not aligned: {sa[ia]} (dim {ia % len(sa)}) != "
            f"{sb[ib]} (dim {ib % len(sb)})"
        )


def dot_inputs(a: Any, b: Any, *args: Any, **kwargs: Any) -> tuple:
    return _with_symmetry(_dot(_shape(a), _shape(b)), (a, b))


@lru_cache(maxsize=4096)
def _dot(sa: tuple, sb: tuple) -> tuple:
    if not sa or not sb:
        return _elementwise_product(sa, sb)
    _aligned(sa, sb, -1, -1 if len(sb) == 1 else -2)
    if len(sb) == 1:
        la = _L[: len(sa) - 1]
        return _einsum_inputs(f"{la}z,z->{la}", (sa, sb))
    la = _L[: len(sa) - 1]
    lb = _L[len(sa) - 1 : len(sa) - 1 + len(sb) - 2]
    return _einsum_inputs(f"{la}z,{lb}zy->{la}{lb}y", (sa, sb))


def inner_inputs(a: Any, b: Any, *args: Any, **kwargs: Any) -> tuple:
    return _with_symmetry(_inner(_shape(a), _shape(b)), (a, b))


@lru_cache(maxsize=4096)
def _inner(sa: tuple, sb: tuple) -> tuple:
    if not sa or not sb:
        return _elementwise_product(sa, sb)
    _aligned(sa, sb, -1, -1)
    la = _L[: len(sa) - 1]
    lb = _L[len(sa) - 1 : len(sa) - 1 + len(sb) - 1]
    return _einsum_inputs(f"{la}z,{lb}z->{la}{lb}", (sa, sb))


def vdot_inputs(a: Any, b: Any, *args: Any, **kwargs: Any) -> tuple:
    na, nb = math.prod(_shape(a)), math.prod(_shape(b))
    if na != nb:
        raise ValueError("cannot reshape array: vdot operands must have the same size")
    base = _einsum_inputs("i,i->", ((na,), (nb,)))
    # flattened operands keep no axis group; only identity could matter (it does not here:
    # swapping the two factors of a dot product maps every label to itself)
    return (*base, ((None, None), (0, 0))) if identity_only((a, b)) else base


def tensordot_inputs(a: Any, b: Any, axes: Any = 2, *args: Any, **kwargs: Any) -> tuple:
    sa, sb = _shape(a), _shape(b)
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        base = _tensordot(sa, sb, tuple(range(len(sa) - n, len(sa))), tuple(range(n)))
        return _with_symmetry(base, (a, b))
    ax_a, ax_b = axes
    ax_a = (ax_a,) if isinstance(ax_a, (int, np.integer)) else ax_a
    ax_b = (ax_b,) if isinstance(ax_b, (int, np.integer)) else ax_b
    base = _tensordot(sa, sb, tuple(int(x) for x in ax_a), tuple(int(x) for x in ax_b))
    return _with_symmetry(base, (a, b))


@lru_cache(maxsize=4096)
def _tensordot(sa: tuple, sb: tuple, ax_a: tuple, ax_b: tuple) -> tuple:
    if len(ax_a) != len(ax_b):
        raise ValueError("shape-mismatch for sum")
    ax_a = [x % len(sa) if sa else x for x in ax_a]
    ax_b = [x % len(sb) if sb else x for x in ax_b]
    la = list(_L[: len(sa)])
    lb = list(_L[len(sa) : len(sa) + len(sb)])
    for i, j in zip(ax_a, ax_b):
        if sa[i] != sb[j]:
            raise ValueError("shape-mismatch for sum")
        lb[j] = la[i]
    out = [c for k, c in enumerate(la) if k not in ax_a] + [
        c for k, c in enumerate(lb) if k not in ax_b
    ]
    return _einsum_inputs(f"{''.join(la)},{''.join(lb)}->{''.join(out)}", (sa, sb))


def vecdot_inputs(x1: Any, x2: Any, /, *args: Any, axis: int = -1, **kwargs: Any) -> tuple:
    """``vecdot`` is a gufunc ``(n),(n)->()``: ``axis`` names the core axis of each operand
    (in its own numbering); the other axes broadcast."""
    return _with_symmetry(_vecdot(_shape(x1), _shape(x2), int(axis)), (x1, x2))


@lru_cache(maxsize=4096)
def _vecdot(sa: tuple, sb: tuple, axis: int) -> tuple:
    if not sa or not sb:
        raise ValueError("vecdot: Input operand does not have enough dimensions")
    ax_a = normalize_axis_index(axis, len(sa))
    ax_b = normalize_axis_index(axis, len(sb))
    _aligned(sa, sb, ax_a, ax_b)
    n_loop = max(len(sa), len(sb)) - 1
    loop = _L[:n_loop]
    la = loop[n_loop - (len(sa) - 1) :]
    lb = loop[n_loop - (len(sb) - 1) :]
    la = la[:ax_a] + "z" + la[ax_a:]
    lb = lb[:ax_b] + "z" + lb[ax_b:]
    return _einsum_inputs(f"{la},{lb}->{loop}", (sa, sb))


def matvec_inputs(x1: Any, x2: Any, /, *args: Any, **kwargs: Any) -> tuple:
    return _with_symmetry(_matvec(_shape(x1), _shape(x2)), (x1, x2))


@lru_cache(maxsize=4096)
def _matvec(sa: tuple, sb: tuple) -> tuple:
    if len(sa) < 2 or len(sb) < 1:
        raise ValueError("matvec: Input operand does not have enough dimensions")
    _aligned(sa, sb, -1, -1)
    return _einsum_inputs("...ij,...j->...i", (sa, sb))


def vecmat_inputs(x1: Any, x2: Any, /, *args: Any, **kwargs: Any) -> tuple:
    return _with_symmetry(_vecmat(_shape(x1), _shape(x2)), (x1, x2))


@lru_cache(maxsize=4096)
def _vecmat(sa: tuple, sb: tuple) -> tuple:
    if len(sa) < 1 or len(sb) < 2:
        raise ValueError("vecmat: Input operand does not have enough dimensions")
    _aligned(sa, sb, -1, -2)
    return _einsum_inputs("...i,...ij->...j", (sa, sb))


def outer_inputs(a: Any, b: Any, *args: Any, **kwargs: Any) -> tuple:
    n_a, n_b = math.prod(_shape(a)), math.prod(_shape(b))
    if identity_only((a, b)):  # outer(v, v) is symmetric: n(n+1)/2 distinct products
        return (n_a * n_b, n_a * (n_a + 1) // 2)
    return (n_a * n_b,)


def kron_inputs(a: Any, b: Any, *args: Any, **kwargs: Any) -> tuple:
    return (math.prod(_shape(a)) * math.prod(_shape(b)),)


def cross_inputs(
    a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None
) -> tuple:
    sa, sb = _shape(a), _shape(b)
    if axis is not None:
        axisa = axisb = axis
    for s, ax in ((sa, axisa), (sb, axisb)):
        if not s or not -len(s) <= ax < len(s):
            raise np.exceptions.AxisError(ax, len(s))
        if s[ax] not in (2, 3):
            raise ValueError(
                "incompatible dimensions for cross product\n(dimension must be 2 or 3)"
            )
    return (sa, sb)


def einsum_inputs(subscripts: Any, *operands: Any, **kwargs: Any) -> tuple:
    if not isinstance(subscripts, str):
        raise TypeError(
            "einsum: the interleaved (operand, sublist) form is not supported; "
            "pass a subscripts string, e.g. fnp.einsum('ij,jk->ik', a, b)"
        )
    optimize = kwargs.get("optimize", "auto")
    if optimize != "auto":
        normalize_optimize(optimize)  # KeyError before anything is charged
    shapes = tuple([_shape(x) for x in operands])
    base = _einsum_inputs(subscripts, shapes)
    fp = fingerprint(operands, shapes)
    inputs = base if fp is None else (*base, fp)
    if kwargs.get("symmetry") is not None or kwargs.get("out") is not None:
        _check_output(inputs, kwargs.get("symmetry"), kwargs.get("out"))
    return inputs


def _output_shape(inputs: tuple) -> tuple[int, ...]:
    sizes = size_dict(inputs[0], inputs[1])
    return tuple(sizes[c] for c in inputs[0].split("->")[1])


def inferred_output_group(inputs: tuple) -> Any:
    """The output group the cost model infers (``None`` for dense operands)."""
    if len(inputs) != 3:
        return None
    return _inferred_group_of(inputs)


@lru_cache(maxsize=4096)
def _inferred_group_of(inputs: tuple) -> Any:
    # cached: a call with the same operand pattern (A @ A in a loop) infers it once
    from flopscope._einsum.operands import output_group
    from flopscope._symmetry.einsum_cost import output_symmetry

    return output_group(output_symmetry(*inputs))


def _check_output(inputs: tuple, symmetry: Any, out: Any) -> None:
    """Before anything is charged: a declared ``symmetry=`` must fit the output shape, and a
    ``SymmetricTensor`` given as ``out=`` must carry the result's group (inferred tags, which
    a constructor guessed from the shape, are lenient)."""
    from flopscope._symmetry import registry
    from flopscope._symmetry.api import group_for
    from flopscope.errors import SymmetryError

    shape = _output_shape(inputs)
    declared = group_for(symmetry, shape) if symmetry is not None else None
    entry = registry.entry_of(out) if out is not None else None
    if entry is None or entry.inferred:
        return
    result = declared if declared is not None else inferred_output_group(inputs)
    if result is None or not result.equals(entry.group):
        raise SymmetryError(
            entry.group.axes or (),
            float("nan"),
            message=(
                f"einsum: out= is a SymmetricTensor with {entry.group!r} but the result's "
                f"symmetry is {result!r}"
            ),
        )


def wrap_contraction(r: Any, inputs: tuple) -> Any:
    """The result as ``fnp.ndarray``, or a ``SymmetricTensor`` carrying the output group the
    model inferred (a Gram matrix ``X.T @ X`` is symmetric); a declared ``symmetry=`` already
    made it one."""
    if len(inputs) == 3 and type(r) is np.ndarray:
        group = inferred_output_group(inputs)
        if group is not None:
            from flopscope.numpy._symmetric import as_symmetric_view

            return as_symmetric_view(r, group)
    return _wrap(r)


def einsum_path_inputs(subscripts: Any, *operands: Any, **kwargs: Any) -> tuple:
    if not isinstance(subscripts, str):
        raise TypeError(
            "einsum_path: the interleaved (operand, sublist) form is not supported; "
            "pass a subscripts string"
        )
    key = normalize_optimize(kwargs.get("optimize", "auto"))
    shapes = tuple(_shape(x) for x in operands)
    canonical, _ = _einsum_inputs(subscripts, shapes)  # validates, then flat 1
    fp = fingerprint(operands, shapes)
    # symmetric operands: what the report needs rides along (the count formula reads [0])
    return (1,) if fp is None else (1, canonical, shapes, key, fp)


def wrap_path(r: Any, inputs: tuple) -> Any:
    """``(path, PathInfo)``; symmetric operands get a report priced with their groups (the
    executing function only sees plain views, so identity and tags are gone there)."""
    if len(inputs) == 5:
        from flopscope._einsum.pathinfo import build_path_info

        _, canonical, shapes, key, fp = inputs
        return build_path_info(canonical, shapes, key, fingerprint=fp)
    return r


_A = "np.linspace(0.1, 0.9, 12).reshape(3, 4)"
_B = "(np.arange(1.0, 21.0) ** 2).reshape(4, 5)"
_V = "np.linspace(0.1, 0.9, 4)"


def _row(
    name: str,
    inputs: Any,
    example: str,
    flops: int,
    *,
    formula: str = "einsum",
    impl: Any = None,
    **kw: Any,
) -> Op:
    if formula == "einsum":  # results of symmetric contractions carry the inferred group
        kw.setdefault("extra", {"wrap_priced": wrap_contraction})
    return Op(
        name,
        family="contraction",
        kind="custom",
        formula=formula,
        impl=impl if impl is not None else getattr(np, name),
        inputs=inputs,
        symmetry="contraction",
        examples=(Example(example, flops),),
        **kw,
    )


OPS = (
    _row(
        "einsum",
        einsum_inputs,
        f"fnp.einsum('ij,jk->ik', {_A}, {_B})",
        105,
        impl=_execute.einsum,
        array_api="einsum",
        summary="Einstein summation; path-independent cost",
    ),
    _row(
        "einsum_path",
        einsum_path_inputs,
        f"fnp.einsum_path('ij,jk->ik', {_A}, {_B})",
        1,
        formula="count",
        impl=_execute.einsum_path,
        summary="contraction path report (flat 1 FLOP)",
        extra={"wrap_priced": wrap_path},
    ),
    _row(
        "matmul",
        matmul_inputs,
        f"fnp.matmul({_A}, {_B})",
        105,
        also_in=("linalg",),
        dunders=("__matmul__", "__rmatmul__", "__imatmul__"),
        array_api="matmul",
    ),
    _row("dot", dot_inputs, f"fnp.dot({_A}, {_B})", 105, methods=("dot",)),
    _row("inner", inner_inputs, f"fnp.inner({_V}, {_V})", 7),
    _row("vdot", vdot_inputs, f"fnp.vdot({_A}, {_A})", 23),
    _row(
        "tensordot",
        tensordot_inputs,
        f"fnp.tensordot({_A}, {_B}, axes=1)",
        105,
        also_in=("linalg",),
        array_api="tensordot",
    ),
    _row(
        "vecdot",
        vecdot_inputs,
        f"fnp.vecdot({_A}, {_A})",
        21,
        also_in=("linalg",),
        array_api="vecdot",
    ),
    _row("matvec", matvec_inputs, f"fnp.matvec({_A}, {_V})", 21),
    _row("vecmat", vecmat_inputs, f"fnp.vecmat(np.linspace(0.1, 0.9, 3), {_A})", 20),
    _row(
        "outer",
        outer_inputs,
        f"fnp.outer({_V}, {_V})",
        16,
        formula="outer_product",
        also_in=("linalg",),
    ),
    _row("kron", kron_inputs, f"fnp.kron({_A}, {_A})", 144, formula="outer_product"),
    _row(
        "cross",
        cross_inputs,
        "fnp.cross(np.arange(15.0).reshape(5, 3), np.ones((5, 3)))",
        75,
        formula="cross",
        summary="vector cross product: 5 per element of the larger operand",
    ),
)
