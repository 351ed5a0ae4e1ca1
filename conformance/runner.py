"""Run table cases on a backend under a cost model and judge them.

Backend ``numpy`` runs every case through the NumPy surface (``flopscope.numpy``), the way
the case's ``call`` is written. Every other backend runs the case through
``flops.namespace(backend)`` when the call is a standard Array API call (the row's
``array_api``); a numpy-surface-only case is reported ``unsupported`` there, never dropped.

Checks per case: (a) the result matches the backend's native call and numpy (tolerances per
dtype; the table's hash for the NumPy surface), (b) the FLOPs charged equal the table's
number for the model, (c) — across backends, in :func:`cross_check` — the same case is
charged the same everywhere.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from conformance import models
from conformance.cases import hashing
from conformance.values import build

PASS, FAIL, UNSUPPORTED = "pass", "fail", "unsupported"

#: (rtol, atol) by numpy dtype kind and item size; integers and booleans compare exactly
TOLERANCE = {8: (1e-7, 1e-9), 4: (2e-4, 1e-5), 2: (2e-2, 1e-3)}

#: errors by which an adapter declines an op it cannot run (data-dependent shapes on a lazy
#: backend, a function the library lacks); matched by name so the suite runs on any version
DECLINED = {"BackendUnsupportedError", "UnknownShapeError"}

#: ops whose values are undefined (uninitialised memory): shape and dtype only
NO_VALUES = {"empty", "empty_like"}

#: decompositions whose vectors are defined up to sign/phase: compare only these outputs
#: with numpy (the native comparison stays complete)
INVARIANT_PARTS = {
    "linalg.svd": (1,),
    "linalg.eigh": (0,),
    "linalg.qr": (),
    "linalg.eig": (),
    "linalg.eigvals": (),
}


@dataclass
class Result:
    """The verdict on one case, on one backend, under one model."""

    id: str
    family: str
    op: str
    backend: str
    model: str
    status: str
    flops: int | None = None
    expected: int | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run(row: dict[str, Any], backend: str, model: models.Model) -> Result:
    """Run one case and judge it."""
    base = Result(row["id"], row["family"], row["op"], backend, model.label, FAIL)
    with warnings.catch_warnings():  # np.errstate would leak into geterr() cases
        warnings.simplefilter("ignore")
        try:
            if backend == "numpy":
                return _numpy_surface(row, model, base)
            return _namespace(row, backend, model, base)
        except Exception as exc:  # the harness itself must never stop the run
            base.detail = f"harness error: {type(exc).__name__}: {exc}"
            return base


# -- the NumPy surface ----------------------------------------------------------------------


def _numpy_surface(row: dict[str, Any], model: models.Model, res: Result) -> Result:
    import flopscope as flops
    import flopscope.numpy as fnp

    ns: dict[str, Any] = {"fnp": fnp, "flops": flops, "np": np}
    error: BaseException | None = None
    result: Any = None
    with flops.BudgetContext(10**15, cost_model=model.cost_model, quiet=True) as budget:
        if row["setup"]:
            exec(row["setup"], ns)
        before = budget.flops_used
        try:
            result = eval(row["call"], ns)
        except Exception as exc:
            error = exc
        res.flops = budget.flops_used - before
    res.expected = model.expected(row)
    if row["expect_error"]:
        got = type(error).__name__ if error is not None else "no error"
        if got != row["expect_error"] or res.flops:
            res.detail = f"expected {row['expect_error']} and 0 FLOPs, got {got}, {res.flops}"
            return res
        res.status = PASS
        return res
    if error is not None:
        res.detail = f"raised {type(error).__name__}: {error}"
        return res
    if res.expected is not None and res.flops != res.expected:
        res.detail = f"charged {res.flops}, table says {res.expected}"
        return res
    agree = _surface_values(row, result)
    if agree is not None:
        res.detail = agree
        return res
    res.status = PASS
    return res


def _surface_values(row: dict[str, Any], result: Any) -> str | None:
    """None when the result matches the table's hash (exact, else coarse-rounded) or, for a
    case without a hash, numpy's own call within tolerance (when numpy has the call)."""
    if row["result_sha"] is None:
        return _native_numpy(row, result)
    rc = hashing()
    try:
        if rc.result_sha(result) == row["result_sha"]:
            return None
        if rc.result_sha(result, approx=True) == row["result_sha_approx"]:
            return None
    except rc.NoCanonicalForm:
        if row["result_hashed_by"] == "0.4.0":
            return "result has no canonical form but 0.4.0's has a hash"
        return None  # the hash is numpy's; flopscope returns a richer object (einsum_path)
    return "result differs from the table's hash"


