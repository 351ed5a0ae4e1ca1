"""Symmetry-aware einsum cost: spec 4.6 figures, the brute-force checker, properties."""

from __future__ import annotations

import math
import string
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from _symmetry.brute_force import brute_cost
from flopscope._einsum.parse import canonicalize
from flopscope._symmetry.einsum_cost import output_symmetry, symmetric_accumulation
from flopscope.errors import CostFallbackWarning, SymmetryError

S2 = ((1, 0),)
S3 = ((1, 0, 2), (1, 2, 0))


def charged(fn, *args, **kwargs) -> int:
    with flops.BudgetContext(10**15, quiet=True) as b:
        fn(*args, **kwargs)
        return b.flops_used


def sym(a: np.ndarray, axes: tuple = (0, 1)):
    return flops.as_symmetric(a, symmetry=axes)


def _sym_matrix(n: int, seed: int) -> np.ndarray:
    a = np.random.default_rng(seed).random((n, n))
    return a + a.T


def _s3(n: int) -> np.ndarray:
    t = np.arange(float(n**3)).reshape(n, n, n)
    return sum(t.transpose(p) for p in [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1),
                                         (2, 1, 0)])  # fmt: skip


# -- spec 4.6: the worked example and the measured table ---------------------------------


def test_gram_same_object_and_distinct_equal_arrays() -> None:
    X = np.linspace(0.0, 1.0, 10_000).reshape(100, 100)
    assert charged(fnp.einsum, "ij,ik->jk", X, X) == 1_004_950
    assert charged(fnp.einsum, "ij,ik->jk", X, X.copy()) == 1_990_000
    # fnp.ones is tagged S2 by inference; the tag adds nothing to this expression
    Y = fnp.ones((100, 100))
    assert charged(fnp.einsum, "ij,ik->jk", Y, Y) == 1_004_950


def test_gram_result_is_symmetric_tensor() -> None:
    X = np.random.default_rng(0).random((6, 4))
    r = fnp.einsum("ij,ik->jk", X, X)
    assert type(r) is flops.SymmetricTensor
    assert r.symmetry == flops.SymmetryGroup.symmetric(axes=(0, 1))
    np.testing.assert_allclose(np.asarray(r), X.T @ X)
    assert type(fnp.einsum("ij,ik->jk", X, X.copy())) is fnp.ndarray


def test_table_of_spec_4_6() -> None:
    S, S2_ = sym(_sym_matrix(5, 1)), sym(_sym_matrix(5, 2))
    X = np.random.default_rng(3).random((5, 5))
    v5 = np.linspace(0.1, 0.9, 5)
    v7 = np.linspace(0.1, 0.9, 7)
    v4 = np.linspace(0.1, 0.9, 4)
    T = sym(_s3(4), (0, 1, 2))
    big = sym(_sym_matrix(100, 4))
    assert charged(fnp.einsum, "ij,jk->ik", X, X) == 225
    assert charged(fnp.einsum, "ij,jk->ik", S, S) == 135
    assert charged(fnp.einsum, "ij,jk->ik", S, S2_) == 225
    assert charged(fnp.einsum, "ij,ji->", S, S2_) == 29
    assert charged(fnp.einsum, "ij,j->i", S, v5) == 45
    assert charged(fnp.einsum, "ai,bi->ab", X, X) == 135
    assert charged(fnp.einsum, "ij->i", S) == 20
    assert charged(fnp.einsum, "ijk->ij", T) == 30
    assert charged(fnp.einsum, "ijk->", T) == 19
    assert charged(fnp.einsum, "i,j->ij", v7, v7) == 28
    assert charged(fnp.einsum, "i,i->", v7, v7) == 13
    assert charged(fnp.einsum, "i,j,k->ijk", v4, v4, v4) == 30
    assert charged(fnp.einsum, "ij,jk,kl->il", S, S, S) == 270
    assert charged(fnp.einsum, "ij,ij->", big, big) == 10_099


def test_table_dense_column() -> None:
    # the same calls with distinct plain copies bill the dense column
    X = np.random.default_rng(3).random((5, 5))
    v7, v4 = np.linspace(0.1, 0.9, 7), np.linspace(0.1, 0.9, 4)
    assert charged(fnp.einsum, "ij,ji->", X, X.copy()) == 49
    assert charged(fnp.einsum, "ijk->", np.ones((4, 4, 4)).view(np.ndarray)) == 63
    assert charged(fnp.einsum, "i,j->ij", v7, v7.copy()) == 49
    assert charged(fnp.einsum, "i,j,k->ijk", v4, v4.copy(), v4.copy()) == 80
    assert charged(fnp.einsum, "ij,jk,kl->il", X, X.copy(), X.copy()) == 450


