"""``fnp.fft``: costs, numpy-identical results, ``out=``, errors and the cost helpers."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import flopscope as flops
import flopscope.numpy as fnp


def _reference_cases() -> list[dict]:
    """The 0.4.0 reference cases (empty when the shared folder is absent)."""
    path = Path(__file__).resolve().parents[3] / "shared" / "reference" / "flops-0.4.0-public.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


ONE_D = "fft ifft rfft irfft hfft ihfft".split()
N_D = "fft2 ifft2 rfft2 irfft2 fftn ifftn rfftn irfftn".split()
REAL = {"rfft", "irfft", "rfft2", "irfft2", "rfftn", "irfftn"}  # half-spectrum formula
INV_REAL = {"irfft", "hfft", "irfft2", "irfftn"}  # default output length 2·(m−1)
FORWARD_REAL = {"rfft", "ihfft", "rfft2", "rfftn"}  # numpy refuses complex input


# -- an independent statement of spec §2.7 (no deprecated s/axes forms, no repeated axes) ---


def _lg(n: int) -> int:
    return math.ceil(math.log2(n)) if n > 1 else 0


def expected_cost(name: str, shape: tuple[int, ...], **kw: Any) -> int:
    if name in ONE_D:
        ax = kw.get("axis", -1) % len(shape)
        n = kw.get("n")
        if n is None:
            n = 2 * (shape[ax] - 1) if name in INV_REAL else shape[ax]
        dims = [n]
        batch = math.prod(d for i, d in enumerate(shape) if i != ax)
    else:
        default = (-2, -1) if name.endswith("2") else tuple(range(len(shape)))
        axes = [a % len(shape) for a in kw.get("axes") or default]
        dims = list(kw["s"]) if kw.get("s") is not None else [shape[a] for a in axes]
        if kw.get("s") is None and name in INV_REAL:
            dims[-1] = 2 * (shape[axes[-1]] - 1)
        batch = math.prod(d for i, d in enumerate(shape) if i not in axes)
    size = math.prod(dims)
    points = size // 2 if name in REAL else size
    return 5 * points * sum(_lg(d) for d in dims) * batch


def _data(shape: tuple[int, ...], complex_: bool = False) -> np.ndarray:
    n = math.prod(shape)
    x = np.linspace(0.1, 0.9, n)
    if complex_:
        x = x + 1j * np.linspace(0.9, 0.2, n)
    return x.reshape(shape)


def _same(got: Any, want: np.ndarray) -> bool:
    """Bit-identical values, dtype and shape."""
    got = np.asarray(got)
    return got.dtype == want.dtype and got.shape == want.shape and got.tobytes() == want.tobytes()


def _check_call(name: str, x: np.ndarray, **kw: Any) -> None:
    """fnp agrees with numpy: same result bits and the spec's cost, or the same exception
    type with nothing charged and nothing logged."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = getattr(np.fft, name)(x, **kw)
        except Exception as exc:
            want = exc
        with flops.BudgetContext(flop_budget=10**15, quiet=True) as budget:
            if isinstance(want, Exception):
                with pytest.raises(type(want)):
                    getattr(fnp.fft, name)(x, **kw)
                assert budget.flops_used == 0 and budget.op_log == []
                return
            got = getattr(fnp.fft, name)(x, **kw)
    assert isinstance(got, fnp.ndarray)
    assert _same(got, want)
    assert budget.flops_used == expected_cost(name, x.shape, **kw)
    [rec] = budget.op_log
    assert (rec.op_name, rec.shapes, rec.flop_cost) == (f"fft.{name}", (x.shape,), rec.cumulative)


# -- parametrised grid ---------------------------------------------------------------------

SHAPES_1D = [(1,), (2,), (7,), (8,), (3, 16), (2, 3, 8), (4, 1), (1, 5)]
KW_1D = [
    {},
    {"axis": 0},
    {"axis": -2},
    {"n": 1},
    {"n": 10},
    {"n": 3, "axis": 0},
    {"norm": "ortho"},
    {"norm": "forward", "n": 16},
    {"norm": "backward"},
]


@pytest.mark.parametrize("kw", KW_1D, ids=str)
@pytest.mark.parametrize("shape", SHAPES_1D, ids=str)
@pytest.mark.parametrize("name", ONE_D)
def test_one_d_transforms(name: str, shape: tuple, kw: dict) -> None:
    _check_call(name, _data(shape, complex_=name in ("ifft", "irfft", "hfft")), **kw)


