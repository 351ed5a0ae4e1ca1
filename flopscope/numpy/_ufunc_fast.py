"""Fast paths of ufunc rows: ``fnp.add(a, b)``, ``a + b``, ``b + a``, ``fnp.exp(a)``, ``-a``.

These are the calls users make most, so per-call overhead is decided here. Each is generated
from one template (as ``dataclasses`` and ``namedtuple`` generate their methods): one source
for the logic and no extra Python frame per call. A fast path handles only the common
operands itself (``fnp.ndarray``, ``np.ndarray``, Python ``int``/``float``), without ``out=``
or keyword arguments; anything else goes to the row's general function (``general``), which
handles every case, symmetric operands included, and bills identically.

Charging without a lock: under the GIL the interpreter only switches threads at an eval
breaker check (function entry, backward jump, call). The check-and-add below (read
``ctx._used``, add, compare, store) contains none and allocates no object the collector
tracks, so it cannot interleave with another thread's charge (``BudgetContext.charge`` and
``refund`` also do theirs with no eval breaker inside). Free-threaded builds have no such
guarantee: there the template always charges through ``BudgetContext.charge``, which locks.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from time import perf_counter
from typing import Any

import numpy as np

from flopscope._budget import _ACTIVE, _LABEL, default_context, on_labels_used
from flopscope.numpy._ndarray import FlopscopeArray
from flopscope.ops import Op

#: the check-and-add is atomic under the GIL (see the module docstring)
_GIL: bool = getattr(sys, "_is_gil_enabled", lambda: True)()


def _load_speedups() -> Any:
    """The C fast paths (``flopscope/_speedups.c``), unless absent, disabled or unsafe."""
    if not _GIL or os.environ.get("FLOPSCOPE_PURE_PYTHON"):
        return None
    try:
        from flopscope import _speedups
    except ImportError:
        return None
    _speedups.configure(FlopscopeArray, np.ndarray, _ACTIVE, _LABEL, default_context, perf_counter)
    return _speedups


_SPEEDUPS = _load_speedups()
#: which implementation the fast paths use: "c" or "python" (FLOPSCOPE_PURE_PYTHON=1 forces
#: the generated Python one; both bill and record identically)
IMPLEMENTATION = "c" if _SPEEDUPS is not None else "python"

#: globals of the generated code; ``CHECK_NAN_INF`` is flipped by :func:`set_check_nan_inf`
_GLOBALS: dict[str, Any] = {
    "__builtins__": __builtins__,
    "perf_counter": perf_counter,
    "active": _ACTIVE.get,
    "label": _LABEL.get,
    "USE_LABELS": False,
    "default_context": default_context,
    "FA": FlopscopeArray,
    "ND": np.ndarray,
    "CHECK_NAN_INF": False,
}


#: globals of every generated function (so the NaN/Inf flag reaches all of them)
_LIVE: list[dict[str, Any]] = []


def _set(flag: str, value: bool) -> None:
    _GLOBALS[flag] = value
    for g in _LIVE:
        g[flag] = value
    if _SPEEDUPS is not None:
        _SPEEDUPS.set_flags(_GLOBALS["CHECK_NAN_INF"], _GLOBALS["USE_LABELS"])


def set_check_nan_inf(value: bool) -> None:
    """While the NaN/Inf scan is on, every call takes the general path (which scans)."""
    _set("CHECK_NAN_INF", value)


# Until the first ``flops.scope()`` every label is None, so the record skips the read.
on_labels_used(lambda: _set("USE_LABELS", True))


# An operand is classified before anything is converted, so the general path always
# receives the caller's original objects. Reductions take arrays only (a Python number
# goes to the general path); ufuncs also take Python ints and floats.
_CLASSIFY_ARRAY = """
    t = type({x})
    if t is FA:
        {s} = {x}.shape
        {p} = {x}.view(ND)
    elif t is ND:
        {s} = {x}.shape
        {p} = {x}
    else:
        return general({general_args})
"""
_CLASSIFY = _CLASSIFY_ARRAY.replace(
    "    else:\n",
    "    elif t is float or t is int:\n        {s} = ()\n        {p} = {x}\n    else:\n",
)

_CHARGE_GIL = """
    if entry is None:  # not priced yet, or a time limit applies (see _hot_prices)
        inputs = {inputs}
        cost, used = ctx.charge(op, inputs, t0)
        if ctx._hot_prices is ctx._prices:
            ctx._prices[{key}] = (cost, inputs)
    else:
        cost, inputs = entry  # the cached inputs: the fresh tuples die with this frame
        used = ctx._used + cost
        if used > ctx._budget:
            cost, used = ctx.charge(op, inputs, t0)  # raises unless a refund made room
        else:
            ctx._used = used
"""

_CHARGE_LOCKED = """
    inputs = {inputs} if entry is None else entry[1]
    cost, used = ctx.charge(op, inputs, t0)
