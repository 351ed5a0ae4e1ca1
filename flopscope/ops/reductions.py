"""Reductions, cumulative ops and order statistics.

R = elements reduced into each output cell, C = output cells. Ufunc-style reductions and
their cumulative forms cost C·(R−1); ``mean`` adds one divide per cell; selections
(``median``, ``percentile``, ``quantile``) cost C·R.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flopscope.ops._row import Example, Op

_X = "np.linspace(0.1, 0.9, 42).reshape(6, 7)"
#: running reductions keep the symmetry of the axes other than ``axis`` (DIFFERENCES 6)
_CUM = "cumulative"


def _count_nonzero(a: Any, axis: Any = None, *, keepdims: bool = False) -> Any:
    """``np.count_nonzero``; a full count is a Python ``int`` (0.4.0 behaviour)."""
    r = np.count_nonzero(a, axis=axis, keepdims=keepdims)
    return int(r) if isinstance(r, np.integer) else r


def _red(
    name: str,
    formula: str = "reduce",
    weight: float = 1.0,
    *,
    aliases: tuple[str, ...] = (),
    api: str | None = None,
    methods: tuple[str, ...] = (),
    axis_pos: int = 1,
    impl: object = None,
    extra_args: str = "",
    full: int = 41,
    axis0: int = 35,
    first: str = "",
    more: tuple[Example, ...] = (),
    symmetry: str = "reduction",
) -> Op:
    """A reduction row; examples reduce the (6, 7) array fully (or along ``first``) and
    along axis 0."""
    return Op(
        name,
        family="reduction",
        kind="reduction",
        formula=formula,
        weight=weight,
        aliases=aliases,
        impl=impl if impl is not None else getattr(np, name),
        methods=methods,
        array_api=api,
        symmetry=symmetry,
        axis_pos=axis_pos,
        examples=(
            Example(f"fnp.{name}({_X}{extra_args}{first})", int(full * weight)),
            Example(f"fnp.{name}({_X}{extra_args}, axis=0)", int(axis0 * weight)),
            *more,
        ),
    )


OPS = (
    _red("sum", api="sum", methods=("sum",)),
    _red("prod", api="prod", methods=("prod",)),
    _red("max", aliases=("amax",), api="max", methods=("max",)),
    _red("min", aliases=("amin",), api="min", methods=("min",)),
    _red(
        "mean",
        "reduce_mean",
        api="mean",
        methods=("mean",),
        full=42,
        axis0=42,
        more=(Example("fnp.mean(np.ones((0, 3)), axis=0)", 0),),  # not clamped, as in 0.4.0
    ),
    _red("std", weight=2.0, api="std", methods=("std",)),
    _red("var", weight=2.0, api="var", methods=("var",)),
    _red("argmax", api="argmax", methods=("argmax",)),
    _red("argmin", api="argmin", methods=("argmin",)),
    _red("cumsum", methods=("cumsum",), symmetry=_CUM),
    _red("cumprod", methods=("cumprod",), symmetry=_CUM),
    _red("any", api="any", methods=("any",)),
    _red("all", api="all", methods=("all",)),
    _red("count_nonzero", api="count_nonzero", impl=_count_nonzero),
    _red("nansum"),
    _red("nanprod"),
    _red("nanmax"),
    _red("nanmin"),
    _red("nanmean"),
    _red("nanstd", weight=2.0),
    _red("nanvar", weight=2.0),
    _red("nanargmax"),
    _red("nanargmin"),
    _red("nancumsum", symmetry=_CUM),
    _red("nancumprod", symmetry=_CUM),
    _red("median", "reduce_select", full=42, axis0=42),
    _red("nanmedian"),
    _red("percentile", "reduce_select", axis_pos=2, extra_args=", 50", full=42, axis0=42),
    _red("nanpercentile", axis_pos=2, extra_args=", 50"),
    _red("quantile", "reduce_select", axis_pos=2, extra_args=", 0.5", full=42, axis0=42),
    _red("nanquantile", axis_pos=2, extra_args=", 0.5"),
    _red("ptp", methods=("ptp",)),
    _red("average", more=(Example(f"fnp.average({_X}, axis=1, weights=np.arange(1., 8.))", 36),)),
    _red(
        "cumulative_sum",
        api="cumulative_sum",
        axis_pos=-1,
        first=", axis=1",
        full=36,
        symmetry=_CUM,
    ),
    _red(
        "cumulative_prod",
        api="cumulative_prod",
        axis_pos=-1,
        first=", axis=1",
        full=36,
        symmetry=_CUM,
    ),
)