def test_k3_steps_and_cost_source() -> None:
    v = np.linspace(0.1, 0.9, 4)
    acc = flops.einsum_accumulation_cost("i,j,k->ijk", v, v, v)
    assert acc.total == 30
    assert [s.total for s in acc.per_step] == [10, 20]
    assert acc.per_step[1].cost_source in ("joint-burnside", "output-burnside")
    S = sym(_sym_matrix(5, 1))
    acc = flops.einsum_accumulation_cost("ij,jk,kl->il", S, S, S)
    assert [s.total for s in acc.per_step] == [135, 135]
    assert acc.per_step[1].cost_source == "output-burnside"
    assert acc.path is not None and len(acc.path) == 2


def test_more_reference_figures() -> None:
    # einsum-symmetric reference cases (also run strictly by tests/test_reference_cases.py)
    T = sym(_s3(4), (0, 1, 2))
    M = np.linspace(0.1, 0.9, 16).reshape(4, 4)
    assert charged(fnp.einsum, "ijk,jl,km->ilm", T, M, M) == 560
    assert charged(fnp.einsum, "ijk,ijk->", T, T) == 39
    assert charged(fnp.einsum, "ijk->ik", sym(_s3(5), (0, 1, 2))) == 60
    C = np.arange(27.0).reshape(3, 3, 3)
    C = C + C.transpose(1, 2, 0) + C.transpose(2, 0, 1)
    CS = flops.as_symmetric(C, symmetry=flops.SymmetryGroup.cyclic(axes=(0, 1, 2)))
    assert charged(fnp.einsum, "ijk->", CS) == 10
    assert charged(fnp.einsum, "ijk,k->ij", CS, np.ones(3).view(np.ndarray)) == 45


# -- bilinear ops bill what einsum bills (DIFFERENCES 2) ------------------------------------


def test_bilinear_ops_are_identity_aware() -> None:
    S = sym(_sym_matrix(5, 1))
    X = np.linspace(0.1, 0.9, 12).reshape(3, 4)
    assert charged(fnp.matmul, S, S) == charged(fnp.dot, S, S) == 135
    assert charged(lambda: S @ S) == 135
    assert charged(fnp.inner, X, X) == 42  # 'az,bz->ab': a,b swap
    assert charged(fnp.tensordot, X, X, axes=([0], [0])) == 50  # 3·10 + 3·10 − 10
    assert charged(fnp.outer, X[:2, :3].copy(), X[:2, :3].copy()) == 36
    Y = X[:2, :3].copy()
    assert charged(fnp.outer, Y, Y) == 21  # 6·7/2 distinct products
    assert charged(fnp.vdot, X, X) == 23
    assert type(fnp.matmul(S, S)) is flops.SymmetricTensor


# -- declared output symmetry and out= ------------------------------------------------------


def test_declared_output_symmetry_does_not_change_cost() -> None:
    X = np.linspace(0.1, 0.9, 25).reshape(5, 5)
    assert charged(fnp.einsum, "ij,ik->jk", X, X, symmetry=(0, 1)) == 135
    r = fnp.einsum("ij,ik->jk", X, X.copy(), symmetry=(0, 1))
    assert type(r) is flops.SymmetricTensor


def test_declared_symmetry_that_does_not_hold_is_refused_and_refunded() -> None:
    A, X = np.arange(25.0).reshape(5, 5), np.linspace(0.1, 0.9, 25).reshape(5, 5)
    with flops.BudgetContext(10**9, quiet=True) as b:
        with pytest.raises(SymmetryError):
            fnp.einsum("ij,jk->ik", A, X, symmetry=(0, 1))
        assert b.flops_used == 0
        with pytest.raises(ValueError):
            fnp.einsum("ij,jk->ik", A, X, symmetry=(0, 1, 2))
        assert b.flops_used == 0


def test_out_symmetric_tensor_must_match() -> None:
    X = np.random.default_rng(0).random((5, 5))
    good = sym(np.zeros((5, 5)))
    assert fnp.einsum("ij,ik->jk", X, X, out=good) is good
    bad = sym(np.zeros((5, 5)))
    with flops.BudgetContext(10**9, quiet=True) as b:
        with pytest.raises(SymmetryError):
            fnp.einsum("ij,jk->ik", X, X.copy(), out=bad)
        assert b.flops_used == 0 and not b.summary_dict()["operations"]
    np.testing.assert_array_equal(bad, 0.0)
    lenient = fnp.zeros((5, 5))  # inferred tag: lenient
    fnp.einsum("ij,jk->ik", X, X.copy(), out=lenient)


