"""The cost helpers served remotely (module ``"accounting"``): the allow-list of
``flopscope.server.calls.COST_HELPERS``, exact counts against in-process, nothing charged or
logged, the session's cost model, and refusals of every other name.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import msgpack
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flopscope as flops
import flopscope.accounting as acc
import flopscope.numpy as fnp
from flopscope.server import calls
from flopscope.server.codec import ProtocolError
from tests.server.conftest import LIMITS, TOKEN
from tests.server.wire import Raw, T, number

ACC = "accounting"


def _plain(x: Any) -> Any:
    """A reply value with tuple exts (code 6) decoded, as the client decodes them."""

    def hook(code: int, data: bytes) -> Any:
        if code == 6:
            return tuple(msgpack.unpackb(data, raw=False, ext_hook=hook))
        return msgpack.ExtType(code, data)

    if isinstance(x, msgpack.ExtType):
        return hook(x.code, x.data)
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    return x


def _wire(x: Any) -> Any:
    """Python arguments as the protocol sends them (tuples as ext 6)."""
    if isinstance(x, tuple):
        return T(*(_wire(v) for v in x))
    if isinstance(x, list):
        return [_wire(v) for v in x]
    return x


def _helper(c: Raw, name: str, *args: Any, **kwargs: Any) -> Any:
    return c.call(
        name, *(_wire(a) for a in args), module=ACC, **{k: _wire(v) for k, v in kwargs.items()}
    )


def _full(name: str) -> Any:
    """The full package's helper of that name (accounting's, or the top-level one)."""
    return getattr(acc, name) if name in acc.__all__ else getattr(flops, name)


# -- the allow-list ------------------------------------------------------------------------


def test_the_allow_list_is_every_public_cost_helper() -> None:
    top = {n for n in flops.__all__ if n.endswith("_cost")}
    assert top == {
        "einsum_accumulation_cost",
        "reduction_accumulation_cost",
        "tier2_reduction_cost",
    }
    assert len(acc.__all__) == 48 and all(n.endswith("_cost") for n in acc.__all__)
    assert set(calls.COST_HELPERS) == {(ACC, n) for n in {*acc.__all__, *top}}
    for (_, name), fn in calls.COST_HELPERS.items():
        assert fn.__wrapped__ is _full(name), name  # the full package's own function


def test_resolve_gives_the_helper_without_a_row() -> None:
    op, fn = calls.resolve("einsum_cost", ACC, None, calls.RandomRows(0), calls.ErrorState())
    assert op is None and fn is calls.COST_HELPERS[(ACC, "einsum_cost")]
    assert fn("ij,jk->ik", [(10, 20), (20, 30)]) == 11_700  # 10·30·(2·20 − 1)


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("__dict__", ACC),
        ("__all__", ACC),
        ("einsum", ACC),
        ("budget", ACC),
        ("BudgetContext", ACC),
        ("CostModel", ACC),
        ("AccumulationCost", ACC),
        ("resolve", ACC),
        ("canonicalize", ACC),
        ("_priced", ACC),
        ("_apply_weight", ACC),
        ("EINSUM_COST", ACC),
        ("einsum_cost ", ACC),
        ("accounting.einsum_cost", ACC),
        ("flopscope.einsum_accumulation_cost", ACC),
        ("einsum_cache_info", ACC),
        ("einsum_cost", ""),
        ("einsum_cost", "linalg"),
        ("einsum_cost", "accounting.einsum_cost"),
        ("einsum_accumulation_cost", ""),
        ("solve_cost", "flopscope.accounting"),
    ],
)
def test_only_listed_helpers_resolve(c: Raw, name: str, module: str) -> None:
    with pytest.raises(ProtocolError):
        calls.resolve(name, module, None, calls.RandomRows(0), calls.ErrorState())
    r = c.call(name, "ij,jk->ik", [T(2, 2), T(2, 2)], module=module)
    assert r["error"]["type"] == "ProtocolError", r
    assert r["budget"]["used"] == 0
    assert number(c.put(np.zeros(1))) == 1  # no handle was made


# -- counts: exactly what in-process returns, nothing charged or logged --------------------

#: (helper, args, kwargs, the default model's count)
CASES: list[tuple[str, tuple, dict, int]] = [
    ("einsum_cost", ("ij,jk,kl->il", [(10, 20), (20, 30), (30, 5)]), {}, 7_850),
    ("einsum_cost", ("ij,ik->jk", [(100, 100)] * 2), {"identity_pattern": ((0, 1),)}, 1_004_950),
    ("einsum_cost", ("ij,jk->ik", [(5, 5)] * 2), {"operand_symmetries": [(0, 1), (0, 1)]}, 225),
    (
        "einsum_cost",
        ("ij,jk->ik", [(5, 5)] * 2),
        {"operand_symmetries": [(0, 1), (0, 1)], "identity_pattern": ((0, 1),)},
        135,
    ),
    ("pointwise_cost", ("exp",), {"shape": (2, 3)}, 96),
    ("pointwise_cost", ("arcsin",), {"shape": (3, 4)}, 192),
    ("reduction_cost", ("sum",), {"input_shape": (4, 4), "symmetry": (0, 1)}, 9),
    ("reduction_cost", ("sum",), {"input_shape": (4, 5), "axis": 1}, 16),
    ("reduction_cost", ("std",), {"input_shape": (4, 5)}, 38),
    ("svd_cost", (256, 256, 10), {}, 2_621_440),
    ("solve_cost", (5,), {"nrhs": 3}, 500),
    ("inv_cost", (5,), {"symmetric": True}, 500),
    ("lstsq_cost", (6, 4), {"b_cols": 3, "b_ndim": 2}, 1_296),
    ("tensorsolve_cost", ((3, 2, 6),), {"ind": 1}, 6_912),
    ("norm_cost", ((6, 4),), {"ord": 2}, 384),
    ("matrix_norm_cost", ((4, 5),), {"ord": "nuc"}, 320),
    ("multi_dot_cost", ([(10, 20), (20, 30), (30, 5)],), {}, 8_000),
    ("matrix_power_cost", (4, 5), {}, 336),
    ("fft_cost", (8,), {}, 120),
    ("fft_cost", (1,), {}, 0),
    ("fftn_cost", ((3, 4, 8),), {}, 3_360),
    ("hfft_cost", (100,), {}, 3_500),
    ("polyfit_cost", (8, 2), {}, 144),
    ("hamming_cost", (12,), {}, 192),
    ("unwrap_cost", ((3, 4),), {}, 84),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "want"), CASES, ids=[c[0] for c in CASES])
def test_helpers_return_the_in_process_count_and_charge_nothing(
    c: Raw, name: str, args: tuple, kwargs: dict, want: int
) -> None:
    c.ok("multiply", c.put(np.ones(10)), 2.0)  # a ledger that is not empty
    before = c.req("summary")
    r = _helper(c, name, *args, **kwargs)
    assert r["ok"], r
    assert r["result"] == _full(name)(*args, **kwargs) == want
    assert type(r["result"]) is int
    after = c.req("summary")
    assert after["budget"] == before["budget"]  # nothing charged
    assert after["result"]["operations"] == before["result"]["operations"]  # nothing logged
    assert "shapes" not in r or not r["shapes"]  # no handle was made
    assert number(c.put(np.zeros(1))) == 3  # handles 1 and 2 are the multiply's


def _accumulation_fields(cost: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(cost), "savings_ratio": cost.savings_ratio}


def test_accumulation_helpers_take_handles_and_send_every_field(c: Raw) -> None:
    a, b = np.linspace(0.1, 0.9, 12).reshape(3, 4), np.linspace(0.1, 0.9, 20).reshape(4, 5)
    ha, hb = c.put(a), c.put(b)
    r = c.call("einsum_accumulation_cost", "ij,jk->ik", ha, hb, module=ACC)
    assert r["ok"], r
    want = flops.einsum_accumulation_cost("ij,jk->ik", a, b)
    got = _plain(r["result"])
    assert got == _accumulation_fields(want)
    assert (got["total"], got["mu"], got["savings_ratio"]) == (105, 60, 0.875)
    assert got["per_component"][0]["regime_trace"][0]["decision"] == "fired"
    # the same operand twice is one object on the server too (identity is read)
    gram = c.call("einsum_accumulation_cost", "ij,ik->jk", ha, ha, module=ACC)
    assert _plain(gram["result"])["total"] == (
        flops.einsum_accumulation_cost("ij,ik->jk", a, a).total
    )
    r = c.call("reduction_accumulation_cost", ha, module=ACC, axis=1, op_factor=2, extra_ops=6)
    want = flops.reduction_accumulation_cost(a, axis=1, op_factor=2, extra_ops=6)
    assert _plain(r["result"]) == _accumulation_fields(want) and want.total == 24
    r = c.call("tier2_reduction_cost", ha, module=ACC, axis=0, dense_per_output_cost=3)
    assert r["result"] == flops.tier2_reduction_cost(a, axis=0, dense_per_output_cost=3) == 12
    assert c.used() == 0 and c.req("summary")["result"]["operations"] == {}


def test_three_operand_anatomy_travels_nested(c: Raw) -> None:
    shapes = [(3, 4), (4, 5), (5, 2)]
    handles = [c.put(np.ones(s)) for s in shapes]
    r = c.call("einsum_accumulation_cost", "ij,jk,kl->il", *handles, module=ACC)
    want = flops.einsum_accumulation_cost("ij,jk,kl->il", *(np.ones(s) for s in shapes))
    got = _plain(r["result"])
    assert got["total"] == want.total == 114 and got["path"] == want.path
    assert [s["total"] for s in got["per_step"]] == [s.total for s in want.per_step]
    assert got["per_step"][0]["savings_ratio"] == want.per_step[0].savings_ratio


def test_groups_registered_on_the_server_are_read(c: Raw) -> None:
    # the Gram matrix X.T @ X is inferred symmetric where it lives: on the server
    x = np.linspace(0.0, 1.0, 20).reshape(4, 5)
    hx = c.put(x)
    g = c.ok("einsum", "ij,ik->jk", hx, hx)  # one operand twice: the Gram matrix
    r = c.call("einsum_accumulation_cost", "ij,jk->ik", g, g, module=ACC)
    with flops.BudgetContext(10**9, quiet=True):
        fx = fnp.asarray(x)
        gram = fnp.einsum("ij,ik->jk", fx, fx)
        want = flops.einsum_accumulation_cost("ij,jk->ik", gram, gram)
        red = flops.reduction_accumulation_cost(gram).total
        tier2 = flops.tier2_reduction_cost(gram, axis=0)
    assert _plain(r["result"]) == _accumulation_fields(want)
    assert want.total == 135 < flops.einsum_accumulation_cost("ij,jk->ik", x.T @ x, x.T @ x).total
    assert c.call("reduction_accumulation_cost", g, module=ACC)["result"]["total"] == red == 14
    assert c.call("tier2_reduction_cost", g, module=ACC, axis=0)["result"] == tier2 == 25


def test_numpy_scalars_in_results_become_numbers() -> None:
    assert calls._wire_value((np.int64(3), [np.float64(0.5)])) == (3, [0.5])
    assert type(calls._wire_value(np.int64(3))) is int


# -- cost models ---------------------------------------------------------------------------


def _player(operator: Raw, proc_url: str) -> tuple[Raw, str]:
    """A new session and its key (sessions of earlier tests may linger: find the new one)."""
    before = set(operator.req("admin", token=TOKEN, action="sessions")["result"])
    player = Raw(proc_url)
    (key,) = set(operator.req("admin", token=TOKEN, action="sessions")["result"]) - before
    return player, key


def test_helpers_price_under_the_sessions_cost_model(proc_url: str) -> None:
    operator = Raw(proc_url)
    player, key = _player(operator, proc_url)
    shapes = [(3, 4), (4, 5)]
    assert _helper(player, "einsum_cost", "ij,jk->ik", shapes)["result"] == 105
    r = operator.req("admin", token=TOKEN, action="set_cost_model", session=key, cost_model="mac")
    assert r["ok"], r
    want = acc.einsum_cost("ij,jk->ik", shapes, cost_model="mac")
    assert _helper(player, "einsum_cost", "ij,jk->ik", shapes)["result"] == want == 60
    assert _helper(player, "pointwise_cost", "exp", shape=(2, 3))["result"] == 6  # unit weights
    # what the helper says is what the session's call then bills
    before = player.used()
    player.ok("einsum", "ij,jk->ik", player.put(np.ones((3, 4))), player.put(np.ones((4, 5))))
    assert player.used() - before == 60
    # an explicit model wins; null means the session's
    named = _helper(player, "einsum_cost", "ij,jk->ik", shapes, cost_model="flopscope")
    assert named["result"] == 105
    assert _helper(player, "fft_cost", 8, cost_model=None)["result"] == 120
    assert _helper(player, "solve_cost", 4, cost_model="fma")["result"] == 64
    acc_cost = player.call(
        "einsum_accumulation_cost",
        "ij,jk->ik",
        player.put(np.ones((3, 4))),
        player.put(np.ones((4, 5))),
        module=ACC,
    )
    assert _plain(acc_cost["result"])["total"] == 60
    other = Raw(proc_url)  # another session keeps the server's model
    assert _helper(other, "einsum_cost", "ij,jk->ik", shapes)["result"] == 105
    for client in (operator, player, other):
        client.close()


def test_in_process_the_wrapper_reads_the_active_context() -> None:
    served = calls.COST_HELPERS[(ACC, "einsum_cost")]
    assert served("ij,jk->ik", [(3, 4), (4, 5)]) == 105  # no context: the process default
    with flops.BudgetContext(10**6, quiet=True, cost_model="fma") as budget:
        assert served("ij,jk->ik", [(3, 4), (4, 5)]) == 120
        assert served("ij,jk->ik", [(3, 4), (4, 5)], cost_model="mac") == 60
    assert budget.flops_used == 0 and budget.op_log == []
    # helpers without cost_model= are called as they are
    tier2 = calls.COST_HELPERS[(ACC, "tier2_reduction_cost")]
    with flops.BudgetContext(10**6, quiet=True, cost_model="mac"):
        assert tier2(np.ones((6, 7)), axis=0) == 42


# -- errors: the in-process exception, nothing charged --------------------------------------

BAD: list[tuple[str, tuple, dict]] = [
    ("einsum_cost", ("ij,jk->ik", [(3, 4), (5, 6)]), {}),
    ("einsum_cost", ("ij,jk->ik", [(3, 4)]), {}),
    ("einsum_cost", ("ij->q", [(3, 4)]), {}),
    ("einsum_cost", (5, [(3, 4)]), {}),
    ("pointwise_cost", ("exp",), {}),
    ("pointwise_cost", ("exp", (2, 3)), {}),
    ("reduction_cost", ("sum",), {"input_shape": (4, 5), "axis": 2}),
    ("svd_cost", (4, 4, 9), {}),
    ("lstsq_cost", (5, 4), {"b_ndim": 3}),
    ("multi_dot_cost", ([(2, 3)],), {}),
    ("tensorinv_cost", ((6, 2, 3),), {"ind": 0}),
    ("fft_cost", ("eight",), {}),
    ("solve_cost", (4,), {"cost_model": "nope"}),
    ("solve_cost", (4,), {"cost_model": 5}),
    ("solve_cost", (4,), {"bogus": 1}),
    ("tier2_reduction_cost", (), {}),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_arguments_raise_the_in_process_error(
    c: Raw, name: str, args: tuple, kwargs: dict
) -> None:
    with pytest.raises(Exception) as native:
        _full(name)(*args, **kwargs)
    r = _helper(c, name, *args, **kwargs)
    assert r["error"] == {"type": type(native.value).__name__, "message": str(native.value)}
    assert r["budget"]["used"] == 0


def test_a_closed_budget_still_refuses_like_any_call(proc_url: str) -> None:
    # the server answers no call while the operator has closed the session's budget
    operator = Raw(proc_url)
    player, key = _player(operator, proc_url)
    operator.req("admin", token=TOKEN, action="close", session=key)
    r = _helper(player, "fft_cost", 8)
    assert r["error"]["type"] == "NoBudgetContextError"
    operator.req("admin", token=TOKEN, action="open", session=key, budget=10)
    assert _helper(player, "fft_cost", 8)["result"] == 120  # 120 > 10: helpers are free
    operator.close()
    player.close()


def test_helpers_run_on_the_worker_where_the_op_time_limit_applies() -> None:
    # never inline on the dispatcher: a helper can be slow (multi_dot_cost's chain-order
    # search over many matrices), so it is abandoned at the per-op limit like any op
    from flopscope.server import fastpath
    from flopscope.server.session import Session

    session = Session(b"k", LIMITS)
    for name, args in [("fft_cost", [8]), ("multi_dot_cost", [[T(2, 2)] * 400])]:
        header = {"kind": "call", "op": name, "module": ACC, "args": args}
        assert fastpath.inline(session, header) is False
    assert fastpath.inline(session, {"kind": "call", "op": "add", "args": [1, 2]}) is True


# -- properties ----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    m=st.integers(0, 300),
    k=st.integers(0, 300),
    n=st.integers(0, 300),
    model=st.sampled_from([None, "flopscope", "exact", "fma", "mac"]),
)
def test_any_matmul_and_fft_count_matches_in_process(
    proc_url: str, m: int, k: int, n: int, model: str | None
) -> None:
    c = Raw(proc_url)
    try:
        shapes = [(m, k), (k, n)]
        r = _helper(c, "einsum_cost", "ij,jk->ik", shapes, cost_model=model)
        assert r["result"] == acc.einsum_cost("ij,jk->ik", shapes, cost_model=model)
        r = _helper(c, "fftn_cost", (m + 1, n + 1), cost_model=model)
        assert r["result"] == acc.fftn_cost((m + 1, n + 1), cost_model=model)
        r = _helper(c, "reduction_cost", "mean", input_shape=(m, k + 1), axis=1)
        assert r["result"] == acc.reduction_cost("mean", input_shape=(m, k + 1), axis=1)
        assert r["budget"]["used"] == 0
    finally:
        c.close()
