"""Where the conformance cases come from, before any expectation is attached.

Three sources, in order, duplicates (same call and setup) dropped:

1. the measured 0.4.0 reference cases (``shared/reference/flops-0.4.0-public.jsonl``) that
   are in scope for the dense surface, with the DIFFERENCES values of
   ``tests/test_reference_cases.py`` applied;
2. the ``examples`` of every op row (hand-checked default-model costs);
3. :data:`conformance.extra.EXTRA` for ops that the first two cover less than three times.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from conformance.values import Undescribable, describe

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Source:
    """One call with its measured or hand-checked ``flopscope``-model charge."""

    id: str
    op: Any  # the row (flopscope.ops.Op)
    call: str
    setup: str | None
    flopscope: int | None
    expect_error: str | None
    result_sha: str | None
    result_sha_approx: str | None
    origin: str  # "0.4.0-reference", "row-example" or "extra"


def hashing() -> Any:
    """``tests/reference_cases.py``: the reference loader and the canonical result hash."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import reference_cases

    return reference_cases


def reference_module() -> Any:
    """``tests/reference_cases.py`` and ``tests/test_reference_cases.py`` (whose lists of
    DIFFERENCES values and machine-dependent results we reuse). Generation only: the test
    module skips itself at import when the shared reference folder is absent."""
    rc = hashing()
    import test_reference_cases

    return rc, test_reference_cases


def row_for(op_name: str) -> Any:
    from flopscope.ops import lookup

    module, _, name = op_name.rpartition(".")
    return lookup(name, module)


def sources() -> list[Source]:
    """Every case source, deduplicated, in a stable order."""
    from conformance.extra import EXTRA
    from flopscope.ops import all_ops

    rc, trc = reference_module()
    out: list[Source] = []
    seen: set[tuple[str, str | None]] = set()

    def add(src: Source) -> None:
        key = (src.call, src.setup)
        if key not in seen:
            seen.add(key)
            out.append(src)

    for case in rc.load_cases():
        if rc.classify(case).status != rc.IN_SCOPE or case["measure"] != "budget":
            continue
        if _symmetric(rc, case):  # the tables cover dense calls only
            continue
        row = row_for(case["op"]) if not case["op"].startswith("ndarray.") else None
        if row is None:
            continue
        flops, error = case["flops"], case["expect_error"]
        if case["id"] in trc.EXPECTED_DIFFERENCES:
            _, flops, error = trc.EXPECTED_DIFFERENCES[case["id"]]
        add(
            Source(
                case["id"],
                row,
                case["call"],
                case["setup"],
                flops,
                error,
                case["result_sha"],
                case["result_sha_approx"],
                "0.4.0-reference",
            )
        )
    for row in all_ops():
        for i, ex in enumerate(row.examples):
            add(
                Source(
                    f"{row.name}/example-{i}",
                    row,
                    ex.call,
                    ex.setup,
                    ex.flops,
                    None,
                    None,
                    None,
                    "row-example",
                )
            )
    for op_name, call, setup, flops, error in EXTRA:
        row = row_for(op_name)
        if row is None:
            raise ValueError(f"extra case for unknown op {op_name!r}")
        n = sum(1 for s in out if s.op is row)
        add(Source(f"{row.name}/extra-{n}", row, call, setup, flops, error, None, None, "extra"))
    return out


def _symmetric(rc: Any, case: dict[str, Any]) -> bool:
    """Declared, inferred or identity-detected symmetry: not a dense case."""
    text = f"{case['setup'] or ''}\n{case['call']}"
    tag = case["id"].split("/", 1)[1]
    return (
        case["family"] in ("symmetry", "einsum-symmetric")
        or case["op"] == "random.symmetric"
        or SYMMETRY_WORDS.search(text) is not None
        or case["id"] in getattr(rc, "SYMMETRY_PENDING", {})
        or "same" in tag
        or "inferred" in tag
    )


SYMMETRY_WORDS = re.compile(r"as_symmetric|SymmetricTensor|symmetrize|is_symmetric|SymmetryGroup")


# -- structured arguments ---------------------------------------------------------------------


def namespace() -> dict[str, Any]:
    import flopscope as flops
    import flopscope.numpy as fnp

    return {"fnp": fnp, "flops": flops, "np": np}


def capture(src: Source) -> tuple[list[Any], dict[str, Any]] | None:
    """The call's arguments as descriptions, or ``None`` when the call is not
    ``fnp.<op>(args...)`` with describable, free-to-build, reproducible arguments."""
    first = _capture(src)
    if first is None or (src.setup and _capture(src) != first):  # temp paths, RNG draws
        return None
    return first


def _capture(src: Source) -> tuple[list[Any], dict[str, Any]] | None:
    import flopscope as flops

    try:
        node = ast.parse(src.call, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    path = _dotted(node.func)
    if path is None or path[0] != "fnp" or any(k.arg is None for k in node.keywords):
        return None
    module, name = ".".join(path[1:-1]), path[-1]
    from flopscope.ops import lookup

    if lookup(name, module) is not src.op:
        return None
    ns = namespace()
    with warnings.catch_warnings(), flops.BudgetContext(10**15, quiet=True) as budget:
        warnings.simplefilter("ignore")
        try:
            if src.setup:
                exec(src.setup, ns)
            args = [eval(compile(ast.Expression(a), "<arg>", "eval"), ns) for a in node.args]
            kwargs = {
                k.arg: eval(compile(ast.Expression(k.value), "<arg>", "eval"), ns)
                for k in node.keywords
            }
        except Exception:
            return None
    if budget.flops_used:  # building the arguments is itself a counted call
        return None
    try:
        return [describe(a) for a in args], {k: describe(v) for k, v in kwargs.items()}
    except Undescribable:
        return None


def _dotted(node: ast.AST) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]
