"""Parity of the 0.4.0 reference cases: in-process versus client -> server.

``compare(case, remote)`` runs one case both ways and says whether the FLOPs, the error
class or the result differ. ``python -m tests.client.parity`` (from the repository root,
with a server at ``FLOPSCOPE_SERVER_URL``) prints how the cases split.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: reference_cases

from reference_cases import NoCanonicalForm, evaluate, load_cases, result_sha  # noqa: E402

from .translate import NotExpressible, Remote, run_case, static_reason  # noqa: E402

RAN, NOT_EXPRESSIBLE = "ran", "not-expressible"


@dataclass
class Verdict:
    status: str  # RAN or NOT_EXPRESSIBLE
    reason: str = ""  # why not expressible
    problem: str = ""  # empty when in-process and remote agree
    approx: bool = False  # values agreed only after coarse rounding


def _same_value(a: Any, b: Any) -> tuple[bool, bool]:
    """(agree, only approximately): the README's canonical hashes, exact then coarse."""
    try:
        if result_sha(a) == result_sha(b):
            return True, False
        return result_sha(a, approx=True) == result_sha(b, approx=True), True
    except NoCanonicalForm:
        return True, False  # generators, objects: nothing to compare (FLOPs still are)


def compare(case: dict[str, Any], remote: Remote) -> Verdict:
    reason = static_reason(case)
    if reason is not None:
        return Verdict(NOT_EXPRESSIBLE, reason)
    try:
        got = run_case(case, remote)
    except NotExpressible as exc:
        return Verdict(NOT_EXPRESSIBLE, str(exc))
    want = evaluate(case)
    if want.error is not None or got.error is not None:
        w = type(want.error).__name__ if want.error is not None else "no error"
        g = type(got.error).__name__ if got.error is not None else "no error"
        if w != g:
            return Verdict(RAN, problem=f"in-process {w}, remote {g}: {got.error or want.error}")
        return Verdict(RAN)
    if case["measure"] == "return" and got.charged:
        return Verdict(RAN, problem=f"the cost helper charged {got.charged:,} FLOPs remotely")
    if got.flops != want.flops:
        return Verdict(RAN, problem=f"FLOPs in-process {want.flops:,}, remote {got.flops:,}")
    if case["result_sha"] is None and case["result_sha_approx"] is None:
        return Verdict(RAN)  # no reproducible value (uninitialised memory, objects)
    same, approx = _same_value(want.result, got.result)
    if not same:
        return Verdict(RAN, problem="results differ")
    return Verdict(RAN, approx=approx)


def reason_counts(verdicts: dict[str, Verdict]) -> Counter[str]:
    return Counter(v.reason.split(":")[0] for v in verdicts.values() if v.status != RAN)


def main() -> None:  # pragma: no cover - a report, run by hand
    from .conftest import load_client

    pkg = load_client()
    import importlib

    remote = Remote(
        pkg,
        importlib.import_module(f"{pkg.__name__}.numpy"),
        importlib.import_module(f"{pkg.__name__}.client"),
    )
    verdicts = {c["id"]: compare(c, remote) for c in load_cases()}
    ran = [v for v in verdicts.values() if v.status == RAN]
    print(f"{len(verdicts)} cases: {len(ran)} ran through the client")
    print(f"  agree: {sum(not v.problem for v in ran)} ({sum(v.approx for v in ran)} approx)")
    for cid, v in verdicts.items():
        if v.problem:
            print(f"  DIFFER {cid}: {v.problem}")
    for reason, n in reason_counts(verdicts).most_common():
        print(f"  not expressible ({n}): {reason}")


if __name__ == "__main__":  # pragma: no cover
    main()
