"""Random rows (module samplers, Generator/RandomState methods): priced before drawing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.costs import CostModel
from flopscope.numpy import FlopscopeArray as FA
from flopscope.ops import lookup
from flopscope.ops import random as random_rows

# RandomState.random_integers is deprecated in numpy but still served (and counted)
pytestmark = pytest.mark.filterwarnings("ignore:This function is deprecated:DeprecationWarning")


def ledger(fn, *args, **kwargs):
    with flops.BudgetContext(10**15, quiet=True) as b:
        r = fn(*args, **kwargs)
    return b.flops_used, r, [(rec.op_name, rec.flop_cost) for rec in b.op_log]


@pytest.mark.parametrize(
    ("op", "ex"),
    [pytest.param(op, ex, id=op.name) for op in random_rows.OPS for ex in op.examples],
)
def test_row_examples(op, ex) -> None:
    ns = {"fnp": fnp, "np": np}
    with flops.BudgetContext(10**15, quiet=True) as b:
        if ex.setup:
            exec(ex.setup, ns)
        before = b.flops_used
        eval(ex.call, ns)
    assert b.flops_used - before == ex.flops


@pytest.mark.parametrize(
    ("name", "dims", "cost"),
    [("randn", (3, 4), 192), ("randn", (), 16), ("rand", (3, 4), 12), ("rand", (0, 2), 1)],
)
def test_same_stream_as_numpy(name, dims, cost) -> None:
    fnp.random.seed(7)
    c, ours, log = ledger(getattr(fnp.random, name), *dims)
    np.random.seed(7)
    theirs = getattr(np.random, name)(*dims)
    assert c == cost and log == [(f"random.{name}", cost)]
    np.testing.assert_array_equal(ours, theirs)
    if dims:
        assert isinstance(ours, FA) and ours.shape == dims


def test_state_helpers_are_free() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        fnp.random.seed(0)
        state = fnp.random.get_state()
        first = fnp.random.rand(3)
        fnp.random.set_state(state)
        again = fnp.random.rand(3)
    np.testing.assert_array_equal(first, again)
    assert [r.op_name for r in b.op_log] == ["random.rand", "random.rand"]


def test_refused_draw_does_not_advance_the_generator() -> None:
    fnp.random.seed(3)
    before = np.random.get_state()[1].copy(), np.random.get_state()[2]
    with flops.BudgetContext(100, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.random.randn(10)  # 160 FLOPs
    assert b.flops_used == 0 and b.op_log == []
    after = np.random.get_state()
    np.testing.assert_array_equal(after[1], before[0])
    assert after[2] == before[1]


def test_bad_dims_raise_numpys_error_and_charge_nothing() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(ValueError):
            fnp.random.rand(-1)
        with pytest.raises(TypeError):
            fnp.random.randn(2.5)
    assert b.flops_used == 0 and b.op_log == []


# -- the whole family: rows, weights, pricing rules ------------------------------------------

SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "ops-0.4.0.json"
MODULES = ("random", "random.Generator", "random.RandomState")
# random.symmetric belongs to the symmetry rows
ROWS = [op for op in random_rows.OPS if op.module in MODULES and op.name != "random.symmetric"]


def _spec() -> dict[str, dict]:
    if not SPEC.is_file():
        pytest.skip("shared spec not present")
    return {e["name"]: e for e in json.loads(SPEC.read_text()) if e["name"].startswith("random.")}


def test_row_counts_follow_the_spec() -> None:
    by_module = {m: [op for op in ROWS if op.module == m] for m in MODULES}
    counted = {m: sum(op.counted for op in rows) for m, rows in by_module.items()}
    free = {m: sorted(op.name for op in rows if not op.counted) for m, rows in by_module.items()}
    assert counted == {"random": 46, "random.Generator": 43, "random.RandomState": 46}
    assert free["random.Generator"] == ["random.Generator.bit_generator", "random.Generator.spawn"]
    assert len(free["random"]) == 4 and len(free["random.RandomState"]) == 3


def test_every_spec_name_has_a_row_with_its_weight() -> None:
    spec = _spec()
    rows = {op.name: op for op in ROWS}
    # registered but not exported in 0.4.0
    assert set(spec) - set(rows) == {"random.random_integers"}
    for name, op in rows.items():
        assert op.weight == spec[name]["weight"], name
        assert op.counted != spec[name]["free"], name
        family = "random-method" if op.module != "random" else "random"
        assert op.family == spec[name]["family"] == family


def test_spec_examples_charge_their_verified_cost() -> None:
    spec = _spec()
    ns = {"fnp": fnp, "np": np}
    for op in ROWS:
        example = spec[op.name]["verified_example"]
        with flops.BudgetContext(10**15, quiet=True) as b:
            fnp.random.seed(0)
            before = b.flops_used
            eval(example["call"], ns)
        assert b.flops_used - before == example["flops"], example["call"]


@pytest.mark.parametrize(
    ("module", "name", "args", "kwargs", "count"),
    [
        ("random", "normal", (), {}, 1),
        ("random", "normal", (), {"size": (3, 4)}, 12),
        ("random", "normal", (), {"size": np.array([2, 5])}, 10),
        ("random", "normal", (np.zeros((4, 1)), np.ones(3)), {}, 12),
        ("random", "uniform", (0.0, [1.0, 2.0]), {"size": 0}, 0),
        ("random", "randn", (2, 3, 4), {}, 24),
        ("random", "rand", (), {}, 1),
        ("random", "dirichlet", ([1.0] * 5,), {"size": (2, 3)}, 30),
        ("random", "multinomial", (3, [0.5, 0.5]), {}, 2),
        ("random", "choice", (1000, 10), {"replace": False}, 1000 * 10),
        ("random", "choice", (1025, 10), {"replace": False}, 1025 * 11),
        ("random", "choice", (1,), {"replace": False}, 0),
        ("random", "permutation", (np.ones((6, 2)),), {}, 6),
        ("random", "shuffle", ([1, 2, 3],), {}, 3),
        ("random", "bytes", (9,), {}, 9),
        ("random.Generator", "multinomial", ([[1], [2]], [[0.5, 0.5]] * 3), {}, 2 * 3 * 2),
        ("random.Generator", "standard_normal", (), {"out": np.empty((2, 2))}, 4),
        ("random.Generator", "permuted", (np.ones((2, 5)),), {"axis": 1}, 10),
        ("random.Generator", "permutation", (np.ones((2, 5)),), {"axis": -1}, 5),
        ("random.Generator", "choice", (np.ones((2, 5)), 3), {"axis": 1}, 6),
        ("random.Generator", "integers", (np.zeros(3, int), 5), {}, 3),
        ("random.RandomState", "tomaxint", (), {"size": 7}, 7),
    ],
)
def test_pricing_reads_arguments_only(module, name, args, kwargs, count) -> None:
    op = lookup(name, module)
    owner = {"random": (), "random.Generator": (np.random.default_rng(0),)}.get(
        module, (np.random.RandomState(0),)
    )
    fnp.random.seed(1)
    before = repr(np.random.get_state())
    assert op.inputs(*owner, *args, **kwargs) == (count,)
    assert repr(np.random.get_state()) == before  # pricing draws nothing


_DISTS = {"normal": 2, "uniform": 2, "gamma": 2, "binomial": 2, "wald": 2, "triangular": 3}


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(_DISTS)),
    shapes=st.lists(st.lists(st.integers(1, 3), max_size=3), min_size=3, max_size=3),
    size=st.none() | st.lists(st.integers(0, 3), max_size=3).map(tuple),
)
def test_price_is_the_numel_numpy_draws(name, shapes, size) -> None:
    """For broadcastable parameter shapes the price is numel of what numpy returns."""
    params = [np.full(s, 5.0 + i) for i, s in enumerate(shapes[: _DISTS[name]])]
    if name == "binomial":
        params = [params[0].astype(int), np.full(params[1].shape, 0.5)]
    if name == "triangular":
        params = [params[0] - 5.0, params[1], params[2] + 5.0]
    kwargs = {} if size is None else {"size": size}
    try:
        drawn = getattr(np.random.default_rng(0), name)(*params, **kwargs)
    except ValueError:
        return  # numpy refuses the shapes: covered by the bad-input tests
    for module in ("random.Generator", "random.RandomState"):
        owner = (
            np.random.default_rng(0) if module == "random.Generator" else np.random.RandomState(0)
        )
        assert lookup(name, module).inputs(owner, *params, **kwargs) == (np.size(drawn),)


def test_method_weights_fall_back_to_module_weights() -> None:
    model = CostModel(
        weights={"random.randint": 3.0, "random.random_sample": 2.0, "random.beta": 5.0}
    )
    assert model.weight("random.Generator.integers") == 3.0
    assert model.weight("random.Generator.random") == 2.0
    assert model.weight("random.RandomState.beta") == 5.0
    assert model.weight("random.RandomState.random_sample") == 2.0
    assert model.weight("random.Generator.normal") == 1.0
    assert (
        CostModel(weights={"random.Generator.beta": 4.0, "random.beta": 5.0}).weight(
            "random.Generator.beta"
        )
        == 4.0
    )