SHAPES_ND = [(1, 1), (4, 4), (3, 5), (8, 8), (2, 3, 4), (3, 4, 8), (1, 6), (5, 1, 2)]
KW_ND = [
    {},
    {"axes": (0, 1)},
    {"axes": (-1, 0)},
    {"axes": (1,)},
    {"s": (6, 8), "axes": (0, 1)},
    {"s": (1, 3), "axes": (-2, -1)},
    {"norm": "ortho"},
    {"norm": "forward", "axes": (1, 0)},
]


@pytest.mark.parametrize("kw", KW_ND, ids=str)
@pytest.mark.parametrize("shape", SHAPES_ND, ids=str)
@pytest.mark.parametrize("name", N_D)
def test_n_d_transforms(name: str, shape: tuple, kw: dict) -> None:
    _check_call(name, _data(shape, complex_=name.startswith("i")), **kw)


def test_pinned_costs() -> None:
    cases = [
        ("fft", (8,), {}, 120),
        ("fft", (3, 16), {}, 960),
        ("fft", (3, 16), {"axis": 0}, 480),
        ("fft", (8,), {"n": 32}, 800),
        ("rfft", (8,), {"n": 10}, 100),
        ("irfft", (5,), {}, 60),
        ("irfft", (9,), {}, 160),
        ("hfft", (5,), {}, 120),
        ("fft2", (3, 5), {}, 375),
        ("fftn", (3, 4, 8), {"axes": (1, 2)}, 2400),
        ("rfft2", (3, 5), {}, 175),
        ("irfft2", (3, 5), {}, 300),
        ("fft", (1,), {}, 0),
        ("fftn", (1, 1), {}, 0),
        ("fft", (0, 8), {}, 0),  # no transforms in an empty batch
    ]
    for name, shape, kw, flops_ in cases:
        with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
            getattr(fnp.fft, name)(_data(shape), **kw)
        assert budget.flops_used == flops_ == expected_cost(name, shape, **kw), (name, shape)


# -- property: any shape, axis, n / s, norm --------------------------------------------------


@st.composite
def fft_calls(draw: st.DrawFn) -> tuple[str, tuple[int, ...], dict]:
    name = draw(st.sampled_from(ONE_D + N_D))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=9))
    kw: dict[str, Any] = {}
    if draw(st.booleans()):
        kw["norm"] = draw(st.sampled_from([None, "backward", "ortho", "forward"]))
    if name in ONE_D:
        if draw(st.booleans()):
            kw["axis"] = draw(st.integers(-len(shape), len(shape) - 1))
        if draw(st.booleans()):
            kw["n"] = draw(st.integers(1, 40))
    else:
        lo = 2 if name.endswith("2") else 1
        if len(shape) < lo:
            shape = (*shape, draw(st.integers(1, 9)))
        if name.endswith("2") or draw(st.booleans()):
            k = 2 if name.endswith("2") else draw(st.integers(1, len(shape)))
            perm = draw(st.permutations(range(len(shape))))
            kw["axes"] = tuple(perm[:k])
        if "axes" in kw and draw(st.booleans()):
            kw["s"] = tuple(draw(st.integers(1, 12)) for _ in kw["axes"])
    return name, shape, kw


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(fft_calls(), st.booleans())
def test_property_cost_and_result(call: tuple, complex_: bool) -> None:
    name, shape, kw = call
    _check_call(name, _data(shape, complex_), **kw)


# -- out= ---------------------------------------------------------------------------------

OUT_CALLS = [
    ("fft", (8,), {}),
    ("ifft", (3, 16), {"axis": 0}),
    ("rfft", (8,), {"n": 10}),
    ("irfft", (5,), {}),
    ("ihfft", (8,), {}),
    ("hfft", (5,), {}),
    ("fft2", (4, 4), {}),
    ("ifft2", (3, 4, 8), {"axes": (0, 1)}),
    ("fftn", (2, 3, 4), {}),
    ("ifftn", (4, 4), {}),
    ("rfft2", (4, 6), {}),
    ("rfftn", (3, 4, 8), {}),
    ("irfft2", (4, 3), {}),
    ("irfftn", (3, 4, 8), {}),
]


@pytest.mark.parametrize("name, shape, kw", OUT_CALLS)
def test_out_is_filled_and_returned(name: str, shape: tuple, kw: dict) -> None:
    x = _data(shape, complex_=name not in FORWARD_REAL)
    want = getattr(np.fft, name)(x, **kw)
    out = np.full(want.shape, 7, dtype=want.dtype)
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
        got = getattr(fnp.fft, name)(x, out=out, **kw)
    assert got is out
    # numpy 2.4 drops out= in hfft/ifft2/irfft2 (gh-30909); fnp writes the same numbers into it
    assert _same(out, want)
    assert budget.flops_used == expected_cost(name, shape, **kw)


