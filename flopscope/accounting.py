"""Cost-only helpers: what an operation would cost, without running it or needing a budget.

Every helper takes ``cost_model=`` (a :class:`~flopscope.CostModel` or a built-in name;
default: the process default model) and returns the count under that model's multiply-add
convention, multiplied by the model's weight for the op and floored, as a budget would
charge it (without a context's ``flop_multiplier``). Helpers take explicit dimensions, so
they do not reproduce what depends on a call (operand identity, for example).

``pointwise_cost``/``reduction_cost`` take ``symmetry=`` (a group or shorthand) and
count orbits; ``reduction_accumulation_cost``/``tier2_reduction_cost`` read a symmetric
operand's registered group. The ``symmetric=`` flags of the
factorization helpers are accepted and do not change the count (a symmetric ``inv`` costs
what a dense one costs, DIFFERENCES 6).

The linalg, FFT, polynomial and window helpers price through the op's own row
(:meth:`CostModel.price`), so they use the very formula and weight a call bills with.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from flopscope._einsum.accumulation import (
    AccumulationCost,
    reduction_accumulation,
    weighted,
)
from flopscope._einsum.parse import canonicalize, size_dict
from flopscope._symmetry.regimes import ComponentCost as ComponentCost  # re-exported
from flopscope._symmetry.regimes import RegimeStep as RegimeStep  # re-exported
from flopscope.costs.formulas import FORMULAS
from flopscope.costs.model import CostModel, resolve

_LINALG = [
    "cholesky_cost",
    "qr_cost",
    "eig_cost",
    "eigh_cost",
    "eigvals_cost",
    "eigvalsh_cost",
    "svdvals_cost",
    "solve_cost",
    "inv_cost",
    "lstsq_cost",
    "pinv_cost",
    "tensorsolve_cost",
    "tensorinv_cost",
    "trace_cost",
    "det_cost",
    "slogdet_cost",
    "norm_cost",
    "vector_norm_cost",
    "matrix_norm_cost",
    "cond_cost",
    "matrix_rank_cost",
    "multi_dot_cost",
    "matrix_power_cost",
]
_FFT = ["fft_cost", "rfft_cost", "fftn_cost", "rfftn_cost", "hfft_cost"]
_POLY = [
    "polyval_cost",
    "polyadd_cost",
    "polysub_cost",
    "polymul_cost",
    "polydiv_cost",
    "polyfit_cost",
    "poly_cost",
    "roots_cost",
    "polyder_cost",
    "polyint_cost",
    "bartlett_cost",
    "blackman_cost",
    "hamming_cost",
    "hanning_cost",
    "kaiser_cost",
    "unwrap_cost",
]
__all__ = ["einsum_cost", "pointwise_cost", "reduction_cost", "svd_cost", *_LINALG, *_FFT, *_POLY]

ModelSpec = str | CostModel | None


def einsum_cost(
    subscripts: str,
    shapes: Sequence[Sequence[int]],
    operand_symmetries: Sequence[Any] | None = None,
    identity_pattern: Any = None,
    *,
    cost_model: ModelSpec = None,
) -> int:
    """What ``fnp.einsum(subscripts, *operands)`` charges for operands of ``shapes``.

    ``einsum_cost('ij,jk,kl->il', [(10, 20), (20, 30), (30, 5)])`` → 7,850.

    ``operand_symmetries``: one ``SymmetryGroup`` (or shorthand such as ``(0, 1)``) or
    ``None`` per operand; ``identity_pattern``: tuples of operand positions that are the
    same object, e.g. ``einsum_cost('ij,ik->jk', [(100, 100)] * 2, identity_pattern=((0, 1),))``
    → 1,004,950 (the Gram matrix ``X.T @ X``).
    """
    from flopscope._einsum.operands import fingerprint_from_pattern
    from flopscope.ops import lookup

    shapes_ = _shapes(shapes)
    canonical = canonicalize(subscripts, shapes_)
    size_dict(canonical, shapes_)
    fp = fingerprint_from_pattern(shapes_, operand_symmetries, identity_pattern)
    inputs = (canonical, shapes_) if fp is None else (canonical, shapes_, fp)
    return resolve(cost_model).price(lookup("einsum"), inputs)


def pointwise_cost(
    op_name: str,
    *,
    shape: int | Sequence[int],
    symmetry: Any = None,
    cost_model: ModelSpec = None,
) -> int:
    """An elementwise op on (or broadcasting to) ``shape``: numel (at least 1) × weight;
    with ``symmetry`` (a group or shorthand), the number of unique elements instead.

    ``pointwise_cost('exp', shape=(2, 3))`` → 96 under the default model.
    """
    model = resolve(cost_model)
    dims = _shape(shape)
    # inputs first: the first symmetric call imports the module that makes FORMULAS
    # symmetry-aware, which must happen before the formula is looked up
    inputs = _with_symmetry((dims,), symmetry, dims)
    count = FORMULAS["numel"](inputs, model.convention)
    return _apply_weight(count, model.weight(op_name))


def reduction_cost(
    op_name: str,
    *,
    input_shape: int | Sequence[int],
    axis: int | Sequence[int] | None = None,
    symmetry: Any = None,
    cost_model: ModelSpec = None,
) -> int:
    """A ufunc-style reduction of ``input_shape`` over ``axis``: C·(R − 1) (at least 1) × weight;
    with ``symmetry``, ``α − O`` over the orbits of the group (spec §4.5).

    ``reduction_cost('sum', input_shape=(4, 5), axis=1)`` → 16; ``'std'`` weighs 2.
    """
    model = resolve(cost_model)
    shape = _shape(input_shape)
    inputs = _with_symmetry((shape, _axis(axis, len(shape))), symmetry, shape)
    count = FORMULAS["reduce"](inputs, model.convention)
    return _apply_weight(count, model.weight(op_name))


def svd_cost(m: int, n: int, k: int | None = None, *, cost_model: ModelSpec = None) -> int:
    """(Truncated) SVD of an m×n matrix keeping k singular triplets: m·n·k × weight.

    ``k`` defaults to min(m, n). ``svd_cost(256, 256, 10)`` → 2,621,440.
    """
    m, n = int(m), int(n)
    if k is not None:
        k = int(k)
        if not 1 <= k <= min(m, n):
            raise ValueError(f"svd_cost: k={k} must be between 1 and min(m, n)={min(m, n)}")
    model = resolve(cost_model)
    count = FORMULAS["svd"](((m, n), k), model.convention)
    return _apply_weight(count, model.weight("linalg.svd"))


def einsum_accumulation_cost(
    subscripts: str,
    *operands: Any,
    partition_budget: int | None = None,
    cost_model: ModelSpec = None,
) -> AccumulationCost:
    """The cost ``fnp.einsum`` would charge for ``operands`` and how it is built.

    Reads shapes, registered symmetry groups and object identity (the same array twice);
    nothing runs and no budget is needed. ``partition_budget`` caps the partition count of
    a symmetric component (past it the dense cost applies, with a ``CostFallbackWarning``).
    ``einsum_accumulation_cost('ij,jk->ik', zeros((256, 256)), zeros((256, 256))).total`` →
    33,488,896.
    """
    from flopscope._einsum.operands import fingerprint
    from flopscope._symmetry.einsum_cost import symmetric_accumulation

    if not isinstance(subscripts, str):
        raise TypeError("einsum_accumulation_cost: subscripts must be a string")
    model = resolve(cost_model)
    shapes = tuple(tuple(int(d) for d in np.shape(o)) for o in operands)
    canonical = canonicalize(subscripts, shapes)
    size_dict(canonical, shapes)
    # dense operands go through the same engine, so the anatomy (components) is always there
    fp = fingerprint(operands, shapes) or (
        (None,) * len(shapes),
        tuple(range(len(shapes))),
    )
    cost = symmetric_accumulation(canonical, shapes, fp, model.convention, partition_budget)
    return weighted(cost, model.weight("einsum"))


def reduction_accumulation_cost(
    a: Any,
    axis: int | Sequence[int] | None = None,
    *,
    op_factor: int | float = 1,
    extra_ops: int | float = 0,
    partition_budget: int | None = None,
    cost_model: ModelSpec = None,
) -> AccumulationCost:
    """A ufunc-style reduction of ``a`` over ``axis``: ``op_factor·C·(R − 1) + extra_ops``;
    for a symmetric ``a`` (a ``SymmetricTensor`` or any tagged array),
    ``op_factor·(α − O) + extra_ops`` over the orbits of its group.

    Unweighted (``op_factor`` is the caller's weight); the cost model is accepted for a
    uniform signature (reductions do not depend on the multiply-add convention).
    ``reduction_accumulation_cost(np.zeros((256, 256))).total`` → 65,535.
    """
    resolve(cost_model)
    shape = _shape_of(a)
    norm = _axis(axis, len(shape))
    group = _group_of(a)
    if group is not None:
        from flopscope._symmetry import costs

        return costs.reduction_accumulation(shape, norm, group, op_factor, extra_ops)
    return reduction_accumulation(shape, norm, op_factor, extra_ops)


def tier2_reduction_cost(
    a: Any,
    axis: int | Sequence[int] | None = None,
    *,
    dense_per_output_cost: int | None = None,
) -> int:
    """Selection-style reduction (``median``, ``percentile``, ``quantile``): output cells ×
    ``dense_per_output_cost`` (default: the number of elements reduced into each cell).

    Unweighted. Dense operands: every output cell is its own orbit; a symmetric ``a``
    counts the orbits of the output cells under its group.
    ``tier2_reduction_cost(np.ones((6, 7)), axis=0)`` → 42.
    """
    from flopscope._symmetry import costs

    shape = _shape_of(a)
    return costs.tier2_cost(shape, _axis(axis, len(shape)), _group_of(a), dense_per_output_cost)


# -- linear algebra (rows linalg.*) ---------------------------------------------------------


def cholesky_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Cholesky of an n×n matrix: n³ × weight. ``cholesky_cost(4)`` → 256."""
    return _square("linalg.cholesky", n, cost_model)


def qr_cost(m: int, n: int, *, cost_model: ModelSpec = None) -> int:
    """QR of an m×n matrix: m·n·min(m, n) × weight. ``qr_cost(6, 4)`` → 384."""
    return _priced("linalg.qr", ((int(m), int(n)),), cost_model)


def eig_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Eigendecomposition of an n×n matrix: n³ × weight."""
    return _square("linalg.eig", n, cost_model)


def eigh_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Hermitian eigendecomposition: n³ × weight."""
    return _square("linalg.eigh", n, cost_model)


def eigvals_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Eigenvalues of an n×n matrix: n³ × weight."""
    return _square("linalg.eigvals", n, cost_model)


def eigvalsh_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Eigenvalues of a Hermitian n×n matrix: n³ × weight."""
    return _square("linalg.eigvalsh", n, cost_model)


def svdvals_cost(m: int, n: int, k: int | None = None, *, cost_model: ModelSpec = None) -> int:
    """Singular values of an m×n matrix: m·n·k × the ``linalg.svdvals`` weight, k = min(m, n)
    unless given. ``svdvals_cost(6, 4, 2)`` → 192."""
    m, n = int(m), int(n)
    if k is None:
        return _priced("linalg.svdvals", ((m, n),), cost_model)
    k = _k(m, n, k, "svdvals_cost")
    return _priced("linalg.svd", ((m, n), k), cost_model, name="linalg.svdvals")


def solve_cost(
    n: int, nrhs: int = 1, symmetric: bool = False, *, cost_model: ModelSpec = None
) -> int:
    """Solving an n×n system: n³ × weight, whatever the number of right-hand sides."""
    return _square("linalg.solve", n, cost_model)


def inv_cost(n: int, symmetric: bool = False, *, cost_model: ModelSpec = None) -> int:
    """Inverse of an n×n matrix: n³ × weight; symmetric or not (DIFFERENCES 6).

    ``inv_cost(5)`` → 500.
    """
    return _square("linalg.inv", n, cost_model)


def lstsq_cost(
    m: int, n: int, b_cols: int = 1, b_ndim: int = 1, *, cost_model: ModelSpec = None
) -> int:
    """Least squares of an m×n ``a`` against a 1-D (``b_ndim=1``) or m×b_cols ``b``.

    ``lstsq_cost(5, 4)`` → 992; ``lstsq_cost(6, 4, b_cols=3, b_ndim=2)`` → 1,296.
    """
    m, n = int(m), int(n)
    if b_ndim not in (1, 2):
        raise ValueError(f"lstsq_cost: b_ndim must be 1 or 2, got {b_ndim}")
    b_shape = (m,) if b_ndim == 1 else (m, int(b_cols))
    return _priced("linalg.lstsq", ((m, n), b_shape), cost_model)


def pinv_cost(m: int, n: int, *, cost_model: ModelSpec = None) -> int:
    """Pseudo-inverse of an m×n matrix. ``pinv_cost(4, 5)`` → 976."""
    return _priced("linalg.pinv", ((int(m), int(n)),), cost_model)


def tensorsolve_cost(
    a_shape: Sequence[int], ind: int | None = None, *, cost_model: ModelSpec = None
) -> int:
    """``tensorsolve`` with ``a`` of ``a_shape`` (axes already moved): n³ × weight with
    n = prod(a_shape[ind:]). Pass ``ind = b.ndim`` to price a call (DIFFERENCES 7); the
    default ``None`` is 0.4.0's fixed 2. ``tensorsolve_cost((6, 2, 3))`` → 108."""
    ind = 2 if ind is None else _positive(ind, "tensorsolve_cost")
    return _priced("linalg.tensorsolve", (_shape(a_shape), ind), cost_model)


def tensorinv_cost(a_shape: Sequence[int], ind: int = 2, *, cost_model: ModelSpec = None) -> int:
    """``tensorinv``: n³ × weight with n = prod(a_shape[:ind]).

    ``tensorinv_cost((6, 2, 3), ind=1)`` → 864.
    """
    ind = _positive(ind, "tensorinv_cost")
    return _priced("linalg.tensorinv", (_shape(a_shape), ind), cost_model)


def trace_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Trace of an n×n matrix: n (at least 1) × weight."""
    n = int(n)
    return _priced("linalg.trace", ((n, n), 0), cost_model)


def det_cost(n: int, symmetric: bool = False, *, cost_model: ModelSpec = None) -> int:
    """Determinant of an n×n matrix: n³ × weight, symmetric or not."""
    return _square("linalg.det", n, cost_model)


def slogdet_cost(n: int, symmetric: bool = False, *, cost_model: ModelSpec = None) -> int:
    """Sign and log-determinant of an n×n matrix: n³ × weight, symmetric or not."""
    return _square("linalg.slogdet", n, cost_model)


def norm_cost(shape: int | Sequence[int], ord: Any = None, *, cost_model: ModelSpec = None) -> int:
    """``linalg.norm`` of the whole array: orders 2, −2, 'nuc' of a matrix 4·m·n·min(m, n),
    anything else 2·numel. ``norm_cost((6, 4), ord=2)`` → 384."""
    return _priced("linalg.norm", (_shape(shape), _order(ord), None), cost_model)


def vector_norm_cost(
    shape: int | Sequence[int], ord: Any = None, *, cost_model: ModelSpec = None
) -> int:
    """``linalg.vector_norm`` of the whole array: 2·numel × weight."""
    return _priced("linalg.vector_norm", (_shape(shape), _order(ord), None), cost_model)


def matrix_norm_cost(shape: Sequence[int], ord: Any = None, *, cost_model: ModelSpec = None) -> int:
    """``linalg.matrix_norm``: orders 2, −2, 'nuc' 4·m·n·min(m, n), others 2·m·n."""
    shape = _shape(shape)
    if len(shape) < 2:
        raise ValueError(f"matrix_norm_cost: shape must have at least 2 dims, got {shape}")
    return _priced("linalg.matrix_norm", (shape, _order(ord)), cost_model)


def cond_cost(m: int, n: int, p: Any = None, *, cost_model: ModelSpec = None) -> int:
    """Condition number: p ∈ {None, 2, −2} an SVD, m·n·min(m, n); other p min(m, n)³ + m·n."""
    return _priced("linalg.cond", ((int(m), int(n)), _order(p)), cost_model)


def matrix_rank_cost(m: int, n: int, *, cost_model: ModelSpec = None) -> int:
    """Rank of an m×n matrix (an SVD): m·n·min(m, n) × weight."""
    return _priced("linalg.matrix_rank", ((int(m), int(n)),), cost_model)


def multi_dot_cost(shapes: Sequence[Sequence[int]], *, cost_model: ModelSpec = None) -> int:
    """Chain product in the cheapest order, 2·p·q·r per product.

    ``multi_dot_cost([(10, 20), (20, 30), (30, 5)])`` → 8,000.
    """
    shapes_ = _shapes(shapes)
    if len(shapes_) < 2:
        raise ValueError("multi_dot_cost: expecting at least two arrays.")
    return _priced("linalg.multi_dot", (shapes_,), cost_model)


def matrix_power_cost(n: int, k: int, *, cost_model: ModelSpec = None) -> int:
    """``a**k`` of an n×n matrix by repeated squaring. ``matrix_power_cost(4, 5)`` → 336."""
    n = int(n)
    return _priced("linalg.matrix_power", ((n, n), int(k)), cost_model)


# -- FFT (rows fft.*) ------------------------------------------------------------------------


def fft_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """One n-point complex FFT: 5·n·⌈log2 n⌉ × weight. ``fft_cost(8)`` → 120."""
    return _priced("fft.fft", _transform((n,)), cost_model)


def rfft_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """One n-point real FFT: 5·⌊n/2⌋·⌈log2 n⌉ × weight. ``rfft_cost(8)`` → 60."""
    return _priced("fft.rfft", _transform((n,)), cost_model)


def fftn_cost(shape: Sequence[int], *, cost_model: ModelSpec = None) -> int:
    """Complex FFT over every axis of ``shape``: 5·N·Σ⌈log2 dᵢ⌉. ``fftn_cost((4, 4))`` → 320."""
    return _priced("fft.fftn", _transform(_shape(shape)), cost_model)


def rfftn_cost(shape: Sequence[int], *, cost_model: ModelSpec = None) -> int:
    """Real FFT over every axis of ``shape``: 5·⌊N/2⌋·Σ⌈log2 dᵢ⌉."""
    return _priced("fft.rfftn", _transform(_shape(shape)), cost_model)


def hfft_cost(n_out: int, *, cost_model: ModelSpec = None) -> int:
    """``hfft`` with ``n_out`` output points: 5·n·⌈log2 n⌉. ``hfft_cost(100)`` → 3,500."""
    return _priced("fft.hfft", _transform((n_out,)), cost_model)


# -- polynomials, windows, unwrap -----------------------------------------------------------


def polyval_cost(deg: int, m: int, *, cost_model: ModelSpec = None) -> int:
    """A degree-``deg`` polynomial at ``m`` points: 2·m·deg (at least 1) × weight."""
    return _priced("polyval", (int(deg), (int(m),)), cost_model)


def polyadd_cost(n1: int, n2: int, *, cost_model: ModelSpec = None) -> int:
    """Sum of polynomials with n1 and n2 coefficients: max(n1, n2)."""
    return _priced("polyadd", (int(n1), int(n2)), cost_model)


def polysub_cost(n1: int, n2: int, *, cost_model: ModelSpec = None) -> int:
    """Difference of polynomials with n1 and n2 coefficients: max(n1, n2)."""
    return _priced("polysub", (int(n1), int(n2)), cost_model)


def polymul_cost(n1: int, n2: int, *, cost_model: ModelSpec = None) -> int:
    """Product of polynomials with n1 and n2 coefficients: n1·n2."""
    return _priced("polymul", (int(n1), int(n2)), cost_model)


def polydiv_cost(n1: int, n2: int, *, cost_model: ModelSpec = None) -> int:
    """Division of an n1-coefficient by an n2-coefficient polynomial: n1·n2."""
    return _priced("polydiv", (int(n1), int(n2)), cost_model)


def polyfit_cost(m: int, deg: int, *, cost_model: ModelSpec = None) -> int:
    """Degree-``deg`` least-squares fit of ``m`` points: 2·m·(deg + 1)². ``(8, 2)`` → 144."""
    return _priced("polyfit", (int(m), int(deg)), cost_model)


def poly_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Coefficients from n roots: n² (at least 1)."""
    return _priced("poly", (int(n),), cost_model)


def roots_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Roots of a degree-n polynomial: n³ (at least 1) × weight 16."""
    return _priced("roots", (int(n),), cost_model)


def polyder_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Derivative of an n-coefficient polynomial: n (at least 1)."""
    return _priced("polyder", (int(n),), cost_model)


def polyint_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """Antiderivative of an n-coefficient polynomial: n (at least 1)."""
    return _priced("polyint", (int(n),), cost_model)


def bartlett_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """An n-point Bartlett window: n (at least 1)."""
    return _priced("bartlett", (int(n), 1), cost_model)


def blackman_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """An n-point Blackman window: 3·n (at least 1) × weight 16."""
    return _priced("blackman", (int(n), 3), cost_model)


def hamming_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """An n-point Hamming window: 2·n (at least 1) × weight 8. ``hamming_cost(12)`` → 192."""
    return _priced("hamming", (int(n), 2), cost_model)


def hanning_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """An n-point Hann window: 2·n (at least 1) × weight 8."""
    return _priced("hanning", (int(n), 2), cost_model)


def kaiser_cost(n: int, *, cost_model: ModelSpec = None) -> int:
    """An n-point Kaiser window: 3·n (at least 1) × weight 16."""
    return _priced("kaiser", (int(n), 3), cost_model)


def unwrap_cost(shape: int | Sequence[int], *, cost_model: ModelSpec = None) -> int:
    """``unwrap`` of an array of ``shape``: 7·numel (at least 1)."""
    return _priced("unwrap", (_shape(shape),), cost_model)


# -- helpers --------------------------------------------------------------------------------


def _no_symmetry(helper: str, symmetry: Any) -> None:
    if symmetry is not None:
        raise NotImplementedError(
            f"{helper}: symmetry= is not supported yet; only dense shapes can be priced"
        )


def _with_symmetry(inputs: tuple, symmetry: Any, shape: tuple[int, ...]) -> tuple:
    """``inputs`` priced under ``symmetry`` (a group or shorthand; ``None``: dense)."""
    if symmetry is None:
        return inputs
    from flopscope._symmetry.costs import Sym
    from flopscope._symmetry.group import as_group

    return (*inputs, Sym(as_group(symmetry, len(shape))))


def _group_of(a: Any) -> Any:
    """The registered group of an operand (fnp, namespace or backend array), else ``None``."""
    from flopscope._symmetry import registry

    try:
        return registry.group_of(a)
    except TypeError:
        return None


def _shape_of(a: Any) -> tuple[int, ...]:
    shape = a.shape if hasattr(a, "shape") and not isinstance(a, (list, tuple)) else np.shape(a)
    return tuple(int(d) for d in shape)


def _shape(shape: int | Iterable[int]) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def _shapes(shapes: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    return tuple(_shape(s) for s in shapes)


def _axis(axis: Any, ndim: int) -> tuple[int, ...] | None:
    if axis is None:
        return None
    return tuple(sorted(normalize_axis_tuple(axis, ndim)))


def _apply_weight(count: int, weight: float) -> int:
    """``int(count × weight)``, exact for integer weights (as ``CostModel.price``)."""
    return count * int(weight) if float(weight).is_integer() else int(count * weight)


def _priced(op_name: str, inputs: tuple, cost_model: ModelSpec, name: str | None = None) -> int:
    """What the row ``op_name`` bills for ``inputs`` (its formula, the model's weight of
    ``name or op_name``), without a context multiplier."""
    from flopscope.ops import row

    return resolve(cost_model).price(row(op_name), inputs, name=name)


def _square(op_name: str, n: int, cost_model: ModelSpec) -> int:
    n = int(n)
    return _priced(op_name, ((n, n),), cost_model)


def _k(m: int, n: int, k: Any, helper: str) -> int:
    k = int(k)
    if not 1 <= k <= min(m, n):
        raise ValueError(f"{helper}: k={k} must be between 1 and min(m, n)={min(m, n)}")
    return k


def _positive(ind: Any, helper: str) -> int:
    ind = int(ind)
    if ind <= 0:
        raise ValueError(f"{helper}: ind must be a positive integer, got {ind}")
    return ind


def _order(o: Any) -> Any:
    """The norm order as the linalg rows record it (so both share cache entries)."""
    from flopscope.ops.linalg import _ord

    return _ord(o)


def _transform(lengths: tuple[int, ...]) -> tuple:
    """FFT-row inputs of one transform over every axis of ``lengths``."""
    lengths = tuple(int(n) for n in lengths)
    return (lengths, (lengths, math.prod(lengths), 1))
