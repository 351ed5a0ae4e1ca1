"""``flops.namespace``: building, caching, cost models, refusals and the 0.4.0 label meaning."""

from __future__ import annotations

import threading
from typing import Any

import array_api_compat
import array_api_strict
import numpy
import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope import _budget
from flopscope._array import Array
from flopscope._symmetry import registry
from flopscope.backends import _standard as std
from flopscope.ops import all_ops

XP = flops.namespace(numpy)
XS = flops.namespace(array_api_strict)
BOTH = pytest.mark.parametrize("xp", [XP, XS], ids=["numpy", "array_api_strict"])

WIDTH, DEPTH = 256, 5


def _ctx(budget: float = 10**12, **kw: Any) -> flops.BudgetContext:
    return flops.BudgetContext(budget, quiet=True, **kw)


# -- (b) the quick start against the namespace: identical totals on every backend ------------


def _quickstart(xp: Any) -> Any:
    rng = np.random.default_rng(0)
    weights = [xp.asarray(rng.standard_normal((WIDTH, WIDTH)) / WIDTH) for _ in range(DEPTH)]
    h = xp.asarray(rng.standard_normal(WIDTH))
    for i, w in enumerate(weights):
        h = xp.matmul(w, h)
        if i < DEPTH - 1:
            h = xp.maximum(h, xp.zeros_like(h))
    return xp.sum(xp.exp(h))


#: matmul 5 × 256·(2·256−1), maximum 4 × 256, exp 256 × 16, sum 255 (default model)
QUICKSTART = {"matmul": 654_080, "maximum": 1_024, "exp": 4_096, "sum": 255}


@BOTH
def test_quickstart_program_bills_the_documented_total(xp: Any) -> None:
    with _ctx() as ctx:
        _quickstart(xp)
    ops = ctx.summary_dict()["operations"]
    assert {k: v["flop_cost"] for k, v in ops.items() if v["flop_cost"]} == QUICKSTART
    assert ctx.flops_used == 659_455 == sum(QUICKSTART.values())
    assert ops["matmul"]["calls"] == 5 and ops["maximum"]["calls"] == 4


def test_quickstart_totals_and_values_agree_across_backends_and_with_fnp() -> None:
    used = []
    values = []
    for xp in (XP, XS, fnp):
        with _ctx() as ctx:
            r = _quickstart(xp)
        used.append(ctx.flops_used)
        values.append(float(r))
    assert used == [659_455] * 3
    assert values[0] == pytest.approx(values[1], rel=1e-12)
    assert values[0] == pytest.approx(values[2], rel=1e-12)


@BOTH
def test_quickstart_under_mac_model(xp: Any) -> None:
    with _ctx(cost_model="mac") as ctx:
        _quickstart(xp)
    # mac: one per multiply-add, unit weights (exp weighs 1)
    assert ctx.flops_used == 5 * 65_536 + 1_024 + 256 + 255


# -- (c) a namespace with its own cost model ---------------------------------------------------


def test_namespace_cost_model_prices_its_calls() -> None:
    mac = flops.namespace("numpy", cost_model="mac")
    a = np.ones((256, 256))
    with _ctx() as ctx:  # the context itself prices with the default model
        mac.matmul(a, a)
        assert ctx.flops_used == 256**3
        XP.matmul(a, a)
        assert ctx.flops_used == 256**3 + 256 * 256 * 511
        before = ctx.flops_used
        mac.exp(mac.ones((10,)))  # unit weight under mac, 16 under the default
        XP.exp(XP.ones((10,)))
        assert ctx.flops_used - before == 10 + 160
        # re-pricing the ledger: the records hold analytical inputs, not prices
        assert ctx.summary_dict(cost_model="mac")["flops_used"] == 2 * 256**3 + 20


def test_namespace_cost_model_applies_the_context_multiplier() -> None:
    mac = flops.namespace("numpy", cost_model="mac")
    with _ctx(flop_multiplier=2.5) as ctx:
        mac.matmul(np.ones((4, 3)), np.ones((3, 5)))
    assert ctx.flops_used == int(4 * 3 * 5 * 2.5)


