"""Summaries (spec §3.8, §3.9): plain text, dicts, session totals, Rich output, re-pricing."""

from __future__ import annotations

import io
import re
import sys
import time
import types
from collections.abc import Iterator

import numpy as np
import pytest
from rich.console import Console

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _budget, _report

A256 = np.ones((256, 256))
V256 = np.ones(256)

OP_KEYS = {"flop_cost", "calls", "flopscope_backend_time_s", "flopscope_overhead_time_s"}
DICT_KEYS = {
    "flop_budget",
    "flops_used",
    "flops_remaining",
    "cost_model",
    "operations",
    "wall_time_s",
    "flopscope_backend_time_s",
    "flopscope_overhead_time_s",
    "residual_wall_time_s",
}


@pytest.fixture
def session() -> Iterator[None]:
    """A clean session accumulator for the test."""
    flops.budget_reset()
    yield
    flops.budget_reset()


def _run(namespace: str | None = None) -> flops.BudgetContext:
    """einsum 130,816 ×2, multiply 65,536, exp 16 × 256, sqrt 1: used 331,265 of 10^8."""
    with flops.BudgetContext(10**8, quiet=True, namespace=namespace) as ctx:
        with flops.scope("enc"):
            fnp.einsum("ij,j->i", A256, V256)
            fnp.einsum("ij,j->i", A256, V256)
        fnp.multiply(A256, 2.0)
        fnp.exp(V256)
        fnp.sqrt(2.0)
    return ctx


# -- BudgetContext.summary() ----------------------------------------------------------------


def test_summary_text_layout() -> None:
    lines = _run().summary().splitlines()
    assert lines[:12] == [
        "flopscope FLOP Budget Summary",
        "=============================",
        "  Total budget:             100,000,000",
        "  Used:                         331,265  (0.3%)",
        "  Remaining:                 99,668,735  (99.7%)",
        "",
        "  By operation:",
        "    einsum                    261,632  ( 79.0%)  [2 calls]",
        "    multiply                   65,536  ( 19.8%)  [1 call]",
        "    exp                         4,096  (  1.2%)  [1 call]",
        "    sqrt                            1  (  0.0%)  [1 call]",
        "",
    ]
    timing = lines[12:16]
    assert re.fullmatch(r"  Total Wall Time:     \d+\.\d{3}s", timing[0])
    assert re.fullmatch(r"  Flopscope Backend:   \d+\.\d{3}s  \(\d+\.\d%\)", timing[1])
    assert re.fullmatch(r"  Flopscope Overhead:  \d+\.\d{3}s  \(\d+\.\d%\)", timing[2])
    assert re.fullmatch(r"  Residual Wall Time:  \d+\.\d{3}s  \(\d+\.\d%\)", timing[3])
    assert lines[16:18] == ["", "  By operation (time):"]
    rows = lines[18:]
    assert {row.split()[0] for row in rows} == {"einsum", "multiply", "exp", "sqrt"}
    for row in rows:
        assert re.fullmatch(r"    \S+ +\d+\.\d{3}s  \( *\d+\.\d%\)  \[\d calls?\]", row)
        assert row.index("s  (") == 30  # 4 + name 20 + " " + "0.000"


def test_time_rows_are_sorted_by_backend_time() -> None:
    data = _run().summary_dict()
    text = _report.render_text(data)
    rows = text.split("By operation (time):\n")[1].splitlines()
    names = [row.split()[0] for row in rows]
    times = {n: e["flopscope_backend_time_s"] for n, e in data["operations"].items()}
    assert names == sorted(times, key=lambda n: -times[n])


def test_summary_header_carries_the_root_namespace() -> None:
    lines = _run("model").summary().splitlines()
    assert lines[0] == "flopscope FLOP Budget Summary [model]"
    assert lines[1] == "=" * len(lines[0])


