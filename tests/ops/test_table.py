"""The op table is complete and consistent (DESIGN §3).

Every public op has a row; every counted row has a registered formula; every row has a weight
tier, at least one example and an entry in the generated docs reference; no public name is
declared twice; aliases bill exactly like their canonical row; every example is pinned by
running it under the packaged ``flopscope`` model.
"""

from __future__ import annotations

import importlib
import pathlib
import re
import warnings
from collections import Counter
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.costs import FORMULAS, CostModel
from flopscope.costs.weights import packaged_weights
from flopscope.numpy._factory import build
from flopscope.ops import TIERS, Example, Op, all_ops, lookup

ROOT = pathlib.Path(__file__).resolve().parents[2]
OPS = all_ops()
#: the default model with the packaged weights, whatever the environment says
FLOPSCOPE = CostModel(convention="exact", weights=packaged_weights())
#: ops reached through methods (numpy's ufunc methods, counted generators), not an fnp module
PROTOCOL_MODULES = {"ufunc", "random.Generator", "random.RandomState"}


def _fnp_module(module: str) -> ModuleType:
    if module == "stats" or module.startswith("stats."):
        stats = importlib.import_module("flopscope.stats")
        return stats if module == "stats" else getattr(stats, module.split(".", 1)[1])
    return importlib.import_module("flopscope.numpy" + (f".{module}" if module else ""))


def _run(example: Example, model: CostModel = FLOPSCOPE) -> tuple[int, list[Any], Any]:
    """Charge of ``example.call`` alone (setup excluded), its records and its result."""
    ns: dict[str, Any] = {"fnp": fnp, "flops": flops, "np": np}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True, cost_model=model) as budget:
            if example.setup:
                exec(example.setup, ns)
            before = budget.flops_used
            n_before = len(budget.op_log)
            result = eval(example.call, ns)
    return budget.flops_used - before, budget.op_log[n_before:], result


# -- every public op has a row -------------------------------------------------------------


def _modules() -> list[str]:
    found = {m for op in OPS for m in (op.module, *op.also_in)} - PROTOCOL_MODULES
    return sorted(found)


@pytest.mark.parametrize("module", _modules())
def test_every_public_function_of_a_module_is_a_row(module: str) -> None:
    mod = _fnp_module(module)
    extras = set(getattr(mod, "_EXTRAS", ()))
    for name in mod.__all__:
        obj = getattr(mod, name)
        if name in extras or isinstance(obj, (type, ModuleType)):
            continue
        op = lookup(name, module)
        assert op is not None, f"{mod.__name__}.{name} is public but has no op row"
        assert obj is build(op), f"{mod.__name__}.{name} is not generated from its row"


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_every_row_is_reachable_under_each_public_name(op: Op) -> None:
    for module in (op.module, *op.also_in):
        if module in PROTOCOL_MODULES:
            continue
        mod = _fnp_module(module)
        for public in op.public_names:
            assert getattr(mod, public) is build(op), f"{module}.{public}"
            assert public in mod.__all__, f"{module}.{public} missing from __all__"


def test_top_level_fnp_names_are_rows_or_declared_extras() -> None:
    extras = set(fnp._EXTRAS)
    for name in fnp.__all__:
        assert name in extras or lookup(name) is not None, name


def test_dunders_and_methods_route_to_their_row() -> None:
    for op in OPS:
        for name in (*op.dunders, *op.methods):
            assert name in vars(fnp.ndarray), f"{op.name}: FlopscopeArray.{name} not installed"


# -- formula, weight, examples, docs --------------------------------------------------------


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_row_has_formula_weight_and_example(op: Op) -> None:
    if op.counted:
        assert op.formula in FORMULAS, f"{op.name}: formula {op.formula!r} is not registered"
        assert FORMULAS[op.formula].__doc__, f"formula {op.formula!r} needs a docstring (docs)"
    else:
        assert op.formula is None
    assert op.weight in TIERS
    assert op.examples, f"{op.name} has no Example"
    for example in op.examples:
        assert isinstance(example.flops, int) and example.flops >= 0