def test_cost_model_given_by_object_or_name_is_the_same_namespace() -> None:
    by_name = flops.namespace("numpy", cost_model="mac")
    assert flops.namespace(numpy, cost_model=flops.CostModel("mac")) is by_name
    assert by_name is not XP
    assert flops.namespace(array_api_strict, cost_model="mac") is not by_name
    fma_flopscope = flops.CostModel(convention="fma", weights="flopscope")
    custom = flops.namespace(numpy, cost_model=fma_flopscope)
    with _ctx() as ctx:
        custom.matmul(np.ones((256, 256)), np.ones((256,)))
    assert ctx.flops_used == 2 * 256 * 256


def test_arrays_keep_their_namespace_cost_model() -> None:
    mac = flops.namespace("numpy", cost_model="mac")
    a = mac.ones((8, 8))
    assert a.__array_namespace__() is mac
    assert array_api_compat.array_namespace(a) is mac
    with _ctx() as ctx:
        a @ a
    assert ctx.flops_used == 8**3


# -- caching and construction ------------------------------------------------------------------


def test_namespaces_are_cached() -> None:
    assert flops.namespace("numpy") is XP
    assert flops.namespace(numpy) is XP
    assert flops.namespace() is XP
    assert flops.namespace(array_api_compat.numpy) is XP
    assert flops.namespace("array_api_strict") is XS


def test_api_version() -> None:
    assert XP.__array_api_version__ == "2023.12"
    newer = flops.namespace(numpy, api_version="2024.12")
    assert newer.__array_api_version__ == "2024.12" and newer is not XP
    assert flops.namespace(numpy, api_version="2024.12") is newer
    x = XP.ones(3)
    assert x.__array_namespace__(api_version="2023.12") is XP
    assert x.__array_namespace__(api_version="2024.12") is newer
    with pytest.raises(ValueError, match="2099.12"):
        flops.namespace(numpy, api_version="2099.12")


@BOTH
def test_array_api_compat_returns_the_counted_namespace(xp: Any) -> None:
    x = xp.ones((2, 3))
    assert array_api_compat.array_namespace(x) is xp
    assert array_api_compat.array_namespace(x, xp.zeros(3), 1.0) is xp
    assert array_api_compat.is_array_api_obj(x)


@BOTH
def test_non_op_parts_of_the_standard(xp: Any) -> None:
    backend = xp._adapter.xp
    for name in std.DTYPES:
        assert getattr(xp, name) == getattr(backend, name)
    assert xp.pi == np.pi and xp.e == np.e and np.isinf(xp.inf) and np.isnan(xp.nan)
    assert xp.newaxis is None
    assert xp.finfo(xp.float32).eps == np.finfo(np.float32).eps
    assert xp.finfo(xp.ones(2, dtype=xp.float32)).bits == 32
    assert xp.iinfo(xp.int16).max == 2**15 - 1
    info = xp.__array_namespace_info__()
    assert info.default_dtypes()["real floating"] == xp.float64
    assert set(info.capabilities()) >= {"boolean indexing", "data-dependent shapes"}


@BOTH
def test_free_functions_leave_no_record_and_logged_ones_a_zero_record(xp: Any) -> None:
    with _ctx() as ctx:
        x = xp.reshape(xp.zeros((2, 3)), (3, 2))
        assert len(ctx.op_log) == 0
        xp.asarray(x)
    assert [(r.op_name, r.flop_cost, r.shapes) for r in ctx.op_log] == [("asarray", 0, ((3, 2),))]


def test_fnp_arrays_are_not_counted_twice() -> None:
    f = fnp.ones((4, 5))
    with _ctx() as ctx:
        r = XP.sum(f, axis=0)
    assert isinstance(r, Array)
    assert [(rec.op_name, rec.flop_cost) for rec in ctx.op_log] == [("sum", 15)]


@BOTH
def test_reductions_take_axis_as_keyword_only(xp: Any) -> None:
    x = xp.ones((3, 4))
    with _ctx() as ctx:
        with pytest.raises(TypeError, match="positional"):
            xp.sum(x, 0)
        assert ctx.flops_used == 0
        xp.sum(x, axis=0)
        xp.sum(x, axis=(0, 1), keepdims=True)
        xp.cumulative_sum(x, axis=1)
    assert [r.flop_cost for r in ctx.op_log] == [8, 11, 9]