"""

_TEMPLATE = """
def {fname}({params}):
    t0 = perf_counter()
    if {bail}:
        return general({general_args})
{classify}
    ctx = active() or default_context()
    entry = ctx._hot_prices.get({key})
{charge}
    t1 = perf_counter()
    try:
        r = uf({plain})
    except BaseException:
        ctx.refund(cost)
        raise
    t2 = perf_counter()
    r = r.view(FA) if type(r) is ND else wrap_result(r)
    ctx._records.append(
        (name, inputs, cost, used, label() if USE_LABELS else None, t0, t2 - t1, t1 - t0, None)
    )
    return r
"""


#: role -> the C extension's mode (flopscope/_speedups.c)
_KEYWORDS = "out is not None or kwargs or CHECK_NAN_INF"

_MODES = {"call1": 0, "call2": 0, "forward": 1, "reflected": 2, "unary": 3, "reduce": 4}


def _generate(
    op: Op,
    fname: str,
    params: str,
    operands: tuple[str, ...],
    general_args: str,
    bail: str,
    general: Callable[..., Any],
    wrap_result: Callable[[Any], Any],
    impl: Callable[..., Any] | None = None,
) -> Callable[..., Any]:
    """Compile one fast path; ``operands`` name the inputs in order; ``impl`` (default: the
    row's ufunc) runs on their plain views."""
    impl = op.impl if impl is None else impl
    if _SPEEDUPS is not None:
        return _SPEEDUPS.FastPath(
            op, impl, op.name, general, wrap_result, len(operands), _MODES[fname]
        )
    shapes = [f"s{i}" for i in range(len(operands))]
    plain = [f"p{i}" for i in range(len(operands))]
    # the analytical inputs as the general path computes them: operand shapes, or for a
    # reduction over all axes (shape, axis=None)
    items = [*shapes, "None"] if fname == "reduce" else shapes
    inputs = f"({', '.join(items)}{',' if len(items) == 1 else ''})"
    # a flat key (op, s0, s1) hashes faster than (op, (s0, s1)); charge() fills the nested
    # one, and the fast path copies the price under the flat key (same dict, same lifetime)
    key = f"(op, {', '.join(items)})"
    classify = _CLASSIFY_ARRAY if fname == "reduce" else _CLASSIFY
    source = _TEMPLATE.format(
        fname=fname,
        params=params,
        bail=bail,
        general_args=general_args,
        classify="".join(
            classify.format(x=x, s=s, p=p, general_args=general_args)
            for x, s, p in zip(operands, shapes, plain)
        ),
        inputs=inputs,
        key=key,
        charge=(_CHARGE_GIL if _GIL else _CHARGE_LOCKED).format(inputs=inputs, key=key),
        plain=", ".join(plain),
    )
    scope: dict[str, Any] = {}
    bound = {
        **_GLOBALS,
        "op": op,
        "uf": impl,
        "name": op.name,
        "general": general,
        "wrap_result": wrap_result,
    }
    code = compile(source, f"<flopscope fast path: {op.name} {fname}>", "exec")
    exec(code, bound, scope)
    fn = scope[fname]
    # the generated functions read CHECK_NAN_INF from their own globals: keep them live
    _LIVE.append(bound)
    return fn


#: per role: (parameters, the operands in the order the ufunc takes them, how the general
#: function is called with the same arguments, when to hand the call to it at once)
_ROLES: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    # fnp.<ufunc>(x[, y], out=None, **kwargs): fast when there is no out=/keyword
    "call1": ("x1, /, out=None, **kwargs", ("x1",), "x1, out=out, **kwargs", _KEYWORDS),
    "call2": (
        "x1, x2, /, out=None, **kwargs",
        ("x1", "x2"),
        "x1, x2, out=out, **kwargs",
        _KEYWORDS,
    ),
    # self <op> other (__add__) and other <op> self (__radd__); -self, abs(self)
    "forward": ("self, other", ("self", "other"), "self, other", "CHECK_NAN_INF"),
    "reflected": ("self, other", ("other", "self"), "self, other", "CHECK_NAN_INF"),
    "unary": ("self", ("self",), "self", "CHECK_NAN_INF"),
    # fnp.sum(a), a.mean(): a reduction over all axes with no other argument
    "reduce": (
        "a, /, *args, **kwargs",
        ("a",),
        "a, *args, **kwargs",
        "args or kwargs or CHECK_NAN_INF",
    ),
}


def fast_path(
    op: Op,
    role: str,
    general: Callable[..., Any],
    wrap_result: Callable[[Any], Any],
    impl: Callable[..., Any] | None = None,
) -> Callable[..., Any]:
    """The fast path of ``op`` in ``role`` (see ``_ROLES``) in front of ``general``, the
    row's full function called with the same arguments; ``impl`` (default: the ufunc) is
    what runs on the operands' plain views."""
    params, operands, general_args, bail = _ROLES[role]
    return _generate(op, role, params, operands, general_args, bail, general, wrap_result, impl)
