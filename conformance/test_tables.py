"""The tables themselves: fresh, complete, well formed, and built independently of costs/."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conformance import generate, table
from conformance.cases import hashing

HERE = Path(__file__).resolve().parent
MODELS = ("flopscope", "exact", "fma", "mac")
ROWS = table.load()


def _reference_available() -> bool:
    return hashing().CASES_FILE.is_file()


@pytest.mark.skipif(not _reference_available(), reason="shared/reference folder absent")
def test_tables_are_up_to_date() -> None:
    stale = generate.stale(generate.render(generate.build_rows()))
    assert stale == [], f"stale tables {stale}: run python -m conformance.generate"


def test_every_op_has_three_cases() -> None:
    from flopscope.ops import all_ops

    count = Counter(row["op"] for row in ROWS)
    short = {op.name: count[op.name] for op in all_ops() if count[op.name] < 3}
    assert short == {}


def test_every_standard_op_has_three_standard_cases() -> None:
    from flopscope.ops import all_ops

    count = Counter(row["op"] for row in ROWS if row["array_api"])
    short = {op.name: count[op.name] for op in all_ops() if op.array_api and count[op.name] < 3}
    assert short == {}


def test_rows_are_well_formed() -> None:
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids))
    for row in ROWS:
        assert set(row["flops"]) == set(MODELS) == set(row["flops_source"]), row["id"]
        assert all(isinstance(v, int) and v >= 0 for v in row["flops"].values()), row["id"]
        assert row["family"] == Path(row["family"]).name
        if row["expect_error"]:
            assert row["flops"] == dict.fromkeys(MODELS, 0)
        if row["array_api"]:
            assert row["args"] is not None and row["kwargs"] is not None


def test_conventions_agree_off_contractions() -> None:
    # only multiply-adds depend on the convention: fma >= exact >= mac wherever they differ
    for row in ROWS:
        f = row["flops"]
        if f["exact"] != f["fma"] or f["exact"] != f["mac"]:
            assert f["fma"] >= f["exact"] >= f["mac"] or f["fma"] >= f["mac"], row["id"]


def test_brute_force_covers_pointwise_reductions_and_contractions() -> None:
    by_family = Counter(
        row["family"] for row in ROWS if row["flops_source"]["exact"] == "brute-force counter"
    )
    assert by_family["contraction"] >= 100
    assert by_family["reduction"] >= 300
    assert by_family["pointwise-unary"] >= 300
    assert by_family["pointwise-binary"] >= 300


def test_known_figures() -> None:
    # the DIFFERENCES text and the cost-model docs: (256,256) @ (256,) and a 256³ matmul
    by_id = {row["id"]: row for row in ROWS}
    assert by_id["matmul/f64-256x256+256"]["flops"] == {
        "flopscope": 130_816,
        "exact": 130_816,
        "fma": 131_072,
        "mac": 65_536,
    }
    big = [r for r in ROWS if r["op"] == "matmul" and r["args"] and _shapes(r) == [[256, 256]] * 2]
    assert big and big[0]["flops"]["fma"] == 33_554_432 and big[0]["flops"]["mac"] == 16_777_216


def _shapes(row: dict) -> list:
    return [a.get("shape") for a in row["args"] if isinstance(a, dict)]


# -- independence from flopscope/costs -----------------------------------------------------

#: modules that produce expectations; none may read flopscope's cost code
PRODUCERS = ["reference/counter.py", "reference/rules.py", "expect.py", "extra.py", "values.py"]
FORBIDDEN = ("flopscope.costs", "flopscope._einsum", "flopscope.accounting")


@pytest.mark.parametrize("path", PRODUCERS)
def test_producers_import_nothing_from_costs(path: str) -> None:
    tree = ast.parse((HERE / path).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert not [m for m in imported if m.startswith(FORBIDDEN)]


def test_counter_runs_without_flopscope() -> None:
    code = (
        "import sys, conformance.reference.counter, conformance.reference.rules;"
        "assert not [m for m in sys.modules if m.startswith('flopscope')], sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE.parent)
