"""``fnp.einsum`` computes what ``numpy.einsum`` computes (BLAS steps: to rounding)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._einsum import execute
from flopscope._einsum.parse import canonicalize
from flopscope._einsum.path import STRATEGIES

RNG = np.random.default_rng(1)
OPTIMIZE_VALUES = [False, True, "auto", *STRATEGIES, [(1, 2), (0, 1)], [(0, 1), (0, 1)]]


def arr(*shape: int, dtype: type = np.float64) -> np.ndarray:
    a = RNG.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * RNG.standard_normal(shape)
    if np.dtype(dtype).kind in "iub":
        a = RNG.integers(-5, 6, size=shape)
    return np.asarray(a).astype(dtype)


def close(ours: object, ref: object) -> None:
    ours, ref = np.asarray(ours), np.asarray(ref)
    assert ours.shape == ref.shape and ours.dtype == ref.dtype
    if ref.dtype.kind in "fc":
        scale = max(float(np.max(np.abs(ref))) if ref.size else 0.0, 1.0)
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12 * scale)
    else:
        np.testing.assert_array_equal(ours, ref)


EXPRESSIONS = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk->ki", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("ij,jk->ik", [(40, 50), (50, 30)]),  # BLAS
    ("ij,kj->ik", [(40, 50), (30, 50)]),  # BLAS on a transposed operand
    ("bij,bjk->bik", [(4, 20, 30), (4, 30, 10)]),  # batched BLAS
    ("bij,bjk->kbi", [(4, 20, 30), (4, 30, 10)]),
    ("ij,jk->i", [(30, 40), (40, 50)]),  # private label summed before BLAS
    ("ij,jk->", [(30, 40), (40, 50)]),
    ("abc,cbd->ad", [(10, 12, 14), (14, 12, 9)]),  # two contracted labels
    ("ij,j->i", [(64, 64), (64,)]),
    ("i,i->", [(5000,), (5000,)]),
    ("i,j->ij", [(5,), (7,)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("iij->ij", [(3, 3, 4)]),
    ("ij->ji", [(3, 4)]),
    ("ij->", [(3, 4)]),
    ("ii,ij->j", [(30, 30), (30, 40)]),  # diagonal: numpy's own loop
    ("...ij,...jk->...ik", [(2, 3, 4), (4, 5)]),
    ("...ij,...jk->...ik", [(2, 30, 40), (2, 40, 50)]),
    ("...j,j->...", [(6, 6), (6,)]),
    ("...i->...", [(2, 3, 4)]),
    ("ij,jk->ik", [(3, 1), (4, 5)]),  # broadcast 1
    ("ij,jk->ik", [(30, 1), (40, 50)]),
    ("ij,jk,kl->il", [(10, 20), (20, 30), (30, 5)]),
    ("ij,jk,kl,lm->im", [(2, 3), (3, 4), (4, 5), (5, 6)]),
    ("abc,cd,de->abe", [(2, 3, 4), (4, 5), (5, 2)]),
    ("i,j,k->ijk", [(4,), (4,), (4,)]),
    ("i,i,i->", [(7,), (7,), (7,)]),
    (
        "ab,bc,cd,de,ef,fg,gh,hi->ai",
        [(3, 4), (4, 5), (5, 6), (6, 5), (5, 4), (4, 3), (3, 4), (4, 2)],
    ),
    (",ij->ij", [(), (3, 4)]),
]


@pytest.mark.parametrize(("subscripts", "shapes"), EXPRESSIONS, ids=[e[0] for e in EXPRESSIONS])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int64])
def test_values_equal_numpy(subscripts: str, shapes: list, dtype: type) -> None:
    ops = [arr(*s, dtype=dtype) for s in shapes]
    ref = np.einsum(subscripts, *ops)
    with flops.BudgetContext(10**12, quiet=True):
        ours = fnp.einsum(subscripts, *ops)
    assert isinstance(ours, fnp.ndarray)
    if dtype is np.float32:
        np.testing.assert_allclose(ours, ref, rtol=2e-4, atol=2e-4)
        assert np.asarray(ours).dtype == ref.dtype
    else:
        close(ours, ref)


def _numpy_route(subscripts: str, shapes: list) -> bool:
    """One or two operands that execute as numpy's own einsum (no BLAS plan)."""
    shapes_ = tuple(tuple(s) for s in shapes)
    return (
        len(shapes) <= 2 and execute.blas_plan(canonicalize(subscripts, shapes_), shapes_) is None
    )


