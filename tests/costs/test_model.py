"""CostModel: named models, composition, user weights, per-op formula overrides."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.costs import CostModel, resolve
from flopscope.ops import lookup

X34 = np.linspace(0.1, 0.9, 12).reshape(3, 4)


def charged(model: str | CostModel, fn, *args, **kwargs) -> int:
    with flops.BudgetContext(10**15, quiet=True, cost_model=model) as b:
        fn(*args, **kwargs)
    return b.flops_used


@pytest.mark.parametrize(
    ("model", "expected"),
    [("flopscope", 33_488_896), ("exact", 33_488_896), ("fma", 33_554_432), ("mac", 16_777_216)],
)
def test_matmul_256_cubed_per_model(model: str, expected: int) -> None:
    a = np.ones((256, 256))
    assert charged(model, fnp.matmul, a, a) == expected
    assert charged(model, fnp.einsum, "ij,jk->ik", a, a) == expected


@pytest.mark.parametrize(
    ("model", "exp_cost", "std_cost"),
    [("flopscope", 192, 2 * 11), ("exact", 12, 11), ("fma", 12, 11), ("mac", 12, 11)],
)
def test_weights_apply_only_under_flopscope_weights(
    model: str, exp_cost: int, std_cost: int
) -> None:
    assert charged(model, fnp.exp, X34) == exp_cost
    assert charged(model, fnp.std, X34) == std_cost


def test_composition_fma_with_flopscope_weights() -> None:
    model = CostModel(convention="fma", weights="flopscope")
    assert model.convention == "fma"
    assert charged(model, fnp.exp, X34) == 192
    a = np.ones((256, 256))
    assert charged(model, fnp.einsum, "ij,j->i", a, np.ones(256)) == 131_072
    assert charged("flopscope", fnp.einsum, "ij,j->i", a, np.ones(256)) == 130_816


def test_named_models_resolve_and_compare() -> None:
    assert resolve("fma") is resolve("fma")
    assert resolve("mac") == CostModel(convention="mac", weights="unit")
    assert CostModel("flopscope").name == "flopscope"
    assert CostModel(convention="fma", weights="flopscope").name == "fma+flopscope"
    with pytest.raises(ValueError, match="unknown cost model"):
        CostModel("nope")
    with pytest.raises(ValueError, match="unknown convention"):
        CostModel(convention="flops")
    with pytest.raises(TypeError):
        resolve(3)  # type: ignore[arg-type]


def test_user_weights_dict_replaces_table() -> None:
    model = CostModel(weights={"exp": 3.0})
    assert charged(model, fnp.exp, X34) == 36
    assert charged(model, fnp.sin, X34) == 12  # not named: weight 1


def test_with_weights_overlays_table() -> None:
    model = CostModel("flopscope").with_weights({"exp": 2})
    assert charged(model, fnp.exp, X34) == 24
    assert charged(model, fnp.sin, X34) == 192


def test_user_weights_file(tmp_path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"weights": {"sqrt": 5}}))
    model = CostModel(weights=str(path))
    assert charged(model, fnp.sqrt, X34) == 60
    assert charged(model, fnp.exp, X34) == 12


@pytest.mark.parametrize("bad", [{"exp": -1}, {"exp": float("nan")}, {"exp": True}, {"exp": "2"}])
def test_bad_weights_rejected(bad: dict) -> None:
    with pytest.raises(ValueError):
        CostModel(weights=bad)


def test_formula_override() -> None:
    model = CostModel("exact", formulas={"add": lambda inputs, convention: 7})
    assert charged(model, fnp.add, X34, X34) == 7
    assert charged(model, fnp.subtract, X34, X34) == 12


def test_subclass_can_override_weight() -> None:
    class Doubling(CostModel):
        def weight(self, op_name: str) -> float:
            return 2.0

    assert charged(Doubling("exact"), fnp.add, X34, X34) == 24


def test_aliases_bill_as_canonical_row() -> None:
    assert lookup("asin") is lookup("arcsin")
    assert charged("flopscope", fnp.asin, X34) == charged("flopscope", fnp.arcsin, X34) == 192
    assert charged("flopscope", fnp.pow, X34, X34) == 192


def test_multiplier_truncates_after_weighting() -> None:
    with flops.BudgetContext(10**15, flop_multiplier=2.5, quiet=True) as b:
        fnp.exp(np.ones(3))
    assert b.flops_used == 120
    with flops.BudgetContext(10**15, flop_multiplier=2.5, quiet=True) as b:
        fnp.add(np.ones(3), np.ones(3))
    assert b.flops_used == 7


def _run_env(code: str, **env: str) -> str:
    full = {**os.environ, **env}
    out = subprocess.run(
        [sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


_PROBE = (
    "import numpy as np, flopscope as flops, flopscope.numpy as fnp\n"
    "with flops.BudgetContext(10**9, quiet=True) as b:\n"
    "    fnp.exp(np.ones(10))\n"
    "print(b.flops_used, b.cost_model.name)\n"
)


def test_env_disable_weights() -> None:
    assert _run_env(_PROBE, FLOPSCOPE_DISABLE_WEIGHTS="1") == "10 flopscope"


def test_env_cost_model() -> None:
    assert _run_env(_PROBE, FLOPSCOPE_COST_MODEL="mac") == "10 mac"


def test_env_weights_file(tmp_path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"weights": {"exp": 4}}))
    assert _run_env(_PROBE, FLOPSCOPE_WEIGHTS_FILE=str(path)) == "40 flopscope"


def test_env_bad_weights_file_warns_and_falls_back(tmp_path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"weights": {"exp": -4}}))
    code = "import warnings\nwarnings.simplefilter('always')\n" + _PROBE
    full = {**os.environ, "FLOPSCOPE_WEIGHTS_FILE": str(path)}
    out = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True)
    assert out.stdout.strip() == "160 flopscope"
    assert "could not load custom weights" in out.stderr
