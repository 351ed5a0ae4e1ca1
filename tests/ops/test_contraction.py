"""Contraction rows: every 0.4.0 reference case of the contraction/einsum families (and of the
bilinear rows wherever they are filed), exact FLOPs, numpy's values.

Cases are evaluated with the README protocol (``reference_cases.evaluate``). Where flopscope
deliberately bills differently, :data:`DIFFERENCES` lists the case with the DIFFERENCES item
and the number we charge. ``cross``/``linalg.cross`` belong to a later issue; cases whose
cost depends on operand identity or symmetry tags are strict too (tests/_symmetry has more).
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np
import pytest
from reference_cases import IN_SCOPE, classify, evaluate, load_cases, result_sha

import flopscope as flops
import flopscope.numpy as fnp

D2 = "DIFFERENCES 2: bilinear ops bill the equivalent einsum under the active convention"

#: our rows
OPS = {
    "einsum",
    "einsum_path",
    "matmul",
    "dot",
    "inner",
    "outer",
    "vdot",
    "tensordot",
    "kron",
    "vecdot",
    "matvec",
    "vecmat",
    "linalg.matmul",
    "linalg.outer",
    "linalg.tensordot",
    "linalg.vecdot",
}

#: case id -> (reason, FLOPs flopscope charges; the einsum that the call is, worked out)
DIFFERENCES: dict[str, tuple[str, int]] = {
    # 0.4.0: a.size * b.size for every rank combination but 2-D x 2-D and 1-D x 1-D
    "matmul/f64-4+4x5": (D2, 35),  # j,jk->k: 2*20 - 5
    "matmul/f64-2x3x4+2x4x5": (D2, 210),  # bij,bjk->bik: 2*120 - 30
    "matmul/f64-2x3x4+4": (D2, 42),  # bij,j->bi: 2*24 - 6
    "matmul/f64-256x256+256": (D2, 130_816),  # ij,j->i: 2*65536 - 256
    "linalg.matmul/f64-2x3x4+2x4x5": (D2, 210),
    "dot/f64-3x4+4": (D2, 21),  # az,z->a
    "dot/f64-4+4x5": (D2, 35),  # z,zy->y
    "dot/f64-2x3x4+2x4x5": (D2, 420),  # abz,czy->abcy: 2*240 - 60
    "dot/f64-2x3x4+4x5": (D2, 210),  # abz,zy->aby: 2*120 - 30
    "dot/f64-1x3x4+2x4x5": (D2, 210),  # abz,czy->abcy: 2*120 - 30
    "dot/f64-4+2x4x5": (D2, 70),  # z,czy->cy: 2*40 - 10
    "dot/f64-256x256+256": (D2, 130_816),
    "dot/f64-2x3x4+5x4x6": (D2, 1_260),  # abz,czy->abcy: 2*720 - 180
    # 0.4.0: a.size * b.shape[-1] (a.size when one operand is 0-d)
    "inner/f64-4x16x32+8x32": (D2, 32_256),  # abz,cz->abc: 2*16384 - 512
    "inner/f64-3x4+4": (D2, 21),
    "inner/f64-4+3x4": (D2, 21),
    "inner/f64-0d+3x4": (D2, 12),  # ,ab->ab: one multiply per element
    # 0.4.0: one per multiply-add (a.size * b.size / contracted)
    "tensordot/f64-16x32+32x8-axes1": (D2, 8_064),  # 2*4096 - 128
    "tensordot/f64-2x3x4+3x5-axes-1-0": (D2, 200),  # ijk,jl->ikl: 2*120 - 40
    "tensordot/f64-3x4+4x3-transposed-full": (D2, 23),  # ij,ji->: 2*12 - 1
    "tensordot/c128-3x4+4x5": (D2, 105),
    "tensordot/json-example": (D2, 105),
    # the same object / symmetric operands: what the einsum bills (see tests/_symmetry)
    "tensordot/same-object-gram": (D2, 50),  # ab,ac->bc, X twice: 3·10 + 3·10 − 10
    "tensordot/S-S2-axes1": (D2, 225),  # ij,jk->ik, two distinct symmetric: no saving
    "linalg.tensordot/f64-3x4+4x5": (D2, 105),
    "vecdot/f64-3x4+3x4": (D2, 21),  # ab,ab->a: 2*12 - 3
    "vecdot/f64-16x32+16x32": (D2, 1_008),
    "vecdot/f64-2x3x4+4": (D2, 42),
    "vecdot/f64-2x1x4+3x4": (D2, 42),  # broadcast (2,3) cells of 4
    "vecdot/f64-3x4+2x1x4": (D2, 42),
    "vecdot/c128-5": (D2, 9),
    "linalg.vecdot/f64-2x3x4+4": (D2, 42),
    "linalg.vecdot/json-example": (D2, 21),
    "vecdot/json-example": (D2, 21),
    "matvec/f64-3x4+4": (D2, 21),
    "matvec/f64-5x16x32+32": (D2, 5_040),  # 2*2560 - 80
    "matvec/f64-3x4+2x4": (D2, 42),  # batch from both operands: 2*24 - 6
    "matvec/i64-3x4+4": (D2, 21),
    "matvec/json-example": (D2, 21),
    "vecmat/f64-2x3+3x4": (D2, 40),  # batch 2: 2*24 - 8
    "vecmat/f64-2x3+2x3x4": (D2, 40),
    "vecmat/c128-3+3x4": (D2, 20),
}


def _mine(case: dict[str, Any]) -> bool:
    if case["op"] in ("cross", "linalg.cross"):
        return False
    return case["family"] in ("contraction", "einsum") or case["op"] in OPS


CASES = [c for c in load_cases() if _mine(c)]
if not CASES:
    pytest.skip("reference cases not available (shared/ folder absent)", allow_module_level=True)


def _param(case: dict[str, Any]) -> Any:
    cls = classify(case)
    marks = [] if cls.status == IN_SCOPE else [pytest.mark.skip(reason=cls.reason)]
    return pytest.param(case, id=case["id"], marks=marks)


def _numpy_namespace() -> dict[str, Any]:
    """Evaluates a case's call with numpy in place of fnp (einsum without ``optimize``:
    numpy's own default loop is the reference for values)."""

    def einsum(
        subscripts: str, *ops: Any, optimize: Any = None, symmetry: Any = None, **kw: Any
    ) -> Any:
        return np.einsum(subscripts, *ops, **kw)

    shim = types.SimpleNamespace(**{n: getattr(np, n) for n in dir(np) if not n.startswith("_")})
    shim.einsum = einsum
    return {"fnp": shim, "np": np, "flops": flops}