@BOTH
def test_einsum_extension_bills_like_fnp(xp: Any) -> None:
    a, b = np.arange(12.0).reshape(3, 4), np.arange(20.0).reshape(4, 5)
    with _ctx() as ctx:
        r = xp.einsum("ij,jk->ik", xp.asarray(a), xp.asarray(b))
        fnp.einsum("ij,jk->ik", a, b)
    assert [rec.flop_cost for rec in ctx.op_log if rec.op_name == "einsum"] == [105, 105]
    np.testing.assert_allclose(np.from_dlpack(r), a @ b)


# -- functions the table does not declare yet --------------------------------------------------


def _exposed(ns: Any, module: str = "") -> set[str]:
    target = getattr(ns, module) if module else ns
    names = {n for n in dir(target) if callable(getattr(target, n)) and not n.startswith("_")}
    return names - set(std.DTYPES)  # numpy's dtypes are classes


@BOTH
def test_exposed_functions_are_exactly_the_table_rows(xp: Any) -> None:
    rows = {op.array_api for op in all_ops() if op.array_api and op.module == ""}
    extensions = {ext for ext in std.EXTENSIONS if hasattr(xp, ext)}
    assert _exposed(xp) - {"finfo", "iinfo"} - extensions == rows
    for ext in extensions:
        declared = {
            op.array_api for op in all_ops() if op.array_api and ext in (op.module, *op.also_in)
        }
        assert _exposed(xp, ext) == declared


@BOTH
def test_missing_standard_functions_raise_attribute_error_naming_them(xp: Any) -> None:
    missing = sorted(std.FUNCTIONS - _exposed(xp))
    assert missing  # the table does not cover the whole standard yet
    for name in missing:
        with pytest.raises(AttributeError, match=f"'{name}'.*no cost"):
            getattr(xp, name)
        assert not hasattr(xp, name)
    for ext, functions in std.EXTENSIONS.items():
        declared = any(op.array_api and ext in (op.module, *op.also_in) for op in all_ops())
        if not declared:
            with pytest.raises(AttributeError, match=f"'{ext}' extension"):
                getattr(xp, ext)
            assert not hasattr(xp, ext)  # array-api users test extensions with hasattr
            continue
        for name in sorted(functions - _exposed(xp, ext)):
            with pytest.raises(AttributeError, match=f"'{ext}.{name}'.*no cost"):
                getattr(getattr(xp, ext), name)
    with pytest.raises(AttributeError, match="not part of the Array API"):
        xp.concatenate  # noqa: B018


def test_an_extension_without_rows_is_absent() -> None:
    ns = type(XP)(XP._adapter, None, "2023.12")  # a fresh, uncached namespace
    del ns.__dict__["fft"]  # as if no fft row were declared
    with pytest.raises(AttributeError, match="'fft' extension"):
        ns.fft  # noqa: B018
    assert not hasattr(ns, "fft")


# -- (d) a refused call leaves no trace ----------------------------------------------------------


@BOTH
def test_refused_call_leaves_no_trace(xp: Any) -> None:
    x = xp.ones((10,))
    with _ctx(100) as ctx:
        with pytest.raises(flops.BudgetExhaustedError) as info:
            xp.exp(x)  # 160 FLOPs
        assert info.value.flop_cost == 160 and info.value.flops_remaining == 100
        assert (ctx.flops_used, ctx.op_log) == (0, [])
        xp.add(x, x)
        assert ctx.flops_used == 10


@BOTH
def test_refused_in_place_operator_leaves_the_array_unchanged(xp: Any) -> None:
    x = xp.asarray([1.0, 2.0, 3.0])
    with _ctx(2) as ctx:
        with pytest.raises(flops.BudgetExhaustedError):
            x += 1.0
        assert (ctx.flops_used, ctx.op_log) == (0, [])
    np.testing.assert_array_equal(np.from_dlpack(x), [1.0, 2.0, 3.0])


@BOTH
def test_refused_result_priced_op_leaves_no_record(xp: Any) -> None:
    a = xp.ones((3, 4))
    with _ctx(20) as ctx:
        with pytest.raises(flops.BudgetExhaustedError):
            xp.concat([a, a])  # 24 output elements
        assert (ctx.flops_used, ctx.op_log) == (0, [])
        xp.concat([a[:1, :], a[:1, :]])
    assert ctx.flops_used == 8