def _native_numpy(row: dict[str, Any], result: Any) -> str | None:
    """Compare with the call run by plain numpy (``fnp`` read as ``np``), array results only."""
    if row["op"] in NO_VALUES or not _arrays(result):
        return None
    ns: dict[str, Any] = {"fnp": np, "np": np}
    try:
        if row["setup"]:
            exec(row["setup"], ns)
        native = eval(row["call"], ns)
    except Exception:
        return None  # numpy has no such call (flopscope-only op or argument)
    if not _arrays(native):
        return None
    bad = compare(to_numpy(result), to_numpy(native), None)
    return f"differs from numpy: {bad}" if bad else None


def _arrays(x: Any) -> bool:
    if isinstance(x, tuple):
        return bool(x) and all(isinstance(e, np.ndarray) for e in x)
    return isinstance(x, np.ndarray)


# -- namespaces over other backends ---------------------------------------------------------


def _namespace(row: dict[str, Any], backend: str, model: models.Model, res: Result) -> Result:
    import array_api_compat.numpy

    import flopscope as flops

    name = row["array_api"]
    if name is None:
        res.status = UNSUPPORTED
        res.detail = "NumPy-surface call: not in the Array API standard"
        return res
    xp = flops.namespace(backend)
    native_xp = _native_namespace(xp)
    counted_fn, native_fn = _resolve(xp, name), _resolve(native_xp, name)
    native_ok, native = _call(native_xp, native_fn, row)
    if counted_fn is None:
        if native_ok:
            res.detail = f"the counted namespace has no {name}, native {backend} runs it"
        else:
            res.status = UNSUPPORTED
            res.detail = f"{backend} cannot run it: {type(native).__name__}: {native}"
        return res
    ref_xp = array_api_compat.numpy
    ref_ok, reference = _call(ref_xp, _resolve(ref_xp, name), row)
    with flops.BudgetContext(10**15, cost_model=model.cost_model, quiet=True) as budget:
        args, kwargs = _build(xp, row)
        before = budget.flops_used
        try:
            result: Any = counted_fn(*args, **kwargs)
            error: BaseException | None = None
        except Exception as exc:
            result, error = None, exc
        res.flops = budget.flops_used - before
    res.expected = model.expected(row)
    if error is None:
        try:  # a lazy backend (dask) computes here
            got = None if row["op"] in NO_VALUES else to_numpy(result)
        except Exception as exc:
            error = exc
    if error is not None:
        if type(error).__name__ in DECLINED:  # the adapter declares the op unsupported
            res.status = UNSUPPORTED
            res.detail = f"{type(error).__name__}: {error}"
        elif not native_ok:  # the backend itself cannot run this call
            res.status = UNSUPPORTED
            res.detail = f"{backend} cannot run it: {type(native).__name__}: {native}"
        else:
            res.detail = f"raised {type(error).__name__}: {error}"
        return res
    if res.expected is not None and res.flops != res.expected:
        res.detail = f"charged {res.flops}, table says {res.expected}"
        return res
    res.status = PASS
    if row["op"] in NO_VALUES:
        return res
    if native_ok:
        bad = compare(got, native, None)
        if bad:
            res.status = FAIL
            res.detail = f"differs from native {backend}: {bad}"
            return res
    if ref_ok:
        bad = compare(got, reference, INVARIANT_PARTS.get(row["op"]))
        if bad and native_ok:  # flopscope forwards faithfully; the backend itself deviates
            res.detail = f"note: native {backend} differs from numpy: {bad}"
        elif bad:
            res.status = FAIL
            res.detail = f"differs from numpy: {bad}"
    return res


def _native_namespace(xp: Any) -> Any:
    import array_api_compat

    probe = xp.asarray(np.zeros(1))
    return array_api_compat.array_namespace(probe.backend_array)


def _resolve(xp: Any, name: str) -> Any:
    fn = xp
    for part in name.split("."):
        fn = getattr(fn, part, None)
        if fn is None:
            return None
    return fn