# -- accounting -----------------------------------------------------------------------------


def test_accounting_einsum_cost_with_patterns() -> None:
    shapes = [(100, 100), (100, 100)]
    assert flops.accounting.einsum_cost("ij,ik->jk", shapes, identity_pattern=((0, 1),)) == (
        1_004_950
    )
    assert flops.accounting.einsum_cost("ij,ik->jk", shapes) == 1_990_000
    g = flops.SymmetryGroup.symmetric(axes=(0, 1))
    small = [(5, 5), (5, 5)]
    assert flops.accounting.einsum_cost("ij,jk->ik", small, [g, g], ((0, 1),)) == 135
    assert flops.accounting.einsum_cost("ij,jk->ik", small, [(0, 1), (0, 1)]) == 225
    assert flops.accounting.einsum_cost("ij,ji->", small, [g, g]) == 29
    with pytest.raises(ValueError):
        flops.accounting.einsum_cost("ij,jk->ik", [(5, 5), (5, 4)], None, ((0, 1),))


def test_readme_accumulation_fields() -> None:
    a = flops.einsum_accumulation_cost("ij,jk->ik", np.zeros((256, 256)), np.zeros((256, 256)))
    assert a.total == 33_488_896
    assert a.mu == a.alpha == a.m_total == a.dense_baseline == 16_777_216
    assert a.num_terms == 2
    assert [c.regime_id for c in a.per_component] == ["trivial"] * 3
    assert a.savings_ratio == 33_488_896 / (2 * 16_777_216)
    assert a.describe()["total"] == 33_488_896


def test_gram_components() -> None:
    X = np.zeros((100, 100)).view(np.ndarray)
    a = flops.einsum_accumulation_cost("ij,ik->jk", X, X)
    assert a.total == 1_004_950
    comps = {c.labels: c for c in a.per_component}
    jk = comps[("j", "k")]
    assert (jk.m, jk.alpha, jk.num_output_orbits) == (5050, 5050, 5050)
    assert jk.regime_id == "functionalProjection" and jk.group_name == "S2{j,k}"
    assert jk.group_order == 2 and jk.va == ("j", "k") and jk.wa == ()
    i = comps[("i",)]
    assert (i.m, i.alpha, i.num_output_orbits, i.regime_id) == (100, 100, 1, "trivial")
    assert a.mu == 505_000 and a.alpha == 505_000


def test_regimes() -> None:
    S = sym(_sym_matrix(5, 1))
    (c,) = flops.einsum_accumulation_cost("ij->i", S).per_component
    assert (c.regime_id, c.alpha, c.m, c.num_output_orbits) == ("singleton", 25, 15, 5)
    T = sym(_s3(4), (0, 1, 2))
    (c,) = flops.einsum_accumulation_cost("ijk->ij", T).per_component
    assert (c.regime_id, c.alpha, c.num_output_orbits) == ("young", 40, 10)
    assert [s.decision for s in c.regime_trace][-1] == "fired"
    # cyclic group with a summed label: neither functional nor young -> partition count
    C = np.arange(27.0).reshape(3, 3, 3)
    C = C + C.transpose(1, 2, 0) + C.transpose(2, 0, 1)
    CS = flops.as_symmetric(C, symmetry=flops.SymmetryGroup.cyclic(axes=(0, 1, 2)))
    acc = flops.einsum_accumulation_cost("ijk->ij", CS)
    (c,) = acc.per_component
    assert c.regime_id == "partitionCount"
    expected = brute_cost("ijk->ij", [(3, 3, 3)], [[(1, 2, 0)]], [0])
    assert acc.total == expected


def test_partition_budget_fallback_warns_and_bills_dense() -> None:
    C = np.arange(27.0).reshape(3, 3, 3)
    C = C + C.transpose(1, 2, 0) + C.transpose(2, 0, 1)
    CS = flops.as_symmetric(C, symmetry=flops.SymmetryGroup.cyclic(axes=(0, 1, 2)))
    with pytest.warns(CostFallbackWarning):
        acc = flops.einsum_accumulation_cost("ijk->ij", CS, partition_budget=3)
    assert acc.fallback_used and acc.total == 27 - 9


