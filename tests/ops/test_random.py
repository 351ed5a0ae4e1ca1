"""Random rows of this surface (``randn``, ``rand``, state helpers): priced before drawing."""

from __future__ import annotations

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA
from flopscope.ops import random as random_rows


def ledger(fn, *args, **kwargs):
    with flops.BudgetContext(10**15, quiet=True) as b:
        r = fn(*args, **kwargs)
    return b.flops_used, r, [(rec.op_name, rec.flop_cost) for rec in b.op_log]


@pytest.mark.parametrize(
    ("op", "ex"),
    [pytest.param(op, ex, id=op.name) for op in random_rows.OPS for ex in op.examples],
)
def test_row_examples(op, ex) -> None:
    ns = {"fnp": fnp, "np": np}
    with flops.BudgetContext(10**15, quiet=True) as b:
        if ex.setup:
            exec(ex.setup, ns)
        before = b.flops_used
        eval(ex.call, ns)
    assert b.flops_used - before == ex.flops


@pytest.mark.parametrize(
    ("name", "dims", "cost"),
    [("randn", (3, 4), 192), ("randn", (), 16), ("rand", (3, 4), 12), ("rand", (0, 2), 1)],
)
def test_same_stream_as_numpy(name, dims, cost) -> None:
    fnp.random.seed(7)
    c, ours, log = ledger(getattr(fnp.random, name), *dims)
    np.random.seed(7)
    theirs = getattr(np.random, name)(*dims)
    assert c == cost and log == [(f"random.{name}", cost)]
    np.testing.assert_array_equal(ours, theirs)
    if dims:
        assert isinstance(ours, FA) and ours.shape == dims


def test_state_helpers_are_free() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        fnp.random.seed(0)
        state = fnp.random.get_state()
        first = fnp.random.rand(3)
        fnp.random.set_state(state)
        again = fnp.random.rand(3)
    np.testing.assert_array_equal(first, again)
    assert [r.op_name for r in b.op_log] == ["random.rand", "random.rand"]


def test_refused_draw_does_not_advance_the_generator() -> None:
    fnp.random.seed(3)
    before = np.random.get_state()[1].copy(), np.random.get_state()[2]
    with flops.BudgetContext(100, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.random.randn(10)  # 160 FLOPs
    assert b.flops_used == 0 and b.op_log == []
    after = np.random.get_state()
    np.testing.assert_array_equal(after[1], before[0])
    assert after[2] == before[1]


def test_bad_dims_raise_numpys_error_and_charge_nothing() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(ValueError):
            fnp.random.rand(-1)
        with pytest.raises(TypeError):
            fnp.random.randn(2.5)
    assert b.flops_used == 0 and b.op_log == []
