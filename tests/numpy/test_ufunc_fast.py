"""The fast paths (ufuncs, whole-array reductions): the C one and the generated Python one
bill and record identically.

Each scenario runs in a fresh interpreter twice, once per implementation
(``FLOPSCOPE_PURE_PYTHON=1`` forces the Python one), and the ledgers (records without their
timings), results and errors must be the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import _ufunc_fast
from flopscope.numpy._ndarray import FlopscopeArray

SCENARIO = textwrap.dedent(
    """
    import json, warnings
    import numpy as np
    import flopscope as flops
    import flopscope.numpy as fnp
    from flopscope.numpy import _ufunc_fast

    a = fnp.arange(8.0)
    b = fnp.ones(8)
    p = np.linspace(0.0, 1.0, 8)
    out = {"impl": _ufunc_fast.IMPLEMENTATION, "values": [], "errors": []}

    def keep(r):
        items = r if isinstance(r, tuple) else (r,)
        out["values"].append([(type(x).__name__, np.asarray(x).tolist()) for x in items])

    with flops.BudgetContext(flop_budget=10_000, quiet=True) as ctx:
        keep(fnp.add(a, b)); keep(a + b); keep(b - a); keep(2.0 * a); keep(a / 3)
        keep(fnp.multiply(a, p)); keep(p + a); keep(fnp.exp(a)); keep(-a); keep(abs(b - a))
        keep(fnp.add(a, 1)); keep(fnp.add(a, True)); keep(fnp.add(a, [1.0] * 8))
        keep(fnp.add(a, b, dtype=np.float32)); keep(divmod(a, b + 1)); keep(fnp.modf(a / 3))
        o = fnp.zeros(8)
        keep(fnp.add(a, b, out=o)); keep(o)
        c = a.copy(); c += b; keep(c)
        keep(fnp.sum(a)); keep(a.sum()); keep(fnp.mean(p)); keep(fnp.max(a)); keep(a.std())
        keep(fnp.sum(a, axis=0)); keep(fnp.sum([1.0, 2.0])); keep(fnp.argmax(a))
        keep(fnp.sum(a.reshape(2, 4))); keep(fnp.prod(fnp.asarray(3.0)))
        with flops.scope("layer"):
            keep(fnp.sqrt(a)); keep(a * b)
        for bad in (lambda: fnp.add(a, fnp.ones(3)), lambda: a + fnp.ones(5),
                    lambda: fnp.log(a, casting="bogus"), lambda: fnp.max(fnp.ones(0))):
            try:
                bad()
            except Exception as e:
                out["errors"].append(type(e).__name__)
        big = fnp.ones(100_000)
        try:
            big + big
        except flops.BudgetExhaustedError as e:
            out["errors"].append(type(e).__name__)
        flops.configure(check_nan_inf=True)
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            keep(fnp.log(a))
        flops.configure(check_nan_inf=False)
        out["nan_warnings"] = sum(issubclass(x.category, flops.FlopscopeWarning) for x in w)
        out["records"] = [list(r[:5]) + [r[8]] for r in ctx._records]
        out["used"] = ctx.flops_used
    with flops.BudgetContext(flop_budget=10_000, quiet=True, wall_time_limit_s=60) as t:
        keep(a + b); keep(a + b)
        out["timed"] = [t.flops_used, len(t._records)]
    print(json.dumps(out, default=repr))
    """
)


def _run(pure: bool) -> dict:
    env = dict(os.environ)
    env.pop("FLOPSCOPE_PURE_PYTHON", None)
    if pure:
        env["FLOPSCOPE_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCENARIO], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.skipif(_ufunc_fast.IMPLEMENTATION != "c", reason="the C fast path is not built")
def test_c_and_python_paths_agree() -> None:
    c, py = _run(pure=False), _run(pure=True)
    assert (c["impl"], py["impl"]) == ("c", "python")
    for key in ("values", "errors", "records", "used", "timed", "nan_warnings"):
        assert c[key] == py[key], key


def test_python_path_bills_every_scenario_exactly() -> None:
    py = _run(pure=True)
    assert py["errors"] == ["ValueError"] * 4 + ["BudgetExhaustedError"]
    names = [r[0] for r in py["records"]]
    assert names[:10] == [
        "add", "add", "subtract", "multiply", "divide",
        "multiply", "add", "exp", "negative", "subtract",
    ]  # fmt: skip
    assert ["sqrt", "multiply"] == [r[0] for r in py["records"] if r[4] == "layer"]
    sums = [r[1:3] for r in py["records"] if r[0] == "sum"]
    assert sums == [[[[8], None], 7]] * 2 + [[[[8], [0]], 7], [[[2], None], 1], [[[2, 4], None], 7]]
    assert py["used"] == sum(r[2] for r in py["records"])
    assert py["timed"] == [16, 2]
    assert py["nan_warnings"] == 1


def test_extension_is_built_where_a_compiler_is() -> None:
    # CI has a compiler: a silent fallback to the slower path must not go unnoticed there
    cpython_with_gil = sys.implementation.name == "cpython" and not sysconfig.get_config_var(
        "Py_GIL_DISABLED"
    )
    if os.environ.get("FLOPSCOPE_PURE_PYTHON") or not cpython_with_gil:
        pytest.skip("pure-Python fast path requested or unsupported interpreter")
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler: the extension is optional")
    assert _ufunc_fast.IMPLEMENTATION == "c"


class Deferring:
    """An operand that opts out of numpy's ufuncs: numpy's binops give way to it."""

    __array_ufunc__ = None


def test_operator_dunders_bind_like_methods() -> None:
    a, b = fnp.arange(4.0), fnp.ones(4)
    with flops.BudgetContext(flop_budget=100, quiet=True) as ctx:
        assert FlopscopeArray.__add__(a, b).tolist() == [1.0, 2.0, 3.0, 4.0]
        assert a.__radd__(b).tolist() == [1.0, 2.0, 3.0, 4.0]
        assert a.__neg__().tolist() == [-0.0, -1.0, -2.0, -3.0]
        assert a.__add__(Deferring()) is NotImplemented
    assert ctx.flops_used == 12


def test_fast_path_keeps_no_references() -> None:
    # operands and cached inputs must not gain references per call (a C refcount leak)
    a, b = fnp.arange(8.0), fnp.ones(8)
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as ctx:
        a + b
        ctx._records.clear()
        # views of a and b reference their data owners, so a leaked view shows up there
        watched = (a, b, a.base, b.base, np.add, *(v[1] for v in ctx._prices.values()))
        before = [sys.getrefcount(x) for x in watched]
        for _ in range(1000):
            fnp.add(a, b)
            _ = a + b
            _ = -a
        ctx._records.clear()
        after = [sys.getrefcount(x) for x in watched]
    assert after == before


def test_refused_call_leaves_no_trace() -> None:
    a = fnp.ones(8)
    with flops.BudgetContext(flop_budget=10, quiet=True) as ctx:
        a + a
        with pytest.raises(flops.BudgetExhaustedError):
            a + a
        assert (ctx.flops_used, len(ctx._records)) == (8, 1)
