"""Discrete Fourier transforms (``fnp.fft``): 14 counted transforms and 4 free helpers.

A transform costs 5·n·⌈log2 n⌉ per 1-D pass; an N-D transform is one pass per axis, so it
costs 5·N·Σ⌈log2 dᵢ⌉ (see :mod:`flopscope.costs.fft`). Each row's ``inputs`` replays the
argument handling of ``numpy.fft`` on shapes only (defaults of ``n``/``s``, ``axes``, the
``2·(m−1)`` output length of the inverse real transforms, and numpy's own checks in numpy's
order), so a bad call raises numpy's exception before anything is charged and the transform
runs only once it is paid for.
"""

from __future__ import annotations

import functools
import math
import operator
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from flopscope.ops._row import Example, Op

_NORMS = (None, "backward", "ortho", "forward")
_SWAP = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}

# kinds of 1-D pass: complex, real forward (half spectrum out), real inverse (n real out)
_C, _R, _IR = "c", "r", "ir"

Pass = tuple[Any, Any, str, int]  # (n or None, axis, kind, position in s/axes)


def _shape(a: Any) -> tuple[int, ...]:
    shape = getattr(a, "shape", None)
    return tuple(shape) if shape is not None else np.shape(a)


def _check(n: Any, norm: Any, axis: Any, ndim: int) -> tuple[int, int]:
    """numpy's checks of one 1-D pass (``_raw_fft``), in its order: ``n >= 1``, ``norm``,
    the axis, then the integer type of ``n``. Returns ``(n, normalised axis)``."""
    if n < 1:
        raise ValueError(f"Invalid number of FFT data points ({n}) specified.")
    if norm not in _NORMS:
        raise ValueError(f'Invalid norm value {norm}; should be "backward","ortho" or "forward".')
    ax = normalize_axis_index(axis, ndim)
    return operator.index(n), ax


def _plan(shape: tuple[int, ...], passes: list[Pass], norm: Any) -> tuple:
    """Walk numpy's 1-D passes on shapes: ``(shape, (lengths, size, batch))``.

    A pass without ``n`` takes its default from the current length of its axis, indexing
    the shape as numpy does (so a bad axis raises what numpy raises).
    """
    cur = list(shape)
    ndim = len(shape)
    lengths = [0] * len(passes)
    final: dict[int, int] = {}
    for n, axis, kind, pos in passes:
        if n is None:
            m = cur[axis]
            n = (m - 1) * 2 if kind == _IR else m
        n, ax = _check(n, norm, axis, ndim)
        lengths[pos] = n  # recorded in s/axes order, whatever order numpy runs the passes
        final[ax] = n
        cur[ax] = n // 2 + 1 if kind == _R else n
    batch = math.prod(d for i, d in enumerate(shape) if i not in final)
    return (shape, (tuple(lengths), math.prod(final.values()), batch))


def _one_d(kind: str) -> Any:
    """``inputs`` of a 1-D transform ``f(a, n=None, axis=-1, norm=None, out=None)``."""

    def inputs(a: Any, n: Any = None, axis: Any = -1, norm: Any = None, out: Any = None) -> tuple:
        shape = _shape(a)
        if n is None:  # numpy reads the default before it checks the axis
            m = shape[axis]
            n = (m - 1) * 2 if kind == _IR else m
        n, ax = _check(n, norm, axis, len(shape))
        d = shape[ax]
        batch = math.prod(shape) // d if d else math.prod(shape[:ax] + shape[ax + 1 :])
        return (shape, ((n,), n, batch))

    return inputs


def _cook(shape: tuple[int, ...], s: Any, axes: Any, invreal: bool) -> tuple[list, list]:
    """``numpy.fft._cook_nd_args`` on a shape: the per-axis lengths and the axes."""
    shapeless = s is None
    if shapeless:
        s = list(shape) if axes is None else np.take(shape, axes)
    s = list(s)
    axes = list(range(-len(s), 0)) if axes is None else list(axes)
    if len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    if invreal and shapeless:
        s[-1] = (shape[axes[-1]] - 1) * 2
    s = [shape[ax] if n is not None and n == -1 else n for n, ax in zip(s, axes)]
    return s, axes


