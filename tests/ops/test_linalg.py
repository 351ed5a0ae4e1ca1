"""The ``linalg`` rows: declarations, formulas and shape-only ``inputs``."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.backends._base import Shaped
from flopscope.backends._standard import EXTENSIONS
from flopscope.costs.formulas import FORMULAS
from flopscope.costs.linalg import chain_order_cost, power_products
from flopscope.costs.weights import packaged_weights
from flopscope.ops import all_ops, lookup
from flopscope.ops import linalg as rows

ROWS = [op for op in all_ops() if op.module == "linalg"]
WEIGHT4 = (
    "cholesky cond det eig eigh eigvals eigvalsh inv lstsq matrix_rank pinv qr slogdet solve "
    "svd svdvals tensorinv tensorsolve"
).split()
WEIGHT1 = "norm vector_norm matrix_norm trace matrix_power multi_dot cross diagonal".split()
SHARED = {"matmul", "outer", "tensordot", "vecdot"}  # top-level contraction rows, also_in


# -- declarations -------------------------------------------------------------------------


def test_thirty_one_public_names_in_fnp_linalg() -> None:
    names = {op.name[len("linalg.") :] for op in ROWS}
    assert names == set(WEIGHT4) | set(WEIGHT1) | {"matrix_transpose"}
    served = {op.public_names[0] for op in all_ops() if "linalg" in (op.module, *op.also_in)}
    assert served == names | SHARED and len(served) == 31


@pytest.mark.parametrize("name", WEIGHT4 + WEIGHT1)
def test_counted_rows(name: str) -> None:
    op = lookup(name, "linalg")
    assert op.name == f"linalg.{name}" and op.module == "linalg" and op.also_in == ()
    assert (op.kind, op.family) == ("custom", "linalg")
    assert op.weight == (4.0 if name in WEIGHT4 else 1.0)
    assert op.formula in FORMULAS and op.inputs is not None
    assert op.impl is getattr(np.linalg, name)
    assert packaged_weights()[op.name] == op.weight


def test_matrix_transpose_is_free() -> None:
    op = lookup("matrix_transpose", "linalg")
    assert (op.kind, op.formula, op.counted) == ("free", None, False)
    assert "linalg.matrix_transpose" not in packaged_weights()


def test_array_api_names_cover_the_standard_linalg_extension() -> None:
    served = {op.array_api for op in all_ops() if "linalg" in (op.module, *op.also_in)}
    served.discard(None)
    mine = {op.array_api for op in ROWS if op.array_api}
    assert all(op.array_api in (None, op.name[len("linalg.") :]) for op in ROWS)
    assert mine == (
        set(
            "cholesky cross det diagonal eigh eigvalsh inv matrix_norm matrix_power "
            "matrix_rank matrix_transpose pinv qr slogdet solve svd svdvals trace "
            "vector_norm".split()
        )
    )
    assert mine <= EXTENSIONS["linalg"] and served <= EXTENSIONS["linalg"]


# -- formulas by hand (spec §2.6 figures, unweighted) --------------------------------------


def f(key: str, *inputs: object, convention: str = "exact") -> int:
    return FORMULAS[key](inputs, convention)


def test_factorization_formulas() -> None:
    assert f("svd", (4, 5), None) == 80
    assert f("svd", (6, 4), 2) == 48
    assert f("svd", (3, 6, 4), None) == 288
    assert f("linalg.mn_min", (6, 4)) == 96
    assert f("linalg.mn_min", (2, 4, 3)) == 72
    assert f("linalg.cubic", (4, 4)) == 64
    assert f("linalg.cubic", (3, 5, 5)) == 375
    assert f("linalg.cubic", (0, 0)) == f("linalg.cubic", (0, 3, 3)) == 0
    assert f("linalg.matrix_rank", (5,)) == 5 and f("linalg.matrix_rank", ()) == 1
    assert f("linalg.matrix_rank", (4, 5)) == 80


def test_solver_formulas() -> None:
    assert f("linalg.lstsq", (5, 4), (5,)) == 248
    assert f("linalg.lstsq", (4, 6), (4,)) == 260
    assert f("linalg.lstsq", (6, 4), (6, 3)) == 324
    assert f("linalg.lstsq", (3, 3), (3, 1)) == 60
    assert f("linalg.lstsq", (0, 4), (0, 2)) == f("linalg.lstsq", (3, 0), (3,)) == 0
    assert f("linalg.pinv", (4, 5)) == 244
    assert f("linalg.pinv", (6, 4)) == 284
    assert f("linalg.pinv", (2, 4, 3)) == 216
    assert f("linalg.pinv", (0, 3)) == 0
    assert f("linalg.tensorsolve", (2, 2, 2, 2), 2) == 64
    assert f("linalg.tensorsolve", (4, 4), 1) == 64  # DIFFERENCES 7: n = prod(a.shape[b.ndim:])
    assert f("linalg.tensorsolve", (6, 2, 3), 2) == 27  # 0.4.0's fixed ind of the helper
    assert f("linalg.tensorinv", (6, 2, 3), 1) == 216
    assert f("linalg.tensorinv", (2, 3, 6), 2) == 216


def test_cond_formula() -> None:
    assert f("linalg.cond", (4, 4), None) == f("linalg.cond", (4, 4), 2.0) == 64
    assert f("linalg.cond", (4, 4), -2.0) == 64
    for p in (1.0, -1.0, math.inf, -math.inf, "fro", "nuc"):
        assert f("linalg.cond", (5, 5), p) == 150
    assert f("linalg.cond", (2, 5, 5), 1.0) == 300


def test_norm_formulas() -> None:
    assert f("linalg.norm", (7,), None, None) == 14
    assert f("linalg.norm", (4, 5), None, None) == 40
    assert f("linalg.norm", (6, 4), 2.0, None) == 4 * 96
    assert f("linalg.norm", (6, 4), "nuc", None) == 4 * 96
    assert f("linalg.norm", (6, 4), 1.0, None) == 48
    assert f("linalg.norm", (2, 3, 4), None, None) == 48
    assert f("linalg.norm", (), None, None) == 0  # 0.4.0 bills a 0-d norm nothing
    # DIFFERENCES 5: with axis, every input element is billed
    assert f("linalg.norm", (6, 4), None, (1,)) == 48
    assert f("linalg.norm", (2, 3, 4), None, (1, 2)) == 48
    assert f("linalg.norm", (2, 3, 4), 2.0, (1, 2)) == 2 * 4 * 36
    assert f("linalg.norm", (3, 5, 4), -2.0, (2, 0)) == 5 * 4 * 4 * 3 * 3
    assert f("linalg.vector_norm", (6, 4), 2.0, (0,)) == 48
    assert f("linalg.vector_norm", (), 2.0, None) == 2
    assert f("linalg.vector_norm", (0, 3), 1.0, None) == 0
    # matrix_norm keeps 0.4.0's count of one matrix whatever the batch
    assert f("linalg.matrix_norm", (4, 5), "fro") == 40
    assert f("linalg.matrix_norm", (2, 3, 4), "fro") == 24
    assert f("linalg.matrix_norm", (2, 3, 4), 2.0) == 144
    assert f("linalg.matrix_norm", (4, 5), math.inf) == 40


def test_small_op_formulas() -> None:
    assert f("linalg.trace", (4, 4), 0) == 4
    assert f("linalg.trace", (3, 5), 1) == 3
    assert f("linalg.trace", (4, 4), 1) == 3
    assert f("linalg.trace", (4, 4), -9) == 1  # at least 1
    assert f("linalg.trace", (2, 3, 3), 0) == 6
    assert f("linalg.diagonal", (2, 3, 3), 0) == 3  # 0.4.0: batch not multiplied
    assert f("linalg.diagonal", (3, 0), 0) == 0
    assert f("linalg.cross", (5, 3), (3,)) == 75
    assert f("linalg.cross", (2, 4, 3), (4, 3)) == 120


def test_matrix_power_formula() -> None:
    per = 2 * 4**3 - 4**2
    assert [f("linalg.matrix_power", (4, 4), k) for k in (0, 1, 2, 3, 5, 8, 13)] == [
        0,
        0,
        per,
        2 * per,
        3 * per,
        3 * per,
        5 * per,
    ]
    assert f("linalg.matrix_power", (4, 4), -1) == per
    assert f("linalg.matrix_power", (4, 4), -3) == 3 * per
    assert f("linalg.matrix_power", (3, 2, 2), 2) == 3 * 12
    assert f("linalg.matrix_power", (0, 0), 5) == 0


def test_multi_dot_formula() -> None:
    assert f("linalg.multi_dot", ((3, 4), (4, 5), (5, 4))) == 240
    assert f("linalg.multi_dot", ((10, 20), (20, 30))) == 12000
    assert f("linalg.multi_dot", ((10, 20), (20, 30), (30, 5))) == 8000
    assert f("linalg.multi_dot", ((2, 3), (3, 4), (4, 5), (5, 6))) == 248
    # 0.4.0's chain dims: a 1-D first operand counts as n×n, a 1-D last one as its length
    assert f("linalg.multi_dot", ((4,), (4, 5), (5,))) == 360
    assert f("linalg.multi_dot", ((4,), (4, 5), (5, 3))) == 216


def test_factorizations_ignore_the_convention_products_follow_it() -> None:
    for key, inputs in [
        ("svd", ((6, 4), None)),
        ("linalg.cubic", ((3, 5, 5),)),
        ("linalg.mn_min", ((6, 4),)),
        ("linalg.lstsq", ((5, 4), (5,))),
        ("linalg.norm", ((6, 4), 2.0, None)),
        ("linalg.cross", ((5, 3), (3,))),
    ]:
        assert len({FORMULAS[key](inputs, c) for c in ("exact", "fma", "mac")}) == 1, key
    n = 4
    assert f("linalg.matrix_power", (n, n), 2, convention="fma") == 2 * n**3
    assert f("linalg.matrix_power", (n, n), 2, convention="mac") == n**3
    assert f("linalg.multi_dot", ((3, 4), (4, 5), (5, 4)), convention="fma") == 240
    assert f("linalg.multi_dot", ((3, 4), (4, 5), (5, 4)), convention="mac") == 120
    # pinv of 4×5: m·n·k + k + n·k, then the (5×4)·(4×4) reconstruction
    assert f("linalg.pinv", (4, 5), convention="fma") == 80 + 4 + 20 + 2 * 5 * 4 * 4
    assert f("linalg.pinv", (4, 5), convention="mac") == 80 + 4 + 20 + 5 * 4 * 4
    assert f("linalg.lstsq", (6, 4), (6, 3), convention="mac") == 96 + 72 + 12 + 48


# -- properties ----------------------------------------------------------------------------


def _brute_chain(dims: list[int]) -> int:
    """Cheapest parenthesisation by enumerating every split (independent of the DP)."""
    if len(dims) <= 2:
        return 0
    return min(
        _brute_chain(dims[: s + 1]) + _brute_chain(dims[s:]) + dims[0] * dims[s] * dims[-1]
        for s in range(1, len(dims) - 1)
    )


@given(st.lists(st.integers(1, 30), min_size=3, max_size=7))
def test_chain_order_is_optimal(dims: list[int]) -> None:
    assert chain_order_cost(dims) == _brute_chain(dims)


def _numpy_products(k: int) -> int:
    """Matrix products ``numpy.linalg.matrix_power`` performs for a**k, k >= 2 (its loop,
    replayed with a counter instead of matrices)."""
    if k <= 3:
        return k - 1
    count, z, result = 0, None, None
    while k > 0:
        if z is None:
            z = True
        else:
            count += 1  # z = z @ z
        k, bit = divmod(k, 2)
        if bit:
            if result is None:
                result = True
            else:
                count += 1  # result = result @ z
    return count


@given(st.integers(2, 10_000))
def test_power_products_are_binary_exponentiation(k: int) -> None:
    assert power_products(k) == _numpy_products(k)
    assert power_products(-k) == 1 + power_products(k)


@given(st.lists(st.integers(0, 5), min_size=0, max_size=4), st.data())
def test_norm_with_axis_bills_every_input_element(shape: list[int], data) -> None:
    shape_t = tuple(shape)
    numel = math.prod(shape_t)
    if len(shape_t) >= 1:
        ax = data.draw(st.integers(0, len(shape_t) - 1))
        assert f("linalg.norm", shape_t, None, (ax,)) == 2 * numel
        assert f("linalg.vector_norm", shape_t, 1.0, (ax,)) == 2 * numel
    if len(shape_t) >= 2:
        pair = data.draw(st.permutations(range(len(shape_t))))[:2]
        m, n = shape_t[pair[0]], shape_t[pair[1]]
        rest = math.prod(d for i, d in enumerate(shape_t) if i not in pair)
        assert f("linalg.norm", shape_t, "fro", tuple(pair)) == 2 * numel
        assert f("linalg.norm", shape_t, "nuc", tuple(pair)) == rest * 4 * m * n * min(m, n)


# -- inputs read shapes only ----------------------------------------------------------------


def S(*shape: int) -> Shaped:
    """A shape-only stand-in: pricing must never need data."""
    return Shaped(tuple(shape))


def test_inputs_price_shape_only_stand_ins() -> None:
    assert rows.svd_inputs(S(6, 4), k=2) == ((6, 4), 2)
    assert rows.square_inputs(S(3, 5, 5)) == ((3, 5, 5),)
    assert rows.solve_inputs(S(4, 4), S(4)) == ((4, 4),)
    assert rows.solve_inputs(S(3, 4, 4), S(4)) == ((3, 4, 4),)
    assert rows.solve_inputs(S(4, 4), S(2, 4, 7)) == ((2, 4, 4),)  # b's batch broadcasts
    assert rows.lstsq_inputs(S(6, 4), S(6, 3)) == ((6, 4), (6, 3))
    assert rows.tensorsolve_inputs(S(2, 2, 2, 2), S(2, 2)) == ((2, 2, 2, 2), 2)
    assert rows.tensorsolve_inputs(S(4, 4), S(4)) == ((4, 4), 1)
    assert rows.tensorsolve_inputs(S(6, 2, 3), S(6)) == ((6, 2, 3), 1)
    assert rows.tensorsolve_inputs(S(2, 3, 6), S(6), axes=(0, 1)) == ((6, 2, 3), 1)
    assert rows.tensorinv_inputs(S(4, 2, 2), ind=1) == ((4, 2, 2), 1)
    assert rows.cond_inputs(S(5, 5), "fro") == ((5, 5), "fro")
    assert rows.norm_inputs(S(6, 4), axis=-1) == ((6, 4), None, (1,))
    assert rows.norm_inputs(S(6, 4), "f") == ((6, 4), "fro", None)
    assert rows.norm_inputs(S(2, 3, 4), 2, (1, 2)) == ((2, 3, 4), 2.0, (1, 2))
    assert rows.vector_norm_inputs(S(2, 3, 4), axis=(-1, 0)) == ((2, 3, 4), 2.0, (2, 0))
    assert rows.matrix_norm_inputs(S(2, 3, 4), ord=np.inf) == ((2, 3, 4), math.inf)
    assert rows.matrix_power_inputs(S(4, 4), np.int64(3)) == ((4, 4), 3)
    assert rows.multi_dot_inputs([S(4), S(4, 5), S(5)]) == (((4,), (4, 5), (5,)),)
    assert rows.trace_inputs(S(3, 5), offset=1) == ((3, 5), 1)
    assert rows.cross_inputs(S(5, 3), S(3)) == ((5, 3), (3,))


@pytest.mark.parametrize(
    ("fn", "args", "kwargs", "exc"),
    [
        (rows.square_inputs, (S(3),), {}, np.linalg.LinAlgError),
        (rows.square_inputs, (S(2, 3),), {}, np.linalg.LinAlgError),
        (rows.svd_inputs, (S(5),), {}, np.linalg.LinAlgError),
        (rows.hermitian_inputs, (S(3),), {"UPLO": "X"}, ValueError),
        (rows.svd_inputs, (S(6, 4),), {"k": 5}, ValueError),
        (rows.svd_inputs, (S(6, 4),), {"k": 0}, ValueError),
        (rows.svd_inputs, (S(6, 4),), {"k": 2.5}, TypeError),
        (rows.qr_inputs, (S(3, 3),), {"mode": "x"}, ValueError),
        (rows.solve_inputs, (S(3, 4, 4), S(3, 4)), {}, ValueError),
        (rows.solve_inputs, (S(4, 4), S(5)), {}, ValueError),
        (rows.lstsq_inputs, (S(3, 2, 2), S(3, 2)), {}, np.linalg.LinAlgError),
        (rows.lstsq_inputs, (S(4, 2), S(3)), {}, np.linalg.LinAlgError),
        (rows.tensorsolve_inputs, (S(3, 2, 6), S(3, 2)), {"axes": (0,)}, np.linalg.LinAlgError),
        (rows.tensorinv_inputs, (S(2, 3),), {"ind": 0}, ValueError),
        (rows.tensorinv_inputs, (S(2, 4),), {"ind": 1}, np.linalg.LinAlgError),
        (rows.cond_inputs, (S(0, 0),), {}, np.linalg.LinAlgError),
        (rows.cond_inputs, (S(2, 3),), {"p": 1}, np.linalg.LinAlgError),
        (rows.cond_inputs, (S(3, 3),), {"p": 3}, ValueError),
        (rows.norm_inputs, (S(2, 2, 2),), {"ord": 2}, ValueError),
        (rows.norm_inputs, (S(2, 2),), {"ord": 3}, ValueError),
        (rows.norm_inputs, (S(3),), {"ord": "fro"}, ValueError),
        (rows.norm_inputs, (S(2, 2),), {"axis": (0, 0)}, ValueError),
        (rows.norm_inputs, (S(2, 2),), {"axis": 2}, np.exceptions.AxisError),
        (rows.norm_inputs, (S(2, 2),), {"axis": "a"}, TypeError),
        (rows.matrix_norm_inputs, (S(3),), {}, np.exceptions.AxisError),
        (rows.matrix_power_inputs, (S(2, 2), 1.5), {}, TypeError),
        (rows.multi_dot_inputs, ([S(3, 3)],), {}, ValueError),
        (rows.multi_dot_inputs, ([S(3, 3), S(3), S(3, 3)],), {}, np.linalg.LinAlgError),
        (rows.multi_dot_inputs, ([S(3, 4), S(5, 3), S(3, 3)],), {}, ValueError),
        (rows.trace_inputs, (S(3),), {}, ValueError),
        (rows.cross_inputs, (S(2), S(2)), {}, ValueError),
    ],
)
def test_inputs_raise_numpys_exception_type(fn, args, kwargs, exc) -> None:
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert type(info.value) is exc


def test_every_counted_row_documents_a_nonzero_example() -> None:
    for op in ROWS:
        assert op.examples, op.name
        if op.counted:
            assert any(ex.flops > 0 for ex in op.examples), op.name
            assert op.examples[0].call.startswith(f"fnp.linalg.{op.name[7:]}("), op.name


def test_same_formula_key_for_the_same_rule() -> None:
    keys = {op.name[7:]: op.formula for op in ROWS if op.counted}
    cubic = [n for n, k in keys.items() if k == "linalg.cubic"]
    assert sorted(cubic) == sorted(
        "cholesky eig eigh eigvals eigvalsh det slogdet inv solve".split()
    )
    assert {keys["qr"], keys["svdvals"]} == {"linalg.mn_min"}
    pairs = list(itertools.combinations(["svd", "lstsq", "pinv", "cond", "norm"], 2))
    assert all(keys[a] != keys[b] for a, b in pairs)


# -- the same rows serve the Array API namespaces -------------------------------------------

NS_CALLS = [
    ("cholesky", "spd", (), {"upper": True}),
    ("det", "sq", (), {}),
    ("eigh", "spd", (), {}),
    ("inv", "sq", (), {}),
    ("matrix_norm", "gen", (), {"ord": 2}),
    ("matrix_power", "sq", (3,), {}),  # the standard's n is positional-only
    ("matrix_rank", "gen", (), {}),
    ("pinv", "gen", (), {}),
    ("qr", "gen", (), {"mode": "complete"}),
    ("svd", "gen", (), {"full_matrices": False}),
    ("svdvals", "gen", (), {}),
    ("trace", "sq", (), {"offset": 1}),
    ("diagonal", "sq", (), {}),
    ("vector_norm", "gen", (), {"axis": 0, "ord": 1}),
]


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict"])
@pytest.mark.parametrize(("name", "kind", "args", "kwargs"), NS_CALLS, ids=[c[0] for c in NS_CALLS])
def test_namespace_functions_bill_like_fnp(
    backend: str, name: str, kind: str, args, kwargs
) -> None:
    base = {"sq": np.eye(4) * 4 + 1, "gen": np.linspace(0.1, 0.9, 20).reshape(4, 5)}
    a = base["sq"] + base["sq"].T if kind == "spd" else base[kind]
    xp = flops.namespace(backend)
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
        getattr(fnp.linalg, name)(a, *args, **kwargs)
        via_fnp = budget.flops_used
        getattr(xp.linalg, name)(xp.asarray(a), *args, **kwargs)
    assert via_fnp > 0 and budget.flops_used == 2 * via_fnp
    linalg = [r.op_name for r in budget.op_log if r.op_name.startswith("linalg.")]
    assert linalg == [f"linalg.{name}"] * 2
