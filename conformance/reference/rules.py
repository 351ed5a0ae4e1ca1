"""Documented rules for what the brute-force counter does not enumerate.

Written from the 0.4.0 spec (section 2.1's weight tiers) and docs/cost-models.md, never
imported from ``flopscope.costs``:

* **Weights** of the ``flopscope`` model: the tier lists of spec section 2.1, with
  DIFFERENCES 1 applied (aliases weigh what their canonical op weighs) and
  ``random.Generator.<m>`` / ``random.RandomState.<m>`` inheriting ``random.<m>``.
* **Unit-weight count** of an op whose count has no multiply-add: the measured ``flopscope``
  charge divided by its weight (``int(count × w)`` with an integer tier ``w`` is exact). Such
  ops (transcendentals, sorting, fft, random draws, factorizations...) count the same under
  ``exact``, ``fma`` and ``mac``: a convention only re-prices multiply-adds.
* **Ops whose formula holds multiply-adds** but that the counter does not run
  (:data:`MADD_RULES`): the ``exact`` count splits into multiply-adds and the rest by the
  op's definition, and ``fma``/``mac`` re-price the multiply-adds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

_W16 = (
    "exp exp2 expm1 log log2 log10 log1p cbrt sin cos tan arcsin arccos arctan sinh cosh tanh "
    "arcsinh arccosh arctanh sinc i0 angle power float_power floor_divide mod remainder fmod "
    "gcd lcm hypot arctan2 logaddexp logaddexp2 fromiter roots blackman kaiser "
    "random.Generator.multivariate_hypergeometric"
).split()
_RANDOM16 = (
    "beta binomial chisquare dirichlet exponential f gamma geometric gumbel hypergeometric "
    "laplace logistic lognormal logseries multinomial multivariate_normal negative_binomial "
    "noncentral_chisquare noncentral_f normal pareto poisson power randn rayleigh "
    "standard_cauchy standard_exponential standard_gamma standard_normal standard_t "
    "triangular vonmises wald weibull zipf"
).split()
_W8 = ["hamming", "hanning"]
_W4 = (
    "where argwhere extract compress choose take select place putmask piecewise insert "
    "fill_diagonal diag mask_indices trim_zeros bmat apply_along_axis stats.cauchy.pdf"
).split() + [
    f"linalg.{n}"
    for n in (
        "cholesky cond det eig eigh eigvals eigvalsh inv lstsq matrix_rank pinv qr slogdet "
        "solve svd svdvals tensorinv tensorsolve"
    ).split()
]
_W2 = ["std", "var", "nanstd", "nanvar"]
#: spec 2.1: "charged, logged with 0 FLOPs"
WEIGHT0 = (
    "asarray ravel split vsplit dsplit array_split broadcast_to broadcast_arrays rollaxis "
    "frombuffer from_dlpack"
).split()

WEIGHTS: dict[str, int] = {
    **{n: 16 for n in _W16},
    **{f"random.{n}": 16 for n in _RANDOM16},
    **{n: 8 for n in _W8},
    **{n: 4 for n in _W4},
    **{n: 2 for n in _W2},
    **{n: 0 for n in WEIGHT0},
}


def weight(op_name: str) -> int:
    """Tier weight of canonical op ``op_name`` under the ``flopscope`` model."""
    if op_name in WEIGHTS:
        return WEIGHTS[op_name]
    if op_name.startswith("stats."):  # every stats method 16, uniform 1 (cauchy.pdf above)
        return 1 if op_name.startswith("stats.uniform.") else 16
    if op_name.startswith(("random.Generator.", "random.RandomState.")):
        method = op_name.rsplit(".", 1)[1]
        method = {"integers": "randint", "random": "random_sample"}.get(method, method)
        return WEIGHTS.get(f"random.{method}", 1)
    return 1


def unweighted(flopscope_flops: int, op_name: str) -> int:
    """Unit-weight count from a ``flopscope``-model charge (weight-0 ops count 0)."""
    w = weight(op_name)
    if w == 0:
        return 0
    if flopscope_flops % w:
        raise ValueError(f"{op_name}: {flopscope_flops} FLOPs is not a multiple of weight {w}")
    return flopscope_flops // w


def same(exact: int) -> dict[str, int]:
    """An op with no multiply-add: one count for every convention."""
    return {"exact": exact, "fma": exact, "mac": exact}


# -- ops whose count holds multiply-adds ------------------------------------------------------


def _shape(desc: Any) -> tuple[int, ...]:
    return tuple(desc["shape"]) if isinstance(desc, dict) and "shape" in desc else ()


def _product_delta(m: int, k: int, n: int) -> tuple[int, int]:
    """(fma − exact, mac − exact) of one (m×k)·(k×n) product: exact bills mn(2k − 1)."""
    if k == 0:
        return 0, 0
    return m * n, -m * n * (k - 1)


def _halves(exact: int, args: list[Any], kwargs: dict[str, Any]) -> dict[str, int]:
    """Every counted step is a multiply-add billed 2 (exact, fma) or 1 (mac), at least 1."""
    return {"exact": exact, "fma": exact, "mac": max(1, exact // 2) if exact > 1 else exact}


def _convolve(exact: int, args: list[Any], kwargs: dict[str, Any]) -> dict[str, int]:
    """|a|·|v| multiply-adds: exact 2|a||v| − |a| − |v|, fma 2|a||v|, mac |a||v| (≥ 1)."""
    na, nv = math.prod(_shape(args[0])), math.prod(_shape(args[1]))
    return {"exact": exact, "fma": max(1, 2 * na * nv), "mac": max(1, na * nv)}


def _matrix_power(exact: int, args: list[Any], kwargs: dict[str, Any]) -> dict[str, int]:
    """P products of n×n matrices (times the batch): each is 2n³ − n² under exact."""
    n = _shape(args[0])[-1]
    one = 2 * n**3 - n**2
    count = exact // one if one else 0
    return {"exact": exact, "fma": count * 2 * n**3, "mac": count * n**3}


def _pinv(exact: int, args: list[Any], kwargs: dict[str, Any]) -> dict[str, int]:
    """SVD work plus one (n×k)·(k×m) product per matrix, k = min(m, n)."""
    shape = _shape(args[0])
    m, n = shape[-2], shape[-1]
    batch = math.prod(shape[:-2])
    d_fma, d_mac = _product_delta(n, min(m, n), m)
    return {"exact": exact, "fma": exact + batch * d_fma, "mac": exact + batch * d_mac}


def _lstsq(exact: int, args: list[Any], kwargs: dict[str, Any]) -> dict[str, int]:
    """SVD work plus products (k×m)·(m×c) and (n×k)·(k×c), k = min(m, n), for a 2-D ``b``.

    A 1-D ``b`` keeps 0.4.0's nominal terms k·m² and n·k² (docs/reference/ops.md): no matrix
    product is billed, so every convention counts the same.
    """
    (m, n), b = _shape(args[0])[-2:], _shape(args[1])
    if len(b) != 2:
        return same(exact)
    c = b[-1]
    k = min(m, n)
    f1, m1 = _product_delta(k, m, c)
    f2, m2 = _product_delta(n, k, c)
    return {"exact": exact, "fma": exact + f1 + f2, "mac": exact + m1 + m2}


#: op name -> rule turning the exact count into the three conventions
MADD_RULES: dict[str, Callable[[int, list[Any], dict[str, Any]], dict[str, int]]] = {
    "polyval": _halves,
    "polyfit": _halves,
    "cov": _halves,
    "corrcoef": _halves,
    "linalg.multi_dot": _halves,
    "convolve": _convolve,
    "correlate": _convolve,
    "linalg.matrix_power": _matrix_power,
    "linalg.pinv": _pinv,
    "linalg.lstsq": _lstsq,
}