def _assert_same_values(ours: Any, ref: Any) -> None:
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert ours.shape == ref.shape
    assert ours.dtype == ref.dtype
    if ref.dtype.kind in "fc":
        scale = float(np.max(np.abs(ref))) if ref.size else 0.0
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-14 * max(scale, 1.0))
    else:
        np.testing.assert_array_equal(ours, ref)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_reference_case(case: dict[str, Any]) -> None:
    outcome = evaluate(case)
    if case["expect_error"]:
        assert type(outcome.error).__name__ == case["expect_error"]
        return
    if outcome.error is not None:
        raise outcome.error
    expected = case["flops"]
    if case["id"] in DIFFERENCES:
        expected = DIFFERENCES[case["id"]][1]
        assert expected != case["flops"], "listed as a difference but 0.4.0 agrees"
    assert outcome.flops == expected
    if case["op"] == "einsum_path":
        if case["result_sha"] is not None:  # the path list: opt_einsum's, like 0.4.0
            assert result_sha(outcome.result) == case["result_sha"]
        return
    ns = _numpy_namespace()
    if case["setup"]:
        exec(case["setup"], ns)
    _assert_same_values(outcome.result, eval(case["call"], ns))
    if "out=" not in case["call"]:  # with out=, the caller's own array comes back
        assert isinstance(outcome.result, fnp.ndarray)


def test_every_difference_is_a_case() -> None:
    ids = {c["id"] for c in CASES}
    assert set(DIFFERENCES) <= ids


# -- the rows under other conventions and spellings -------------------------------------