def _nd_plan(kind: str, shape: tuple[int, ...], s: Any, axes: Any, norm: Any) -> tuple:
    """The passes of an N-D transform in numpy's order (rfftn runs its real pass first,
    irfftn last), planned on shapes."""
    s, axes = _cook(shape, s, axes, kind == _IR)
    k = len(axes)
    if kind == _C:
        passes = [(s[i], axes[i], _C, i) for i in reversed(range(k))]
    elif kind == _R:
        passes = [(s[-1], axes[-1], _R, k - 1)]
        passes += [(s[i], axes[i], _C, i) for i in reversed(range(k - 1))]
    else:
        passes = [(s[i], axes[i], _C, i) for i in range(k - 1)]
        passes.append((s[-1], axes[-1], _IR, k - 1))
    return _plan(shape, passes, norm)


_nd_cached = functools.lru_cache(maxsize=4096)(_nd_plan)


def _plain(v: Any) -> Any:
    """``v`` as a cache key if it is ``None`` or a sequence of Python ints, else ``False``
    (``(4.0,) == (4,)`` would otherwise share a cache entry and skip numpy's TypeError)."""
    if v is None:
        return None
    if (type(v) is tuple or type(v) is list) and all(type(d) is int for d in v):
        return tuple(v)
    return False


def _n_d(kind: str, default_axes: Any) -> Any:
    """``inputs`` of an N-D transform ``f(a, s=None, axes=..., norm=None, out=None)``;
    plans are cached by (shape, s, axes, norm) when those are plain values."""

    def inputs(
        a: Any, s: Any = None, axes: Any = default_axes, norm: Any = None, out: Any = None
    ) -> tuple:
        shape = _shape(a)
        ks, ka = _plain(s), _plain(axes)
        if ks is False or ka is False or norm not in _NORMS:
            return _nd_plan(kind, shape, s, axes, norm)
        return _nd_cached(kind, shape, ks, ka, norm)

    return inputs


# numpy <= 2.4 drops ``out=`` in hfft, ifft2 and irfft2 (numpy gh-30909, fixed upstream by
# numpy PR #30910). With ``out`` these run the very computation numpy does, writing into it.


def _hfft(a: Any, n: Any = None, axis: Any = -1, norm: Any = None, out: Any = None) -> Any:
    """``numpy.fft.hfft`` = ``irfft`` of the conjugate with the swapped norm."""
    if out is None:
        return np.fft.hfft(a, n, axis, norm)
    a = np.asarray(a)
    if n is None:
        n = (a.shape[axis] - 1) * 2
    return np.fft.irfft(np.conjugate(a), n, axis, norm=_SWAP[norm], out=out)


def _ifft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """``numpy.fft.ifft2`` = ``ifftn`` over ``axes``."""
    if out is None:
        return np.fft.ifft2(a, s, axes, norm)
    return np.fft.ifftn(a, s, axes, norm, out=out)


def _irfft2(a: Any, s: Any = None, axes: Any = (-2, -1), norm: Any = None, out: Any = None) -> Any:
    """``numpy.fft.irfft2`` = ``irfftn`` over ``axes``."""
    if out is None:
        return np.fft.irfft2(a, s, axes, norm)
    return np.fft.irfftn(a, s, axes, norm, out=out)


_V8 = "np.linspace(0.1, 0.9, 8)"
_V5 = "np.array([0.5, 0.1, 0.4, 0.3, 0.2])"
_M34 = "np.linspace(0.1, 0.9, 12).reshape(3, 4)"
_M44 = "np.arange(16.).reshape(4, 4)"
_T348 = "np.linspace(0.1, 0.9, 96).reshape(3, 4, 8)"


def _row(
    name: str,
    formula: str,
    inputs: Any,
    examples: tuple[tuple[str, int], ...],
    summary: str,
    *,
    api: bool = True,
    execute: Any = None,
) -> Op:
    return Op(
        f"fft.{name}",
        family="fft",
        kind="custom",
        formula=formula,
        weight=1.0,
        module="fft",
        impl=getattr(np.fft, name),
        array_api=name if api else None,
        inputs=inputs,
        execute=execute,
        examples=tuple(Example(call, flops) for call, flops in examples),
        summary=summary,
    )


def _free(name: str, example: str) -> Op:
    return Op(
        f"fft.{name}",
        family="fft",
        kind="free",
        formula=None,
        weight=0.0,
        module="fft",
        impl=getattr(np.fft, name),
        array_api=name,
        examples=(Example(example, 0),),
        summary="free: sample frequencies / reordering, no arithmetic on data",
    )


