"""``fnp.random``: module samplers, counted ``Generator`` / ``RandomState`` and pass-throughs.

Every sampler draws the same stream as numpy, bills weight × numel(result) (at least 1), and
is priced before drawing: a refused call leaves the random state exactly as it was.
"""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA

# RandomState.random_integers is deprecated in numpy but still served (and counted)
pytestmark = pytest.mark.filterwarnings("ignore:This function is deprecated:DeprecationWarning")

#: distribution parameters of each size-taking sampler (shared by module, Generator, RandomState)
PARAMS = {
    "normal": "",
    "uniform": "",
    "standard_normal": "",
    "standard_exponential": "",
    "exponential": "",
    "poisson": "3.0",
    "binomial": "10, 0.5",
    "geometric": "0.5",
    "hypergeometric": "5, 5, 3",
    "negative_binomial": "3, 0.5",
    "logseries": "0.5",
    "power": "2.0",
    "pareto": "2.0",
    "rayleigh": "",
    "standard_cauchy": "",
    "standard_t": "3.0",
    "standard_gamma": "2.0",
    "weibull": "2.0",
    "zipf": "2.0",
    "gumbel": "",
    "laplace": "",
    "logistic": "",
    "lognormal": "",
    "vonmises": "0.0, 1.0",
    "wald": "1.0, 1.0",
    "triangular": "0.0, 0.5, 1.0",
    "chisquare": "2.0",
    "noncentral_chisquare": "2.0, 1.0",
    "noncentral_f": "2.0, 3.0, 1.0",
    "f": "2.0, 3.0",
    "beta": "2.0, 3.0",
    "gamma": "2.0",
    "multinomial": "10, [0.2, 0.3, 0.5]",
    "multivariate_normal": "np.zeros(3), np.eye(3)",
    "dirichlet": "[1.0, 1.0, 1.0]",
}
LEGACY_ONLY = {
    "randint": "0, 10",
    "random_integers": "1, 10",
    "random_sample": "",
    "random": "",
    "tomaxint": "",
}
MODULE_ONLY = {"ranf": "", "sample": ""}
GENERATOR_ONLY = {"integers": "0, 10", "random": "", "multivariate_hypergeometric": "[3, 4, 5], 3"}
HEAVY_UNIFORM = {"uniform", "randint", "random_integers", "random_sample", "random", "ranf"}
LIGHT = HEAVY_UNIFORM | {"sample", "tomaxint", "integers"}

SIZES = [None, 0, 5, (2, 3), ()]

MODULE = {**PARAMS, **{k: v for k, v in LEGACY_ONLY.items() if k != "tomaxint"}, **MODULE_ONLY}
MODULE.pop("random_integers")  # registered but not exported in 0.4.0
LEGACY = {**PARAMS, **LEGACY_ONLY}
GENERATOR = {**PARAMS, **GENERATOR_ONLY}


def weight(name: str) -> int:
    return 1 if name in LIGHT else 16


def call_args(params: str, size: object) -> str:
    if size is None:
        return params
    return f"{params}, size={size!r}" if params else f"size={size!r}"


def expected(name: str, result: object) -> int:
    return weight(name) * max(1, int(np.size(result)))


def ledger(thunk):
    with flops.BudgetContext(10**15, quiet=True) as b:
        r = thunk()
    return r, b.flops_used, [(rec.op_name, rec.flop_cost) for rec in b.op_log]


def same(ours: object, theirs: object) -> None:
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, FA)
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    else:
        assert np.asarray(ours).dtype == np.asarray(theirs).dtype
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def run(expr: str, **names: object) -> object:
    return eval(expr, {"np": np, "fnp": fnp, **names})


# -- same stream and exact cost -------------------------------------------------------------

MODULE_CASES = [(n, s) for n in sorted(MODULE) for s in SIZES]


@pytest.mark.parametrize(("name", "size"), MODULE_CASES)
def test_module_sampler_matches_numpy(name: str, size: object) -> None:
    args = call_args(MODULE[name], size)
    fnp.random.seed(11)
    ours, cost, log = ledger(lambda: run(f"fnp.random.{name}({args})"))
    np.random.seed(11)
    theirs = run(f"np.random.{name}({args})")
    same(ours, theirs)
    assert cost == expected(name, theirs)
    assert log == [(f"random.{name}", cost)]


@pytest.mark.parametrize(("name", "size"), [(n, s) for n in sorted(GENERATOR) for s in SIZES])
def test_generator_method_matches_numpy(name: str, size: object) -> None:
    args = call_args(GENERATOR[name], size)
    ours, cost, log = ledger(lambda: run(f"g.{name}({args})", g=fnp.random.default_rng(3)))
    theirs = run(f"g.{name}({args})", g=np.random.default_rng(3))
    same(ours, theirs)
    assert cost == expected(name, theirs)
    assert log == [(f"random.Generator.{name}", cost)]


