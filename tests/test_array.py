"""The counted array of ``flops.namespace``: generated operators, attributes, conversions."""

from __future__ import annotations

import operator
from typing import Any

import array_api_compat
import array_api_strict
import numpy
import numpy as np
import pytest

import flopscope as flops
from flopscope._array import Array, dunder_rows
from flopscope.ops import Op, all_ops

XP = flops.namespace(numpy)
XS = flops.namespace(array_api_strict)
BOTH = pytest.mark.parametrize("xp", [XP, XS], ids=["numpy", "array_api_strict"])
DUNDERS = dunder_rows(all_ops())


def _ctx(budget: float = 10**12) -> flops.BudgetContext:
    return flops.BudgetContext(budget, quiet=True)


def _values(x: Any) -> np.ndarray:
    return np.from_dlpack(x)


def _operands(xp: Any, op: Op) -> tuple[Any, Any]:
    """Two operands of a dtype the row's standard function accepts (shapes (3,4) and (4,))."""
    fn = getattr(xp, op.array_api)
    for dtype in (xp.float64, xp.int64, xp.bool):
        a = xp.asarray(np.arange(1, 13).reshape(3, 4) % 3 + 1, dtype=dtype)
        b = xp.asarray(np.arange(1, 5) % 2 + 1, dtype=dtype)
        if op.array_api == "matmul":  # square, so that reflected and in-place forms work
            a = xp.asarray(np.arange(1, 17).reshape(4, 4) % 3 + 1, dtype=dtype)
            b = xp.asarray(np.arange(1, 17).reshape(4, 4) % 2, dtype=dtype)
        try:
            fn(a, b) if op.impl is None or _binary(op) else fn(a)
        except TypeError:
            continue
        return a, b
    raise AssertionError(f"no dtype for {op.name}")


def _role(op: Op, dunder: str) -> str:
    """forward / reflected / inplace, by position in the row's ``dunders`` (as generated)."""
    return ("forward", "reflected", "inplace")[op.dunders.index(dunder)]


def _binary(op: Op) -> bool:
    if op.kind == "ufunc":
        return op.impl.nin == 2
    return op.family != "pointwise-unary"


def test_dunders_are_generated_from_the_rows() -> None:
    assert DUNDERS["__add__"].name == "add" and DUNDERS["__radd__"].name == "add"
    assert DUNDERS["__matmul__"].name == "matmul"
    assert DUNDERS["__invert__"].name == "invert"
    assert "__divmod__" not in DUNDERS  # numpy-only row: no standard function behind it
    for name, op in DUNDERS.items():
        assert getattr(Array, name).__name__ == name
        assert op.array_api is not None
    # every arithmetic, bitwise and comparison operator of the standard is covered
    binary = "add sub mul truediv floordiv pow mod matmul and or xor lshift rshift".split()
    standard = {f"__{p}{n}__" for n in binary for p in ("", "r", "i")}
    standard |= {f"__{n}__" for n in "lt le gt ge eq ne abs neg pos invert".split()}
    assert standard <= set(DUNDERS)


@BOTH
@pytest.mark.parametrize("dunder", sorted(DUNDERS))
def test_every_operator_bills_as_its_row(xp: Any, dunder: str) -> None:
    op = DUNDERS[dunder]
    a, b = _operands(xp, op)
    role = _role(op, dunder)
    fn = getattr(xp, op.array_api)
    target = xp.asarray(a, copy=True)
    with _ctx() as ctx:
        if not _binary(op):
            expected = fn(a)
            got = getattr(a, dunder)()
        elif role == "reflected":
            expected = fn(b, a)
            got = getattr(a, dunder)(b)
        elif role == "inplace":
            expected = fn(a, b)
            got = getattr(target, dunder)(b)
            assert got is target  # in place: same object, new values
        else:
            expected = fn(a, b)
            got = getattr(a, dunder)(b)
    first, second = ctx.op_log
    assert first.op_name == second.op_name == op.name
    assert (second.flop_cost, second.shapes) == (first.flop_cost, first.shapes)
    assert isinstance(got, Array) and got.__array_namespace__() is xp
    np.testing.assert_array_equal(_values(got), _values(expected))
    assert got.dtype == expected.dtype


@BOTH
def test_python_operators(xp: Any) -> None:
    x = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
    with _ctx() as ctx:
        y = (x @ x + 1.0) * 2.0 - x / x
        z = -(abs(y) ** 2)
        c = (z < 0.0) & (z != z)
    assert [r.op_name for r in ctx.op_log] == [
        "matmul", "add", "multiply", "divide", "subtract", "absolute", "power", "negative",
        "less", "not_equal", "bitwise_and",
    ]  # fmt: skip
    assert ctx.flops_used == 12 + 4 + 4 + 4 + 4 + 4 + 4 * 16 + 4 + 4 + 4 + 4
    assert c.dtype == xp.bool and not bool(xp.any(c))


@BOTH
def test_python_scalars_on_either_side_follow_the_standard(xp: Any) -> None:
    x = xp.asarray([1.0, 2.0, 4.0], dtype=xp.float32)
    i = xp.asarray([1, 2, 3], dtype=xp.int8)
    with _ctx() as ctx:
        assert (x + 1.5).dtype == xp.float32  # the scalar takes the array's dtype
        assert (1.5 + x).dtype == xp.float32
        np.testing.assert_array_equal(_values(1 - i), [0, -1, -2])
        assert (1 - i).dtype == xp.int8
        np.testing.assert_array_equal(_values(2.0**x), [2.0, 4.0, 16.0])
        np.testing.assert_array_equal(_values(8.0 / x), [8.0, 4.0, 2.0])
        assert (3 > i).dtype == xp.bool
    names = [r.op_name for r in ctx.op_log]
    # 3 > i is Python's reflected i < 3
    assert names == ["add", "add", "subtract", "subtract", "power", "divide", "less"]
    # a scalar is a 0-d operand: the cost is the array's size
    assert {r.shapes for r in ctx.op_log if r.op_name == "add"} == {((3,), ()), ((), (3,))}
    assert ctx.op_log[0].flop_cost == 3


