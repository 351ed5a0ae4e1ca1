"""Expected FLOPs of one case under the four built-in models, from independent sources.

``flopscope``: the measured 0.4.0 charge (DIFFERENCES applied), a row example or an extra
case's spec rule. ``exact``/``fma``/``mac``: the brute-force counter for pointwise ufuncs,
ufunc-style reductions, ``mean`` and every contraction; :mod:`conformance.reference.rules`
for the rest. Where both the counter and the rules apply, they must agree (the generator
refuses to write a table that disagrees).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from conformance.reference import counter, rules
from conformance.values import numpy_build

#: tier-1 reductions of spec 2.4 (C·(R − 1)); ``mean`` adds one divide per output cell
TIER1 = set(
    "sum prod max min amax amin argmax argmin any all count_nonzero nansum nanprod nanmax "
    "nanmin nanargmax nanargmin ptp cumsum cumprod nancumsum nancumprod cumulative_sum "
    "cumulative_prod std var nanstd nanvar".split()
)
#: bilinear products, billed like the equivalent einsum (DIFFERENCES 2)
BILINEAR = set(counter.BILINEAR)


class Disagreement(AssertionError):
    """The counter and the measured/rule value disagree for a case."""


def expected(
    src: Any, captured: tuple[list[Any], dict[str, Any]] | None
) -> tuple[dict[str, int], dict[str, str]]:
    """``({model: flops}, {model: source})`` of one case."""
    name = src.op.name
    if src.expect_error is not None:
        zeros = dict.fromkeys(("flopscope", "exact", "fma", "mac"), 0)
        return zeros, dict.fromkeys(zeros, "refused call: nothing charged")
    flops = {"flopscope": src.flopscope}
    how = {"flopscope": src.origin}
    exact = rules.unweighted(src.flopscope, name)
    counted = _counted(src, captured) if captured is not None else None
    if counted is not None:
        if counted[0]["exact"] != exact:
            raise Disagreement(
                f"{src.id}: counter exact {counted[0]['exact']} != {exact} ({src.origin})"
            )
        conv, tag = counted
    elif name in rules.MADD_RULES and captured is not None:
        conv, tag = rules.MADD_RULES[name](exact, *captured), "rule: multiply-adds re-priced"
    elif name in rules.MADD_RULES or name in BILINEAR or name == "einsum":
        raise Disagreement(f"{src.id}: convention-dependent op without structured arguments")
    else:
        conv, tag = rules.same(exact), "rule: flopscope charge / weight"
    flops.update(conv)
    how.update(dict.fromkeys(("exact", "fma", "mac"), tag))
    return flops, how


BRUTE = "brute-force counter"

Counted = tuple[dict[str, int], str] | None


def _counted(src: Any, captured: tuple[list[Any], dict[str, Any]]) -> Counted:
    """The counter's three counts and how it got them, or ``None`` if it does not apply."""
    args, kwargs = captured
    op = src.op
    vals = [numpy_build(a) for a in args]
    kv = {k: numpy_build(v) for k, v in kwargs.items()}
    if op.kind == "ufunc" and op.family.startswith("pointwise") and not _ufunc_extras(kv):
        n = getattr(getattr(np, op.name, None), "nin", None)  # operands of the numpy ufunc
        if n is None or len(vals) < n:
            return None
        shapes = [np.shape(v) for v in vals[:n]]
        if not counter.fits(*shapes):
            out = max(1, math.prod(np.broadcast_shapes(*shapes)))
            return rules.same(out), "counter rule: numel(broadcast output), too big to walk"
        return rules.same(counter.pointwise(shapes)), BRUTE
    if op.kind == "reduction" and (op.name in TIER1 or op.name == "mean"):
        return _reduction(op.name, vals, kv)
    if op.name in BILINEAR:
        return _bilinear(op.name, vals, kv)
    if op.name == "einsum" and vals and isinstance(vals[0], str):
        if not all(isinstance(v, np.ndarray) for v in vals[1:]):
            return None
        shapes = [v.shape for v in vals[1:]]
        walked = counter.walkable(vals[0], shapes)
        tag = BRUTE if walked else "counter: label sizes multiplied, too big to walk"
        return counter.einsum(vals[0], shapes).conventions(), tag
    return None


def _ufunc_extras(kv: dict[str, Any]) -> bool:
    """``where=`` changes what numpy computes but not the charge; skip such cases."""
    return bool(set(kv) - {"out", "dtype", "casting", "order", "subok"})


def _reduction(name: str, vals: list[Any], kv: dict[str, Any]) -> Counted:
    if not vals or set(kv) - {"axis", "keepdims", "dtype", "ddof", "out"}:
        return None
    shape = np.shape(vals[0])
    axis = kv.get("axis", vals[1] if len(vals) > 1 and name not in ("std", "var") else None)
    if len(vals) > 2 or (len(vals) > 1 and name in ("std", "var", "nanstd", "nanvar")):
        return None
    if isinstance(axis, list):
        axis = tuple(axis)
    if not counter.fits(shape):
        return None
    flat_cumulative = name.startswith(("cum", "nancum")) and axis is None
    extra = 1 if name == "mean" else 0
    count = (
        counter.reduce(shape, axis, extra)
        if not flat_cumulative
        else counter.reduce((math.prod(shape),), 0)
    )
    return rules.same(count), BRUTE


def _contracted(name: str, a: np.ndarray, b: np.ndarray, kv: dict[str, Any], axes: Any) -> bool:
    """Whether the product sums an index (structure, not sizes: a length-1 sum still sums)."""
    if name in ("outer", "kron"):
        return False
    if name in ("dot", "inner") and (a.ndim == 0 or b.ndim == 0):
        return False
    if name == "tensordot":
        ax = kv.get("axes", 2 if axes is None else axes)
        if isinstance(ax, int):
            return ax > 0
        return len(ax[0]) > 0 if isinstance(ax[0], (tuple, list)) else True
    return True


def _bilinear(name: str, vals: list[Any], kv: dict[str, Any]) -> Counted:
    if len(vals) < 2 or not all(isinstance(v, (np.ndarray, int, float, complex)) for v in vals[:2]):
        return None
    a, b = np.asarray(vals[0]), np.asarray(vals[1])
    axes = vals[2] if len(vals) > 2 else None
    call_kw = dict(kv)
    if axes is not None:
        call_kw["axes"] = axes
    call_kw.pop("out", None)
    if set(call_kw) - {"axes", "axis"}:
        return None
    contracted = _contracted(name, a, b, kv, axes)
    tag = BRUTE
    if counter.fits(a.shape, b.shape, factor=max(1, a.size, b.size)):
        tally = counter.bilinear(name, a.shape, b.shape, **call_kw)
    else:
        tag = "counter: all-ones evaluation, too big to walk"  # all-ones operands: each output cell's value is its number of products
        fn = counter.BILINEAR[name]
        res = np.asarray(fn(np.ones(a.shape, np.int64), np.ones(b.shape, np.int64), **call_kw))
        m = int(res.sum())
        tally = counter.Tally(mul=m, add=(m - res.size) if m and contracted else 0)
    return (tally.fuse() if contracted else tally).conventions(), tag