@BOTH
def test_backend_error_is_refunded_and_keeps_its_type(xp: Any) -> None:
    a, b = xp.ones((2, 3)), xp.ones((4, 5))
    with _ctx() as ctx:
        with pytest.raises(ValueError):
            xp.matmul(a, b)
        with pytest.raises(ValueError):
            xp.add(a, b)  # not broadcastable: priced, then numpy refuses
        assert (ctx.flops_used, ctx.op_log) == (0, [])


def test_strict_type_errors_are_refunded() -> None:
    with _ctx() as ctx:
        with pytest.raises(TypeError):
            XS.exp(XS.asarray([1, 2]))  # exp needs a floating dtype
        assert ctx.flops_used == 0
        assert [r.op_name for r in ctx.op_log] == ["asarray"]


# -- (e) the 0.4.0 meaning of a label string ---------------------------------------------------


def test_label_string_attributes_ops() -> None:
    x = XP.ones((4,))
    with _ctx() as ctx:
        with flops.namespace("encoder"):
            XP.exp(x)
            with flops.namespace("layer1"):
                x + x
        XP.exp(x)
    assert [r.namespace for r in ctx.op_log] == ["encoder", "encoder.layer1", None]
    by = ctx.summary_dict(by_namespace=True)["by_namespace"]
    assert by["encoder"]["flops_used"] == 64 and by["encoder.layer1"]["flops_used"] == 4


def test_label_with_context_root() -> None:
    with _ctx(namespace="root") as ctx:
        with flops.namespace("enc"):
            XS.exp(XS.ones((2,)))
    assert ctx.op_log[-1].namespace == "root.enc"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("a.b", "must not contain '.'"),
        ("   ", "must be non-empty"),
        (5, "must be a string"),
    ],
)
def test_label_segment_rules(label: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        flops.namespace(label)


def test_label_takes_no_backend_arguments() -> None:
    with pytest.raises(TypeError, match="attribution label"):
        flops.namespace("encoder", cost_model="mac")


def test_label_without_budget_in_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_budget, "_DEFAULT", [])
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with flops.namespace("encoder"):
                pass
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert len(errors) == 1 and isinstance(errors[0], flops.NoBudgetContextError)


def test_label_in_worker_thread_with_its_own_context() -> None:
    records: list[Any] = []

    def worker() -> None:
        with _ctx() as ctx, flops.namespace("w"):
            XP.exp(XP.ones(3))
        records.extend(ctx.op_log)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert [(r.op_name, r.namespace, r.flop_cost) for r in records] == [("exp", "w", 48)]


def test_backend_names_are_not_labels() -> None:
    assert isinstance(flops.namespace("numpy"), type(XP))
    with pytest.raises(ImportError, match="cupy"):
        flops.namespace("cupy")


def test_fnp_arrays_name_the_counted_numpy_namespace() -> None:
    assert fnp.ones(3).__array_namespace__() is XP
    assert fnp.ones(3).__array_namespace__(api_version="2024.12") is flops.namespace(
        numpy, api_version="2024.12"
    )


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict", "torch"])
def test_contraction_results_carry_the_inferred_group_like_fnp(backend: str) -> None:
    # a Gram matrix of one operand is symmetric: tagged as fnp tags it, so what follows
    # bills the symmetric cost on every backend
    if backend == "torch":
        pytest.importorskip("torch")
    xp = flops.namespace(backend)
    data = np.linspace(0.0, 1.0, 20).reshape(5, 4)
    X = xp.asarray(data)
    with flops.BudgetContext(10**6, quiet=True) as ns_budget:
        G = xp.einsum("ij,ik->jk", X, X)
        xp.exp(G)
    F = fnp.asarray(data)
    with flops.BudgetContext(10**6, quiet=True) as np_budget:
        fnp.exp(fnp.einsum("ij,ik->jk", F, F))
    assert flops.is_symmetric(G, symmetry=(0, 1))
    assert registry.group_of(G) == flops.SymmetryGroup.symmetric(axes=(0, 1))
    assert ns_budget.flops_used == np_budget.flops_used == 90 + 10 * 16
    with flops.BudgetContext(10**6, quiet=True):
        D = xp.einsum("ij,ik->jk", X, xp.asarray(data))  # two objects: no group
    assert registry.group_of(D) is None
