"""Polynomials (``fnp.poly*``, ``fnp.roots``; also ``fnp.polynomial.<name>``), the five
window functions and ``unwrap``: 16 rows with the 0.4.0 closed forms of
:mod:`flopscope.costs.polynomial`.

``inputs`` read lengths and shapes only (a coefficient sequence counts as
``np.atleast_1d`` sees it). Shape errors are numpy's own: numpy runs once the call is paid
for and the factory refunds the charge if it raises, so bad input leaves no trace.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from flopscope.ops._row import Example, Op

_SCALARS = (int, float, complex, bool)


def _shape(x: Any) -> tuple[int, ...]:
    if type(x) in _SCALARS or x is None:
        return ()
    shape = getattr(x, "shape", None)
    if shape is None and hasattr(x, "coeffs"):  # np.poly1d
        return np.shape(x.coeffs)
    return tuple(shape) if shape is not None else np.shape(x)


def _len(x: Any) -> int:
    """Coefficients of a sequence (``np.atleast_1d``: a scalar is one coefficient)."""
    shape = _shape(x)
    return shape[0] if shape else 1


def _int(v: Any) -> int:
    """numpy's own ``int(deg)`` (a non-number raises what numpy raises)."""
    return int(v)


# -- inputs, one per signature ----------------------------------------------------------


def _poly(seq_of_zeros: Any) -> tuple:
    return (_len(seq_of_zeros),)


def _roots(p: Any) -> tuple:
    return (max(0, _len(p) - 1),)


def _two(a1: Any, a2: Any) -> tuple:
    return (_len(a1), _len(a2))


def _polyder(p: Any, m: Any = 1) -> tuple:
    return (_len(p),)


def _polyint(p: Any, m: Any = 1, k: Any = None) -> tuple:
    return (_len(p),)


def _polyval(p: Any, x: Any) -> tuple:
    return (_len(p) - 1, _shape(x))


def _polyfit(
    x: Any, y: Any, deg: Any, rcond: Any = None, full: Any = False, w: Any = None, cov: Any = False
) -> tuple:
    return (_len(x), _int(deg))


def _points(m: Any) -> int | float:
    """An integer M as given, any other real M as a float (numpy accepts both)."""
    try:
        return operator.index(m)
    except TypeError:
        return float(m) if isinstance(m, (float, np.floating)) and math.isfinite(m) else 0


def _window(terms: int) -> Any:
    def inputs(M: Any) -> tuple:  # noqa: N803  (numpy's parameter name)
        return (_points(M), terms)

    return inputs


def _kaiser(M: Any, beta: Any) -> tuple:  # noqa: N803
    return (_points(M), 3)


def _unwrap(p: Any, discont: Any = None, axis: Any = -1, *, period: Any = 2 * math.pi) -> tuple:
    return (_shape(p),)


# -- rows ------------------------------------------------------------------------------------

_P3 = "np.array([0.1, 0.5, 0.9])"
_P4 = "np.array([0.1, 0.4, 0.6, 0.9])"
_P5 = "np.array([0.5, 0.1, 0.4, 0.3, 0.2])"
_X8 = "np.linspace(0.05, 0.95, 8)"


def _row(
    name: str,
    family: str,
    formula: str,
    weight: float,
    inputs: Any,
    examples: tuple[tuple[str, int], ...],
    summary: str,
    *,
    polynomial: bool = True,
) -> Op:
    return Op(
        name,
        family=family,
        kind="custom",
        formula=formula,
        weight=weight,
        impl=getattr(np, name),
        also_in=("polynomial",) if polynomial else (),
        inputs=inputs,
        examples=tuple(Example(call, flops) for call, flops in examples),
        summary=summary,
    )


