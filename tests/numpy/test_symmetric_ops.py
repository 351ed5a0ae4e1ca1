"""``fnp`` and namespace calls on symmetric arrays: exact costs (spec §4.5), the tags of the
results (§4.4, DIFFERENCES 6), the warnings, and writes that drop a tag."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._symmetry import registry
from flopscope._symmetry.group import SymmetryGroup
from flopscope.errors import BudgetExhaustedError, SymmetryLossWarning
from flopscope.numpy._symmetric import SymmetricTensor, as_symmetric_view

S2 = SymmetryGroup.symmetric(axes=(0, 1))
S12 = SymmetryGroup.symmetric(axes=(1, 2))
S3 = SymmetryGroup.symmetric(axes=(0, 1, 2))


def sym2(n: int) -> SymmetricTensor:
    a = np.linspace(0.0, 1.0, n * n).reshape(n, n)
    return as_symmetric_view(a + a.T, S2)


def sym3(n: int) -> SymmetricTensor:
    t = np.arange(float(n**3)).reshape(n, n, n)
    return as_symmetric_view(sum(t.transpose(q) for q in itertools.permutations(range(3))), S3)


def cost(fn):
    """(FLOPs charged, result, warnings) of ``fn()`` in a fresh budget."""
    with flops.BudgetContext(10**15, quiet=True) as budget:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = fn()
    losses = [w for w in caught if issubclass(w.category, SymmetryLossWarning)]
    return budget.flops_used, result, losses


# -- pointwise ------------------------------------------------------------------------------------


def test_unary_pointwise_bills_unique_elements_times_weight() -> None:
    s = sym2(100)
    used, r, lost = cost(lambda: fnp.exp(s))
    assert used == 16 * 5_050 and r.symmetry == S2 and not lost
    used, r, _ = cost(lambda: fnp.sqrt(sym3(5)))
    assert used == 35 and r.symmetry == S3
    used, r, _ = cost(lambda: -sym2(5))
    assert used == 15 and r.symmetry == S2
    used, r, _ = cost(lambda: fnp.round(sym2(5), 2))
    assert used == 15 and r.symmetry == S2


def test_scalar_operands_keep_the_group() -> None:
    s = sym2(5)
    for fn in (lambda: s * 2.0, lambda: 1.0 + s, lambda: fnp.add(s, 1.0), lambda: s**2):
        used, r, lost = cost(fn)
        assert isinstance(r, SymmetricTensor) and r.symmetry == S2 and not lost
        assert used in (15, 16 * 15)


def test_dense_operand_bills_dense_and_warns() -> None:
    s = sym2(100)
    used, r, lost = cost(lambda: fnp.add(s, np.ones((100, 100))))
    assert used == 10_000
    assert type(r) is fnp.ndarray
    assert len(lost) == 1 and "dims (0, 1)" in str(lost[0].message)


def test_binary_intersection() -> None:
    t = sym3(4)
    used, r, lost = cost(lambda: fnp.add(t, as_symmetric_view(np.ones((4, 4, 4)), S2)))
    assert used == 40 and r.symmetry == S2 and len(lost) == 1
    a = as_symmetric_view(np.ones((4, 4, 4)), S2)
    b = as_symmetric_view(np.ones((4, 4, 4)), S12)
    used, r, lost = cost(lambda: a * b)
    assert used == 64 and type(r) is fnp.ndarray and len(lost) == 1
    # broadcast alignment: (4, 4) S2 lies on axes (1, 2) of the result
    used, r, _ = cost(lambda: t + as_symmetric_view(np.ones((4, 4)), S2))
    assert used == 40 and r.symmetry == S12


def test_clip_and_multi_output() -> None:
    used, r, _ = cost(lambda: fnp.clip(sym2(5), 5.0, 20.0))
    assert used == 15 and r.symmetry == S2
    used, (frac, whole), _ = cost(lambda: fnp.modf(sym2(5)))
    assert used == 15 and frac.symmetry == S2 and whole.symmetry == S2


# -- reductions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "flops_", "group"),
    [
        (lambda: fnp.sum(sym2(100)), 5_049, None),
        (lambda: fnp.sum(sym3(4)), 19, None),
        (lambda: fnp.sum(sym3(5), axis=2), 60, S2),
        (lambda: fnp.mean(sym3(4), axis=0), 40, S2),
        (lambda: fnp.mean(sym2(5)), 15, None),
        (lambda: fnp.max(sym3(4), axis=1), 30, S2),
        (lambda: fnp.var(sym3(4), axis=0), 60, S2),
        (lambda: fnp.sum(sym3(4), axis=0, keepdims=True), 30, S12),
        (lambda: sym3(4).sum(axis=0), 30, S2),
        (lambda: fnp.median(sym2(5)), 25, None),
        (lambda: fnp.median(sym3(4), axis=0), 40, S2),
        (lambda: fnp.percentile(sym3(4), [25, 75], axis=0), 40, S12),
        (lambda: fnp.cumsum(sym3(4), axis=0), 30, S12),
        (lambda: fnp.cumsum(sym3(4), axis=2), 30, S2),
        (lambda: np.add.reduce(sym3(4)), 30, S2),
    ],
)
def test_reductions(call, flops_, group) -> None:
    used, r, _ = cost(call)
    assert used == flops_
    if group is None:
        assert not isinstance(r, SymmetricTensor)
    else:
        assert r.symmetry == group


def test_reducing_the_pair_away_bills_dense_and_warns() -> None:
    used, r, lost = cost(lambda: fnp.sum(sym2(100), axis=0))
    assert used == 9_900 and type(r) is fnp.ndarray and len(lost) == 1


def test_cumsum_tag_is_right() -> None:
    c = fnp.cumsum(sym3(4), axis=0)
    assert c.symmetry == S12
    assert np.array_equal(c, np.swapaxes(np.asarray(c), 1, 2))


def test_weighted_average_bills_dense() -> None:
    w = np.arange(1.0, 6.0)
    used, _, _ = cost(lambda: fnp.average(sym2(5), axis=0, weights=w))
    assert used == 20


# -- views ----------------------------------------------------------------------------------------


def test_indexing_propagation() -> None:
    s, t = sym2(5), sym3(4)
    assert cost(lambda: s[:, :])[0] == 0
    assert s[:, :].symmetry == S2 and s[...].symmetry == S2
    used, r, _ = cost(lambda: fnp.exp(t[0]))
    assert used == 160 and r.symmetry == S2
    assert s[None].symmetry == S12
    _, r, lost = cost(lambda: s[1:3, 1:3])
    assert type(r) is fnp.ndarray and len(lost) == 1
    for key in ((slice(None, None, 2),) * 2, [0, 1]):
        with pytest.warns(SymmetryLossWarning, match="indexing"):
            assert type(s[key]) is fnp.ndarray
    _, r, lost = cost(lambda: s[0])
    assert type(r) is fnp.ndarray and not lost  # a vector has nothing left to keep
    assert isinstance(s[0, 1], float)


def test_transposes_reshapes_copies() -> None:
    t = as_symmetric_view(np.ones((3, 4, 4)), S12)
    assert t.T.symmetry == S2
    assert t.transpose(1, 2, 0).symmetry == S2
    assert t.transpose((1, 2, 0)).symmetry == S2
    assert fnp.transpose(t, (2, 1, 0)).symmetry == S2
    assert fnp.swapaxes(t, 0, 2).symmetry == S2
    assert t.swapaxes(0, 1).symmetry == SymmetryGroup.symmetric(axes=(0, 2))
    assert fnp.moveaxis(t, 0, -1).symmetry == S2
    assert fnp.permute_dims(t, (1, 2, 0)).symmetry == S2
    assert fnp.expand_dims(t, 0).symmetry == SymmetryGroup.symmetric(axes=(2, 3))
    assert fnp.squeeze(fnp.expand_dims(t, 0)).symmetry == S12
    assert t.reshape(1, 3, 4, 4).symmetry == SymmetryGroup.symmetric(axes=(2, 3))
    assert t.copy().symmetry == S12 and fnp.copy(t).symmetry == S12
    used, r, _ = cost(lambda: fnp.exp(sym2(5).T))
    assert used == 240 and r.symmetry == S2


def test_dropping_views_warn() -> None:
    s = sym2(5)
    used, r, lost = cost(lambda: fnp.exp(s.astype(np.float32)))
    assert used == 400 and type(r) is fnp.ndarray and len(lost) == 1
    _, r, lost = cost(lambda: s.reshape(25))
    assert type(r) is fnp.ndarray and len(lost) == 1
    _, r, lost = cost(lambda: fnp.flip(s, axis=0))
    assert type(r) is fnp.ndarray and len(lost) == 1
    _, r, lost = cost(lambda: fnp.sort(s, axis=0))
    assert type(r) is fnp.ndarray and len(lost) == 1


# -- writes ---------------------------------------------------------------------------------------


def test_item_assignment_drops_the_tag() -> None:
    x = as_symmetric_view(np.zeros((4, 4)), S2, inferred=True)
    with pytest.warns(SymmetryLossWarning, match="item assignment"):
        x[0, 1] = 1
    assert x.symmetry is None
    used, r, _ = cost(lambda: fnp.exp(x))
    assert used == 256 and type(r) is fnp.ndarray


def test_inferred_zeros_write_bills_dense() -> None:
    x = fnp.zeros((4, 4))
    assert cost(lambda: fnp.exp(x))[0] == 16 * 10  # inferred S2 on (0, 1), tag intact
    with pytest.warns(SymmetryLossWarning, match="item assignment"):
        x[0, 1] = 1
    assert cost(lambda: fnp.exp(x))[0] == 256


def test_whole_array_writes_that_keep_the_group() -> None:
    x = sym2(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x[...] = 3.0
        x[:] = sym2(4)
        x[:, :] = as_symmetric_view(np.ones((4, 4)), S2)
    assert x.symmetry == S2
    with pytest.warns(SymmetryLossWarning):
        x[:] = np.arange(16.0).reshape(4, 4)
    assert x.symmetry is None


def test_in_place_operators() -> None:
    x = sym2(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        used, _, _ = cost(lambda: x.__imul__(2.0))
        x += sym2(4)
    assert used == 10 and x.symmetry == S2
    with pytest.warns(SymmetryLossWarning, match="add"):
        x += np.arange(16.0).reshape(4, 4)
    assert type(x) is SymmetricTensor and x.symmetry is None


def test_out_arguments() -> None:
    x = sym2(4)
    fnp.exp(sym2(4), out=x)
    assert x.symmetry == S2
    with pytest.warns(SymmetryLossWarning):
        fnp.exp(np.arange(16.0).reshape(4, 4), out=x)
    assert x.symmetry is None
    y = as_symmetric_view(np.zeros((4, 4)), S2)
    with pytest.warns(SymmetryLossWarning):
        fnp.sum(np.ones((3, 4, 4)) * np.arange(4.0), axis=0, out=y)
    assert y.symmetry is None


def test_in_place_sort_put_copyto_ufunc_at() -> None:
    for write in (
        lambda s: s.sort(axis=0),
        lambda s: s.partition(1, axis=0),
        lambda s: fnp.put(s, [1], [5.0]),
        lambda s: fnp.putmask(s, np.eye(4, k=1) > 0, 0.0),
        lambda s: fnp.copyto(s, np.arange(16.0).reshape(4, 4)),
        lambda s: np.add.at(s, [0], 1.0),
    ):
        s = sym2(4)
        with pytest.warns(SymmetryLossWarning):
            write(s)
        assert s.symmetry is None
    s = sym2(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fnp.fill_diagonal(s, 0.0)
        fnp.copyto(s, 2.0)
        fnp.copyto(s, sym2(4))
    assert s.symmetry == S2


# -- warnings, refusals ---------------------------------------------------------------------------


def test_configure_silences_symmetry_warnings() -> None:
    flops.configure(symmetry_warnings=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fnp.add(sym2(5), np.ones((5, 5)))
            s = sym2(5)
            s[0, 1] = 9.0
            assert s.symmetry is None
    finally:
        flops.configure(symmetry_warnings=True)


def test_a_refused_call_leaves_no_trace() -> None:
    s = sym2(100)
    out = sym2(100)
    before = out.copy()
    with flops.BudgetContext(100, quiet=True) as budget:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(BudgetExhaustedError):
                fnp.add(s, np.ones((100, 100)), out=out)
            with pytest.raises(BudgetExhaustedError):
                fnp.sum(s, axis=0)
    assert budget.flops_used == 0 and budget.summary_dict()["operations"] == {}
    assert out.symmetry == S2 and np.array_equal(out, before)


def test_ledger_reprices_symmetric_calls() -> None:
    with flops.BudgetContext(10**9, quiet=True) as budget:
        fnp.exp(sym2(100))
        fnp.sum(sym3(4))
    assert budget.flops_used == 80_800 + 19
    assert budget.summary_dict(cost_model="exact")["flops_used"] == 5_050 + 19


# -- the namespace ----------------------------------------------------------------------------------


def test_namespace_checks_read_the_live_registry() -> None:
    from flopscope._symmetry import xpcall

    assert xpcall.ENTRIES is registry._ENTRIES  # the builders' one-test guard sees every tag


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict", "torch"])
def test_namespace_arrays_bill_and_propagate_like_fnp(backend: str) -> None:
    pytest.importorskip(backend)
    xp = flops.namespace(backend)
    a = np.linspace(0.0, 1.0, 25).reshape(5, 5)
    s = flops.as_symmetric(xp.asarray(a + a.T), symmetry=(0, 1))
    t = flops.as_symmetric(xp.asarray(np.asarray(sym3(4))), symmetry=(0, 1, 2))
    assert cost(lambda: xp.exp(s))[0] == 240
    assert cost(lambda: s * 2.0)[0] == 15
    assert cost(lambda: -s)[0] == 15
    assert cost(lambda: xp.sum(s))[0] == 14
    assert cost(lambda: xp.sum(t, axis=2))[0] == 30
    assert cost(lambda: xp.mean(t, axis=0))[0] == 40
    used, r, lost = cost(lambda: xp.add(s, xp.ones((5, 5))))
    assert used == 25 and registry.group_of(r) is None and len(lost) == 1
    assert registry.group_of(xp.exp(s)) == S2
    assert registry.group_of(xp.sum(t, axis=0)) == S2
    assert registry.group_of(xp.cumulative_sum(t, axis=0)) == S12
    assert registry.group_of(t[0, ...]) == S2
    assert registry.group_of(s.T) == S2
    assert registry.group_of(xp.permute_dims(t, (1, 2, 0))) == S3
    assert cost(lambda: xp.exp(t[0, ...]))[0] == 160
    with pytest.warns(SymmetryLossWarning):
        s[0, 1] = 5.0
    assert registry.group_of(s) is None
    assert cost(lambda: xp.exp(s))[0] == 400
    u = flops.as_symmetric(xp.asarray(a + a.T), symmetry=(0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        u *= 3.0
    assert registry.group_of(u) == S2
    with pytest.warns(SymmetryLossWarning):
        u += xp.asarray(a)
    assert registry.group_of(u) is None


# -- linear algebra ---------------------------------------------------------------------------------


def test_inverse_keeps_the_group_at_the_dense_cost() -> None:
    # DIFFERENCES 6: a symmetric inv costs what a dense one does (0.4.0 billed 664)
    s = as_symmetric_view(np.eye(5) * 5 + np.ones((5, 5)), S2)
    used, r, _ = cost(lambda: fnp.linalg.inv(s))
    assert used == 500 and r.symmetry == S2
    assert np.allclose(r, np.asarray(r).T)
    used, r, _ = cost(lambda: fnp.linalg.matrix_power(s, 3))
    assert r.symmetry == S2
    used, _, _ = cost(lambda: fnp.linalg.det(s))
    assert used == 500
    used, _, _ = cost(lambda: fnp.linalg.solve(s, np.linspace(0.1, 0.9, 5)))
    assert used == 500
    # a stack symmetric across the batch and the matrix axes keeps only what commutes
    i, j, k = np.indices((4, 4, 4))
    t = as_symmetric_view(1.0 + 5.0 * ((i == j) + (j == k) + (i == k)), S3)
    assert flops.is_symmetric(t, symmetry=(0, 1, 2))
    r = fnp.linalg.inv(t)
    assert r.symmetry == S12
    assert np.allclose(r, np.swapaxes(np.asarray(r), 1, 2))


def test_where_masks_bill_dense_and_drop_the_tag() -> None:
    s = sym2(4)
    mask = np.triu(np.ones((4, 4), dtype=bool))
    used, r, lost = cost(lambda: fnp.exp(s, where=mask, out=np.zeros((4, 4))))
    assert used == 16 * 16 and not isinstance(r, SymmetricTensor)
    used, r, lost = cost(lambda: fnp.exp(s, where=True))
    assert used == 16 * 10 and r.symmetry == S2
    used, r, _ = cost(lambda: fnp.sum(s, where=mask))
    assert used == 15
    used, r, _ = cost(lambda: fnp.sum(sym3(4), axis=0, where=np.ones((4, 4, 4), dtype=bool)))
    assert used == 48 and type(r) is fnp.ndarray


def test_copies_keep_the_tag() -> None:
    import copy

    s = sym2(3)
    assert copy.copy(s).symmetry == S2
    assert copy.deepcopy(s).symmetry == S2


def test_tagged_backend_arrays_bill_like_their_wrappers() -> None:
    torch = pytest.importorskip("torch")
    xp = flops.namespace("torch")
    a = torch.arange(25.0, dtype=torch.float64).reshape(5, 5)
    t = flops.as_symmetric(a + a.T, symmetry=(0, 1))
    used, r, _ = cost(lambda: xp.exp(t))
    assert used == 240 and registry.group_of(r) == S2
    assert cost(lambda: xp.sum(t))[0] == 14


def test_a_tag_that_no_longer_fits_the_shape_is_dropped() -> None:
    s = sym2(4)
    s.shape = (16,)  # in place: the group's axes (0, 1) no longer exist
    used, r, _ = cost(lambda: fnp.exp(s))
    assert used == 16 * 16 and type(r) is fnp.ndarray and s.symmetry is None
    t = as_symmetric_view(np.ones((4, 4)), S2)
    t.shape = (2, 8)  # two axes, unequal lengths
    assert cost(lambda: fnp.sum(t))[0] == 15 and t.symmetry is None
    u = sym2(3).copy()
    with pytest.warns(SymmetryLossWarning, match="resize"):
        u.resize((9,), refcheck=False)
    assert u.symmetry is None


JOINING = ("concatenate", "concat", "stack", "vstack", "hstack", "dstack", "column_stack", "block")


@pytest.mark.parametrize("name", JOINING)
def test_joining_symmetric_arrays_warns_and_returns_plain(name: str) -> None:
    join = getattr(fnp, name)
    S, X = fnp.zeros((3, 3)), fnp.asarray(np.arange(9.0).reshape(3, 3))
    assert flops.is_symmetric(S, symmetry=(0, 1)) and type(S).__name__ == "SymmetricTensor"
    with flops.BudgetContext(flop_budget=10**6, quiet=True):
        with pytest.warns(flops.SymmetryLossWarning, match=name):
            r = join([S, X])
        assert type(r) is fnp.ndarray
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            join([X, X])  # plain inputs: nothing to lose, no warning


def test_refused_join_does_not_warn() -> None:
    S = fnp.zeros((300, 300))
    with flops.BudgetContext(flop_budget=10, quiet=True) as budget:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(flops.BudgetExhaustedError):
                fnp.concatenate([S, S])
    assert budget.flops_used == 0
