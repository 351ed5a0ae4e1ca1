"""Random sampling: priced from the requested size before anything is drawn, so a refused
call leaves the random state untouched."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from flopscope.ops._row import Example, Op


def _dims(*dims: Any, **kwargs: Any) -> tuple:
    """``rand(d0, d1, ...)`` / ``randn(...)``: numel of the requested shape."""
    return (math.prod(int(d) for d in dims),)


def _sampler(name: str, weight: float, inputs: Any, example: str, flops: int) -> Op:
    return Op(
        f"random.{name}",
        family="random",
        kind="custom",
        formula="count",
        weight=weight,
        module="random",
        impl=getattr(np.random, name),
        inputs=inputs,
        examples=(Example(example, flops, setup="fnp.random.seed(0)"),),
        summary="one draw per output element",
    )


_FREE_EXAMPLES = {
    "seed": "fnp.random.seed(0)",
    "get_state": "fnp.random.get_state()",
    "set_state": "fnp.random.set_state(fnp.random.get_state())",
}


def _free(name: str) -> Op:
    return Op(
        f"random.{name}",
        family="random",
        kind="free",
        formula=None,
        weight=0.0,
        module="random",
        impl=getattr(np.random, name),
        examples=(Example(_FREE_EXAMPLES[name], 0),),
        summary="free: random state management",
    )


OPS = (
    _sampler("randn", 16.0, _dims, "fnp.random.randn(3, 4)", 192),
    _sampler("rand", 1.0, _dims, "fnp.random.rand(3, 4)", 12),
    _free("seed"),
    _free("get_state"),
    _free("set_state"),
)