@pytest.mark.parametrize(("name", "size"), [(n, s) for n in sorted(LEGACY) for s in SIZES])
def test_randomstate_method_matches_numpy(name: str, size: object) -> None:
    args = call_args(LEGACY[name], size)
    ours, cost, log = ledger(lambda: run(f"r.{name}({args})", r=fnp.random.RandomState(4)))
    theirs = run(f"r.{name}({args})", r=np.random.RandomState(4))
    same(ours, theirs)
    assert cost == expected(name, theirs)
    assert log == [(f"random.RandomState.{name}", cost)]


#: (call with {R} = the generator, numpy's result decides nothing: the cost is pinned)
SPECIAL = [
    ("{R}.permutation(12)", 12),
    ("{R}.permutation(1)", 1),
    ("{R}.permutation(np.arange(21.).reshape(7, 3))", 7),
    ("{R}.permutation(np.arange(0.))", 1),
    ("{R}.choice(12, size=5)", 5),
    ("{R}.choice(12)", 1),
    ("{R}.choice(12, size=(3, 4))", 12),
    ("{R}.choice(100, 5, replace=False)", 700),
    ("{R}.choice(8, 3, replace=False)", 24),
    ("{R}.choice(np.arange(10.), 4, replace=False)", 40),
    ("{R}.choice(np.arange(5.), 3, p=[0.1, 0.2, 0.3, 0.2, 0.2])", 3),
    ("{R}.bytes(1)", 1),
    ("{R}.bytes(100)", 100),
    ("{R}.uniform(np.zeros(3), np.ones((2, 3)))", 6),
    ("{R}.normal(np.zeros(5))", 80),
    ("{R}.poisson(np.linspace(1., 5., 6))", 96),
    ("{R}.binomial(np.arange(1, 6), 0.5)", 80),
    ("{R}.normal(np.zeros((2, 1)), np.ones(3))", 96),
    ("{R}.multivariate_normal(np.zeros(2), np.eye(2), size=(3, 2))", 192),
    ("{R}.multinomial(10, [0.2, 0.3, 0.5], size=(2, 3))", 288),
    ("{R}.dirichlet([1.0, 1.0, 1.0], size=0)", 16),
]
GEN_SPECIAL = [
    ("{R}.permutation(np.arange(21.).reshape(7, 3), axis=1)", 3),
    ("{R}.permutation(np.arange(21.).reshape(7, 3), axis=-1)", 3),
    ("{R}.permuted(np.arange(21.).reshape(7, 3))", 21),
    ("{R}.permuted(np.arange(21.).reshape(7, 3), axis=1)", 21),
    ("{R}.choice(np.arange(12.).reshape(3, 4), 2, axis=1)", 6),
    ("{R}.choice(np.arange(12.).reshape(3, 4), (2, 5))", 40),
    ("{R}.choice(np.arange(12.).reshape(3, 4))", 4),
    ("{R}.choice(np.arange(12.).reshape(3, 4), 2, replace=False, axis=1)", 8),
    ("{R}.integers(0, 10, size=(2, 3), endpoint=True)", 6),
    ("{R}.integers(np.zeros(4, int), 10)", 4),
    ("{R}.multinomial([5, 10], [0.2, 0.3, 0.5])", 96),
    ("{R}.multinomial(np.ones((2, 1), int), [[0.5, 0.5]] * 3)", 192),
    ("{R}.multivariate_hypergeometric([3, 4, 5], 3, size=(2, 3))", 288),
    ("{R}.standard_normal(dtype=np.float32, size=4)", 64),
]


@pytest.mark.parametrize(("expr", "flops_"), SPECIAL)
@pytest.mark.parametrize("kind", ["module", "Generator", "RandomState"])
def test_argument_dependent_costs(kind: str, expr: str, flops_: int) -> None:
    ours, cost, theirs = _both(kind, expr)
    assert cost == flops_
    same(ours, theirs)


@pytest.mark.parametrize(("expr", "flops_"), GEN_SPECIAL)
def test_generator_argument_dependent_costs(expr: str, flops_: int) -> None:
    ours, cost, theirs = _both("Generator", expr)
    assert cost == flops_
    same(ours, theirs)