OPS = (
    _row(
        "fft",
        "fft",
        _one_d(_C),
        (
            (f"fnp.fft.fft({_V8})", 120),
            (f"fnp.fft.fft({_V8}, n=10)", 200),
            (f"fnp.fft.fft({_M34}, axis=0)", 120),
        ),
        "1-D complex DFT; n = `n` or the axis length",
    ),
    _row(
        "ifft",
        "fft",
        _one_d(_C),
        ((f"fnp.fft.ifft({_V8})", 120), (f"fnp.fft.ifft({_M34})", 120)),
        "1-D inverse complex DFT",
    ),
    _row(
        "rfft",
        "rfft",
        _one_d(_R),
        ((f"fnp.fft.rfft({_V8})", 60), (f"fnp.fft.rfft({_V8}, n=10)", 100)),
        "1-D DFT of real input (half spectrum): 5·⌊n/2⌋·⌈log2 n⌉",
    ),
    _row(
        "irfft",
        "rfft",
        _one_d(_IR),
        ((f"fnp.fft.irfft({_V5})", 60), (f"fnp.fft.irfft({_V5}, n=16)", 160)),
        "inverse of rfft; n = output length, default 2·(m−1)",
    ),
    _row(
        "hfft",
        "fft",
        _one_d(_IR),
        ((f"fnp.fft.hfft({_V5})", 120), (f"fnp.fft.hfft({_V5}, n=10)", 200)),
        "DFT of a Hermitian-symmetric signal; n = output length, default 2·(m−1)",
        execute=_hfft,
    ),
    _row(
        "ihfft",
        "fft",
        _one_d(_R),
        ((f"fnp.fft.ihfft({_V8})", 120),),
        "inverse of hfft (real input, half spectrum out)",
    ),
    _row(
        "fft2",
        "fft",
        _n_d(_C, (-2, -1)),
        ((f"fnp.fft.fft2({_M44})", 320), (f"fnp.fft.fft2({_T348})", 2400)),
        "2-D complex DFT over the last two axes: 5·N·Σ⌈log2 dᵢ⌉ × batch",
        api=False,
    ),
    _row(
        "ifft2",
        "fft",
        _n_d(_C, (-2, -1)),
        ((f"fnp.fft.ifft2({_M44})", 320), (f"fnp.fft.ifft2({_M44}, s=(6, 8), axes=(0, 1))", 1440)),
        "2-D inverse complex DFT",
        api=False,
        execute=_ifft2,
    ),
    _row(
        "fftn",
        "fft",
        _n_d(_C, None),
        ((f"fnp.fft.fftn({_M44})", 320), (f"fnp.fft.fftn({_T348}, axes=(1, 2))", 2400)),
        "N-D complex DFT: sum of per-axis logs, not ⌈log2 N⌉",
    ),
    _row(
        "ifftn",
        "fft",
        _n_d(_C, None),
        ((f"fnp.fft.ifftn({_M44})", 320), (f"fnp.fft.ifftn({_T348})", 3360)),
        "N-D inverse complex DFT",
    ),
    _row(
        "rfft2",
        "rfft",
        _n_d(_R, (-2, -1)),
        ((f"fnp.fft.rfft2({_M44})", 160), (f"fnp.fft.rfft2({_T348}, axes=(0, 1))", 960)),
        "2-D DFT of real input: 5·⌊N/2⌋·Σ⌈log2 dᵢ⌉ × batch",
        api=False,
    ),
    _row(
        "irfft2",
        "rfft",
        _n_d(_IR, (-2, -1)),
        (("fnp.fft.irfft2(np.arange(12.).reshape(4, 3))", 160),),
        "inverse of rfft2; last axis 2·(m−1) unless `s` is given",
        api=False,
        execute=_irfft2,
    ),
    _row(
        "rfftn",
        "rfft",
        _n_d(_R, None),
        ((f"fnp.fft.rfftn({_M44})", 160), (f"fnp.fft.rfftn({_M44}, s=(6, 8), axes=(0, 1))", 720)),
        "N-D DFT of real input",
    ),
    _row(
        "irfftn",
        "rfft",
        _n_d(_IR, None),
        (
            (f"fnp.fft.irfftn({_T348})", 3360),
            (f"fnp.fft.irfftn({_M44}, s=(6, 8), axes=(0, 1))", 720),
        ),
        "inverse of rfftn; last axis 2·(m−1) unless `s` is given",
    ),
    _free("fftfreq", "fnp.fft.fftfreq(8)"),
    _free("rfftfreq", "fnp.fft.rfftfreq(8)"),
    _free("fftshift", f"fnp.fft.fftshift({_V8})"),
    _free("ifftshift", f"fnp.fft.ifftshift({_V8})"),
)
