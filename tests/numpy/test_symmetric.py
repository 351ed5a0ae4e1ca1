"""``SymmetricTensor`` (the ``fnp`` face of the symmetry registry) and
``fnp.random.symmetric``: type, repr, ``.symmetry``, ``.is_symmetric()``, pickling and copies;
the sampler's cost (numel + numel·|G|), values, and refusals that leave no trace."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope._symmetry import registry
from flopscope.numpy._symmetric import SymmetricTensor, as_symmetric_view, symmetry_of

G = flops.SymmetryGroup
S2 = G.symmetric(axes=(0, 1))
S3 = G.symmetric(axes=(0, 1, 2))


# ------------------------------------------------------------------------ the class
def test_names_and_type() -> None:
    assert flops.SymmetricTensor is SymmetricTensor
    assert issubclass(SymmetricTensor, fnp.ndarray) and issubclass(SymmetricTensor, np.ndarray)
    assert "SymmetricTensor" not in fnp.__all__  # top level only (spec §1.3/§1.4)


def test_repr_uses_the_class_name() -> None:
    s = flops.as_symmetric(np.array([[1.0, 2.0], [2.0, 1.0]]), symmetry=(0, 1))
    assert repr(s) == "SymmetricTensor([[1., 2.],\n                 [2., 1.]])"
    assert str(s) == str(np.array([[1.0, 2.0], [2.0, 1.0]]))


def test_symmetry_and_is_symmetric() -> None:
    s = flops.as_symmetric(np.ones((3, 3, 3)), symmetry=(0, 1, 2))
    assert s.symmetry == S3
    assert s.is_symmetric()
    assert s.is_symmetric(symmetry=(0, 1))
    assert s.is_symmetric(symmetry=G.cyclic(axes=(0, 1, 2)))
    untagged = np.arange(4.0).reshape(2, 2).view(SymmetricTensor)
    assert untagged.symmetry is None
    assert untagged.is_symmetric() is False  # nothing declared, nothing given
    assert untagged.is_symmetric(symmetry=(0, 1)) is False
    assert np.eye(2).view(SymmetricTensor).is_symmetric(symmetry=(0, 1)) is True


def test_is_symmetric_method_tolerances() -> None:
    a = np.array([[1.0, 2.0], [2.001, 1.0]]).view(SymmetricTensor)
    assert not a.is_symmetric(symmetry=(0, 1))
    assert a.is_symmetric(symmetry=(0, 1), atol=1e-2)
    assert a.is_symmetric(symmetry=(0, 1), atol=0.0, rtol=1e-3)


def test_symmetry_of_is_a_type_check_first() -> None:
    s = flops.as_symmetric(np.eye(2), symmetry=(0, 1))
    assert symmetry_of(s) == S2
    plain = np.eye(2)
    registry.tag(plain, S2)  # a plain ndarray is never looked up by the fnp surface
    assert symmetry_of(plain) is None
    assert symmetry_of(fnp.array([[1.0]])) is None


def test_pickle_round_trip_keeps_the_group() -> None:
    s = flops.as_symmetric(np.array([[1.0, 2.0], [2.0, 3.0]]), symmetry=(0, 1))
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(s, protocol=protocol))
        assert type(back) is SymmetricTensor
        assert back.symmetry == S2 and not registry.is_inferred(back)
        np.testing.assert_array_equal(np.asarray(back), np.asarray(s))
        assert back.dtype == s.dtype
    y = flops.as_symmetric(np.zeros((2, 2, 3, 3)), symmetry=((0, 1), (2, 3)))
    assert pickle.loads(pickle.dumps(y)).symmetry == G.young([(0, 1), (2, 3)])


def test_pickle_keeps_the_inferred_mark_and_untagged_stays_untagged() -> None:
    z = fnp.zeros((3, 3))
    back = pickle.loads(pickle.dumps(z))
    assert back.symmetry == S2 and registry.is_inferred(back)
    untagged = np.eye(2).view(SymmetricTensor)
    back = pickle.loads(pickle.dumps(untagged))
    assert type(back) is SymmetricTensor and back.symmetry is None


def test_pickle_of_a_non_contiguous_view() -> None:
    big = np.arange(16.0).reshape(4, 4)
    big = big + big.T
    s = flops.as_symmetric(big[::2, ::2], symmetry=(0, 1))
    back = pickle.loads(pickle.dumps(s))
    np.testing.assert_array_equal(np.asarray(back), big[::2, ::2])
    assert back.symmetry == S2


def test_copies_keep_the_group() -> None:
    s = flops.as_symmetric(np.eye(3), symmetry=(0, 1))
    for c in (copy.copy(s), copy.deepcopy(s)):
        assert type(c) is SymmetricTensor and c.symmetry == S2
        assert not np.shares_memory(c, s)
    z = fnp.ones((2, 2))
    assert registry.is_inferred(copy.deepcopy(z))
    assert copy.copy(np.eye(2).view(SymmetricTensor)).symmetry is None


def test_as_symmetric_view_tags_without_validation() -> None:
    # internal constructor for callers that know the group by construction
    v = as_symmetric_view(np.eye(2), S2, inferred=True)
    assert type(v) is SymmetricTensor and v.symmetry == S2 and registry.is_inferred(v)


# ----------------------------------------------------------------- fnp.random.symmetric
@pytest.mark.parametrize(
    ("call", "flops_"),
    [
        # the reference cases of 0.4.0 and the spec's example: numel + numel·|G|
        ("fnp.random.symmetric((3, 3, 3), S3, distribution='rand')", 27 + 27 * 6),
        ("fnp.random.symmetric((5, 5, 2), S2)", 50 + 50 * 2),
        ("fnp.random.symmetric((6, 6), S2, distribution='normal', loc=1.0)", 36 + 36 * 2),
        ("fnp.random.symmetric((4, 4), S2)", 48),
        ("fnp.random.symmetric((4, 4), (0, 1))", 48),
        ("fnp.random.symmetric((3, 3, 2, 2), ((0, 1), (2, 3)))", 36 + 36 * 4),
        ("fnp.random.symmetric((4, 4, 4), G.cyclic(axes=(0, 1, 2)), 'uniform')", 64 + 64 * 3),
    ],
)
def test_random_symmetric_cost(call: str, flops_: int) -> None:
    ns = {"fnp": fnp, "G": G, "S2": S2, "S3": S3}
    fnp.random.seed(0)
    with flops.BudgetContext(10**6, quiet=True) as b:
        r = eval(call, ns)
    assert b.flops_used == flops_
    assert [(rec.op_name, rec.flop_cost) for rec in b.op_log] == [("random.symmetric", flops_)]
    assert type(r) is SymmetricTensor and r.symmetry is not None
    assert r.is_symmetric()
    assert not registry.is_inferred(r)


def test_reference_figures() -> None:
    assert (27 + 27 * 6, 50 + 50 * 2, 36 + 36 * 2) == (189, 150, 108)


@pytest.mark.parametrize(
    ("draw", "kwargs", "raw"),
    [
        ("randn", {}, lambda: np.random.randn(4, 4, 4)),
        ("rand", {}, lambda: np.random.rand(4, 4, 4)),
        ("normal", {"loc": 1.0, "scale": 2.0}, lambda: np.random.normal(1.0, 2.0, (4, 4, 4))),
        ("uniform", {"low": -1.0}, lambda: np.random.uniform(-1.0, size=(4, 4, 4))),
        ("exponential", {}, lambda: np.random.exponential(size=(4, 4, 4))),
    ],
)
def test_random_symmetric_values_are_the_symmetrized_draws(draw, kwargs, raw) -> None:
    fnp.random.seed(3)
    got = fnp.random.symmetric((4, 4, 4), S3, distribution=draw, **kwargs)
    after = np.random.get_state()[2]
    np.random.seed(3)
    expected = flops.symmetrize(raw(), symmetry=S3)
    assert np.random.get_state()[2] == after  # the same number of draws
    np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
    assert got.symmetry == S3


def test_random_symmetric_default_is_standard_normal() -> None:
    fnp.random.seed(0)
    a = fnp.random.symmetric((3, 3), S2)
    fnp.random.seed(0)
    b = fnp.random.symmetric((3, 3), S2, distribution="standard_normal")
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def _state() -> tuple:
    s = np.random.get_state()
    return s[0], s[1].tobytes(), s[2], s[3], s[4]


def test_refused_call_leaves_no_trace() -> None:
    fnp.random.seed(0)
    before = _state()
    with flops.BudgetContext(47, quiet=True) as b:
        with pytest.raises(flops.BudgetExhaustedError):
            fnp.random.symmetric((4, 4), S2)  # 48 > 47
    assert b.flops_used == 0 and b.op_log == []
    assert _state() == before


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (((3, 4), S2), {}, flops.SymmetryError),  # unequal lengths in one orbit
        (((3, 3), (0, 2)), {}, ValueError),  # axis out of bounds
        (((3, 3), S2), {"distribution": "choice"}, ValueError),  # not a per-element sampler
        (((3, 3), S2), {"distribution": "no_such"}, ValueError),
        (((-3, -3), S2), {}, ValueError),  # numpy's error for negative dimensions
        (((3, 3), S2), {"distribution": "normal", "bogus": 1}, TypeError),
        (((3, 3), S2), {"distribution": "rand", "low": 1}, TypeError),
    ],
)
def test_bad_arguments_raise_and_leave_no_trace(args, kwargs, error) -> None:
    fnp.random.seed(0)
    before = _state()
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(error):
            fnp.random.symmetric(*args, **kwargs)
    assert b.flops_used == 0 and b.op_log == []
    assert _state() == before


def test_random_symmetric_under_other_models() -> None:
    # weight 1 and no multiply-adds: every model charges the same count
    for model in ("flopscope", "exact", "fma", "mac"):
        with flops.BudgetContext(10**6, quiet=True, cost_model=model) as b:
            fnp.random.symmetric((4, 4), S2)
        assert b.flops_used == 48, model
