"""Creation and joining ops that write data: one FLOP per element written."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from flopscope.ops._row import Example, Op


def _size_after(result: Any, args: tuple, kwargs: dict) -> tuple:
    """Priced from the produced array (``arange``, ``tile``...): numel, may be 0."""
    first = result[0] if isinstance(result, tuple) else result
    return (int(np.size(first)),)


def _shape_arg(shape: Any, *args: Any, **kwargs: Any) -> tuple:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return (math.prod(int(d) for d in shape),)


def _like(a: Any, *args: Any, shape: Any = None, **kwargs: Any) -> tuple:
    if shape is not None:
        return _shape_arg(shape)
    return (int(np.size(a)),)


def _num(start: Any, stop: Any, num: int = 50, *args: Any, **kwargs: Any) -> tuple:
    return (int(num),)


def _total_input(arrays: Any, *args: Any, **kwargs: Any) -> tuple:
    return (sum(int(np.size(a)) for a in arrays),)


def _row(name: str, formula: str, summary: str, example: str, flops: int, **kw: Any) -> Op:
    return Op(
        name,
        family="creation",
        kind="custom",
        formula=formula,
        impl=getattr(np, name),
        examples=(Example(example, flops),),
        summary=summary,
        **kw,
    )


_A = "np.linspace(0.1, 0.9, 12).reshape(3, 4)"
_POST = {"price_result": _size_after}

OPS = (
    _row("array", "count", "copy of the input", "fnp.array([[0.5] * 4] * 3)", 12, extra=_POST),
    _row(
        "full",
        "count",
        "numel(output)",
        "fnp.full((3, 4), 2.0)",
        12,
        inputs=_shape_arg,
        array_api="full",
        symmetry="infer_equal_axes",  # a scalar fill is symmetric in equal-length axes
    ),
    _row(
        "full_like",
        "count",
        "numel(output)",
        f"fnp.full_like({_A}, 2.0)",
        12,
        inputs=_like,
        array_api="full_like",
    ),
    _row(
        "arange",
        "count0",
        "numel(output), 0 when empty",
        "fnp.arange(1, 10, 2)",
        5,
        extra=_POST,
        array_api="arange",
    ),
    _row(
        "linspace",
        "count",
        "num points",
        "fnp.linspace(0, 1, 12)",
        12,
        inputs=_num,
        array_api="linspace",
    ),
    _row("logspace", "count", "num points", "fnp.logspace(0, 1, 12)", 12, inputs=_num),
    _row("geomspace", "count", "num points", "fnp.geomspace(1, 8, 4)", 4, inputs=_num),
    _row(
        "concatenate",
        "count",
        "total input numel",
        f"fnp.concatenate([{_A}, {_A}])",
        24,
        inputs=_total_input,
        symmetry="joins",  # joining symmetric arrays drops their groups
    ),
    _row(
        "concat",
        "count",
        "numel(output)",
        f"fnp.concat([{_A}, {_A}])",
        24,
        extra=_POST,
        array_api="concat",
        symmetry="joins",  # joining symmetric arrays drops their groups
    ),
    _row(
        "stack",
        "count",
        "total input numel",
        f"fnp.stack([{_A}, {_A}])",
        24,
        inputs=_total_input,
        array_api="stack",
        symmetry="joins",  # joining symmetric arrays drops their groups
    ),
    _row(
        "vstack",
        "count",
        "total input numel",
        f"fnp.vstack([{_A}, {_A}])",
        24,
        inputs=_total_input,
        symmetry="joins",
    ),
    _row(
        "dstack",
        "count",
        "numel(output)",
        f"fnp.dstack([{_A}, {_A}])",
        24,
        extra=_POST,
        symmetry="joins",
    ),
    _row(
        "block",
        "count",
        "numel(output)",
        f"fnp.block([{_A}, {_A}])",
        24,
        extra=_POST,
        symmetry="joins",
    ),
    _row("tile", "count", "numel(output)", f"fnp.tile({_A}, 2)", 24, extra=_POST, array_api="tile"),
    _row(
        "repeat",
        "count",
        "numel(output)",
        "fnp.repeat(np.array([0.1, 0.5, 0.9]), 4)",
        12,
        extra=_POST,
        array_api="repeat",
        methods=("repeat",),
    ),
    _row("pad", "count", "numel(output)", "fnp.pad(np.array([0.1, 0.5, 0.9]), 2)", 7, extra=_POST),
)