def _build(xp: Any, row: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    def dtype(n: str) -> Any:
        return getattr(xp, n)

    args = build(row["args"], xp.asarray, dtype)
    kwargs = {k: build(v, xp.asarray, dtype) for k, v in row["kwargs"].items()}
    return args, kwargs


def _call(xp: Any, fn: Any, row: dict[str, Any]) -> tuple[bool, Any]:
    """``(True, numpy result)`` of a native call, or ``(False, the exception)``."""
    if fn is None:
        return False, AttributeError("no such function")
    try:
        args, kwargs = _build(xp, row)
        return True, to_numpy(fn(*args, **kwargs))
    except Exception as exc:
        return False, exc


# -- values -----------------------------------------------------------------------------------


def to_numpy(x: Any) -> Any:
    """A backend result as numpy data (tuples stay tuples)."""
    if isinstance(x, tuple):  # namedtuples (svd, eigh...) too
        return tuple(to_numpy(e) for e in x)
    if isinstance(x, list):
        return [to_numpy(e) for e in x]
    raw = getattr(x, "backend_array", x)
    if hasattr(raw, "compute"):  # dask
        raw = raw.compute()
    if hasattr(raw, "detach"):  # torch: lazy conjugate/negative bits cannot be exported
        raw = raw.detach().cpu().resolve_conj().resolve_neg()
    if isinstance(raw, (bool, int, float, complex, np.ndarray, np.generic)):
        return np.asarray(raw)
    if _is_dtype(raw):
        return raw
    try:
        return np.asarray(raw)
    except Exception:
        return np.from_dlpack(raw)


def compare(got: Any, want: Any, parts: tuple[int, ...] | None) -> str | None:
    """None when ``got`` matches ``want`` within the dtype's tolerance."""
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            return "different structure"
        for i, (g, w) in enumerate(zip(got, want)):
            if parts is not None and i not in parts:
                continue
            bad = compare(g, w, None)
            if bad:
                return f"output {i}: {bad}"
        return None
    if parts == ():
        return None
    if _is_dtype(want):
        return None if _as_dtype(got) == _as_dtype(want) else f"dtype {got} != {want}"
    g, w = np.asarray(got), np.asarray(want)
    if g.shape != w.shape:
        return f"shape {g.shape} != {w.shape}"
    if g.dtype.kind in "biu" and w.dtype.kind in "biu":
        return None if np.array_equal(g, w) else "integer values differ"
    rtol, atol = TOLERANCE[min(_precision(g.dtype), _precision(w.dtype))]
    scale = float(np.max(np.abs(w[np.isfinite(w)]))) if np.isfinite(w).any() else 1.0
    if np.allclose(g, w, rtol=rtol, atol=atol * max(1.0, scale), equal_nan=True):
        return None
    err = np.max(np.abs(g.astype(complex) - w.astype(complex))) if g.size else math.nan
    return f"max abs error {err:.3g} (rtol {rtol:g})"


def _is_dtype(x: Any) -> bool:
    return (
        isinstance(x, np.dtype)
        or type(x).__name__ in ("DType", "dtype")
        or (isinstance(x, type) and issubclass(x, np.generic))
    )


def _as_dtype(x: Any) -> np.dtype | None:
    """numpy's dtype for a numpy, array_api_strict or torch dtype object."""
    inner = getattr(x, "_np_dtype", None)
    if inner is not None:
        return np.dtype(inner)
    try:
        return np.dtype(x)
    except TypeError:
        try:
            return np.dtype(str(x).rsplit(".", 1)[-1])
        except TypeError:
            return None


def _precision(dtype: np.dtype) -> int:
    """Bytes per real component (integers and booleans compare like float64)."""
    if dtype.kind == "c":
        return dtype.itemsize // 2
    return dtype.itemsize if dtype.kind == "f" else 8


# -- across backends ----------------------------------------------------------------------------


def cross_check(results: list[Result]) -> list[str]:
    """Cases charged differently by two backends under the same model."""
    seen: dict[tuple[str, str], dict[str, int]] = {}
    for r in results:
        if r.status != UNSUPPORTED and r.flops is not None:
            seen.setdefault((r.id, r.model), {})[r.backend] = r.flops
    problems = []
    for (case, model), per in sorted(seen.items()):
        if len(set(per.values())) > 1:
            problems.append(
                f"{case} [{model}]: " + ", ".join(f"{b}={f}" for b, f in sorted(per.items()))
            )
    return problems
