"""Free rows (no FLOPs, no record) and logged rows (a 0-FLOP record)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA
from flopscope.ops import manipulation

A = np.linspace(0.1, 0.9, 12).reshape(3, 4)
FREE = [op for op in manipulation.OPS if op.kind == "free"]
LOGGED = [op for op in manipulation.OPS if op.kind == "logged"]

# 0.4.0's "free" list (spec 1.9) and the weight-0 names it logs (spec 2.1)
SPEC_FREE = set(
    (
        "zeros ones eye identity zeros_like ones_like empty empty_like reshape transpose "
        "swapaxes moveaxis hstack split hsplit vsplit squeeze expand_dims ravel copy flip triu "
        "tril broadcast_to astype asarray rot90 fliplr flipud atleast_1d atleast_2d atleast_3d "
        "column_stack row_stack shape size ndim dsplit array_split broadcast_shapes "
        "broadcast_arrays result_type can_cast common_type min_scalar_type promote_types "
        "shares_memory may_share_memory frombuffer from_dlpack unravel_index ravel_multi_index "
        "diag_indices diag_indices_from tril_indices tril_indices_from triu_indices "
        "triu_indices_from tri rollaxis permute_dims matrix_transpose require issubdtype "
        "isdtype isscalar isfortran iterable typename mintypecode"
    ).split()
)
SPEC_LOGGED = set(
    "asarray ravel split vsplit dsplit array_split broadcast_to broadcast_arrays rollaxis "
    "frombuffer from_dlpack".split()
)


def ledger(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            r = fn(*args, **kwargs)
    return b.flops_used, r, b.op_log


def test_table_covers_the_release_lists() -> None:
    names = {op.name for op in manipulation.OPS}
    assert SPEC_FREE <= names
    assert {op.name for op in LOGGED} == SPEC_LOGGED
    # roll is registered as counted in 0.4.0 but never charges; geterr/seterr are numpy's
    assert {"roll", "geterr", "seterr"} <= {op.name for op in FREE}


@pytest.mark.parametrize(
    ("op", "ex"),
    [pytest.param(op, ex, id=op.name) for op in manipulation.OPS for ex in op.examples],
)
def test_row_examples(op, ex) -> None:
    cost, _, log = ledger(eval, ex.call, {"fnp": fnp, "np": np})
    assert cost == ex.flops == 0
    assert [r.op_name for r in log] == ([op.name] if op.kind == "logged" else [])
    assert all(r.flop_cost == 0 for r in log)


# name -> (args, kwargs)
CALLS = {
    "zeros": (((3, 4),), {}),
    "ones": ((5,), {"dtype": int}),
    "eye": ((3, 5), {"k": 1}),
    "identity": ((3,), {}),
    "zeros_like": ((A,), {}),
    "ones_like": ((A,), {}),
    "reshape": ((A, (2, 6)), {}),
    "transpose": ((A,), {}),
    "swapaxes": ((A, 0, 1), {}),
    "moveaxis": ((A, 0, -1), {}),
    "hstack": (([A, A],), {}),
    "hsplit": ((A, 2), {}),
    "squeeze": ((A[:1],), {}),
    "expand_dims": ((A, 0), {}),
    "copy": ((A,), {}),
    "flip": ((A,), {"axis": 0}),
    "triu": ((A,), {}),
    "tril": ((A, -1), {}),
    "astype": ((A, np.int64), {}),
    "rot90": ((A, 2), {}),
    "fliplr": ((A,), {}),
    "flipud": ((A,), {}),
    "atleast_1d": ((2.0,), {}),
    "atleast_2d": ((A[0],), {}),
    "atleast_3d": ((A,), {}),
    "column_stack": (([A[0], A[1]],), {}),
    "row_stack": (([A[0], A[1]],), {}),
    "shape": ((A,), {}),
    "size": ((A, 0), {}),
    "ndim": ((A,), {}),
    "broadcast_shapes": (((2, 1), (3,)), {}),
    "result_type": ((A, 1), {}),
    "can_cast": ((np.float64, np.int32), {}),
    "common_type": ((A,), {}),
    "min_scalar_type": ((10,), {}),
    "promote_types": ((np.int32, np.float32), {}),
    "shares_memory": ((A, A[1:]), {}),
    "may_share_memory": ((A, A[1:]), {}),
    "unravel_index": ((np.array([0, 7]), (3, 4)), {}),
    "ravel_multi_index": (((np.array([0, 1]), np.array([3, 2])), (3, 4)), {}),
    "diag_indices": ((4,), {}),
    "diag_indices_from": ((np.ones((3, 3)),), {}),
    "tril_indices": ((3,), {"m": 5}),
    "tril_indices_from": ((A,), {"k": 1}),
    "triu_indices": ((4,), {"k": 1}),
    "triu_indices_from": ((A,), {}),
    "tri": ((3, 5), {"k": 1}),
    "permute_dims": ((A, (1, 0)), {}),
    "matrix_transpose": ((A,), {}),
    "require": ((A,), {"requirements": ["F"]}),
    "issubdtype": ((np.int32, np.floating), {}),
    "isdtype": ((np.float64, "real floating"), {}),
    "isscalar": ((1.0,), {}),
    "isfortran": ((A,), {}),
    "iterable": (([1],), {}),
    "typename": (("S1",), {}),
    "mintypecode": ((["d", "f"],), {}),
    "roll": ((A, 1), {"axis": 1}),
    "geterr": ((), {}),
    "empty": (((3, 4),), {}),
    "empty_like": ((A,), {}),
    "asarray": (([[0.5] * 4] * 3,), {}),
    "ravel": ((A,), {"order": "F"}),
    "split": ((A, 3), {}),
    "vsplit": ((A, [1]), {}),
    "dsplit": ((np.ones((2, 3, 4)), 2), {}),
    "array_split": ((np.arange(7.0), 3), {}),
    "broadcast_to": ((A[0], (3, 4)), {}),
    "broadcast_arrays": ((A[0], A), {}),
    "rollaxis": ((np.ones((2, 3, 4)), 2), {}),
    "frombuffer": ((bytes(96),), {"dtype": np.float64}),
    "from_dlpack": ((A,), {}),
}


def _same(ours, theirs, name: str) -> None:
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, FA), name
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        if name not in ("empty", "empty_like"):  # uninitialised memory
            np.testing.assert_array_equal(ours.view(np.ndarray), theirs)
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _same(o, t, name)
    else:
        assert ours == theirs and type(ours) is type(theirs), name


@pytest.mark.parametrize("name", sorted(CALLS))
def test_free_and_logged_calls(name) -> None:
    op = fnp.__dict__[name].__wrapped_op__
    args, kwargs = CALLS[name]
    cost, ours, log = ledger(getattr(fnp, name), *args, **kwargs)
    impl = np.vstack if name == "row_stack" else getattr(np, name)
    _same(ours, impl(*args, **kwargs), name)
    assert cost == 0
    if op.kind == "logged":
        assert [(r.op_name, r.flop_cost) for r in log] == [(name, 0)]
    else:
        assert log == []


def test_every_free_row_has_a_call() -> None:
    assert {op.name for op in manipulation.OPS} - {"seterr"} <= set(CALLS)


def test_seterr_roundtrip_is_free() -> None:
    cost, old, log = ledger(fnp.seterr, **fnp.geterr())
    assert cost == 0 and log == [] and old == np.geterr()


def test_free_ops_accept_flopscope_arrays_and_stay_free() -> None:
    a = fnp.asarray(A)
    cost, r, log = ledger(fnp.hstack, [a, a])
    assert cost == 0 and log == [] and isinstance(r, FA) and r.shape == (3, 8)
    cost, parts, log = ledger(fnp.split, a, 2, axis=1)
    assert [p.shape for p in parts] == [(3, 2), (3, 2)] and all(isinstance(p, FA) for p in parts)
    assert [(r.op_name, r.flop_cost) for r in log] == [("split", 0)]


def test_logged_ops_show_in_summary_with_zero() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        fnp.ravel(A)
        fnp.broadcast_to(A[0], (3, 4))
    names = [r.op_name for r in b.op_log]
    assert names == ["ravel", "broadcast_to"] and b.flops_used == 0


def test_bad_input_raises_numpys_error() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(ValueError):
            fnp.reshape(A, (5, 5))
        with pytest.raises(ValueError):
            fnp.split(A, 5)
        with pytest.raises(ValueError):
            fnp.broadcast_to(A, (2, 2))
    assert b.flops_used == 0 and b.op_log == []