def test_strict_promotion_rules_are_kept_and_refunded() -> None:
    i = XS.asarray([1, 2, 3])
    with _ctx() as ctx:
        with pytest.raises(TypeError):
            i + 1.5  # strict: no float scalar with an integer array
        with pytest.raises(TypeError):
            i += 1.5
        assert (ctx.flops_used, ctx.op_log) == (0, [])
    np.testing.assert_array_equal(_values(i), [1, 2, 3])


@BOTH
def test_in_place_operators_update_the_same_array(xp: Any) -> None:
    x = xp.asarray([1.0, 2.0, 3.0])
    two = xp.asarray([2.0, 2.0, 2.0])
    y = x
    with _ctx() as ctx:
        x += 1.0
        x *= two
    assert x is y
    np.testing.assert_array_equal(_values(x), [4.0, 6.0, 8.0])
    assert [(r.op_name, r.flop_cost) for r in ctx.op_log] == [("add", 3), ("multiply", 3)]


def test_raw_backend_arrays_and_numpy_reflection() -> None:
    a = np.ones((3, 3))
    x = XP.asarray(a)
    with _ctx() as ctx:
        r = a @ x  # numpy defers to the counted array (__array_ufunc__ = None)
        s = np.ones(3) + x
    assert isinstance(r, Array) and isinstance(s, Array)
    assert [(rec.op_name, rec.flop_cost) for rec in ctx.op_log] == [("matmul", 45), ("add", 9)]
    with pytest.raises(TypeError):
        np.exp(x)  # no uncounted route through numpy
    with pytest.raises(TypeError):
        x + "text"
    assert (x == None) is False  # noqa: E711 - foreign operand: Python's identity fallback


@BOTH
def test_matmul_shape_errors_are_the_backends(xp: Any) -> None:
    with _ctx() as ctx:
        with pytest.raises(ValueError):
            xp.ones((2, 3)) @ xp.ones((2, 3))
        with pytest.raises((TypeError, ValueError)):
            xp.ones((2, 3)) @ 2.0
    assert ctx.flops_used == 0


@BOTH
def test_attributes_are_free(xp: Any) -> None:
    x = xp.reshape(xp.arange(0, 24, dtype=xp.float64), (2, 3, 4))
    with _ctx() as ctx:
        assert x.shape == (2, 3, 4) and x.ndim == 3 and x.size == 24
        assert x.dtype == xp.float64
        assert x.device == xp._adapter.device(x.backend_array)
        assert x.mT.shape == (2, 4, 3)
        assert x[0, ...].T.shape == (4, 3)
        assert x[1, 2, 3].shape == ()
        assert float(x[1, 2, 3]) == 23.0
    assert (ctx.flops_used, ctx.op_log) == (0, [])


@BOTH
def test_indexing_and_assignment_are_free(xp: Any) -> None:
    v = xp.asarray([1.0, 2.0, 3.0, 4.0])
    with _ctx() as ctx:
        mask = v > 2.0
        before = ctx.flops_used
        assert isinstance(v[mask], Array)
        np.testing.assert_array_equal(_values(v[mask]), [3.0, 4.0])
        v[mask] = xp.asarray(0.0)
        v[0] = 9.0
        v[1:2] = xp.asarray([7.0])
    assert ctx.flops_used == before == 4
    np.testing.assert_array_equal(_values(v), [9.0, 7.0, 0.0, 0.0])


@BOTH
def test_conversions(xp: Any) -> None:
    assert bool(xp.asarray(True)) is True
    assert int(xp.asarray(3)) == 3
    assert float(xp.asarray(2.5)) == 2.5
    assert complex(xp.asarray(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][xp.asarray(1)] == 20  # __index__
    assert operator.index(xp.asarray(2)) == 2


def test_len_and_iteration_where_the_backend_allows() -> None:
    x = XP.asarray([[1.0, 2.0], [3.0, 4.0]])
    assert len(x) == 2
    rows = list(x)
    assert all(isinstance(r, Array) for r in rows)
    np.testing.assert_array_equal(_values(rows[1]), [3.0, 4.0])
    s = XS.asarray([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(TypeError):
        len(s)
    with pytest.raises(TypeError):
        list(s)


@BOTH
def test_protocol_and_devices(xp: Any) -> None:
    x = xp.asarray([1.0, 2.0])
    assert x.__array_namespace__() is xp
    assert array_api_compat.array_namespace(x) is xp
    np.testing.assert_array_equal(np.from_dlpack(x), [1.0, 2.0])
    assert x.__dlpack_device__() == x.backend_array.__dlpack_device__()
    y = x.to_device(x.device)
    assert isinstance(y, Array) and y.device == x.device
    with pytest.raises(TypeError):
        hash(x)
    assert "flopscope.Array" in repr(x) and xp._adapter.name in repr(x)


def test_constructor_unwraps_fnp_arrays() -> None:
    import flopscope.numpy as fnp

    x = Array(fnp.ones(3), XP)
    assert type(x.backend_array) is np.ndarray
