"""The 0.4.0 reference cases: loader, classification, evaluator and result hashing.

``shared/reference/flops-0.4.0-public.jsonl`` holds 3600 calls measured on the 0.4.0 release
(see its README). This module implements the README's evaluation protocol and canonical
serialisation (exact and coarse-rounded), and sorts the cases into what must agree now and
what later issues bring. ``python tests/reference_cases.py`` prints the classification counts.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

#: the shared folder sits beside the repository checkout
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CASES_FILE = SHARED / "reference" / "flops-0.4.0-public.jsonl"

# -- loading ------------------------------------------------------------------------------


@cache
def load_cases() -> tuple[dict[str, Any], ...]:
    """Every reference case, in file order (empty when the shared folder is absent)."""
    if not CASES_FILE.is_file():
        return ()
    return tuple(json.loads(line) for line in CASES_FILE.read_text().splitlines() if line)


# -- classification -----------------------------------------------------------------------

IN_SCOPE = "in-scope"
LATER = "later-issue"
SYMMETRY = "symmetry"

#: families whose every case belongs to this issue (unless symmetry or a later op is touched)
_SCOPE_FAMILIES = {
    "pointwise-unary",
    "pointwise-binary",
    "reduction",
    "free",
    "operators",
    "blocked",
    "contraction",
    "einsum",
}

#: ops of the ``custom``/``random``/``accounting`` families that this issue covers
_SCOPE_OPS = set(
    (
        "array full full_like arange linspace logspace geomspace concatenate concat stack "
        "vstack dstack block tile repeat pad isnan isinf isfinite isnat allclose array_equal "
        "array_equiv random.randn random.rand random.seed random.get_state random.set_state "
        "accounting.einsum_cost accounting.pointwise_cost accounting.reduction_cost "
        "accounting.svd_cost einsum_accumulation_cost reduction_accumulation_cost "
        "tier2_reduction_cost"
    ).split()
)

#: ops inside in-scope families that later issues own (their module or row is not ours)
_LATER_PREFIXES: tuple[str, ...] = ()
_LATER_OPS = {
    # FlopscopeArray methods that route to indexing rows of later issues
}
#: operator cases whose call reaches a later-issue op (by id)
_LATER_IDS: dict[str, str] = {}

_SYMMETRY_WORDS = re.compile(r"as_symmetric|SymmetricTensor|symmetrize|is_symmetric|SymmetryGroup")

#: symmetry cases waiting for a part of issue 4 not landed yet: case id -> why (skipped
#: while listed). Every other symmetry case (declared groups, identical-object operands,
#: inferred tags, the helpers, random.symmetric) is in scope and must agree. Empty now:
#: every symmetry case of the reference agrees.
SYMMETRY_PENDING: dict[str, str] = {}


def is_symmetry_case(case: dict[str, Any]) -> bool:
    """The case declares, infers or relies on symmetry (identical operands included)."""
    text = f"{case['setup'] or ''}\n{case['call']}"
    return (
        case["family"] in ("symmetry", "einsum-symmetric")
        or _SYMMETRY_WORDS.search(text) is not None
        or case["op"] == "random.symmetric"
        or case["id"] in SYMMETRY_PENDING
    )


@dataclass(frozen=True)
class Classification:
    status: str  # IN_SCOPE, LATER or SYMMETRY
    reason: str


def classify(case: dict[str, Any]) -> Classification:
    """Which issue a case belongs to; in-scope cases must agree now."""
    op, family, cid = case["op"], case["family"], case["id"]
    if cid in SYMMETRY_PENDING:
        return Classification(SYMMETRY, f"symmetry issue, pending {SYMMETRY_PENDING[cid]}")
    if is_symmetry_case(case):
        return Classification(IN_SCOPE, "")
    if cid in _LATER_IDS:
        return Classification(LATER, f"issue 3: {_LATER_IDS[cid]} not yet declared")
    if op in _LATER_OPS or op.startswith(_LATER_PREFIXES):
        return Classification(LATER, f"issue 3: {op} not yet declared")
    if family in _SCOPE_FAMILIES or op in _SCOPE_OPS or _declared(op):
        return Classification(IN_SCOPE, "")
    return Classification(LATER, f"issue 3: {op} not yet declared")


def _declared(op: str) -> bool:
    """A case whose op has a row in the table must agree: landing a row makes it strict."""
    from flopscope.ops import lookup

    module, _, name = op.rpartition(".")
    if module == "accounting":
        import flopscope.accounting

        return name in flopscope.accounting.__all__
    nested = module.startswith(("stats.", "random."))  # stats.norm, random.Generator...
    if module in ("", "linalg", "fft", "random", "stats") or nested:
        return lookup(name, module) is not None
    return False


def classification_counts() -> Counter[str]:
    return Counter(classify(c).status for c in load_cases())


# -- canonical serialisation (README "Canonical serialisation") ----------------------------

_BITS = {8: 24, 4: 12, 2: 6}  # mantissa bits kept, by float width in bytes


class NoCanonicalForm(TypeError):
    """The value has no canonical serialisation (object arrays, generators...)."""


def _round_float(a: np.ndarray, bits: int) -> np.ndarray:
    """Coarse rounding in float64: ``bits`` mantissa bits, tiny values flushed to 0."""
    x = np.array(a, dtype=np.float64)
    finite = np.isfinite(x)
    top = float(np.max(np.abs(x[finite]))) if finite.any() else 0.0
    with np.errstate(all="ignore"):
        m, e = np.frexp(x)
        y = np.asarray(np.ldexp(np.round(m * 2.0**bits) / 2.0**bits, e))
        y[~finite] = x[~finite]
        y[np.abs(x) < top * 2.0 ** -(bits + 4)] = 0.0
    y[np.isnan(y)] = np.nan  # one NaN bit pattern
    y[y == 0] = 0.0  # -0.0 -> 0.0
    return y


def _array_bytes(x: Any, approx: bool) -> bytes:
    a = np.asarray(x)
    if a.dtype == object:
        raise NoCanonicalForm("object array")
    header = a.dtype.str
    if approx and a.dtype.kind == "c":
        # complex: (real, imag) pairs on a trailing axis, each part rounded on its own scale
        bits = _BITS[a.dtype.itemsize // 2]
        a = np.stack([_round_float(a.real, bits), _round_float(a.imag, bits)], axis=-1)
    elif approx and a.dtype.kind == "f":
        a = _round_float(a, _BITS[a.dtype.itemsize])
    # the header keeps the original dtype; rounded bodies are float64 bytes
    return b"A" + header.encode() + repr(tuple(a.shape)).encode() + b";" + a.tobytes(order="C")


def serialise(x: Any, approx: bool = False) -> bytes:
    """The README's canonical byte form of a call result (``approx``: coarse rounding)."""
    if x is None:
        return b"N;"
    if isinstance(x, bytes):
        return b"B%d;" % len(x) + x
    if isinstance(x, str):
        raw = x.encode()
        return b"S%d;" % len(raw) + raw
    if isinstance(x, dict):
        out = b"D%d;" % len(x)
        for key in sorted(x, key=str):
            out += serialise(str(key), approx) + serialise(x[key], approx)
        return out
    if isinstance(x, (list, tuple)):
        return b"L%d;" % len(x) + b"".join(serialise(e, approx) for e in x)
    if isinstance(x, np.dtype):
        return serialise("dtype:" + x.str)
    if isinstance(x, type) and issubclass(x, np.generic):
        return serialise("dtype:" + np.dtype(x).str)
    if isinstance(x, (np.ndarray, np.generic, bool, int, float, complex)):
        return _array_bytes(x, approx)
    raise NoCanonicalForm(type(x).__name__)


