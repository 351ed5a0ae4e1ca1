"""``fnp.einsum_path``, ``PathInfo``/``StepInfo`` and the path cache."""

from __future__ import annotations

import dataclasses

import numpy as np
import opt_einsum
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._einsum.path import STRATEGIES, normalize_optimize

CHAIN = "ij,jk,kl->il"
SHAPES = ((10, 20), (20, 30), (30, 5))


def ops() -> list[np.ndarray]:
    return [np.ones(s) for s in SHAPES]


def test_einsum_path_charges_one_flop() -> None:
    with flops.BudgetContext(10**9, quiet=True) as budget:
        path, info = fnp.einsum_path(CHAIN, *ops())
    assert budget.flops_used == 1
    assert budget.op_log[-1].op_name == "einsum_path"
    assert path == [(1, 2), (0, 1)]
    assert info.path == path
    assert isinstance(info, flops.PathInfo)
    assert all(isinstance(s, flops.StepInfo) for s in info.steps)


def test_path_info_fields() -> None:
    with flops.BudgetContext(10**9, quiet=True):
        _, info = fnp.einsum_path(CHAIN, *ops())
    assert info.naive_cost == 3 * 30_000 - 50
    assert info.optimized_cost == 7_850
    assert info.speedup == pytest.approx(89_950 / 7_850)
    assert info.largest_intermediate == 100
    assert info.input_subscripts == "ij,jk,kl"
    assert info.output_subscript == "il"
    assert info.size_dict == {"i": 10, "j": 20, "k": 30, "l": 5}
    assert info.optimizer_used == "auto"
    assert len(info.contraction_list) == 2 and info.scale_list and info.size_list
    assert info.accumulation is not None and info.accumulation.total == 7_850
    first, second = info.steps
    assert first.subscript == "kl,jk->lj"
    assert (first.flop_cost, second.flop_cost) == (5_900, 1_950)
    assert first.dense_flop_cost == first.flop_cost
    assert first.input_shapes == ((30, 5), (20, 30))
    assert first.output_shape == (5, 20)
    assert first.blas_type == "GEMM"
    assert first.path_indices == (1, 2)
    assert first.merged_subset == frozenset({1, 2})
    assert second.merged_subset == frozenset({0, 1, 2})
    assert first.pre_reductions == 0
    field_names = {f.name for f in dataclasses.fields(flops.StepInfo)}
    assert {"input_groups", "output_group", "symmetry_savings", "inner_group"} <= field_names


def test_report_text() -> None:
    with flops.BudgetContext(10**9, quiet=True):
        _, info = fnp.einsum_path(CHAIN, *ops())
    text = str(info)
    for needle in (
        "Complete contraction:  ij,jk,kl->il",
        "Naive cost (flopscope):  89,950",
        "Optimized cost (flopscope):  7,850",
        "Speedup:  11.459x",
        "Largest intermediate:  100 elements",
        "Index sizes:  i=10, j=20, k=30, l=5",
        "Optimizer:  auto",
        "kl,jk->lj",
        "5,900",
        "GEMM",
    ):
        assert needle in text
    header = [line for line in text.splitlines() if "subscript" in line][0].split()
    assert header == [
        "step", "contract", "subscript", "regime", "flops", "dense_flops", "savings", "blas"
    ]  # fmt: skip
    assert "Savings:  0.0 %" in text


def test_symmetric_report_gram() -> None:
    # spec 5: naive 1,990,000, optimized 1,004,950, speedup 1.980x, savings 49.5 %
    X = np.linspace(0.0, 1.0, 10_000).reshape(100, 100)
    with flops.BudgetContext(10**9, quiet=True) as budget:
        _, info = fnp.einsum_path("ij,ik->jk", X, X)
    assert budget.flops_used == 1
    assert (info.naive_cost, info.optimized_cost) == (1_990_000, 1_004_950)
    assert info.accumulation.total == 1_004_950
    text = str(info)
    for needle in ("Speedup:  1.980x", "Savings:  49.5 %", "ik,ij->jk", "GEMM",
                   "V:5,050/10,000", "- × - → S2{j,k}", "unique/total", "symmetry"):  # fmt: skip
        assert needle in text
    (step,) = info.steps
    assert step.flop_cost == 1_004_950 and step.dense_flop_cost == 1_990_000
    assert step.output_group == flops.SymmetryGroup.symmetric(axes=(0, 1))
    assert step.input_groups == (None, None)
    assert step.symmetry_savings == pytest.approx(1 - 1_004_950 / 1_990_000)
    assert step.regime == "functionalProjection" and step.cost_source == "per-input"


def test_symmetric_report_chain_and_explicit_path() -> None:
    S = flops.as_symmetric(np.eye(5) + 1.0, symmetry=(0, 1))
    with flops.BudgetContext(10**9, quiet=True):
        _, auto = fnp.einsum_path("ij,jk,kl->il", S, S, S)
        _, worse = fnp.einsum_path("ij,jk,kl->il", S, S, S, optimize=[(0, 2), (0, 1)])
    assert [s.flop_cost for s in auto.steps] == [135, 135]
    assert [s.cost_source for s in auto.steps] == ["per-input", "output-burnside"]
    assert auto.steps[0].input_groups[0] == flops.SymmetryGroup.symmetric(axes=(0, 1))
    assert "S2{j,k} × S2{i,j} → S2{k,i}" in str(auto)
    # the report follows the path asked for; einsum's charge does not
    assert worse.accumulation.total == auto.accumulation.total == 270
    assert worse.optimized_cost != 270 and "einsum charges:  270" in str(worse)


