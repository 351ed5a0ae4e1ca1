"""Rebuild ``conformance/tables/*.jsonl`` (one file per family): ``python -m conformance.generate``.

Each row is one case: the op (canonical name and module), the call (as the 0.4.0 reference
wrote it), its arguments as JSON descriptions where they have one, the Array API name when
the call is a standard call (array_api_strict itself accepts the described arguments), the
expected FLOPs under the four built-in models with where each number comes from, and the
expected result hash where the result is deterministic. ``--check`` exits 1 when the files
on disk differ from what the generator builds now.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from conformance.cases import Source, capture, hashing, reference_module, sources
from conformance.expect import expected
from conformance.runner import NO_VALUES
from conformance.values import build

TABLES = Path(__file__).resolve().parent / "tables"


def build_rows() -> list[dict[str, Any]]:
    """Every case row, in source order."""
    rows = []
    for src in sources():
        captured = capture(src)
        flops, how = expected(src, captured)
        sha, approx = src.result_sha, src.result_sha_approx
        hashed_by = "0.4.0" if sha else None
        if src.id in machine_dependent():  # judged against numpy's own call at run time
            sha = approx = hashed_by = None
        elif sha is None and src.expect_error is None and src.op.name not in NO_VALUES:
            sha, approx = native_sha(src)
            hashed_by = "numpy" if sha else None
        args, kwargs = captured if captured is not None else (None, None)
        rows.append(
            {
                "id": src.id,
                "op": src.op.name,
                "module": src.op.module,
                "family": src.op.family,
                "call": src.call,
                "setup": src.setup,
                "args": args,
                "kwargs": kwargs,
                "array_api": standard_name(src, captured),
                "expect_error": src.expect_error,
                "flops": flops,
                "flops_source": how,
                "result_sha": sha,
                "result_sha_approx": approx,
                "result_hashed_by": hashed_by,
                "origin": src.origin,
            }
        )
    return rows


def machine_dependent() -> set[str]:
    """Reference ids whose 0.4.0 hash this machine cannot reproduce (tests' own lists)."""
    _, trc = reference_module()
    return set(trc.UNREPRODUCIBLE_VALUES) | trc.LAPACK_DEPENDENT | trc.NUMPY_VALUES


def native_sha(src: Source) -> tuple[str | None, str | None]:
    """Hashes of the plain-numpy result (``fnp`` read as ``np``), if it is reproducible."""
    rc = hashing()
    shas = []
    for _ in range(2):
        np.random.random()  # a result that depends on the global RNG state is not recorded
        ns: dict[str, Any] = {"fnp": np, "np": np}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if src.setup:
                    exec(src.setup, ns)
                result = eval(src.call, ns)
            shas.append((rc.result_sha(result), rc.result_sha(result, approx=True)))
        except Exception:
            return None, None
    return shas[0] if shas[0] == shas[1] else (None, None)


def standard_name(src: Source, captured: Any) -> str | None:
    """``module.name`` in the Array API when the described call is a standard call:
    array_api_strict accepts it, or, for an extension array_api_strict lacks (``einsum``),
    numpy's array-api-compat namespace does."""
    import array_api_compat.numpy as compat_np
    import array_api_strict as xps

    op = src.op
    if op.array_api is None or captured is None or src.expect_error is not None:
        return None
    name = f"{op.module}.{op.array_api}" if op.module else op.array_api
    fn = _resolve(xps, name)
    if fn is not None:
        return name if _accepts(xps, fn, *captured) else None
    fn = _resolve(compat_np, name)
    if fn is None or captured[1]:  # an extension call: numpy's keywords are not portable
        return None
    return name if _accepts(compat_np, fn, *captured) else None


def _resolve(xp: Any, name: str) -> Any:
    fn = xp
    for part in name.split("."):
        fn = getattr(fn, part, None)
    return fn


def _accepts(xp: Any, fn: Any, args: list[Any], kwargs: dict[str, Any]) -> bool:
    def dtype(n: str) -> Any:
        return getattr(xp, n)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(
                *build(args, xp.asarray, dtype),
                **{k: build(v, xp.asarray, dtype) for k, v in kwargs.items()},
            )
    except Exception:
        return False
    return True


def render(rows: list[dict[str, Any]]) -> dict[str, str]:
    """File name -> text, one JSON line per case, files per family."""
    files: dict[str, list[str]] = {}
    for row in rows:
        files.setdefault(f"{row['family']}.jsonl", []).append(json.dumps(row))
    return {name: "\n".join(lines) + "\n" for name, lines in sorted(files.items())}


def stale(rendered: dict[str, str]) -> list[str]:
    """Table files that differ from ``rendered`` (missing, extra or changed)."""
    on_disk = {p.name: p.read_text() for p in TABLES.glob("*.jsonl")}
    names = set(on_disk) | set(rendered)
    return sorted(n for n in names if on_disk.get(n) != rendered.get(n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the tables are stale")
    ns = parser.parse_args(argv)
    rendered = render(build_rows())
    if ns.check:
        bad = stale(rendered)
        print("stale: " + ", ".join(bad) if bad else "tables are up to date")
        return 1 if bad else 0
    TABLES.mkdir(exist_ok=True)
    for p in TABLES.glob("*.jsonl"):
        if p.name not in rendered:
            p.unlink()
    for name, text in rendered.items():
        (TABLES / name).write_text(text)
    total = sum(t.count("\n") for t in rendered.values())
    print(f"wrote {total} cases in {len(rendered)} tables to {TABLES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
