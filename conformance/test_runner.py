"""The runner's judgement: failures are caught, unsupported is never silent, totals compare."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from conformance import models, runner, table
from conformance.__main__ import main

ROWS = {row["id"]: row for row in table.load(["pointwise-unary", "contraction", "random"])}
EXP = ROWS["exp/f64-3x4"]
MATMUL = ROWS["matmul/i64-3x4+4x5"]
FLOPSCOPE = models.resolve("flopscope")


def test_a_case_passes_on_both_surfaces() -> None:
    for backend in ("numpy", "array_api_strict"):
        res = runner.run(MATMUL, backend, models.resolve("fma"))
        assert (res.status, res.flops, res.expected) == (runner.PASS, 120, 120)


def test_a_wrong_table_number_fails() -> None:
    bad = copy.deepcopy(EXP)
    bad["flops"]["flopscope"] += 1
    for backend in ("numpy", "array_api_strict"):
        res = runner.run(bad, backend, FLOPSCOPE)
        assert res.status == runner.FAIL
        assert res.detail == "charged 192, table says 193"


def test_a_wrong_value_fails() -> None:
    bad = copy.deepcopy(EXP)
    bad["result_sha"] = bad["result_sha_approx"] = "0" * 64
    assert runner.run(bad, "numpy", FLOPSCOPE).detail == "result differs from the table's hash"
    bad["call"] = "fnp.exp(np.linspace(0.1, 0.9, 12).reshape(3, 4)) + 1e-3"
    assert runner.run(bad, "numpy", FLOPSCOPE).status == runner.FAIL


def test_numpy_surface_cases_are_unsupported_elsewhere_not_dropped() -> None:
    row = next(r for r in ROWS.values() if r["family"] == "random")
    res = runner.run(row, "array_api_strict", FLOPSCOPE)
    assert res.status == runner.UNSUPPORTED
    assert "not in the Array API" in res.detail


def test_expected_errors_charge_nothing() -> None:
    row = next(r for r in table.load(["custom"]) if r["expect_error"])
    assert runner.run(row, "numpy", FLOPSCOPE).status == runner.PASS
    wrong = dict(row, expect_error="KeyError")
    assert runner.run(wrong, "numpy", FLOPSCOPE).status == runner.FAIL


def test_compare_tolerances_by_dtype() -> None:
    x = np.linspace(0.1, 0.9, 5)
    assert runner.compare(x, x * (1 + 1e-9), None) is None
    assert runner.compare(x, x * (1 + 1e-5), None) is not None
    x32 = x.astype(np.float32)
    assert runner.compare(x32, x32 * np.float32(1 + 1e-5), None) is None
    assert runner.compare(np.arange(3), np.arange(3) + 1, None) == "integer values differ"
    assert runner.compare((x, x), (x, x + 1), (0,)) is None  # only output 0 is invariant
    assert runner.compare(np.dtype("float64"), np.dtype("float32"), None) is not None


def test_cross_check_flags_different_totals() -> None:
    def r(backend: str, flops: int) -> runner.Result:
        return runner.Result("c", "f", "op", backend, "fma", runner.PASS, flops)

    assert runner.cross_check([r("numpy", 3), r("torch", 3)]) == []
    assert runner.cross_check([r("numpy", 3), r("torch", 4)]) == ["c [fma]: numpy=3, torch=4"]


def test_weights_file_model(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"exp": 3}))
    model = models.resolve(f"fma:{path}")
    assert model.expected(EXP) == 36  # 12 evaluations × 3
    assert model.expected(MATMUL) == 120  # fma count, weight 1 (not in the file)
    assert runner.run(EXP, "numpy", model).status == runner.PASS
    assert runner.run(MATMUL, "array_api_strict", model).status == runner.PASS


def test_registered_model_checks_values_and_cross_backend_only() -> None:
    import flopscope as flops

    class Doubled(flops.CostModel):
        def count(self, op: object, inputs: tuple) -> int:
            return 2 * super().count(op, inputs)

    models.register("doubled", Doubled("exact"))
    model = models.resolve("doubled")
    assert model.expected(EXP) is None
    res = runner.run(EXP, "numpy", model)
    assert (res.status, res.flops) == (runner.PASS, 24)


def test_unknown_model_spelling() -> None:
    with pytest.raises(ValueError, match="not a built-in model"):
        models.resolve("nope")
    with pytest.raises(ValueError, match="unknown convention"):
        models.resolve("fancy:x.json")


def test_cli_writes_reports(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    argv = ["--backend", "numpy,array_api_strict", "--family", "window", "--no-progress"]
    assert main([*argv, "--cost-model", "mac", "--report", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["ok"] and report["cases"] == len(table.load(["window"]))
    assert len(report["results"]) == 2 * report["cases"]  # every case on every backend
    assert "| window |" in out.with_suffix(".md").read_text()


def test_cli_fails_on_a_bad_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = copy.deepcopy(EXP)
    bad["flops"]["exact"] = 1
    monkeypatch.setattr(table, "load", lambda families=None: [bad])
    out = tmp_path / "r.json"
    assert main(["--backend", "numpy", "--cost-model", "exact", "--report", str(out)]) == 1
    assert "charged 12, table says 1" in out.with_suffix(".md").read_text()


def test_cli_refuses_an_unusable_backend(tmp_path: Path) -> None:
    assert main(["--backend", "cupy", "--report", str(tmp_path / "r.json")]) == 2