def _both(kind: str, expr: str) -> tuple[object, int, object]:
    if kind == "module":
        fnp.random.seed(2)
        ours, cost, _ = ledger(lambda: run(expr.format(R="fnp.random")))
        np.random.seed(2)
        return ours, cost, run(expr.format(R="np.random"))
    make = {"Generator": "default_rng", "RandomState": "RandomState"}[kind]
    ours, cost, _ = ledger(lambda: run(expr.format(R=f"fnp.random.{make}(9)")))
    return ours, cost, run(expr.format(R=f"np.random.{make}(9)"))


def test_rand_and_randn_take_dimensions() -> None:
    for call, flops_ in [("rand()", 1), ("rand(5)", 5), ("rand(2, 3, 4)", 24), ("randn()", 16)]:
        for owner in ("fnp.random", "fnp.random.RandomState(0)"):
            _, cost, _ = ledger(lambda: run(f"{owner}.{call}"))  # noqa: B023
            assert cost == flops_


def test_shuffle_in_place_everywhere() -> None:
    for make_ours, make_theirs, name in [
        (lambda: fnp.random, lambda: np.random, "random.shuffle"),
        (lambda: fnp.random.default_rng(1), lambda: np.random.default_rng(1), "Generator"),
        (lambda: fnp.random.RandomState(1), lambda: np.random.RandomState(1), "RandomState"),
    ]:
        fnp.random.seed(5)
        ours = fnp.arange(21.0).reshape(7, 3)
        r, cost, log = ledger(lambda: make_ours().shuffle(ours))  # noqa: B023
        np.random.seed(5)
        theirs = np.arange(21.0).reshape(7, 3)
        make_theirs().shuffle(theirs)
        assert r is None and cost == 7 and len(log) == 1
        np.testing.assert_array_equal(ours, theirs)
        assert name in log[0][0]


def test_generator_shuffle_axis_and_lists() -> None:
    x = np.arange(21.0).reshape(7, 3)
    _, cost, _ = ledger(lambda: fnp.random.default_rng(0).shuffle(x, axis=1))
    assert cost == 3
    seq = list(range(9))
    _, cost, _ = ledger(lambda: fnp.random.shuffle(seq))
    assert cost == 9 and sorted(seq) == list(range(9))


def test_out_argument_is_filled_and_returned() -> None:
    out = fnp.zeros(6)
    r, cost, _ = ledger(lambda: fnp.random.default_rng(0).random(out=out))
    assert r is out and cost == 6
    np.testing.assert_array_equal(out, np.random.default_rng(0).random(6))
    out2 = np.zeros((2, 3))
    r, cost, _ = ledger(lambda: fnp.random.default_rng(0).standard_normal(out=out2))
    assert r is out2 and cost == 96


# -- nested numpy calls are part of the outer call ------------------------------------------


@pytest.mark.parametrize(
    ("make", "expr", "op"),
    [
        ("default_rng", "g.choice(12, size=5)", "random.Generator.choice"),
        ("default_rng", "g.choice(100, 5, replace=False)", "random.Generator.choice"),
        ("default_rng", "g.permutation(12)", "random.Generator.permutation"),
        ("RandomState", "g.choice(12, size=5)", "random.RandomState.choice"),
        ("RandomState", "g.choice(100, 5, replace=False)", "random.RandomState.choice"),
        ("RandomState", "g.rand(3)", "random.RandomState.rand"),
        ("RandomState", "g.randn(3)", "random.RandomState.randn"),
        ("RandomState", "g.random_integers(1, 5, 4)", "random.RandomState.random_integers"),
        ("RandomState", "g.permutation(12)", "random.RandomState.permutation"),
    ],
)
def test_inner_calls_are_not_charged_twice(make: str, expr: str, op: str) -> None:
    g = getattr(fnp.random, make)(0)
    _, _, log = ledger(lambda: run(expr, g=g))
    assert [name for name, _ in log] == [op]


# -- a refused call leaves no trace ------------------------------------------------------------