def test_explicit_worse_path_reports_its_steps_and_what_einsum_charges() -> None:
    with flops.BudgetContext(10**9, quiet=True):
        path, info = fnp.einsum_path(CHAIN, *ops(), optimize=[(0, 1), (0, 1)])
    assert path == [(0, 1), (0, 1)]
    assert info.optimizer_used == "explicit path"
    assert [s.flop_cost for s in info.steps] == [11_700, 2_950]
    assert info.optimized_cost == 14_650
    assert info.accumulation.total == 7_850
    assert "einsum charges:  7,850" in str(info)


@pytest.mark.parametrize("optimize", [False, True, *STRATEGIES])
def test_every_strategy_gives_a_valid_path(optimize: object) -> None:
    with flops.BudgetContext(10**9, quiet=True):
        path, info = fnp.einsum_path(CHAIN, *ops(), optimize=optimize)
    assert len(path) == 2 and len(info.steps) == 2
    assert info.accumulation.total == 7_850


def test_path_matches_opt_einsum() -> None:
    shapes = [(2, 3), (3, 4), (4, 5), (5, 6)]
    with flops.BudgetContext(10**9, quiet=True):
        path, _ = fnp.einsum_path("ij,jk,kl,lm->im", *[np.ones(s) for s in shapes])
    expected, _ = opt_einsum.contract_path("ij,jk,kl,lm->im", *shapes, shapes=True)
    assert path == expected


def test_single_operand_and_pair() -> None:
    with flops.BudgetContext(10**9, quiet=True):
        path, info = fnp.einsum_path("ii->", np.eye(4))
        assert path == [(0,)]
        assert info.optimized_cost == info.naive_cost == 3
        path, info = fnp.einsum_path("ij,ik->jk", np.ones((100, 100)), np.ones((100, 100)))
    assert path == [(0, 1)]
    assert info.naive_cost == info.optimized_cost == 1_990_000


def test_steps_use_the_active_convention() -> None:
    with flops.BudgetContext(10**9, quiet=True, cost_model="fma"):
        _, info = fnp.einsum_path("ij,jk->ik", np.ones((256, 256)), np.ones((256, 256)))
    assert info.optimized_cost == 33_554_432


def test_many_operands_report_greedy() -> None:
    subs = "ab,bc,cd,de,ef,fg,gh,hi->ai"
    arrays = [np.ones((2, 2))] * 8
    with flops.BudgetContext(10**9, quiet=True):
        _, info = fnp.einsum_path(subs, *arrays)
    assert info.optimizer_used == "greedy"


def test_errors_before_charging() -> None:
    with flops.BudgetContext(10**9, quiet=True) as budget:
        with pytest.raises(KeyError):
            fnp.einsum_path(CHAIN, *ops(), optimize="best")
        with pytest.raises(ValueError):
            fnp.einsum_path("ij,jk->ik", np.ones((3, 4)), np.ones((5, 6)))
        with pytest.raises(TypeError):
            fnp.einsum_path(np.ones(3), [0], np.ones(3), [0])
    assert budget.flops_used == 0


def test_normalize_optimize() -> None:
    assert normalize_optimize(False) == normalize_optimize(True) == "auto"
    assert normalize_optimize(["einsum_path", (0, 1), [0, 1]]) == ((0, 1), (0, 1))
    with pytest.raises(KeyError) as err:
        normalize_optimize("nope")
    for name in STRATEGIES:
        assert name in str(err.value)


def test_cache_info_and_clear() -> None:
    flops.einsum_clear_caches()
    info = flops.einsum_cache_info()
    assert set(info) == {"path", "accumulation"}
    assert info["path"].currsize == 0 and info["accumulation"].currsize == 0
    with flops.BudgetContext(10**9, quiet=True):
        fnp.einsum(CHAIN, *ops())
        fnp.einsum(CHAIN, *ops(), optimize="greedy")
        fnp.einsum(CHAIN, *ops())
    info = flops.einsum_cache_info()
    assert info["path"].currsize >= 2  # (auto) and (greedy) keys
    assert info["path"].hits >= 1
    flops.einsum_clear_caches()
    assert flops.einsum_cache_info()["path"].currsize == 0


@pytest.mark.parametrize("optimize", ["dp", "dynamic-programming", "auto"])
def test_empty_problems_find_a_path(optimize: str) -> None:
    arrays = [np.ones(()), np.ones((0, 2)), np.ones(2)]
    with flops.BudgetContext(10**9, quiet=True):
        r = fnp.einsum(",il,l->", *arrays, optimize=optimize)
        path, _ = fnp.einsum_path(",il,l->", *arrays, optimize=optimize)
    assert float(r) == 0.0
    assert len(path) == 2