def test_more_than_eight_equal_axes_fall_back_to_dense() -> None:
    # DIFFERENCES 6: nine identical operands: S9 is past the enumeration budget
    v = np.linspace(0.1, 0.9, 2)
    letters = "abcdefghi"
    sub = ",".join(letters) + "->" + letters
    with pytest.warns(CostFallbackWarning):
        got = charged(fnp.einsum, sub, *([v] * 9))
    copies = [v.copy() for _ in range(9)]
    assert got == charged(fnp.einsum, sub, *copies)
    # eight still count symmetrically
    sub8 = ",".join(letters[:8]) + "->" + letters[:8]
    with warnings.catch_warnings():
        warnings.simplefilter("error", CostFallbackWarning)
        assert charged(fnp.einsum, sub8, *([v] * 8)) < charged(
            fnp.einsum, sub8, *[v.copy() for _ in range(8)]
        )


# -- conventions and re-pricing ------------------------------------------------------------


def test_fma_and_mac_conventions() -> None:
    # exact = μ + α − O; fma = μ + α (a multiply-add is 2); mac = μ (one per multiply-add)
    shapes = [(100, 100), (100, 100)]
    pattern = ((0, 1),)
    ec = flops.accounting.einsum_cost
    assert ec("ij,ik->jk", shapes, None, pattern, cost_model="fma") == 1_010_000
    assert ec("ij,ik->jk", shapes, None, pattern, cost_model="mac") == 505_000
    # dense operands: the dense formulas (fma 2·M, mac M)
    assert ec("ij,ik->jk", shapes, cost_model="fma") == 2_000_000
    assert ec("ij,ik->jk", shapes, cost_model="mac") == 1_000_000


def test_ledger_reprices_symmetric_calls() -> None:
    X = np.random.default_rng(0).random((100, 100))
    with flops.BudgetContext(10**12, quiet=True) as b:
        fnp.einsum("ij,ik->jk", X, X)
    ops = b.summary_dict(cost_model="mac")["operations"]
    assert ops["einsum"]["flop_cost"] == 505_000
    assert b.summary_dict()["operations"]["einsum"]["flop_cost"] == 1_004_950


# -- the brute-force checker agrees on a generated family --------------------------------


@st.composite
def symmetric_einsums(draw):
    """Small k <= 2 einsums with same-object operands and declared symmetric groups."""
    labels = "abcd"
    sizes = {c: draw(st.integers(1, 3)) for c in labels}
    n0 = draw(st.integers(1, 3))
    t0 = "".join(draw(st.permutations(labels))[:n0])
    shape0 = tuple(sizes[c] for c in t0)
    gens0 = None
    same = [a for a in range(n0) if shape0[a] == shape0[0]]
    if len(same) >= 2 and draw(st.booleans()):
        axes = tuple(same[: draw(st.integers(2, len(same)))])
        gens0 = tuple(_transposition(n0, x, y) for x, y in zip(axes, axes[1:]))
    k = draw(st.integers(1, 2))
    if k == 1:
        out = "".join(c for c in t0 if draw(st.booleans()))
        return f"{t0}->{out}", (shape0,), (gens0,), (0,)
    identical = draw(st.booleans())
    if identical:
        # the same object read with other labels: same shape, its labels from equal sizes
        t1 = ""
        for d in shape0:
            choices = [c for c in labels if sizes[c] == d and c not in t1]
            if not choices:
                return f"{t0}->{t0}", (shape0,), (gens0,), (0,)
            t1 += draw(st.sampled_from(choices))
        shape1, gens1, ident = shape0, gens0, (0, 0)
    else:
        n1 = draw(st.integers(1, 3))
        t1 = "".join(draw(st.permutations(labels))[:n1])
        shape1 = tuple(sizes[c] for c in t1)
        gens1 = None
        if n1 >= 2 and shape1[0] == shape1[1] and draw(st.booleans()):
            gens1 = (_transposition(n1, 0, 1),)
        ident = (0, 1)
    used = sorted(set(t0 + t1))
    out = "".join(c for c in used if draw(st.booleans()))
    return f"{t0},{t1}->{out}", (shape0, shape1), (gens0, gens1), ident


def _transposition(n: int, x: int, y: int) -> tuple[int, ...]:
    p = list(range(n))
    p[x], p[y] = y, x
    return tuple(p)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symmetric_einsums())
def test_fast_cost_agrees_with_brute_force(case) -> None:
    subscripts, shapes, gens, ident = case
    canonical = canonicalize(subscripts, shapes)
    fast = symmetric_accumulation(canonical, shapes, (gens, ident), "exact").total
    assert fast == brute_cost(subscripts, shapes, gens, ident)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symmetric_einsums())