def test_packaged_weights_are_the_row_weights() -> None:
    table = packaged_weights()
    for op in OPS:
        if not op.counted:
            assert op.name not in table
            continue
        assert table[op.name] == op.weight
        prefix = op.name.rpartition(".")[0]
        for alias in op.aliases:
            assert table[f"{prefix}.{alias}" if prefix else alias] == op.weight


def test_every_row_is_in_the_generated_reference() -> None:
    page = (ROOT / "docs" / "reference" / "ops.md").read_text().split("\n## ", 1)[1]
    documented = Counter(m.group(1) for m in re.finditer(r"^\| `([^`]+)` \|", page, flags=re.M))
    for op in OPS:
        assert documented[op.name] == 1, f"{op.name} has {documented[op.name]} docs rows"
    assert set(documented) == {op.name for op in OPS}


# -- uniqueness -------------------------------------------------------------------------


def test_no_public_name_is_declared_twice() -> None:
    owners: dict[tuple[str, str], list[str]] = {}
    for op in OPS:
        for module in (op.module, *op.also_in):
            for public in op.public_names:
                owners.setdefault((module, public), []).append(op.name)
    twice = {key: rows for key, rows in owners.items() if len(rows) > 1}
    assert not twice
    names = Counter(op.name for op in OPS)
    assert [n for n, c in names.items() if c > 1] == []


def test_aliases_are_not_other_rows_names() -> None:
    for op in OPS:
        assert len(set(op.public_names)) == len(op.public_names), op.name
        for alias in op.aliases:
            assert lookup(alias, op.module) is op


# -- examples are pinned ----------------------------------------------------------------

EXAMPLES = [(op, i, ex) for op in OPS for i, ex in enumerate(op.examples)]


@pytest.mark.parametrize(
    ("op", "index", "example"), EXAMPLES, ids=[f"{op.name}[{i}]" for op, i, _ in EXAMPLES]
)
def test_example_charges_exactly(op: Op, index: int, example: Example) -> None:
    charged, records, _ = _run(example)
    assert charged == example.flops, f"{example.call}: charged {charged}, row says {example.flops}"
    if op.kind == "free":
        assert charged == 0
    if op.kind == "logged":
        assert charged == 0 and records, f"{op.name}: a logged op leaves a 0-FLOP record"
    if op.counted and op.kind != "logged" and example.flops:
        assert records and records[-1].flop_cost == example.flops


# -- aliases bill exactly like their canonical row --------------------------------------


def _alias_calls(op: Op, alias: str) -> list[tuple[Example, Example]]:
    """(canonical example, the same call spelled with ``alias``) pairs."""
    short = op.name.rsplit(".", 1)[-1]
    pairs = []
    for module in (op.module, *op.also_in):
        spelled = "fnp." + (f"{module}." if module else "")
        for ex in op.examples:
            if ex.call.startswith(f"{spelled}{short}("):
                call = f"{spelled}{alias}(" + ex.call[len(spelled) + len(short) + 1 :]
                pairs.append((ex, Example(call, ex.flops, ex.setup)))
    return pairs


ALIASES = [(op, alias) for op in OPS for alias in op.aliases]


@pytest.mark.parametrize(("op", "alias"), ALIASES, ids=[f"{op.name}~{a}" for op, a in ALIASES])
def test_alias_bills_like_canonical(op: Op, alias: str) -> None:
    pairs = _alias_calls(op, alias)
    assert pairs, f"{op.name}: no example spelled fnp.{op.name}(...) to replay as {alias}"
    models = [FLOPSCOPE, CostModel("exact"), CostModel("fma"), CostModel("mac")]
    for canonical, aliased in pairs:
        for model in models:
            want, want_records, _ = _run(canonical, model)
            got, got_records, _ = _run(aliased, model)
            assert got == want, f"{aliased.call} under {model.name}: {got} != {want}"
            assert [r.op_name for r in got_records] == [r.op_name for r in want_records]
        assert got == canonical.flops or model is not FLOPSCOPE
    mod = _fnp_module(op.module) if op.module not in PROTOCOL_MODULES else None
    if mod is not None:
        assert getattr(mod, alias) is getattr(mod, op.name.rsplit(".", 1)[-1])