@pytest.mark.parametrize("name, shape, kw", OUT_CALLS)
def test_refused_call_leaves_out_untouched(name: str, shape: tuple, kw: dict) -> None:
    x = _data(shape, complex_=name not in FORWARD_REAL)
    want = getattr(np.fft, name)(x, **kw)
    out = np.full(want.shape, 7, dtype=want.dtype)
    cost = expected_cost(name, shape, **kw)
    with flops.BudgetContext(flop_budget=cost - 1, quiet=True) as budget:
        with pytest.raises(flops.BudgetExhaustedError):
            getattr(fnp.fft, name)(x, out=out, **kw)
    assert np.all(out == 7)
    assert budget.flops_used == 0 and budget.op_log == []


def test_out_of_wrong_shape_is_refunded() -> None:
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
        with pytest.raises(ValueError, match="wrong shape"):
            fnp.fft.fft(_data((8,)), out=np.zeros(5, dtype=complex))
    assert budget.flops_used == 0 and budget.op_log == []


# -- bad input ----------------------------------------------------------------------------

BAD = [
    ("fft", (8,), {"axis": 1}),
    ("fft", (8,), {"axis": 1, "n": 8}),
    ("ifft", (3, 4), {"axis": -3, "n": 4}),
    ("fft", (8,), {"n": 0}),
    ("rfft", (8,), {"n": -1}),
    ("fft", (8,), {"n": 8.0}),
    ("fft", (8,), {"norm": "unitary"}),
    ("irfft", (1,), {}),
    ("hfft", (1,), {}),
    ("fft", (), {}),
    ("fft", (0,), {}),
    ("fftn", (3, 4), {"axes": (5,)}),
    ("fftn", (3, 4), {"s": (4,), "axes": (2,)}),
    ("fftn", (3, 4), {"s": (4,), "axes": (0, 1)}),
    ("rfftn", (3, 4), {"s": (0, 4), "axes": (0, 1)}),
    ("fft2", (4,), {}),
    ("irfft2", (1, 1), {}),
    ("irfftn", (), {}),
    ("ifftn", (4, 4), {"norm": "sideways"}),
]


@pytest.mark.parametrize("name, shape, kw", BAD, ids=str)
def test_bad_input_raises_numpy_type_before_charging(name: str, shape: tuple, kw: dict) -> None:
    x = _data(shape) if math.prod(shape) else np.ones(shape)
    with pytest.raises(Exception) as numpy_error:
        getattr(np.fft, name)(x, **kw)
    # a one-FLOP budget: the argument error wins over the budget, nothing is charged
    with flops.BudgetContext(flop_budget=1, quiet=True) as budget:
        with pytest.raises(type(numpy_error.value)) as ours:
            getattr(fnp.fft, name)(x, **kw)
    assert not isinstance(ours.value, flops.BudgetExhaustedError)
    assert budget.flops_used == 0 and budget.op_log == []


def test_axis_error_is_numpys() -> None:
    with pytest.raises(np.exceptions.AxisError):
        fnp.fft.fft(np.ones(8), n=8, axis=3)


# -- free helpers -------------------------------------------------------------------------

FREE_CALLS = [
    ("fftfreq", (8,), {}),
    ("fftfreq", (9, 0.5), {}),
    ("fftfreq", (1,), {}),
    ("rfftfreq", (8,), {"d": 0.1}),
    ("fftshift", (_data((8,)),), {}),
    ("fftshift", (_data((3, 4)),), {"axes": 0}),
    ("ifftshift", (_data((3, 4)),), {}),
    ("ifftshift", (_data((3, 4)),), {"axes": (0, 1)}),
]


@pytest.mark.parametrize("name, args, kw", FREE_CALLS, ids=str)
def test_free_functions(name: str, args: tuple, kw: dict) -> None:
    want = getattr(np.fft, name)(*args, **kw)
    with flops.BudgetContext(flop_budget=1, quiet=True) as budget:
        got = getattr(fnp.fft, name)(*args, **kw)
    assert isinstance(got, fnp.ndarray)  # DIFFERENCES 8 (0.4.0 returned plain ndarray)
    assert _same(got, want)
    assert budget.flops_used == 0 and budget.op_log == []


# -- interoperability, ledger and cost models ----------------------------------------------


def test_numpy_calls_on_flopscope_arrays_are_counted() -> None:
    a = _data((3, 16)).view(fnp.ndarray)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
            r = np.fft.rfft(a)
            s = fnp.fft.fftshift(a)
    assert isinstance(r, fnp.ndarray) and isinstance(s, fnp.ndarray)
    assert _same(r, np.fft.rfft(_data((3, 16))))
    assert budget.flops_used == 3 * 5 * 8 * 4
    assert [rec.op_name for rec in budget.op_log] == ["fft.rfft"]


