"""The quick-start example bills exactly the documented numbers (README, docs)."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
import subprocess
import sys
from types import ModuleType

import pytest

import flopscope as flops

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quickstart.py"

#: per-op (FLOPs, calls) under the default ``flopscope`` model
DEFAULT_OPS = {
    "random.randn": (5_246_976, 6),  # 5 × 65,536 × 16 + 256 × 16
    "einsum": (654_080, 5),  # 5 × 256 × (2·256 − 1)
    "multiply": (327_680, 5),  # 5 × 65,536
    "maximum": (1_024, 4),  # 4 × 256
    "sqrt": (1, 1),
}


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flopscope_quickstart", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look modules up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quickstart() -> ModuleType:
    return _load()


def test_default_model_total_and_per_op(quickstart: ModuleType) -> None:
    budget = quickstart.run()
    assert budget.flops_used == 6_229_761
    assert sum(flops for flops, _ in DEFAULT_OPS.values()) == 6_229_761
    ops = budget.summary_dict()["operations"]
    got = {name: (entry["flop_cost"], entry["calls"]) for name, entry in ops.items()}
    assert got == DEFAULT_OPS


def _op_line(name: str, flops_: int, calls: int) -> re.Pattern[str]:
    unit = "call" if calls == 1 else "calls"
    return re.compile(
        rf"^    {re.escape(name)} +{flops_:,}  \( *[0-9.]+%\)  \[{calls} {unit}\]$", re.M
    )


def test_summary_text_lines(quickstart: ModuleType) -> None:
    text = quickstart.run().summary()
    assert re.search(r"^  Used: +6,229,761  \(6\.2%\)$", text, re.M), text
    for name, (flops_, calls) in DEFAULT_OPS.items():
        assert _op_line(name, flops_, calls).search(text), (name, text)
    # ops are listed by FLOPs, largest first
    order = [text.index(f"    {name} ") for name in DEFAULT_OPS]
    assert order == sorted(order)


def test_fma_with_flopscope_weights_reproduces_release_readme(quickstart: ModuleType) -> None:
    budget = quickstart.run(flops.CostModel(convention="fma", weights="flopscope"))
    assert budget.flops_used == 6_231_041
    ops = budget.summary_dict()["operations"]
    assert ops["einsum"]["flop_cost"] == 655_360  # 5 × 2 × 256 × 256
    assert ops["random.randn"]["flop_cost"] == 5_246_976


def test_repricing_the_default_ledger_matches_a_fresh_run(quickstart: ModuleType) -> None:
    budget = quickstart.run()
    fma = flops.CostModel(convention="fma", weights="flopscope")
    assert budget.summary_dict(cost_model=fma)["flops_used"] == 6_231_041
    assert budget.flops_used == 6_229_761  # re-pricing leaves the ledger alone


def test_unit_weight_models(quickstart: ModuleType) -> None:
    # exact: randn weighs 1 -> 6 × ... ; mac halves the contraction multiply-adds
    exact = quickstart.run("exact").flops_used
    assert exact == 5 * 65_536 + 256 + 654_080 + 327_680 + 1_024 + 1
    assert quickstart.run("mac").flops_used == 5 * 65_536 + 256 + 5 * 65_536 + 327_680 + 1_024 + 1
    assert quickstart.run("fma").flops_used == (
        5 * 65_536 + 256 + 5 * 2 * 65_536 + 327_680 + 1_024 + 1
    )


def test_script_prints_the_summary() -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**_env(), "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert re.search(r"Used:\s+6,229,761  \(6\.2%\)", proc.stdout), proc.stdout
    assert "random.randn            5,246,976  ( 84.2%)  [6 calls]" in proc.stdout


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for key in ("FLOPSCOPE_COST_MODEL", "FLOPSCOPE_WEIGHTS_FILE", "FLOPSCOPE_DISABLE_WEIGHTS"):
        env.pop(key, None)
    return env