OPS: tuple[Op, ...] = (
    _row(
        "poly",
        "polynomial",
        "polynomial.poly",
        1.0,
        _poly,
        ((f"fnp.poly({_P4})", 16), ("fnp.poly(np.eye(3))", 9)),
        "coefficients from roots (or a square matrix's eigenvalues): n²",
    ),
    _row(
        "roots",
        "polynomial",
        "polynomial.roots",
        16.0,
        _roots,
        ((f"fnp.roots({_P5})", 1024), ("fnp.roots(np.array([0., 0., 1., -1.]))", 432)),
        "companion-matrix eigenvalues: (len(p) − 1)³, leading zeros included",
    ),
    _row(
        "polyadd",
        "polynomial",
        "polynomial.max_len",
        1.0,
        _two,
        ((f"fnp.polyadd({_P3}, {_P5})", 5),),
        "max(len(a1), len(a2))",
    ),
    _row(
        "polysub",
        "polynomial",
        "polynomial.max_len",
        1.0,
        _two,
        ((f"fnp.polysub({_P5}, {_P3})", 5),),
        "max(len(a1), len(a2))",
    ),
    _row(
        "polymul",
        "polynomial",
        "polynomial.len_product",
        1.0,
        _two,
        ((f"fnp.polymul({_P3}, {_P5})", 15),),
        "len(a1)·len(a2)",
    ),
    _row(
        "polydiv",
        "polynomial",
        "polynomial.len_product",
        1.0,
        _two,
        ((f"fnp.polydiv({_P5}, {_P3})", 15),),
        "len(u)·len(v)",
    ),
    _row(
        "polyder",
        "polynomial",
        "polynomial.len",
        1.0,
        _polyder,
        ((f"fnp.polyder({_P5})", 5), (f"fnp.polyder({_P5}, m=2)", 5)),
        "len(p), whatever the order m",
    ),
    _row(
        "polyint",
        "polynomial",
        "polynomial.len",
        1.0,
        _polyint,
        ((f"fnp.polyint({_P5})", 5), (f"fnp.polyint({_P5}, m=2)", 5)),
        "len(p), whatever the order m",
    ),
    _row(
        "polyval",
        "polynomial",
        "polynomial.polyval",
        1.0,
        _polyval,
        (
            (f"fnp.polyval({_P4}, {_X8})", 48),
            (f"fnp.polyval({_P4}, 0.5)", 6),
            (f"fnp.polyval(np.array([3.]), {_X8})", 1),
        ),
        "Horner: 2·numel(x)·(len(p) − 1)",
    ),
    _row(
        "polyfit",
        "polynomial",
        "polynomial.polyfit",
        1.0,
        _polyfit,
        (("fnp.polyfit(np.linspace(0., 1., 8), np.linspace(0.05, 0.95, 8), 2)", 144),),
        "2·len(x)·(deg + 1)²",
    ),
    _row(
        "bartlett",
        "window",
        "window",
        1.0,
        _window(1),
        (("fnp.bartlett(12)", 12), ("fnp.bartlett(0)", 1)),
        "M points, one term each",
        polynomial=False,
    ),
    _row(
        "hamming",
        "window",
        "window",
        8.0,
        _window(2),
        (("fnp.hamming(12)", 192), ("fnp.hamming(0)", 8)),
        "2·M (a cosine and a scale per point)",
        polynomial=False,
    ),
    _row(
        "hanning",
        "window",
        "window",
        8.0,
        _window(2),
        (("fnp.hanning(12)", 192), ("fnp.hanning(1)", 16)),
        "2·M (a cosine and a scale per point)",
        polynomial=False,
    ),
    _row(
        "blackman",
        "window",
        "window",
        16.0,
        _window(3),
        (("fnp.blackman(12)", 576), ("fnp.blackman(-3)", 16)),
        "3·M (two cosines and a sum per point)",
        polynomial=False,
    ),
    _row(
        "kaiser",
        "window",
        "window",
        16.0,
        _kaiser,
        (("fnp.kaiser(12, 5.0)", 576), ("fnp.kaiser(51, 14.0)", 2448)),
        "3·M (a Bessel function per point)",
        polynomial=False,
    ),
    _row(
        "unwrap",
        "custom",
        "unwrap",
        1.0,
        _unwrap,
        (
            (f"fnp.unwrap({_X8})", 56),
            ("fnp.unwrap(np.linspace(0., 12., 12).reshape(3, 4), axis=0)", 84),
        ),
        "7·numel(p)",
        polynomial=False,
    ),
)
