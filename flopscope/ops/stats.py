"""Distributions of ``flops.stats``: 24 rows ``stats.<dist>.<pdf|cdf|ppf>``.

Each row lives in its own module ``stats.<dist>`` (``flops.stats.norm.pdf``), so the three
method names stay unique per distribution. A call bills one FLOP per element of the
broadcast of ``x`` with every parameter (DIFFERENCES 5; 0.4.0 billed ``x`` alone) times the
0.4.0 weight: 16, except ``uniform.*`` (1) and ``cauchy.pdf`` (4). The signatures are
scipy's; scipy computes the values and is imported on the first call only, so the op table
loads without it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import numpy as np

from flopscope.ops._row import Example, Op

#: distribution -> its shape parameters (before ``loc`` and ``scale``), in scipy's order
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "norm": (),
    "uniform": (),
    "expon": (),
    "cauchy": (),
    "logistic": (),
    "laplace": (),
    "lognorm": ("s",),
    "truncnorm": ("a", "b"),
}
METHODS = ("pdf", "cdf", "ppf")
_SCALARS = (int, float, complex, bool)
#: example shape arguments, spelled as in the 0.4.0 verified examples
_EXAMPLE_ARGS = {"lognorm": ", 0.5", "truncnorm": ", -1.0, 1.0"}


def _weight(dist: str, method: str) -> float:
    if dist == "uniform":
        return 1.0
    if (dist, method) == ("cauchy", "pdf"):
        return 4.0
    return 16.0


def _shape(x: Any) -> tuple[int, ...]:
    if type(x) in _SCALARS or x is None:
        return ()
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else np.shape(x)


def _broadcast(*params: Any) -> tuple:
    """Shapes of ``x`` and the parameters; incompatible shapes raise scipy's ValueError."""
    shapes = tuple(_shape(p) for p in params)
    np.broadcast_shapes(*shapes)
    return shapes


def _inputs(n_shape: int) -> Callable[..., tuple]:
    """``inputs`` with scipy's signature ``(x, *shape_params, loc=0, scale=1)``."""
    if n_shape == 0:

        def inputs0(x: Any, loc: Any = 0, scale: Any = 1) -> tuple:
            return _broadcast(x, loc, scale)

        return inputs0
    if n_shape == 1:

        def inputs1(x: Any, s: Any, loc: Any = 0, scale: Any = 1) -> tuple:
            return _broadcast(x, s, loc, scale)

        return inputs1

    def inputs2(x: Any, a: Any, b: Any, loc: Any = 0, scale: Any = 1) -> tuple:
        return _broadcast(x, a, b, loc, scale)

    return inputs2


def _impl(dist: str, method: str) -> Callable[..., Any]:
    """``scipy.stats.<dist>.<method>``, resolved on the first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            stats = importlib.import_module("scipy.stats")
        except ImportError as exc:  # raised after charging: the factory refunds it
            raise ImportError(
                f"flops.stats.{dist}.{method} computes with scipy, which is not installed: "
                "pip install 'flopscope[stats]'"
            ) from exc
        return getattr(getattr(stats, dist), method)(*args, **kwargs)

    call.__name__ = method
    return call


def _row(dist: str, method: str) -> Op:
    weight = _weight(dist, method)
    extra = _EXAMPLE_ARGS.get(dist, "")
    call = f"flops.stats.{dist}.{method}"
    return Op(
        f"stats.{dist}.{method}",
        family="stats",
        kind="custom",
        formula="numel",
        weight=weight,
        impl=_impl(dist, method),
        module=f"stats.{dist}",
        inputs=_inputs(len(DISTRIBUTIONS[dist])),
        examples=(
            Example(f"{call}(np.linspace(0.1, 0.9, 12).reshape(3, 4){extra})", int(12 * weight)),
            Example(f"{call}(0.5{extra})", int(weight)),
            # DIFFERENCES 5: x (5,) against loc (4, 5) bills the 20-element broadcast
            Example(
                f"{call}(np.linspace(0.1, 0.9, 5){extra}, loc=np.zeros((4, 5)))", int(20 * weight)
            ),
        ),
        summary=f"scipy.stats.{dist}.{method}; numel of the broadcast of x and the parameters",
    )


OPS: tuple[Op, ...] = tuple(_row(dist, method) for dist in DISTRIBUTIONS for method in METHODS)