def test_fnp_einsum_bills_the_brute_force_cost(case) -> None:
    # the same family through real arrays: identity by object, groups via as_symmetric
    subscripts, shapes, gens, ident = case
    rng = np.random.default_rng(0)
    ops = []
    for p, (shape, g) in enumerate(zip(shapes, gens)):
        if ident[p] != p:
            ops.append(ops[ident[p]])
            continue
        a = rng.random(shape)
        if g is None:
            ops.append(a)
            continue
        moved = sorted({x for perm in g for x, y in enumerate(perm) if x != y})
        group = flops.SymmetryGroup.symmetric(axes=tuple(moved))
        ops.append(flops.symmetrize(a, symmetry=group))
    assert charged(fnp.einsum, subscripts, *ops) == brute_cost(subscripts, shapes, gens, ident)


# -- properties: never above dense, independent of optimize ---------------------------------


@st.composite
def chains(draw):
    """k = 2..4 operands over labels of size 2..3, some identical, some symmetric."""
    n = draw(st.integers(2, 3))
    k = draw(st.integers(2, 4))
    letters = string.ascii_lowercase[: k + 1]
    terms = [letters[i] + letters[i + 1] for i in range(k)]
    if draw(st.booleans()):
        terms = [t[::-1] if draw(st.booleans()) else t for t in terms]
    out = letters[0] + letters[-1] if draw(st.booleans()) else ""
    kinds = [draw(st.sampled_from(["S", "X", "Y"])) for _ in range(k)]
    return ",".join(terms) + "->" + out, n, kinds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains())
def test_symmetric_cost_never_exceeds_dense_and_ignores_optimize(case) -> None:
    subscripts, n, kinds = case
    rng = np.random.default_rng(1)
    S = sym(_sym_matrix(n, 2))
    X = rng.random((n, n))
    named = {"S": S, "X": X, "Y": rng.random((n, n))}
    ops = [named[k] for k in kinds]
    dense_ops = [np.array(o, copy=True).view(np.ndarray) for o in ops]
    dense = charged(fnp.einsum, subscripts, *dense_ops)
    costs = {
        charged(fnp.einsum, subscripts, *ops, optimize=opt)
        for opt in ("auto", "greedy", "optimal", False, True, [(0, 1)] * (len(ops) - 1))
    }
    assert len(costs) == 1
    assert costs.pop() <= dense


def test_output_symmetry_of_k3_chain() -> None:
    # S·S·S with one object is symmetric: reversing the chain swaps i and l
    shapes = ((5, 5),) * 3
    perms = output_symmetry("ij,jk,kl->il", shapes, ((S2, S2, S2), (0, 0, 0)))
    assert perms == ((0, 1), (1, 0))
    assert output_symmetry("ij,jk,kl->il", shapes, ((S2, None, S2), (0, 1, 0))) is None


def test_zero_sized_labels_bill_like_dense() -> None:
    X = np.zeros((0, 3))
    assert charged(fnp.einsum, "ij,ik->jk", X, X) == charged(fnp.einsum, "ij,ik->jk", X, X.copy())
    assert math.isfinite(flops.einsum_accumulation_cost("ij,ik->jk", X, X).savings_ratio)


# -- namespaces: arrays tagged in the registry bill like fnp --------------------------------


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict", "torch"])
def test_namespace_arrays_bill_the_same_savings(backend: str) -> None:
    try:
        xp = flops.namespace(backend)
    except ImportError:
        pytest.skip(f"{backend} is not installed")
    A = np.arange(25.0).reshape(5, 5)
    S = flops.as_symmetric(xp.asarray(A + A.T), symmetry=(0, 1))
    X = xp.asarray(np.linspace(0.0, 1.0, 10_000).reshape(100, 100))
    assert charged(xp.einsum, "ij,jk->ik", S, S) == 135
    assert charged(xp.einsum, "ij,ik->jk", X, X) == 1_004_950
    assert charged(xp.matmul, S, S) == 135
    plain = xp.asarray(A + A.T)
    assert charged(xp.einsum, "ij,jk->ik", plain, xp.asarray(A + A.T)) == 225


def test_torch_tensors_tagged_directly() -> None:
    try:
        xp = flops.namespace("torch")
    except ImportError:
        pytest.skip("torch is not installed")
    import torch

    A = torch.arange(25.0, dtype=torch.float64).reshape(5, 5)
    T = flops.as_symmetric(A + A.T, symmetry=(0, 1))
    assert charged(xp.einsum, "ij,jk->ik", T, T) == 135