@pytest.mark.parametrize(
    ("call", "subscripts", "shapes"),
    [
        ("fnp.matmul(a, b)", "ij,jk->ik", [(6, 7), (7, 5)]),
        ("fnp.matmul(A, v)", "ij,j->i", [(6, 7), (7,)]),
        ("fnp.matmul(B3, b)", "bij,jk->bik", [(2, 6, 7), (7, 5)]),
        ("fnp.dot(a, b)", "ij,jk->ik", [(6, 7), (7, 5)]),
        ("fnp.inner(a, c)", "ij,kj->ik", [(6, 7), (3, 7)]),
        ("fnp.vdot(a, a)", "i,i->", [(42,), (42,)]),
        ("fnp.tensordot(a, b, axes=1)", "ij,jk->ik", [(6, 7), (7, 5)]),
        ("fnp.vecdot(a, a)", "ij,ij->i", [(6, 7), (6, 7)]),
        ("fnp.matvec(A, v)", "ij,j->i", [(6, 7), (7,)]),
        ("fnp.vecmat(w, A)", "i,ij->j", [(6,), (6, 7)]),
        ("fnp.outer(w, v)", "i,j->ij", [(6,), (7,)]),
    ],
)
@pytest.mark.parametrize("model", ["flopscope", "exact", "fma", "mac"])
def test_bilinear_rows_bill_their_einsum(
    call: str, subscripts: str, shapes: list, model: str
) -> None:
    rng = np.random.default_rng(0)
    ns = {
        "fnp": fnp,
        "a": rng.random((6, 7)),
        "b": rng.random((7, 5)),
        "c": rng.random((3, 7)),
        "A": rng.random((6, 7)),
        "B3": rng.random((2, 6, 7)),
        "v": rng.random(7),
        "w": rng.random(6),
    }
    with flops.BudgetContext(10**12, quiet=True, cost_model=model) as budget:
        eval(call, ns)
        charged = budget.flops_used
    assert charged == flops.accounting.einsum_cost(subscripts, shapes, cost_model=model)


def test_matvec_256_default_model() -> None:
    """DIFFERENCES 2's own example."""
    with flops.BudgetContext(10**12, quiet=True) as budget:
        fnp.matmul(np.ones((256, 256)), np.ones(256))
    assert budget.flops_used == 130_816


def test_square_matmul_conventions() -> None:
    a = np.ones((256, 256))
    got = {}
    for model in ("flopscope", "fma", "mac"):
        with flops.BudgetContext(10**12, quiet=True, cost_model=model) as budget:
            fnp.matmul(a, a)
        got[model] = budget.flops_used
    assert got == {"flopscope": 33_488_896, "fma": 33_554_432, "mac": 16_777_216}


@pytest.mark.parametrize("model", ["flopscope", "fma", "mac"])
def test_outer_and_kron_one_multiply_per_element(model: str) -> None:
    with flops.BudgetContext(10**12, quiet=True, cost_model=model) as budget:
        fnp.outer(np.ones(5), np.ones((2, 3)))
        first = budget.flops_used
        fnp.kron(np.ones((2, 3)), np.ones((4, 5)))
    assert first == 30
    assert budget.flops_used - first == 120


def test_linalg_spellings_are_the_same_rows() -> None:
    for name in ("matmul", "outer", "tensordot", "vecdot"):
        assert getattr(fnp.linalg, name) is getattr(fnp, name)


def test_matmul_operator_bills_as_matmul() -> None:
    a = fnp.asarray(np.ones((4, 5))) if hasattr(fnp, "asarray") else None
    if a is None:
        pytest.skip("fnp.asarray not declared")
    with flops.BudgetContext(10**12, quiet=True) as budget:
        r = a @ np.ones(5)
    assert budget.flops_used == 2 * 20 - 4
    assert budget.op_log[-1].op_name == "matmul"
    np.testing.assert_array_equal(r, np.ones((4, 5)) @ np.ones(5))


@pytest.mark.parametrize(
    "call",
    [
        "fnp.dot(np.ones((3, 1)), np.ones((4, 5)))",  # contracted axes never broadcast
        "fnp.inner(np.ones((3, 1)), np.ones((3, 4)))",
        "fnp.matvec(np.ones((3, 1)), np.ones(4))",
        "fnp.vecmat(np.ones(1), np.ones((4, 5)))",
        "fnp.vecdot(np.ones((3, 1)), np.ones((3, 4)))",
        "fnp.tensordot(np.ones((3, 4)), np.ones((5, 4)), axes=1)",
        "fnp.vdot(np.ones(3), np.ones(4))",
        "fnp.matmul(np.ones(3), 2.0)",
    ],
)
def test_bad_shapes_raise_numpys_error_without_trace(call: str) -> None:
    ref_call = call.replace("fnp.", "np.")
    with pytest.raises(ValueError):
        eval(ref_call, {"np": np})
    with flops.BudgetContext(10**12, quiet=True) as budget:
        with pytest.raises(ValueError):
            eval(call, {"np": np, "fnp": fnp})
    assert budget.flops_used == 0
    assert budget.op_log == []


def test_vecdot_axis_names_each_operands_own_axis() -> None:
    a, b = np.arange(12.0).reshape(4, 3), np.arange(4.0)
    with flops.BudgetContext(10**12, quiet=True) as budget:
        r = fnp.vecdot(a, b[:, None] * np.ones((4, 3)), axis=0)
    np.testing.assert_array_equal(r, np.vecdot(a, b[:, None] * np.ones((4, 3)), axis=0))
    assert budget.flops_used == 2 * 12 - 3