@pytest.mark.parametrize("model", ["flopscope", "exact", "fma", "mac"])
def test_every_builtin_model_bills_the_same(model: str) -> None:
    with flops.BudgetContext(flop_budget=10**9, quiet=True, cost_model=model) as budget:
        fnp.fft.fft2(_data((3, 5)))
        fnp.fft.irfft(_data((9,)))
    assert budget.flops_used == 375 + 160


def test_weights_and_multiplier_apply() -> None:
    model = flops.CostModel(weights={"fft.fft": 4.0})
    with flops.BudgetContext(flop_budget=10**9, quiet=True, cost_model=model) as budget:
        fnp.fft.fft(_data((8,)))
        fnp.fft.ifft(_data((8,)))  # absent from the replacing table: weight 1
    assert budget.flops_used == 4 * 120 + 120
    assert fnp.fft.fft_cost(8) == 120  # the helper stays unweighted
    with flops.BudgetContext(flop_budget=10**9, quiet=True, flop_multiplier=0.5) as budget:
        fnp.fft.fft(_data((7,)))
    assert budget.flops_used == int(105 * 0.5)


def test_ledger_reprices_from_recorded_inputs() -> None:
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
        fnp.fft.rfftn(_data((4, 4)))
        fnp.fft.fft(_data((8,)))
    model = flops.CostModel(weights={"fft.rfftn": 2.0})
    assert budget.reprice(model) == [320, 120]


# -- the unweighted cost helpers (spec §1.6) -------------------------------------------------


def test_helpers_pinned() -> None:
    assert fnp.fft.fft_cost(8) == 120
    assert fnp.fft.fft_cost(10) == 200
    assert fnp.fft.fft_cost(1) == 0
    assert fnp.fft.rfft_cost(8) == 60
    assert fnp.fft.rfft_cost(10) == 100
    assert fnp.fft.fftn_cost((4, 4)) == 320
    assert fnp.fft.fftn_cost((3, 5)) == 375
    assert fnp.fft.rfftn_cost((4, 4)) == 160
    assert fnp.fft.rfftn_cost((3, 5)) == 175
    assert fnp.fft.hfft_cost(8) == 120
    assert fnp.fft.hfft_cost(14) == 280


ACCOUNTING_CASES = [
    c
    for c in _reference_cases()
    if c["op"]
    in {
        f"accounting.{h}" for h in ("fft_cost", "rfft_cost", "fftn_cost", "rfftn_cost", "hfft_cost")
    }
]


@pytest.mark.parametrize("case", ACCOUNTING_CASES, ids=[c["id"] for c in ACCOUNTING_CASES])
def test_helpers_match_0_4_0_accounting_cases(case: dict) -> None:
    # every FFT weighs 1, so the weighted 0.4.0 accounting helper equals the unweighted one
    call = case["call"].replace("flops.accounting.", "fnp.fft.")
    assert eval(call, {"fnp": fnp}) == case["flops"]


def test_helpers_are_listed_but_not_exported() -> None:
    helpers = {"fft_cost", "rfft_cost", "fftn_cost", "rfftn_cost", "hfft_cost"}
    assert helpers <= set(dir(fnp.fft))
    assert not helpers & set(fnp.fft.__all__)
    with pytest.raises(TypeError):
        fnp.fft.fft_cost(8.5)


def _charged(fn: Any, *args: Any, **kw: Any) -> int:
    with flops.BudgetContext(flop_budget=10**12, quiet=True, cost_model="exact") as budget:
        fn(*args, **kw)
    return budget.flops_used


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 600))
def test_1d_helpers_match_calls(n: int) -> None:
    x = np.ones(n)
    assert fnp.fft.fft_cost(n) == _charged(fnp.fft.fft, x)
    assert fnp.fft.rfft_cost(n) == _charged(fnp.fft.rfft, x)
    assert fnp.fft.rfft_cost(n) == _charged(fnp.fft.irfft, np.ones(3), n=n)
    assert fnp.fft.hfft_cost(n) == _charged(fnp.fft.hfft, np.ones(3), n=n)


@settings(max_examples=60, deadline=None)
@given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=12))
def test_nd_helpers_match_calls(shape: tuple[int, ...]) -> None:
    x = np.ones(shape)
    assert fnp.fft.fftn_cost(shape) == _charged(fnp.fft.fftn, x)
    assert fnp.fft.rfftn_cost(shape) == _charged(fnp.fft.rfftn, x)
