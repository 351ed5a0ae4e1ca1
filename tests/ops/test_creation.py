"""Creation and joining rows: one FLOP per element written, numpy-equal results."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA
from flopscope.ops import creation

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "ops-0.4.0.json"
A = np.linspace(0.1, 0.9, 12).reshape(3, 4)
B = np.linspace(0.8, 0.2, 12).reshape(3, 4)
V = np.array([0.1, 0.5, 0.9])


def charged(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            r = fn(*args, **kwargs)
    return b.flops_used, r, b.op_log


@pytest.mark.parametrize(
    ("op", "ex"),
    [
        pytest.param(op, ex, id=f"{op.name}:{i}")
        for op in creation.OPS
        for i, ex in enumerate(op.examples)
    ],
)
def test_row_examples(op, ex) -> None:
    cost, _, log = charged(eval, ex.call, {"fnp": fnp, "np": np, "flops": flops})
    assert cost == ex.flops
    assert [r.op_name for r in log] == [op.name]


@pytest.mark.skipif(not SPEC.is_file(), reason="shared spec table absent")
def test_weights_match_the_release() -> None:
    spec = {o["name"]: o for o in json.loads(SPEC.read_text()) if o["module"] == "flopscope.numpy"}
    for op in creation.OPS:
        assert op.weight == spec[op.name]["weight"], op.name


# name, args, kwargs, FLOPs (0.4.0 rule: see spec 2.12)
CALLS = [
    ("array", ([[1, 2], [3, 4]],), {}, 4),
    ("array", (A,), {"dtype": np.float32}, 12),
    ("array", (2.5,), {}, 1),
    ("array", ([],), {}, 1),
    ("full", ((3, 4), 2.0), {}, 12),
    ("full", (5, 1), {"dtype": np.int8}, 5),
    ("full", ((0, 3), 1.0), {}, 1),
    ("full_like", (A, 7), {}, 12),
    ("full_like", (A, 7), {"shape": (2, 5)}, 10),
    ("arange", (10,), {}, 10),
    ("arange", (1, 10, 2), {}, 5),
    ("arange", (0,), {}, 0),
    ("arange", (0.0, 1.0, 0.25), {"dtype": np.float32}, 4),
    ("linspace", (0, 1), {}, 50),
    ("linspace", (0, 1, 7), {"endpoint": False}, 7),
    ("linspace", (0, 1, 0), {}, 1),
    ("linspace", (np.zeros(2), np.ones(2), 5), {"axis": 1}, 5),
    ("logspace", (0, 2, 5), {"base": 2.0}, 5),
    ("geomspace", (1, 1000, 4), {}, 4),
    ("concatenate", ([A, B],), {}, 24),
    ("concatenate", ([A, B],), {"axis": 1}, 24),
    ("concatenate", ([A, V],), {"axis": None}, 15),
    ("concat", ([A, B],), {"axis": 1}, 24),
    ("stack", ([V, V, V],), {}, 9),
    ("stack", ([A, B],), {"axis": -1}, 24),
    ("vstack", ([V, V],), {}, 6),
    ("dstack", ([A, B],), {}, 24),
    ("block", ([[A, B], [B, A]],), {}, 48),
    ("tile", (V, (2, 2)), {}, 12),
    ("repeat", (A, 2), {"axis": 0}, 24),
    ("repeat", (V, [1, 0, 3]), {}, 4),
    ("pad", (V, 2), {}, 7),
    ("pad", (A, ((1, 0), (0, 2))), {"mode": "edge"}, 24),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "flops_"), CALLS)
def test_cost_and_values_match_numpy(name, args, kwargs, flops_) -> None:
    cost, ours, log = charged(getattr(fnp, name), *args, **kwargs)
    theirs = getattr(np, name)(*args, **kwargs)
    assert cost == flops_
    assert [r.op_name for r in log] == [name]
    assert isinstance(ours, FA)  # DIFFERENCES 8: one result type
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours.view(np.ndarray), theirs)


def test_flopscope_array_inputs_are_plain_to_numpy() -> None:
    a = fnp.asarray(A)
    cost, r, _ = charged(fnp.block, [[a, a], [a, a]])
    assert cost == 48 and isinstance(r, FA)
    cost, r, _ = charged(fnp.concatenate, (a, a))
    assert cost == 24


def test_concatenate_out() -> None:
    out = np.zeros((6, 4))
    cost, r, _ = charged(fnp.concatenate, [A, B], out=out)
    assert cost == 24 and r is out
    np.testing.assert_array_equal(out, np.concatenate([A, B]))


@pytest.mark.parametrize(
    "call",
    [
        lambda: fnp.tile(A, 3),  # priced from its result
        lambda: fnp.arange(100),
        lambda: fnp.full((3, 4), 1.0),  # priced from its arguments
        lambda: fnp.concatenate([A, B]),
        lambda: fnp.linspace(0, 1, 20),
    ],
)
def test_refused_call_leaves_no_trace(call) -> None:
    with flops.BudgetContext(11, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            call()
    assert b.flops_used == 0 and b.op_log == []


@pytest.mark.parametrize(
    ("call", "numpy_call"),
    [
        (lambda: fnp.full((-1,), 1.0), lambda: np.full((-1,), 1.0)),
        (lambda: fnp.concatenate([A, V]), lambda: np.concatenate([A, V])),
        (lambda: fnp.arange("a"), lambda: np.arange("a")),
        (lambda: fnp.linspace(0, 1, -2), lambda: np.linspace(0, 1, -2)),
        (lambda: fnp.stack([A, V]), lambda: np.stack([A, V])),
        (lambda: fnp.tile(A, -1), lambda: np.tile(A, -1)),
        (lambda: fnp.pad(V, 1, mode="nope"), lambda: np.pad(V, 1, mode="nope")),
    ],
)
def test_bad_input_raises_numpys_error_and_charges_nothing(call, numpy_call) -> None:
    with pytest.raises(Exception) as theirs:
        numpy_call()
    with flops.BudgetContext(10**15, quiet=True) as b:
        with pytest.raises(type(theirs.value)):
            call()
    assert b.flops_used == 0 and b.op_log == []