@pytest.mark.parametrize(("subscripts", "shapes"), [e for e in EXPRESSIONS if _numpy_route(*e)])
def test_small_and_non_blas_are_numpys_bits(subscripts: str, shapes: list) -> None:
    ops = [arr(*s) for s in shapes]
    with flops.BudgetContext(10**12, quiet=True):
        ours = fnp.einsum(subscripts, *ops)
    np.testing.assert_array_equal(ours, np.einsum(subscripts, *ops))


@pytest.mark.parametrize("optimize", OPTIMIZE_VALUES, ids=str)
def test_every_optimize_value(optimize: object) -> None:
    ops = [arr(10, 20), arr(20, 30), arr(30, 5)]
    with flops.BudgetContext(10**12, quiet=True):
        ours = fnp.einsum("ij,jk,kl->il", *ops, optimize=optimize)
    close(ours, np.einsum("ij,jk,kl->il", *ops))


def test_numpy_path_form_and_two_operand_paths() -> None:
    a, b = arr(3, 4), arr(4, 5)
    with flops.BudgetContext(10**12, quiet=True):
        close(fnp.einsum("ij,jk->ik", a, b, optimize=["einsum_path", (0, 1)]), a @ b)
        close(fnp.einsum("ij,jk->ik", a, b, optimize=[(0, 1)]), a @ b)
        with pytest.raises(ValueError):
            fnp.einsum("ij,jk->ik", a, b, optimize=[(0, 2)])


def test_unknown_optimize_is_a_key_error_before_charging() -> None:
    with flops.BudgetContext(10**12, quiet=True) as budget:
        with pytest.raises(KeyError, match="greedy"):
            fnp.einsum("ij,jk->ik", arr(3, 4), arr(4, 5), optimize="fastest")
        with pytest.raises(TypeError):
            fnp.einsum("ij,jk->ik", arr(3, 4), arr(4, 5), optimize=3.5)
    assert budget.flops_used == 0 and budget.op_log == []


def test_eight_operands_execute_greedy() -> None:
    from flopscope._einsum.path import execution_strategy

    assert execution_strategy("auto", 8) == "greedy"
    assert execution_strategy("auto", 7) == "auto"
    assert execution_strategy("optimal", 9) == "optimal"


# -- out=, dtype=, order=, casting= --------------------------------------------------------


@pytest.mark.parametrize("shapes", [[(3, 4), (4, 5)], [(40, 50), (50, 30)]])
def test_out_is_written_and_returned(shapes: list) -> None:
    a, b = arr(*shapes[0]), arr(*shapes[1])
    out = np.zeros((shapes[0][0], shapes[1][1]))
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum("ij,jk->ik", a, b, out=out)
    assert r is out
    close(out, np.einsum("ij,jk->ik", a, b))


def test_out_three_operands_and_flopscope_out() -> None:
    ops = [arr(10, 20), arr(20, 30), arr(30, 5)]
    out = fnp.zeros((10, 5)) if hasattr(fnp, "zeros") else np.zeros((10, 5))
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum("ij,jk,kl->il", *ops, out=out)
    assert r is out
    close(np.asarray(out), np.einsum("ij,jk,kl->il", *ops))


