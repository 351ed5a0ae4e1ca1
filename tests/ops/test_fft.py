"""The ``fft`` rows: declarations, formulas, shape-only ``inputs`` and the 0.4.0 cases."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference_cases import evaluate, load_cases, values_agree

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.backends._base import Shaped
from flopscope.backends._standard import EXTENSIONS
from flopscope.costs.formulas import FORMULAS
from flopscope.ops import all_ops, lookup

COMPLEX = "fft ifft hfft ihfft fft2 ifft2 fftn ifftn".split()
REAL = "rfft irfft rfft2 irfft2 rfftn irfftn".split()
FREE = "fftfreq rfftfreq fftshift ifftshift".split()
ROWS = [op for op in all_ops() if op.module == "fft"]


# -- declarations -------------------------------------------------------------------------


def test_the_eighteen_rows() -> None:
    assert sorted(op.name for op in ROWS) == sorted(f"fft.{n}" for n in COMPLEX + REAL + FREE)
    assert sorted(fnp.fft.__all__) == sorted(COMPLEX + REAL + FREE)


@pytest.mark.parametrize("name", COMPLEX + REAL)
def test_counted_rows(name: str) -> None:
    op = lookup(name, "fft")
    assert op is not None and op.name == f"fft.{name}"
    assert (op.kind, op.family, op.weight) == ("custom", "fft", 1.0)
    assert op.formula == ("fft" if name in COMPLEX else "rfft")
    assert op.inputs is not None
    assert op.impl is getattr(np.fft, name)
    assert op.examples, "every row documents its cost with an example"
    assert (op.module, op.also_in) == ("fft", ())  # served by fnp.fft only


@pytest.mark.parametrize("name", FREE)
def test_free_rows(name: str) -> None:
    op = lookup(name, "fft")
    assert (op.kind, op.formula, op.weight, op.counted) == ("free", None, 0.0, False)


def test_array_api_names_are_the_standard_fft_extension() -> None:
    served = {op.array_api for op in ROWS if op.array_api}
    assert served == set(EXTENSIONS["fft"])
    assert all(op.array_api in (None, op.name[4:]) for op in ROWS)
    assert {op.name for op in ROWS if not op.array_api} == {
        "fft.fft2",
        "fft.ifft2",
        "fft.rfft2",
        "fft.irfft2",
    }


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict"])
def test_array_api_namespace_serves_the_fft_extension(backend: str) -> None:
    xp = flops.namespace(backend)
    assert set(EXTENSIONS["fft"]) <= set(dir(xp.fft))
    z = xp.asarray(np.linspace(0.1, 0.9, 8) + 1j * np.linspace(0.9, 0.1, 8))
    r = xp.asarray(np.arange(16.0).reshape(4, 4))
    c = xp.asarray(np.arange(16.0).reshape(4, 4) + 0j)
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
        calls = [
            (xp.fft.fft(z), 120),
            (xp.fft.ifft(z, n=10, norm="ortho"), 200),
            (xp.fft.irfft(z), 140),  # n = 2·(8−1) = 14: 5·7·4
            (xp.fft.hfft(z, n=10), 200),
            (xp.fft.rfftn(r), 160),
            (xp.fft.rfftn(r, axes=(0, 1)), 160),
            (xp.fft.irfftn(c, s=(4, 4), axes=(0, 1)), 160),
            (xp.fft.fftn(z, axes=(0,)), 120),
            (xp.fft.fftshift(z), 0),
            (xp.fft.fftfreq(8, d=0.5), 0),
        ]
        with pytest.raises(IndexError):
            xp.fft.fft(z, axis=3)
    assert budget.flops_used == sum(c for _, c in calls)
    assert [rec.op_name for rec in budget.op_log] == [
        "fft.fft",
        "fft.ifft",
        "fft.irfft",
        "fft.hfft",
        "fft.rfftn",
        "fft.rfftn",
        "fft.irfftn",
        "fft.fftn",
    ]


def test_weights_table_bills_every_transform_at_one() -> None:
    from flopscope.costs.weights import packaged_weights

    table = packaged_weights()
    assert {n: table[f"fft.{n}"] for n in COMPLEX + REAL} == dict.fromkeys(COMPLEX + REAL, 1.0)
    assert not any(f"fft.{n}" in table for n in FREE)


@pytest.mark.parametrize(
    "op, example", [(op, ex) for op in ROWS for ex in op.examples], ids=lambda x: str(x)[:60]
)
def test_examples_cost_exactly_what_they_say(op, example) -> None:
    ns = {"fnp": fnp, "np": np}
    with flops.BudgetContext(flop_budget=10**9, quiet=True) as budget:
        result = eval(example.call, ns)
    assert budget.flops_used == example.flops
    assert isinstance(result, fnp.ndarray)
    names = [r.op_name for r in budget.op_log if r.op_name.startswith("fft.")]
    assert names == ([op.name] if op.counted else [])


# -- formulas -----------------------------------------------------------------------------


def _log2ceil(n: int) -> int:
    return math.ceil(math.log2(n)) if n > 1 else 0


def test_formulas_by_hand() -> None:
    fft, rfft = FORMULAS["fft"], FORMULAS["rfft"]
    assert fft(((8,), ((8,), 8, 1)), "exact") == 120
    assert fft(((3, 16), ((16,), 16, 3)), "exact") == 960
    assert rfft(((8,), ((8,), 8, 1)), "exact") == 60
    assert rfft(((10,), ((10,), 10, 1)), "exact") == 100
    # sum of per-axis logs, not ceil(log2 N): (3, 5) -> 5*15*(2+3)
    assert fft(((3, 5), ((3, 5), 15, 1)), "exact") == 375
    assert rfft(((3, 5), ((3, 5), 15, 1)), "exact") == 175
    assert fft(((1,), ((1,), 1, 7)), "exact") == 0
    assert fft(((2, 3), ((), 1, 6)), "exact") == 0  # no axes transformed


@pytest.mark.parametrize("key", ["fft", "rfft"])
def test_formulas_ignore_the_multiply_add_convention(key: str) -> None:
    inputs = ((4, 6), ((4, 6), 24, 1))
    assert len({FORMULAS[key](inputs, c) for c in ("exact", "fma", "mac")}) == 1


@given(st.lists(st.integers(1, 300), min_size=1, max_size=4), st.integers(0, 50))
def test_nd_formula_is_one_1d_pass_per_axis(dims: list[int], batch: int) -> None:
    size = math.prod(dims)
    inputs = (tuple(dims), (tuple(dims), size, batch))
    # each axis: (size / d) transforms of length d, 5·d·⌈log2 d⌉ each
    per_pass = sum(5 * d * _log2ceil(d) * (size // d) for d in dims) * batch
    assert FORMULAS["fft"](inputs, "exact") == per_pass
    assert FORMULAS["rfft"](inputs, "exact") == 5 * (size // 2) * sum(map(_log2ceil, dims)) * batch


# -- inputs: shapes only, numpy's argument handling ----------------------------------------


def _inputs(name: str, shape: tuple[int, ...], *args, **kwargs) -> tuple:
    return lookup(name, "fft").inputs(Shaped(shape), *args, **kwargs)


@pytest.mark.parametrize(
    "name, shape, args, kwargs, expected",
    [
        ("fft", (3, 16), (), {}, ((16,), 16, 3)),
        ("fft", (3, 16), (), {"axis": 0}, ((3,), 3, 16)),
        ("fft", (3, 16), (32, -2), {}, ((32,), 32, 16)),
        ("ihfft", (2, 3, 8), (), {"axis": 1, "n": 5}, ((5,), 5, 16)),
        ("rfft", (9,), (), {}, ((9,), 9, 1)),
        ("irfft", (3, 16), (), {}, ((30,), 30, 3)),
        ("irfft", (3, 16), (), {"axis": 0}, ((4,), 4, 16)),
        ("hfft", (5,), (), {"n": 7}, ((7,), 7, 1)),
        ("fft2", (3, 4, 8), (), {}, ((4, 8), 32, 3)),
        ("fftn", (3, 4, 8), (), {}, ((3, 4, 8), 96, 1)),
        ("fftn", (3, 4, 8), (), {"axes": (2, 0)}, ((8, 3), 24, 4)),
        ("ifftn", (4, 4), ((6, 8),), {"axes": (0, 1)}, ((6, 8), 48, 1)),
        ("fftn", (4, 4), ((-1, 8),), {"axes": (0, 1)}, ((4, 8), 32, 1)),
        ("rfftn", (3, 4, 8), (), {"axes": (0, 1)}, ((3, 4), 12, 8)),
        ("irfftn", (3, 4, 8), (), {}, ((3, 4, 14), 168, 1)),
        ("irfft2", (3, 4, 8), (), {"axes": (0, 1)}, ((3, 6), 18, 8)),
        ("irfftn", (4, 4), ((6, 8),), {"axes": (0, 1)}, ((6, 8), 48, 1)),
        ("fftn", (), (), {}, ((), 1, 1)),
        ("fftn", (2, 3), (), {"axes": ()}, ((), 1, 6)),
        # a repeated axis is transformed twice over the same 12 points
        ("fftn", (3, 4), (), {"axes": (0, 0)}, ((3, 3), 3, 4)),
    ],
)
def test_inputs_replay_numpy_argument_handling(name, shape, args, kwargs, expected) -> None:
    assert _inputs(name, shape, *args, **kwargs) == (shape, expected)


def test_inputs_accept_array_api_keywords() -> None:
    assert _inputs("fft", (8,), n=4, axis=-1, norm="backward") == ((8,), ((4,), 4, 1))
    assert _inputs("rfftn", (4, 6), s=(4, 6), axes=(0, 1), norm="ortho") == (
        (4, 6),
        ((4, 6), 24, 1),
    )


def test_inputs_do_not_touch_data() -> None:
    class NoData:
        shape = (4, 8)

        def __array__(self, *a, **k):  # pragma: no cover - the test fails if reached
            raise AssertionError("inputs read array data")

    for op in ROWS:
        if op.counted:
            assert op.inputs(NoData())[0] == (4, 8)


BAD = [
    ("fft", (8,), {"axis": 1}),
    ("fft", (8,), {"axis": 1, "n": 8}),
    ("fft", (8,), {"n": 0}),
    ("fft", (8,), {"n": -3}),
    ("fft", (8,), {"n": 8.0}),
    ("fft", (8,), {"norm": "unitary"}),
    ("ifft", (8,), {"norm": "sideways"}),
    ("fft", (), {}),
    ("fft", (0,), {}),
    ("irfft", (1,), {}),
    ("hfft", (1,), {}),
    ("rfft", (3, 4), {"axis": -3}),
    ("fftn", (3, 4), {"axes": (5,)}),
    ("fftn", (3, 4), {"s": (4,), "axes": (2,)}),
    ("fftn", (3, 4), {"s": (4, 5, 6)}),
    ("fftn", (3, 4), {"s": (4,), "axes": (0, 1)}),
    ("fftn", (3, 4), {"s": (0, 4), "axes": (0, 1)}),
    ("fft2", (4,), {}),
    ("rfftn", (), {}),
    ("irfftn", (), {}),
    ("irfft2", (1, 1), {}),
    ("rfftn", (3, 4), {"axes": ()}),
    ("ifft2", (3, 4), {"norm": "bad"}),
]


@pytest.mark.parametrize("name, shape, kwargs", BAD)
def test_inputs_raise_numpy_exception_type(name: str, shape: tuple, kwargs: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as numpy_error:
            getattr(np.fft, name)(np.ones(shape), **kwargs)
    with pytest.raises(type(numpy_error.value)):
        _inputs(name, shape, **kwargs)


def test_cached_plans_do_not_hide_numpy_errors() -> None:
    assert _inputs("fftn", (4, 4), s=(4, 4), axes=(0, 1)) == ((4, 4), ((4, 4), 16, 1))
    for s in [(4.0, 4), (np.float64(4), 4)]:
        with pytest.raises(TypeError):
            np.fft.fftn(np.ones((4, 4)), s=s, axes=(0, 1))
        with pytest.raises(TypeError):
            _inputs("fftn", (4, 4), s=s, axes=(0, 1))
    # a list and a tuple of the same ints plan alike
    assert _inputs("fftn", (4, 4), s=[4, 4], axes=[0, 1]) == ((4, 4), ((4, 4), 16, 1))


# -- the 0.4.0 reference cases --------------------------------------------------------------

CASES = [c for c in load_cases() if c["op"].startswith("fft.")]


def test_reference_cases_present_or_skipped() -> None:
    if not load_cases():
        pytest.skip("shared reference folder absent")
    assert len(CASES) == 145
    assert sum(c["expect_error"] is not None for c in CASES) == 3


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case(case: dict) -> None:
    outcome = evaluate(case)
    if case["expect_error"]:
        assert type(outcome.error).__name__ == case["expect_error"]
        return
    if outcome.error is not None:
        raise outcome.error
    assert outcome.flops == case["flops"]
    # DIFFERENCES 8: one result type; an ``out=`` call returns the caller's array
    assert isinstance(outcome.result, np.ndarray if "out=" in case["call"] else fnp.ndarray)
    assert values_agree(case, outcome.result) is True
