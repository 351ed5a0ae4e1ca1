"""Pointwise ops: one FLOP (times the weight) per element of the broadcast output.

Canonical names are numpy's ufunc names, so ``np.<ufunc>`` on a ``FlopscopeArray`` finds its
row by ``ufunc.__name__``; NumPy-2 and Array-API spellings are aliases of the same row.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from flopscope.ops._row import Example, Op

_X = "np.linspace(0.1, 0.9, 12).reshape(3, 4)"
_Y = "np.linspace(0.2, 0.8, 12).reshape(3, 4)"
_I = "np.arange(1, 13).reshape(3, 4)"


def _unary(
    name: str,
    weight: float = 1.0,
    *,
    aliases: tuple[str, ...] = (),
    api: str | None = None,
    dunders: tuple[str, ...] = (),
    methods: tuple[str, ...] = (),
    impl: object = None,
    x: str = _X,
    summary: str = "",
) -> Op:
    fn = impl if impl is not None else getattr(np, name)
    kind = "ufunc" if isinstance(fn, np.ufunc) else "elementwise"
    return Op(
        name,
        family="pointwise-unary",
        kind=kind,
        formula="numel",
        weight=weight,
        aliases=aliases,
        impl=fn,
        dunders=dunders,
        methods=methods,
        array_api=api,
        symmetry="pointwise",
        examples=(
            Example(f"fnp.{name}({x})", int(12 * weight)),
            Example(f"fnp.{name}({x}[0, :1])", int(weight)),
        ),
        summary=summary,
    )


def _binary(
    name: str,
    weight: float = 1.0,
    *,
    aliases: tuple[str, ...] = (),
    api: str | None = None,
    dunders: tuple[str, ...] = (),
    x: str = _X,
    y: str = _Y,
    summary: str = "",
) -> Op:
    return Op(
        name,
        family="pointwise-binary",
        kind="ufunc",
        formula="numel",
        weight=weight,
        aliases=aliases,
        impl=getattr(np, name),
        dunders=dunders,
        array_api=api,
        symmetry="pointwise",
        examples=(
            Example(f"fnp.{name}({x}, {y})", int(12 * weight)),
            # (2,1) with (1,4) broadcasts to (2,4): one FLOP per output element
            Example(f"fnp.{name}({x}[:2, :1], {y}[:1])", int(8 * weight)),
        ),
        summary=summary,
    )


T = 16.0  # transcendental tier

_PY_SCALARS = (bool, int, float, complex)


def _round(a: Any, decimals: int = 0, out: Any = None) -> Any:
    """``np.round``; a Python scalar rounds to a Python scalar (0.4.0 behaviour)."""
    r = np.round(a, decimals, out)
    return r.item() if out is None and type(a) in _PY_SCALARS else r


UNARY = (
    _unary("absolute", aliases=("abs",), api="abs", dunders=("__abs__",), summary="|x|"),
    _unary("negative", api="negative", dunders=("__neg__",), summary="-x"),
    _unary("positive", api="positive", dunders=("__pos__",), summary="+x"),
    _unary("exp", T, api="exp"),
    _unary("exp2", T),
    _unary("expm1", T, api="expm1"),
    _unary("log", T, api="log"),
    _unary("log2", T, api="log2"),
    _unary("log10", T, api="log10"),
    _unary("log1p", T, api="log1p"),
    _unary("sqrt", api="sqrt"),
    _unary("cbrt", T),
    _unary("square", api="square"),
    _unary("reciprocal"),
    _unary("sin", T, api="sin"),
    _unary("cos", T, api="cos"),
    _unary("tan", T, api="tan"),
    _unary("arcsin", T, aliases=("asin",), api="asin"),
    _unary("arccos", T, aliases=("acos",), api="acos"),
    _unary("arctan", T, aliases=("atan",), api="atan"),
    _unary("sinh", T, api="sinh"),
    _unary("cosh", T, api="cosh"),
    _unary("tanh", T, api="tanh"),
    _unary("arcsinh", T, aliases=("asinh",), api="asinh"),
    _unary("arccosh", T, aliases=("acosh",), api="acosh", x=f"1 + {_X}"),
    _unary("arctanh", T, aliases=("atanh",), api="atanh"),
    _unary("degrees"),
    _unary("radians"),
    _unary("deg2rad"),
    _unary("rad2deg"),
    _unary("sign", api="sign"),
    _unary("signbit", api="signbit"),
    _unary("fabs"),
    _unary("ceil", api="ceil"),
    _unary("floor", api="floor"),
    _unary("rint"),
    _unary("trunc", api="trunc"),
    _unary("fix"),
    _unary("round", aliases=("around",), api="round", methods=("round",), impl=_round),
    _unary("spacing"),
    _unary("logical_not", api="logical_not"),
    _unary(
        "invert",
        aliases=("bitwise_not", "bitwise_invert"),
        api="bitwise_invert",
        dunders=("__invert__",),
        x=_I,
    ),
    _unary("bitwise_count", x=_I),
    _unary("conjugate", aliases=("conj",), api="conj", methods=("conj", "conjugate")),
    _unary("angle", T),
    _unary("real", api="real"),
    _unary("imag", api="imag"),
    _unary("sinc", T),
    _unary("i0", T),
    _unary("nan_to_num"),
    _unary("modf"),
    _unary("frexp"),
    _unary("isneginf"),
    _unary("isposinf"),
    _unary("isreal"),
    _unary("iscomplex"),
    _unary("iscomplexobj"),
    _unary("isrealobj"),
    _unary("real_if_close"),
    _unary("isnan", api="isnan"),
    _unary("isinf", api="isinf"),
    _unary("isfinite", api="isfinite"),
    _unary("isnat", x="np.array(['2020-01-01', 'NaT'] * 6, dtype='datetime64[D]').reshape(3, 4)"),
)

BINARY = (
    _binary("add", api="add", dunders=("__add__", "__radd__", "__iadd__")),
    _binary("subtract", api="subtract", dunders=("__sub__", "__rsub__", "__isub__")),
    _binary("multiply", api="multiply", dunders=("__mul__", "__rmul__", "__imul__")),
    _binary(
        "divide",
        aliases=("true_divide",),
        api="divide",
        dunders=("__truediv__", "__rtruediv__", "__itruediv__"),
    ),
    _binary(
        "floor_divide",
        T,
        api="floor_divide",
        dunders=("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
    ),
    _binary("power", T, aliases=("pow",), api="pow", dunders=("__pow__", "__rpow__", "__ipow__")),
    _binary("float_power", T),
    _binary(
        "remainder",
        T,
        aliases=("mod",),
        api="remainder",
        dunders=("__mod__", "__rmod__", "__imod__"),
    ),
    _binary("fmod", T),
    _binary("divmod", dunders=("__divmod__", "__rdivmod__")),
    _binary("maximum", api="maximum"),
    _binary("minimum", api="minimum"),
    _binary("fmax"),
    _binary("fmin"),
    _binary("logaddexp", T, api="logaddexp"),
    _binary("logaddexp2", T),
    _binary("arctan2", T, aliases=("atan2",), api="atan2"),
    _binary("hypot", T, api="hypot"),
    _binary("copysign", api="copysign"),
    _binary("nextafter", api="nextafter"),
    _binary("ldexp", y=_I),
    _binary("heaviside"),
    _binary("greater", api="greater", dunders=("__gt__",)),
    _binary("greater_equal", api="greater_equal", dunders=("__ge__",)),
    _binary("less", api="less", dunders=("__lt__",)),
    _binary("less_equal", api="less_equal", dunders=("__le__",)),
    _binary("equal", api="equal", dunders=("__eq__",)),
    _binary("not_equal", api="not_equal", dunders=("__ne__",)),
    _binary("logical_and", api="logical_and"),
    _binary("logical_or", api="logical_or"),
    _binary("logical_xor", api="logical_xor"),
    _binary(
        "bitwise_and", api="bitwise_and", dunders=("__and__", "__rand__", "__iand__"), x=_I, y=_I
    ),
    _binary("bitwise_or", api="bitwise_or", dunders=("__or__", "__ror__", "__ior__"), x=_I, y=_I),
    _binary(
        "bitwise_xor", api="bitwise_xor", dunders=("__xor__", "__rxor__", "__ixor__"), x=_I, y=_I
    ),
    _binary(
        "left_shift",
        aliases=("bitwise_left_shift",),
        api="bitwise_left_shift",
        dunders=("__lshift__", "__rlshift__", "__ilshift__"),
        x=_I,
        y=_I,
    ),
    _binary(
        "right_shift",
        aliases=("bitwise_right_shift",),
        api="bitwise_right_shift",
        dunders=("__rshift__", "__rrshift__", "__irshift__"),
        x=_I,
        y=_I,
    ),
    _binary("gcd", T, x=_I, y=_I),
    _binary("lcm", T, x=_I, y=_I),
)


def _pair(name: str, summary: str, **kw: object) -> Op:
    """Elementwise comparisons that are plain functions priced on the broadcast shape."""
    return Op(
        name,
        family="pointwise-binary",
        kind="elementwise",
        formula=str(kw.pop("formula", "numel")),
        impl=getattr(np, name),
        symmetry="none",
        examples=(Example(f"fnp.{name}({_X}, {_Y})", 12),),
        summary=summary,
        **kw,  # type: ignore[arg-type]
    )


PAIRS = (
    _pair("isclose", "elementwise closeness test"),
    _pair("allclose", "all-close test"),
    _pair("array_equal", "shape and elements equal", formula="numel_max"),
    _pair("array_equiv", "broadcast-equal"),
)


def _ufunc_method(method: str, formula: str, summary: str, example: str, flops: int) -> Op:
    """Generic rows for ``np.<ufunc>.<method>`` on FlopscopeArrays (logged as ``<ufunc>.<method>``)."""
    return Op(
        f"ufunc.{method}",
        family="ufunc-method",
        kind="custom",
        formula=formula,
        module="ufunc",
        examples=(Example(example, flops, setup=f"a = fnp.asarray({_X})"),),
        summary=summary,
    )


UFUNC_METHODS = (
    _ufunc_method(
        "reduce", "reduce", "ufunc reduction, axis 0 by default", "np.subtract.reduce(a)", 8
    ),
    _ufunc_method("accumulate", "reduce", "running ufunc reduction", "np.add.accumulate(a)", 8),
    _ufunc_method(
        "outer", "outer_product", "all pairs: a.size·b.size", "np.multiply.outer(a, a)", 144
    ),
    _ufunc_method(
        "reduceat", "count", "one FLOP per input element", "np.add.reduceat(a, [0, 1])", 12
    ),
    _ufunc_method(
        "at", "count", "one FLOP per indexed element", "np.add.at(a.copy(), [0, 1], 1.0)", 2
    ),
)

OPS = UNARY + BINARY + PAIRS + UFUNC_METHODS
