"""docs/reference/ops.md is generated from the op table and must not go stale."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
from types import ModuleType

import pytest

from flopscope.ops import all_ops

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    path = ROOT / "scripts" / "gen_op_reference.py"
    spec = importlib.util.spec_from_file_location("gen_op_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look modules up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rendered(gen: ModuleType) -> str:
    return gen.render()


def test_committed_page_is_current(gen: ModuleType, rendered: str) -> None:
    page = gen.PAGE
    assert page.exists(), "run python scripts/gen_op_reference.py"
    assert page.read_text() == rendered, (
        "docs/reference/ops.md is stale: run python scripts/gen_op_reference.py"
    )


def _op_rows(rendered: str) -> list[str]:
    """Table rows of the per-family sections (the header's model table is not an op)."""
    body = rendered.split("\n## ", 1)[1]
    return [ln for ln in body.splitlines() if ln.startswith("| `")]


def test_one_row_per_op(rendered: str) -> None:
    rows = _op_rows(rendered)
    names = [ln.split("`", 2)[1] for ln in rows]
    assert sorted(names) == sorted(op.name for op in all_ops())


def test_rows_show_weights_under_every_builtin_model(gen: ModuleType, rendered: str) -> None:
    lines = {ln.split("`", 2)[1]: ln for ln in _op_rows(rendered)}
    # exp: tier 16 under flopscope, 1 under the unit-weight models; 12 elements in the example
    assert "| 16 / 1 / 1 / 1 |" in lines["exp"]
    assert lines["exp"].endswith("| 192 / 12 / 12 / 12 |")
    # a contraction: same weights, different conventions (exact 105, fma 120, mac 60)
    assert "| 1 / 1 / 1 / 1 |" in lines["matmul"]
    assert lines["matmul"].endswith("| 105 / 105 / 120 / 60 |")
    assert "`arccos` | `acos` |" in lines["arccos"]
    free = next(op for op in all_ops() if not op.counted)
    assert "| free |" in lines[free.name]


def test_example_costs_match_the_rows(gen: ModuleType) -> None:
    models = gen._models()
    for op in all_ops():
        if op.examples:
            costs = gen.example_costs(op, models)
            assert costs[0] == op.examples[0].flops, op.name


def test_generator_ignores_weight_environment(
    gen: ModuleType, rendered: str, monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    weights = tmp_path / "w.json"
    weights.write_text('{"exp": 3}')
    monkeypatch.setenv("FLOPSCOPE_WEIGHTS_FILE", str(weights))
    monkeypatch.setenv("FLOPSCOPE_DISABLE_WEIGHTS", "1")
    assert gen._models()["flopscope"].weight("exp") == 16.0


def test_check_mode(
    gen: ModuleType, rendered: str, monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    stale = tmp_path / "ops.md"
    stale.write_text(rendered + "\nextra\n")
    monkeypatch.setattr(gen, "PAGE", stale)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    monkeypatch.setattr(gen, "render", lambda: rendered)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert stale.read_text() == rendered
    assert gen.main(["--check"]) == 0