def _refuse(thunk) -> None:
    with flops.BudgetContext(10, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            thunk()
    assert b.flops_used == 0 and b.op_log == []


def _state(obj: object) -> str:
    state = obj.bit_generator.state if isinstance(obj, np.random.Generator) else obj.get_state()
    return repr(state)


def test_must_hold_refused_normal_keeps_every_state() -> None:
    fnp.random.seed(1)
    before = _state(np.random.mtrand._rand)
    _refuse(lambda: fnp.random.normal(size=100))
    assert _state(np.random.mtrand._rand) == before
    np.testing.assert_array_equal(fnp.random.get_state()[1], np.random.get_state()[1])
    for obj in (fnp.random.default_rng(1), fnp.random.RandomState(1)):
        before = _state(obj)
        _refuse(lambda: obj.normal(size=100))  # noqa: B023
        assert _state(obj) == before


BIG = {
    **{name: call_args(params, 100) for name, params in PARAMS.items()},
    "rand": "100",
    "randn": "100",
    "permutation": "100",
    "shuffle": "x",
    "choice": "100, 20",
    "bytes": "100",
}


@pytest.mark.parametrize("name", sorted({**BIG, **{k: "" for k in MODULE}}))
def test_refused_module_sampler_keeps_state(name: str) -> None:
    args = BIG.get(name, call_args(MODULE.get(name, ""), 100))
    fnp.random.seed(8)
    before = _state(np.random.mtrand._rand)
    x = np.arange(100.0)
    _refuse(lambda: run(f"fnp.random.{name}({args})", x=x))
    assert _state(np.random.mtrand._rand) == before
    np.testing.assert_array_equal(x, np.arange(100.0))


GEN_BIG = {**BIG, **{k: call_args(v, 100) for k, v in GENERATOR_ONLY.items()}, "permuted": "x"}
GEN_BIG.pop("rand"), GEN_BIG.pop("randn")
RS_BIG = {**BIG, **{k: call_args(v, 100) for k, v in LEGACY_ONLY.items()}}


@pytest.mark.parametrize(
    ("make", "name", "args"),
    [("default_rng", n, a) for n, a in sorted(GEN_BIG.items())]
    + [("RandomState", n, a) for n, a in sorted(RS_BIG.items())],
)
def test_refused_method_keeps_state(make: str, name: str, args: str) -> None:
    g = getattr(fnp.random, make)(8)
    before = _state(g)
    x = np.arange(100.0)
    _refuse(lambda: run(f"g.{name}({args})", g=g, x=x))
    assert _state(g) == before
    np.testing.assert_array_equal(x, np.arange(100.0))


def test_refused_out_is_not_written() -> None:
    out = np.zeros(100)
    _refuse(lambda: fnp.random.default_rng(0).random(out=out))
    assert not out.any()


# -- bad input: numpy's exception, nothing charged, nothing drawn ---------------------------

BAD = [
    ("{R}.normal(size=-1)", ValueError),
    ("{R}.normal(size=2.5)", TypeError),
    ("{R}.normal(np.zeros(2), np.ones(3))", ValueError),
    ("{R}.normal(0.0, -1.0)", ValueError),
    ("{R}.poisson(-1.0)", ValueError),
    ("{R}.uniform(nope=1)", TypeError),
    ("{R}.permutation(np.array(5.0))", (IndexError, np.exceptions.AxisError)),
    ("{R}.choice(5, 10, replace=False)", ValueError),
    ("{R}.choice(0)", ValueError),
    ("{R}.multinomial(10, 0.5)", (ValueError, TypeError)),
    ("{R}.dirichlet(1.0)", (ValueError, TypeError)),
]


@pytest.mark.parametrize(("expr", "exc"), BAD)
@pytest.mark.parametrize("make", ["", "default_rng", "RandomState"])
def test_bad_input_raises_numpys_error(make: str, expr: str, exc: type) -> None:
    theirs_owner = np.random if not make else getattr(np.random, make)(0)
    try:
        run(expr.format(R="R"), R=theirs_owner)
    except Exception as native:
        native_type = type(native)
    else:  # pragma: no cover - the table lists failing calls only
        pytest.fail(f"numpy accepted {expr}")
    assert issubclass(native_type, exc)
    owner = fnp.random if not make else getattr(fnp.random, make)(0)
    fnp.random.seed(0)
    before = _state(np.random.mtrand._rand if not make else owner)
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(native_type):
            run(expr.format(R="R"), R=owner)
    assert b.flops_used == 0 and b.op_log == []
    assert _state(np.random.mtrand._rand if not make else owner) == before


# -- classes, pass-throughs and unsupported names -------------------------------------------


def test_module_surface() -> None:
    assert {"Generator", "RandomState", "SeedSequence", "default_rng"} <= set(fnp.random.__all__)
    counted = {n for n in fnp.random.__all__ if n not in ("Generator", "RandomState")}
    assert counted >= set(MODULE) | {"rand", "randn", "permutation", "shuffle", "choice", "bytes"}
    assert fnp.random.SeedSequence is np.random.SeedSequence
    for name in ("BitGenerator", "MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"):
        assert getattr(fnp.random, name) is getattr(np.random, name)
        assert name not in fnp.random.__all__


@pytest.mark.parametrize("name", ["random_integers", "set_bit_generator", "nope"])
def test_other_names_raise_a_hint(name: str) -> None:
    with pytest.raises(AttributeError) as info:
        getattr(fnp.random, name)
    lines = str(info.value).splitlines()
    assert len(lines) == 3 and name in lines[0] and "default_rng" in lines[1]


def test_state_helpers_are_free_on_randomstate() -> None:
    r = fnp.random.RandomState(0)
    with flops.BudgetContext(10**6, quiet=True) as b:
        state = r.get_state()
        first = r.rand(3)
        r.set_state(state)
        again = r.rand(3)
        r.seed(0)
        third = r.rand(3)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, third)
    assert [rec.op_name for rec in b.op_log] == ["random.RandomState.rand"] * 3