def test_summary_by_namespace_block() -> None:
    text = _run("model").summary(by_namespace=True)
    lines = text.splitlines()
    i = lines.index("  By namespace:")
    assert lines.index("  By operation:") > i  # the namespace block comes first
    assert lines[i + 1].startswith(
        "    model.enc                     261,632  ( 79.0%)  [2 calls]  "
    )
    assert lines[i + 2].startswith(
        "    model                          69,633  ( 21.0%)  [3 calls]  "
    )
    assert re.search(r"Backend \d+\.\d{3}s  Overhead \d+\.\d{3}s$", lines[i + 1])
    unlabeled = _run().summary(by_namespace=True)
    assert "    (unlabeled)                    69,633  ( 21.0%)  [3 calls]" in unlabeled


def test_empty_summary() -> None:
    assert flops.BudgetContext(10, quiet=True).summary() == "No budget data recorded yet."
    with flops.BudgetContext(10, quiet=True) as ctx:
        fnp.reshape(np.ones(4), (2, 2))  # free: nothing recorded
    assert ctx.summary() == "No budget data recorded yet."


def test_no_timing_block_without_wall_time() -> None:
    ctx = flops.BudgetContext(10**6, quiet=True)  # never entered: no wall time
    ctx.deduct("manual", flop_cost=1234)
    text = ctx.summary()
    assert "    manual                      1,234  (100.0%)  [1 call]" in text
    assert "Wall Time" not in text and "By operation (time)" not in text


def test_float_budgets_print_as_counts() -> None:
    ctx = flops.BudgetContext(1e6, quiet=True)
    ctx.deduct("x", flop_cost=10)
    assert "  Total budget:               1,000,000" in ctx.summary().splitlines()


def test_repriced_summary_text() -> None:
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        fnp.einsum("ij,jk->ik", A256, A256)
    mac = ctx.summary(cost_model="mac").splitlines()
    assert "  Used:                      16,777,216  (0.0%)" in mac
    assert "  Cost model:                       mac" in mac
    assert "    einsum                 16,777,216  (100.0%)  [1 call]" in mac
    assert "  Used:                      33,488,896  (0.0%)" in ctx.summary().splitlines()
    assert "Cost model" not in ctx.summary()


# -- summary_dict ---------------------------------------------------------------------------


def test_summary_dict_keys_and_values() -> None:
    ctx = _run("m")
    d = ctx.summary_dict()
    assert set(d) == DICT_KEYS
    assert d["flop_budget"] == 10**8
    assert d["flops_used"] == 331_265
    assert d["flops_remaining"] == 10**8 - 331_265
    assert d["cost_model"] == "flopscope"
    assert {n: (e["flop_cost"], e["calls"]) for n, e in d["operations"].items()} == {
        "einsum": (261_632, 2),
        "multiply": (65_536, 1),
        "exp": (4_096, 1),
        "sqrt": (1, 1),
    }
    assert all(set(e) == OP_KEYS for e in d["operations"].values())
    assert d["wall_time_s"] == ctx.wall_time_s


def test_summary_dict_by_namespace() -> None:
    d = _run("m").summary_dict(by_namespace=True)
    assert set(d) == DICT_KEYS | {"by_namespace"}
    spaces = d["by_namespace"]
    assert set(spaces) == {"m.enc", "m"}
    enc = spaces["m.enc"]
    assert set(enc) == {
        "flops_used",
        "calls",
        "flopscope_backend_time_s",
        "flopscope_overhead_time_s",
        "operations",
    }
    assert (enc["flops_used"], enc["calls"]) == (261_632, 2)
    assert {n: e["flop_cost"] for n, e in spaces["m"]["operations"].items()} == {
        "multiply": 65_536,
        "exp": 4_096,
        "sqrt": 1,
    }
    none = _run().summary_dict(by_namespace=True)["by_namespace"]
    assert set(none) == {"enc", None}


