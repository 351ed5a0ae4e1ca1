"""The ``flopscope.numpy`` module: its names, blocked names and the testing/typing submodules."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.ops.blocked import BLOCKED

# spec 1.9 (numpy-level registry lists of the families this surface declares)
UNARY = (
    "abs absolute negative positive exp exp2 expm1 log log2 log10 log1p sqrt cbrt square "
    "reciprocal sin cos tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh arctanh asin "
    "acos atan asinh acosh atanh degrees radians deg2rad rad2deg sign signbit fabs ceil floor "
    "rint trunc fix round around spacing logical_not bitwise_not bitwise_invert bitwise_count "
    "invert conj conjugate angle real imag sinc i0 nan_to_num modf frexp isclose isneginf "
    "isposinf isreal iscomplex iscomplexobj isrealobj real_if_close"
).split()
BINARY = (
    "add subtract multiply divide true_divide floor_divide power pow float_power mod remainder "
    "fmod maximum minimum fmax fmin logaddexp logaddexp2 arctan2 atan2 hypot copysign nextafter "
    "ldexp heaviside greater greater_equal less less_equal equal not_equal logical_and "
    "logical_or logical_xor bitwise_and bitwise_or bitwise_xor bitwise_left_shift "
    "bitwise_right_shift left_shift right_shift gcd lcm divmod"
).split()
REDUCTIONS = (
    "sum prod max min amax amin mean std var argmax argmin cumsum cumprod any all "
    "count_nonzero nansum nanprod nanmax nanmin nanmean nanstd nanvar nanargmax nanargmin "
    "nancumsum nancumprod median nanmedian percentile nanpercentile quantile nanquantile ptp "
    "average cumulative_sum cumulative_prod"
).split()
CREATION = (
    "array full full_like arange linspace logspace geomspace concatenate concat stack vstack "
    "dstack block tile repeat pad isnan isinf isfinite allclose array_equal array_equiv isnat"
).split()
EXTRAS = (
    "pi e inf nan newaxis float16 float32 float64 int8 int16 int32 int64 uint8 uint16 uint32 "
    "uint64 bool_ complex64 complex128 floating integer number dtype ndarray finfo iinfo "
    "errstate broadcast ndindex ndenumerate nditer set_printoptions get_printoptions "
    "printoptions geterr seterr"
).split()


@pytest.mark.parametrize("name", UNARY + BINARY + REDUCTIONS + CREATION + EXTRAS)
def test_release_names_are_exported(name) -> None:
    assert name in fnp.__all__
    assert hasattr(fnp, name)


def test_aliases_are_the_same_function() -> None:
    pairs = [("abs", "absolute"), ("asin", "arcsin"), ("pow", "power"), ("mod", "remainder")]
    pairs += [
        ("amax", "max"),
        ("around", "round"),
        ("conj", "conjugate"),
        ("true_divide", "divide"),
    ]
    pairs += [("bitwise_not", "invert"), ("bitwise_left_shift", "left_shift")]
    for alias, name in pairs:
        assert getattr(fnp, alias) is getattr(fnp, name)


def test_no_fallback_to_numpy() -> None:
    with pytest.raises(AttributeError, match="flopscope.numpy does not provide 'not_a_function'"):
        fnp.not_a_function  # noqa: B018
    assert "ma" not in dir(fnp) and not hasattr(fnp, "char")


def test_exactly_27_blocked_names() -> None:
    assert len(BLOCKED) == 27


@pytest.mark.parametrize("name", sorted(BLOCKED))
def test_blocked_names_raise_with_advice(name) -> None:
    assert hasattr(np, name) or name in ("show_runtime",)
    with pytest.raises(AttributeError) as info:
        getattr(fnp, name)
    message = str(info.value)
    assert repr(name) in message and "blocked" in message
    assert BLOCKED[name] in message  # what to use instead
    assert name not in fnp.__all__ and name not in dir(fnp)


def test_geterr_seterr_are_numpys_and_free() -> None:
    with flops.BudgetContext(10**6, quiet=True) as b:
        old = fnp.seterr(over="ignore")
        assert fnp.geterr()["over"] == "ignore"
        fnp.seterr(**old)
    assert fnp.geterr() == old and b.flops_used == 0 and b.op_log == []


def test_submodules() -> None:
    for name in ("linalg", "random", "fft", "testing", "typing"):
        assert name in dir(fnp)
        assert getattr(fnp, name).__name__ == f"flopscope.numpy.{name}"


def test_testing_assertions_are_free() -> None:
    a = fnp.asarray(np.linspace(0.0, 1.0, 6))
    with flops.BudgetContext(10**6, quiet=True) as b:
        fnp.testing.assert_allclose(a, a + 0)
        fnp.testing.assert_array_equal(a, [a[i] for i in range(6)])
        with pytest.raises(AssertionError):
            fnp.testing.assert_allclose(a, np.zeros(6))
    assert b.flops_used == 6  # only the a + 0 above
    assert [r.op_name for r in b.op_log] == ["add"]
    assert sorted(fnp.testing.__all__) == ["assert_allclose", "assert_array_equal"]


def test_typing_reexports_numpy_typing() -> None:
    for name in npt.__all__:
        assert getattr(fnp.typing, name) is getattr(npt, name)
    assert {"ArrayLike", "DTypeLike", "NBitBase", "NDArray"} <= set(fnp.typing.__all__)
