"""Property: random programs of counted ops bill and compute the same through the client as
in-process (hypothesis draws shapes, operand dtypes, ops and operator spellings)."""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp

from .conftest import Server, load_client

UNARY = ["negative", "absolute", "exp", "sqrt", "square", "sin", "floor", "sign", "log1p"]
BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "power", "hypot"]
REDUCE = ["sum", "prod", "max", "min", "mean", "std", "cumsum", "argmax"]
OPERATORS = {
    "add": "__add__",
    "subtract": "__sub__",
    "multiply": "__mul__",
    "divide": "__truediv__",
}

step = st.one_of(
    st.tuples(st.just("unary"), st.sampled_from(UNARY)),
    st.tuples(st.just("binary"), st.sampled_from(BINARY), st.booleans(), st.integers(0, 2)),
    st.tuples(st.just("reduce"), st.sampled_from(REDUCE), st.sampled_from([None, 0, -1])),
    st.tuples(st.just("index"), st.integers(-3, 3)),
)


def _apply(mod: Any, x: Any, pool: list[Any], s: tuple) -> Any:
    kind = s[0]
    if kind == "unary":
        return getattr(mod, s[1])(x)
    if kind == "binary":
        _, op, as_operator, which = s
        other = pool[which % len(pool)]
        if as_operator and op in OPERATORS:
            return getattr(x, OPERATORS[op])(other)
        return getattr(mod, op)(x, other)
    if kind == "reduce":
        _, op, axis = s
        if x.ndim == 0 and axis is not None:
            axis = None
        return getattr(mod, op)(x, axis=axis)
    if x.ndim == 0:
        return x
    return x[s[1] % x.shape[0]] if x.shape[0] else x


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    shape=st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple),
    dtype=st.sampled_from(["float64", "float32", "int64"]),
    seed=st.integers(0, 2**16),
    steps=st.lists(step, min_size=1, max_size=6),
)
def test_random_programs_agree(server: Server, shape, dtype, seed, steps) -> None:
    pkg = load_client()
    cfnp = importlib.import_module(f"{pkg.__name__}.numpy")
    cl = importlib.import_module(f"{pkg.__name__}.client")
    cl.connect(server.url, timeout_s=60)
    rng = np.random.default_rng(seed)
    base = [(rng.random(shape) * 3 + 0.5).astype(dtype) for _ in range(3)]
    remote_pool = [cl.upload(b.tobytes(), dtype, b.shape) for b in base]
    local_pool = [fnp.asarray(b.copy()) for b in base]

    def run(mod: Any, pool: list[Any]) -> tuple[Any, str | None]:
        x = pool[0]
        try:
            for s in steps:
                x = _apply(mod, x, pool, s)
        except Exception as exc:  # both sides must fail the same way
            return None, type(exc).__name__
        return x, None

    before = int(cl.connection().request("free", handles=[])[1]["budget"]["used"])
    got, got_err = run(cfnp, remote_pool)
    after = int(cl.connection().request("free", handles=[])[1]["budget"]["used"])
    with np.errstate(all="ignore"), flops.BudgetContext(10**15, quiet=True) as b:
        want, want_err = run(fnp, local_pool)
    assert got_err == want_err
    assert after - before == b.flops_used
    if want_err is None:
        data, name, shp = cl.download(got)
        want = np.asarray(want)
        assert (name, shp) == (want.dtype.name, want.shape)
        assert data == want.tobytes()