@pytest.mark.parametrize("make", ["default_rng", "RandomState"])
def test_unknown_public_attributes_are_unsupported(make: str) -> None:
    g = getattr(fnp.random, make)(0)
    with pytest.raises(flops.UnsupportedFunctionError, match=r"random\.\w+\.frobnicate"):
        g.frobnicate  # noqa: B018
    with pytest.raises(AttributeError):
        g._frobnicate  # noqa: B018
    assert not hasattr(g, "_frobnicate")


def test_default_rng_accepts_what_numpy_accepts() -> None:
    ref = np.random.default_rng(5).random(4)
    for seed in (5, np.random.PCG64(5), np.random.default_rng(5), np.random.SeedSequence(5)):
        g = fnp.random.default_rng(seed)
        assert isinstance(g, fnp.random.Generator)
        np.testing.assert_array_equal(g.random(4), ref)
    g = fnp.random.default_rng(1)
    assert fnp.random.default_rng(g) is g
    _, cost, _ = ledger(lambda: fnp.random.default_rng(0))
    assert cost == 0
    assert isinstance(fnp.random.Generator(np.random.MT19937(1)), np.random.Generator)


def test_spawned_children_and_copies_stay_counted() -> None:
    g = fnp.random.default_rng(7)
    kids, cost, _ = ledger(lambda: g.spawn(2))
    theirs = np.random.default_rng(7).spawn(2)
    assert cost == 0
    for ours, ref in zip(kids, theirs, strict=True):
        assert type(ours) is fnp.random.Generator
        r, cost, log = ledger(lambda: ours.normal(size=3))  # noqa: B023
        np.testing.assert_array_equal(r, ref.normal(size=3))
        assert cost == 48 and log == [("random.Generator.normal", 48)]
    for obj, ref in [
        (fnp.random.default_rng(3), np.random.default_rng(3)),
        (fnp.random.RandomState(3), np.random.RandomState(3)),
    ]:
        obj.normal(), ref.normal()
        for twin in (pickle.loads(pickle.dumps(obj)), copy.deepcopy(obj)):
            assert type(twin) is type(obj)
            r, cost, _ = ledger(lambda: twin.normal(size=2))  # noqa: B023
            assert cost == 32
        np.testing.assert_array_equal(obj.normal(size=2), ref.normal(size=2))


def test_bit_generator_is_numpys_and_free() -> None:
    g = fnp.random.default_rng(0)
    assert isinstance(g.bit_generator, np.random.PCG64)
    state = g.bit_generator.state
    first = g.random(3)
    g.bit_generator.state = state
    np.testing.assert_array_equal(g.random(3), first)


def test_results_are_flopscope_arrays_and_bytes_stay_bytes() -> None:
    assert isinstance(fnp.random.normal(size=3), FA)
    assert isinstance(fnp.random.default_rng(0).integers(5), FA)  # numpy scalar → 0-d
    assert type(fnp.random.bytes(4)) is bytes
    assert type(fnp.random.default_rng(0).bytes(4)) is bytes


def test_flopscope_array_arguments_are_accepted() -> None:
    loc = fnp.zeros((2, 3))
    r, cost, _ = ledger(lambda: fnp.random.default_rng(0).normal(loc, 1.0))
    assert r.shape == (2, 3) and cost == 96
    x = np.arange(5.0).view(FA)
    r, cost, _ = ledger(lambda: fnp.random.permutation(x))
    assert cost == 5 and sorted(r.tolist()) == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_weights_fall_back_to_the_module_sampler() -> None:
    model = flops.CostModel(weights={"random.normal": 2.0, "random.randint": 3.0})
    g = fnp.random.default_rng(0)
    with flops.BudgetContext(10**6, quiet=True, cost_model=model) as b:
        g.normal(size=5)
        g.integers(0, 4, size=5)
        fnp.random.RandomState(0).randint(0, 4, size=5)
        g.uniform(size=5)
    assert [rec.flop_cost for rec in b.op_log] == [10, 15, 15, 5]
    assert math.prod((2, 5)) == 10