def test_summary_dict_repriced() -> None:
    ctx = _run()
    d = ctx.summary_dict(cost_model="mac")
    assert d["cost_model"] == "mac"
    # einsum 2 × 65,536 multiply-adds, multiply 65,536, exp 256 (weight 1), sqrt 1
    assert d["flops_used"] == 131_072 + 65_536 + 256 + 1
    assert d["flops_remaining"] == 10**8 - d["flops_used"]
    assert ctx.summary_dict(cost_model="fma")["operations"]["einsum"]["flop_cost"] == 262_144


def test_residual_is_clamped_at_zero() -> None:
    ops = {"x": {"flopscope_backend_time_s": 0.7, "flopscope_overhead_time_s": 0.5}}
    t = _report._timing(1.0, ops, 0.1)
    assert t == {
        "wall_time_s": 1.0,
        "flopscope_backend_time_s": 0.7,
        "flopscope_overhead_time_s": pytest.approx(0.6),
        "residual_wall_time_s": 0.0,
    }
    assert _report._timing(None, ops, 0.0)["residual_wall_time_s"] is None


def test_timing_counts_sleep_as_residual() -> None:
    with flops.BudgetContext(10**6, quiet=True) as ctx:
        fnp.add(np.ones(10), 1)
        time.sleep(0.03)
    d = ctx.summary_dict()
    assert d["residual_wall_time_s"] >= 0.025
    assert d["flopscope_backend_time_s"] > 0
    assert d["flopscope_overhead_time_s"] > 0


# -- session level --------------------------------------------------------------------------


def test_empty_session(session: None) -> None:
    d = flops.budget_summary_dict()
    assert d["flop_budget"] == 0
    assert d["flops_used"] == 0
    assert d["flops_remaining"] == 0
    assert d["operations"] == {}
    assert d["wall_time_s"] is None
    assert d["residual_wall_time_s"] is None


def test_session_sums_budgets_and_includes_the_default_once_used(session: None) -> None:
    default = _budget.default_context()
    with flops.BudgetContext(3000, quiet=True):
        fnp.add(np.ones(100), 1)
    with flops.BudgetContext(5000, quiet=True):
        pass  # no activity: not included
    assert flops.budget_summary_dict()["flop_budget"] == 3000
    fnp.add(np.ones(7), 1)  # outside any context: the global default
    d = flops.budget_summary_dict(by_namespace=True)
    assert d["flop_budget"] == default.flop_budget + 3000
    assert d["flops_used"] == 107
    assert d["flops_remaining"] == default.flop_budget + 3000 - 107
    assert d["operations"]["add"]["calls"] == 2
    assert d["by_namespace"][None]["flops_used"] == 107
    assert d["wall_time_s"] is not None  # from the explicit context


def test_default_budget_contributes_ten_to_the_fifteen(session: None) -> None:
    if _budget.default_context().flop_budget != 10**15:
        pytest.skip("FLOPSCOPE_DEFAULT_BUDGET is set")
    with flops.BudgetContext(3000, quiet=True):
        fnp.add(np.ones(3), 1)
    fnp.add(np.ones(3), 1)
    # the default's 10^15 plus the explicit 3,000 (spec §3.8 prints one group too many)
    assert flops.budget_summary_dict()["flop_budget"] == 1_000_000_000_003_000


def test_budget_reset_keeps_flops_used_and_counts_only_new_activity(session: None) -> None:
    ctx = flops.BudgetContext(10**6, quiet=True)
    with ctx:
        fnp.add(np.ones(10), 1)
    flops.budget_reset()
    assert flops.budget_summary_dict()["flops_used"] == 0
    assert ctx.flops_used == 10
    with ctx:
        fnp.add(np.ones(4), 1)
    d = flops.budget_summary_dict()
    assert d["flops_used"] == 4
    assert d["operations"]["add"]["calls"] == 1
    assert ctx.flops_used == 14
    assert ctx.summary_dict()["flops_used"] == 14  # the context's own summary is unaffected


