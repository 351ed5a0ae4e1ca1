"""``fnp.ndarray`` (= ``flops.FlopscopeArray``): operators and methods bill like functions."""

from __future__ import annotations

import operator
import warnings

import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.numpy import FlopscopeArray as FA
from flopscope.numpy._ndarray import PENDING_METHODS


def ledger(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with flops.BudgetContext(10**15, quiet=True) as b:
            r = fn(*args, **kwargs)
    return b.flops_used, r, [rec.op_name for rec in b.op_log]


def arrays():
    a = fnp.asarray(np.linspace(0.1, 0.9, 12).reshape(3, 4))
    b = fnp.asarray(np.linspace(0.8, 0.2, 12).reshape(3, 4))
    i = fnp.asarray(np.arange(1, 13, dtype=np.int64).reshape(3, 4))
    return a, b, i


def test_is_the_public_array_type() -> None:
    assert fnp.ndarray is FA is flops.FlopscopeArray
    assert issubclass(FA, np.ndarray)
    assert repr(fnp.asarray([1.0, 2.0])) == "FlopscopeArray([1., 2.])"


# operator, fnp function, operands ("f": float arrays, "i": int arrays), cost (3x4 operands)
BINARY = [
    (operator.add, "add", "f", 12),
    (operator.sub, "subtract", "f", 12),
    (operator.mul, "multiply", "f", 12),
    (operator.truediv, "divide", "f", 12),
    (operator.floordiv, "floor_divide", "f", 192),
    (operator.mod, "remainder", "f", 192),
    (operator.pow, "power", "f", 192),
    (operator.lt, "less", "f", 12),
    (operator.le, "less_equal", "f", 12),
    (operator.gt, "greater", "f", 12),
    (operator.ge, "greater_equal", "f", 12),
    (operator.eq, "equal", "f", 12),
    (operator.ne, "not_equal", "f", 12),
    (operator.and_, "bitwise_and", "i", 12),
    (operator.or_, "bitwise_or", "i", 12),
    (operator.xor, "bitwise_xor", "i", 12),
    (operator.lshift, "left_shift", "i", 12),
    (operator.rshift, "right_shift", "i", 12),
]
MIRROR = {
    "less": "greater",
    "greater": "less",
    "less_equal": "greater_equal",
    "greater_equal": "less_equal",
}
INPLACE = {
    "add": operator.iadd,
    "subtract": operator.isub,
    "multiply": operator.imul,
    "divide": operator.itruediv,
    "floor_divide": operator.ifloordiv,
    "remainder": operator.imod,
    "power": operator.ipow,
    "bitwise_and": operator.iand,
    "bitwise_or": operator.ior,
    "bitwise_xor": operator.ixor,
    "left_shift": operator.ilshift,
    "right_shift": operator.irshift,
}


@pytest.mark.parametrize(("op", "name", "kind", "cost"), BINARY, ids=[b[1] for b in BINARY])
def test_binary_operator_bills_as_function(op, name, kind, cost) -> None:
    a, b, i = arrays()
    x, y = (a, b) if kind == "f" else (i, i % 3 + 1)
    fn = getattr(fnp, name)
    c_op, r_op, log_op = ledger(op, x, y)
    c_fn, r_fn, _ = ledger(fn, x, y)
    c_np, r_np, _ = ledger(getattr(np, name), x, y)
    assert c_op == c_fn == c_np == cost
    assert log_op == [name]
    assert isinstance(r_op, FA)
    np.testing.assert_array_equal(r_op, r_fn)
    np.testing.assert_array_equal(r_op, r_np)
    # reflected: plain numpy / Python operand on the left (Python mirrors comparisons)
    mirrored = MIRROR.get(name, name)
    scalar = 2 if kind == "i" else 2.0
    c_ref, r_ref, log_ref = ledger(op, scalar, x)
    assert c_ref == cost and log_ref == [mirrored]
    np.testing.assert_array_equal(r_ref, getattr(np, name)(scalar, x.view(np.ndarray)))
    plain = y.view(np.ndarray)
    c_ref, r_ref, log_ref = ledger(op, plain, x)
    assert c_ref == cost and log_ref == [mirrored] and isinstance(r_ref, FA)
    np.testing.assert_array_equal(r_ref, op(plain, x.view(np.ndarray)))


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_operator_bills_as_function_and_writes_in_place(name) -> None:
    a, b, i = arrays()
    x, y = (
        (a.copy(), b)
        if name not in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift")
        else (i.copy(), i % 3 + 1)
    )
    expected = getattr(np, name)(x.view(np.ndarray), y.view(np.ndarray))
    target = x
    cost, r, log = ledger(INPLACE[name], x, y)
    assert r is target and log == [name]
    assert cost == (192 if name in ("floor_divide", "remainder", "power") else 12)
    np.testing.assert_array_equal(target, expected)


def test_four_spellings_bill_the_same() -> None:
    a, b, _ = arrays()
    costs = [
        ledger(lambda: a + b)[0],
        ledger(fnp.add, a, b)[0],
        ledger(np.add, a, b)[0],
    ]
    c = a.copy()
    costs.append(ledger(operator.iadd, c, b)[0])
    assert costs == [12, 12, 12, 12]
    np.testing.assert_array_equal(c, a + b)


@pytest.mark.parametrize(
    ("fn", "name", "cost"),
    [
        (operator.neg, "negative", 12),
        (operator.pos, "positive", 12),
        (abs, "absolute", 12),
        (operator.invert, "invert", 12),
    ],
)
def test_unary_operators(fn, name, cost) -> None:
    a, _, i = arrays()
    x = i if name == "invert" else a
    c, r, log = ledger(fn, x)
    assert c == cost and log == [name] and isinstance(r, FA)
    np.testing.assert_array_equal(r, getattr(np, name)(x.view(np.ndarray)))


def test_divmod_and_matmul_operators() -> None:
    a, b, _ = arrays()
    c, (q, m), log = ledger(divmod, a, 0.3)
    assert c == 12 and log == ["divmod"] and isinstance(q, FA) and isinstance(m, FA)
    c, r, log = ledger(operator.matmul, a, b.T)
    assert c == 63 and log == ["matmul"] and r.shape == (3, 3)


def test_release_log_example() -> None:
    # spec 7.2: a(2x2)+1, a@a, -a, a.sum(), a.T, a[0], a>2 -> add 4, matmul 12, negative 4,
    # sum 3, greater 4
    a = fnp.asarray([[1.0, 2.0], [3.0, 4.0]])
    with flops.BudgetContext(10**6, quiet=True) as bud:
        for expr in (
            lambda: a + 1,
            lambda: a @ a,
            lambda: -a,
            lambda: a.sum(),
            lambda: a.T,
            lambda: a[0],
            lambda: a > 2,
        ):
            expr()
    assert [(r.op_name, r.flop_cost) for r in bud.op_log] == [
        ("add", 4),
        ("matmul", 12),
        ("negative", 4),
        ("sum", 3),
        ("greater", 4),
    ]


# method call, fnp spelling, cost (3x4 float operand)
METHODS = [
    (lambda a: a.sum(), lambda a: fnp.sum(a), 11),
    (lambda a: a.sum(axis=0), lambda a: fnp.sum(a, axis=0), 8),
    (lambda a: a.mean(1), lambda a: fnp.mean(a, 1), 12),
    (lambda a: a.prod(), lambda a: fnp.prod(a), 11),
    (lambda a: a.min(axis=0), lambda a: fnp.min(a, axis=0), 8),
    (lambda a: a.max(), lambda a: fnp.max(a), 11),
    (lambda a: a.std(axis=0), lambda a: fnp.std(a, axis=0), 16),
    (lambda a: a.var(axis=1), lambda a: fnp.var(a, axis=1), 18),
    (lambda a: a.all(), lambda a: fnp.all(a), 11),
    (lambda a: a.any(axis=1), lambda a: fnp.any(a, axis=1), 9),
    (lambda a: a.cumsum(), lambda a: fnp.cumsum(a), 11),
    (lambda a: a.cumprod(axis=1), lambda a: fnp.cumprod(a, axis=1), 9),
    (lambda a: a.argmin(), lambda a: fnp.argmin(a), 11),
    (lambda a: a.argmax(axis=1), lambda a: fnp.argmax(a, axis=1), 9),
    (lambda a: a.ptp(), lambda a: fnp.ptp(a), 11),
    (lambda a: a.round(1), lambda a: fnp.round(a, 1), 12),
    (lambda a: a.conj(), lambda a: fnp.conj(a), 12),
    (lambda a: a.conjugate(), lambda a: fnp.conjugate(a), 12),
    (lambda a: a.repeat(2), lambda a: fnp.repeat(a, 2), 24),
    (lambda a: a.dot(a.T), lambda a: fnp.dot(a, a.T), 63),
]


@pytest.mark.parametrize(("method", "function", "cost"), METHODS)
def test_counted_methods_bill_as_functions(method, function, cost) -> None:
    a, _, _ = arrays()
    c_m, r_m, log_m = ledger(method, a)
    c_f, r_f, log_f = ledger(function, a)
    assert c_m == c_f == cost and log_m == log_f
    np.testing.assert_array_equal(r_m, r_f)
    assert isinstance(r_m, FA)


@pytest.mark.parametrize(
    "call",
    [
        lambda a: a.flatten(),
        lambda a: a.reshape(4, 3),
        lambda a: a.T,
        lambda a: a[0],
        lambda a: a[1:, ::2],
        lambda a: a.copy(),
        lambda a: a.astype(np.float32),
        lambda a: a.transpose(),
        lambda a: a.view(np.ndarray),
        lambda a: a.tolist(),
    ],
)
def test_free_methods(call) -> None:
    a, _, _ = arrays()
    cost, r, log = ledger(call, a)
    assert cost == 0 and log == []


def test_ravel_method_is_logged_free() -> None:
    a, _, _ = arrays()
    cost, r, log = ledger(a.ravel)
    assert cost == 0 and log == ["ravel"] and isinstance(r, FA) and r.shape == (12,)


@pytest.mark.parametrize("name", sorted(PENDING_METHODS))
def test_methods_without_rows_refuse_instead_of_running_uncounted(name) -> None:
    if "_pending" not in getattr(FA, name).__qualname__:
        pytest.skip(f"FlopscopeArray.{name} is counted by a row now")
    a, _, _ = arrays()
    with flops.BudgetContext(10**6, quiet=True) as b:
        with pytest.raises(NotImplementedError, match=f"FlopscopeArray.{name}"):
            getattr(a, name)()
    assert b.flops_used == 0 and b.op_log == []


def test_in_place_ops_keep_dtype_rules() -> None:
    i32 = fnp.asarray(np.arange(4, dtype=np.int32))
    assert (i32 + 1).dtype == np.int32  # NEP 50: the Python int is weak
    f32 = fnp.asarray(np.ones(3, np.float32))
    assert (f32 * 2.0).dtype == np.float32
    with pytest.raises(np._core._exceptions._UFuncOutputCastingError):
        i32 += 0.5


def test_refused_operator_leaves_operand_untouched() -> None:
    a, b, _ = arrays()
    before = a.copy()
    with flops.BudgetContext(5, quiet=True) as bud:
        with pytest.raises(flops.BudgetExhaustedError):
            a += b
        with pytest.raises(flops.BudgetExhaustedError):
            a.sum()
    np.testing.assert_array_equal(a, before)
    assert bud.flops_used == 0 and bud.op_log == []


def test_defers_to_objects_that_opt_out() -> None:
    class Other:
        __array_ufunc__ = None

        def __radd__(self, other):
            return "other"

    a, _, _ = arrays()
    assert a + Other() == "other"


def test_equality_with_incomparable_operand_is_numpys_and_free() -> None:
    a, _, _ = arrays()
    cost, r, log = ledger(lambda: a == "x")
    assert cost == 0 and log == [] and isinstance(r, FA)
    np.testing.assert_array_equal(r, a.view(np.ndarray) == "x")
    cost, r, log = ledger(lambda: a != "x")
    assert cost == 0 and r.all()
    cost, r, log = ledger(lambda: a == None)  # noqa: E711
    assert cost == 12 and log == ["equal"] and not r.any()