def test_refused_call_leaves_out_untouched() -> None:
    a, b = arr(40, 50), arr(50, 30)
    out = np.full((40, 30), 7.0)
    with flops.BudgetContext(100, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.einsum("ij,jk->ik", a, b, out=out)
    assert (out == 7.0).all()
    assert budget.flops_used == 0 and budget.op_log == []


@pytest.mark.parametrize(
    "bad_out",
    [np.zeros((3, 5), dtype=np.float32), np.zeros((2, 3, 5)), np.zeros((5, 3))],
)
@pytest.mark.parametrize("shapes", [[(3, 4), (4, 5)], [(3, 400), (400, 5)]])
def test_bad_out_raises_like_numpy_without_trace(bad_out: np.ndarray, shapes: list) -> None:
    a, b = arr(*shapes[0]), arr(*shapes[1])
    with pytest.raises(Exception) as numpy_error:
        np.einsum("ij,jk->ik", a, b, out=bad_out.copy())
    before = bad_out.copy()
    with flops.BudgetContext(10**12, quiet=True) as budget:
        with pytest.raises(numpy_error.type):
            fnp.einsum("ij,jk->ik", a, b, out=bad_out)
    np.testing.assert_array_equal(bad_out, before)
    assert budget.flops_used == 0 and budget.op_log == []


def test_out_must_be_an_array() -> None:
    with flops.BudgetContext(10**12, quiet=True):
        with pytest.raises(TypeError):
            fnp.einsum("i,i->", arr(3), arr(3), out=[0.0])


@pytest.mark.parametrize("shapes", [[(3, 4), (4, 5)], [(40, 50), (50, 30)]])
def test_dtype_is_honoured(shapes: list) -> None:
    """DIFFERENCES 4: 0.4.0 dropped dtype=."""
    a, b = arr(*shapes[0], dtype=np.float32), arr(*shapes[1], dtype=np.float32)
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum("ij,jk->ik", a, b, dtype=np.float64)
        assert np.asarray(r).dtype == np.float64
        close(r, np.einsum("ij,jk->ik", a, b, dtype=np.float64))
        ai, bi = arr(*shapes[0], dtype=np.int64), arr(*shapes[1], dtype=np.int64)
        r = fnp.einsum("ij,jk->ik", ai, bi, dtype=np.float64)
        close(r, np.einsum("ij,jk->ik", ai, bi, dtype=np.float64))
        a64, b64 = arr(*shapes[0]), arr(*shapes[1])
        r = fnp.einsum("ij,jk->ik", a64, b64, dtype=np.float32, casting="unsafe")
        assert np.asarray(r).dtype == np.float32
        np.testing.assert_allclose(r, a64 @ b64, rtol=1e-4, atol=1e-3)
        with pytest.raises(TypeError):  # numpy's safe-casting refusal
            fnp.einsum("ij,jk->ik", a64, b64, dtype=np.float32)
    with pytest.raises(TypeError):
        np.einsum("ij,jk->ik", a64, b64, dtype=np.float32)


def test_dtype_three_operands() -> None:
    ops = [arr(4, 5, dtype=np.int64), arr(5, 6, dtype=np.int64), arr(6, 2, dtype=np.int64)]
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum("ij,jk,kl->il", *ops, dtype=np.complex128)
    close(r, np.einsum("ij,jk,kl->il", *ops, dtype=np.complex128))


@pytest.mark.parametrize("order", ["C", "F"])
def test_order(order: str) -> None:
    a, b = arr(40, 50), arr(50, 30)
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum("ij,jk->ki", a, b, order=order)
    assert np.asarray(r).flags[f"{order}_CONTIGUOUS"]
    close(r, np.einsum("ij,jk->ki", a, b))


# -- operands -------------------------------------------------------------------------------


def test_lists_and_scalars_are_converted_like_numpy() -> None:
    with flops.BudgetContext(10**12, quiet=True) as budget:
        r = fnp.einsum("i,i->", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
        s = fnp.einsum(",i->i", 2.0, [1, 2])
    assert float(r) == 32.0
    np.testing.assert_array_equal(s, np.einsum(",i->i", 2.0, [1, 2]))
    assert budget.flops_used == 5 + 2


def test_flopscope_arrays_in_and_out() -> None:
    a = np.ones((3, 4)).view(fnp.ndarray)
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum("ij,jk->ik", a, np.ones((4, 2)))
    assert type(r) is fnp.ndarray
    np.testing.assert_array_equal(r, np.full((3, 2), 4.0))


def test_interleaved_form_is_a_type_error() -> None:
    with flops.BudgetContext(10**12, quiet=True) as budget:
        with pytest.raises(TypeError, match="interleaved"):
            fnp.einsum(arr(3, 4), [0, 1], arr(4, 5), [1, 2])
    assert budget.flops_used == 0


def test_symmetry_argument_validates_before_charging_and_refunds() -> None:
    from flopscope.errors import SymmetryError

    with flops.BudgetContext(10**12, quiet=True) as budget:
        with pytest.raises(SymmetryError):  # (3, 5) output: unequal axes, refused pre-charge
            fnp.einsum("ij,jk->ik", arr(3, 4), arr(4, 5), symmetry=(0, 1))
        with pytest.raises(SymmetryError):  # square but not symmetric: computed, refunded
            fnp.einsum("ij,jk->ik", arr(3, 4), arr(4, 3), symmetry=(0, 1))
    assert budget.flops_used == 0 and budget.op_log == []
    a = arr(3, 4)
    r = fnp.einsum("ij,kj->ik", a, a, symmetry=(0, 1))
    assert type(r) is flops.SymmetricTensor


def test_bad_subscripts_raise_value_error_without_trace() -> None:
    with flops.BudgetContext(10**12, quiet=True) as budget:
        for bad in ("ij,jk->il", "ij,jk->ii", "ij->i->j", "i1"):
            with pytest.raises(ValueError):
                fnp.einsum(bad, arr(3, 4), arr(4, 5))
    assert budget.flops_used == 0 and budget.op_log == []


def test_blas_route_is_taken_for_large_matrix_products(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = np.matmul

    def spy(*args: object, **kw: object) -> object:
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(execute.np, "matmul", spy)
    a, b = arr(64, 64), arr(64, 64)
    with flops.BudgetContext(10**12, quiet=True):
        r = fnp.einsum("ij,jk->ik", a, b)
        assert calls, "a BLAS-able product must reach np.matmul"
        calls.clear()
        fnp.einsum("ij,jk->ik", a.astype(np.int64), b.astype(np.int64))
        assert not calls, "integer products stay in np.einsum"
    close(r, a @ b)


# -- property: random expressions ----------------------------------------------------------


@st.composite
def expressions(draw: st.DrawFn) -> tuple[str, list[tuple[int, ...]]]:
    letters = "ijklm"
    sizes = {c: draw(st.integers(1, 12)) for c in letters}
    n = draw(st.integers(1, 4))
    terms = [draw(st.lists(st.sampled_from(letters), max_size=3)) for _ in range(n)]
    used = sorted({c for t in terms for c in t})
    out = draw(st.permutations(used))[: draw(st.integers(0, len(used)))]
    subscripts = ",".join("".join(t) for t in terms) + "->" + "".join(out)
    return subscripts, [tuple(sizes[c] for c in t) for t in terms]


@settings(max_examples=150, deadline=None)
@given(expressions(), st.sampled_from([False, True, "greedy", "optimal", "dp", "branch-1"]))
def test_random_expressions_match_numpy(expr: tuple, optimize: object) -> None:
    subscripts, shapes = expr
    ops = [arr(*s) for s in shapes]
    with flops.BudgetContext(10**15, quiet=True):
        ours = fnp.einsum(subscripts, *ops, optimize=optimize)
    close(ours, np.einsum(subscripts, *ops))