def result_sha(x: Any, approx: bool = False) -> str:
    return hashlib.sha256(serialise(x, approx)).hexdigest()


# -- evaluation (README "Evaluation protocol") --------------------------------------------


@dataclass
class Outcome:
    flops: int | None  # charged (measure=budget) or returned (measure=return)
    result: Any = None
    error: BaseException | None = None


def evaluate(case: dict[str, Any]) -> Outcome:
    """Run one case exactly as the README's protocol does."""
    import flopscope as flops
    import flopscope.numpy as fnp

    ns: dict[str, Any] = {"fnp": fnp, "flops": flops, "np": np}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(flop_budget=10**15, quiet=True) as budget:
            if case["setup"]:
                exec(case["setup"], ns)
            before = budget.flops_used
            try:
                result = eval(case["call"], ns)
            except Exception as exc:  # compared by type name with expect_error
                return Outcome(None, error=exc)
            charged = budget.flops_used - before
    if case["measure"] == "return":
        return Outcome(int(result), result)
    return Outcome(charged, result)


def values_agree(case: dict[str, Any], result: Any) -> bool | None:
    """Result hash check: exact sha, else the coarse-rounded one; None if not recorded."""
    if case["result_sha"] is None:
        return None
    try:
        if result_sha(result) == case["result_sha"]:
            return True
        return result_sha(result, approx=True) == case["result_sha_approx"]
    except NoCanonicalForm:
        return False


def main() -> None:
    cases = load_cases()
    if not cases:
        print(f"no reference cases at {CASES_FILE}")
        return
    by_status: Counter[tuple[str, str]] = Counter((classify(c).status, c["family"]) for c in cases)
    totals = classification_counts()
    print(f"{len(cases)} reference cases: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    for (status, family), n in sorted(by_status.items()):
        print(f"  {status:12s} {family:18s} {n}")


if __name__ == "__main__":
    main()