def test_active_context_counts_live_in_the_session(session: None) -> None:
    with flops.BudgetContext(500, quiet=True):
        fnp.add(np.ones(9), 1)
        d = flops.budget_summary_dict()
        assert (d["flop_budget"], d["flops_used"]) == (500, 9)
        assert d["wall_time_s"] is not None


def test_session_repricing(session: None) -> None:
    with flops.BudgetContext(10**12, quiet=True):
        fnp.einsum("ij,jk->ik", A256, A256)
    assert flops.budget_summary_dict()["flops_used"] == 33_488_896
    assert flops.budget_summary_dict(cost_model="fma")["flops_used"] == 33_554_432
    assert flops.budget_summary_dict(cost_model="mac")["cost_model"] == "mac"


# -- Rich output ----------------------------------------------------------------------------


def _render(**kw: object) -> str:
    console = Console(file=io.StringIO(), width=110, color_system=None)
    assert flops.budget_summary(console=console, **kw) is None  # type: ignore[arg-type]
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_budget_summary_panel(session: None) -> None:
    with flops.BudgetContext(3000, quiet=True):
        fnp.add(np.ones(100), 1)
        fnp.exp(np.ones(10))
    out = _render()
    assert "flopscope FLOP Budget Summary" in out
    assert re.search(r"Budget\s+3,000", out)
    assert re.search(r"Used\s+260 \(8\.7%\)", out)
    assert re.search(r"Remaining\s+2,740 \(91\.3%\)", out)
    for column in ("Operation", "FLOPs", "%", "Backend", "Overhead", "Calls"):
        assert column in out
    assert re.search(r"exp\s+160\s+61\.5", out)
    assert re.search(r"add\s+100\s+38\.5", out)
    assert "Wall time" in out


def test_budget_summary_prints_to_stdout(session: None, capsys: pytest.CaptureFixture[str]) -> None:
    with flops.BudgetContext(3000, quiet=True):
        fnp.add(np.ones(100), 1)
    assert flops.budget_summary() is None
    out = capsys.readouterr().out
    assert "flopscope FLOP Budget Summary" in out and "3,000" in out


def test_budget_summary_default_only_shows_used(session: None) -> None:
    fnp.add(np.ones(42), 1)
    out = _render()
    assert re.search(r"Used\s+42", out)
    assert "Budget " not in out.replace("Budget Summary", "")
    assert "Remaining" not in out


def test_budget_summary_by_namespace(session: None) -> None:
    with flops.BudgetContext(3000, quiet=True), flops.scope("enc"):
        fnp.add(np.ones(100), 1)
    out = _render(by_namespace=True)
    assert "By namespace" in out and "enc" in out


def test_budget_summary_empty(session: None) -> None:
    out = _render()
    assert "flopscope Budget" in out
    assert "No budget data recorded yet." in out


@pytest.mark.parametrize(("n", "colour"), [(40, "32"), (60, "33"), (90, "31")])
def test_usage_colour(session: None, n: int, colour: str) -> None:
    with flops.BudgetContext(100, quiet=True):
        fnp.add(np.ones(n), 1)
    console = Console(file=io.StringIO(), width=110, force_terminal=True, color_system="standard")
    flops.budget_summary(console=console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert f"\x1b[{colour}m{n}" in out


def test_budget_summary_returns_the_panel_under_ipython(
    session: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: object()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    with flops.BudgetContext(3000, quiet=True):
        fnp.add(np.ones(10), 1)
    from rich.panel import Panel

    panel = flops.budget_summary()
    assert isinstance(panel, Panel)
    assert capsys.readouterr().out == ""


def test_budget_live_shows_the_final_state(session: None) -> None:
    console = Console(file=io.StringIO(), width=110, color_system=None)
    with flops.budget_live(console=console):
        with flops.BudgetContext(3000, quiet=True):
            fnp.add(np.ones(123), 1)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "flopscope FLOP Budget Summary" in out
    assert re.search(r"add\s+123", out)
