"""Random sampling (``fnp.random``, ``Generator`` and ``RandomState`` methods).

Every sampler is priced from its arguments alone (the requested ``size``, else the broadcast
shapes of the distribution parameters or ``out``), so the budget check happens before a single
number is drawn: a refused call leaves the random state exactly as it was (DIFFERENCES 3).
Arguments that cannot be priced are replayed on a scratch copy of the generator to raise
numpy's own exception, again without touching the real stream.

Method rows live in the modules ``random.Generator`` / ``random.RandomState`` and bill under
``random.Generator.<m>`` / ``random.RandomState.<m>`` with the weight of the module-level
sampler (``integers`` weighs like ``randint``, ``random`` like ``random_sample``).
"""

from __future__ import annotations

import copy
import inspect
import math
import operator
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from flopscope.ops._row import Example, Op

#: set while numpy runs a counted sampler: numpy's methods call each other through ``self``
#: (``choice`` → ``integers``, ``rand`` → ``random_sample``), and those inner calls are part
#: of the outer, already-charged call.
INSIDE: ContextVar[bool] = ContextVar("flopscope_random_inside", default=False)

_G, _RS = np.random.Generator, np.random.RandomState

# -- weights (0.4.0 tiers) ------------------------------------------------------------------

#: non-uniform distributions weigh 16; uniform, integer and permutation samplers weigh 1
_HEAVY = frozenset(
    "beta binomial chisquare dirichlet exponential f gamma geometric gumbel hypergeometric "
    "laplace logistic lognormal logseries multinomial multivariate_normal negative_binomial "
    "noncentral_chisquare noncentral_f normal pareto poisson power randn rayleigh "
    "standard_cauchy standard_exponential standard_gamma standard_normal standard_t "
    "triangular vonmises wald weibull zipf multivariate_hypergeometric".split()
)
#: method name -> module-level name whose weight it inherits (spec §2.1, rule 2)
_RENAMES = {"integers": "randint", "random": "random_sample"}


def weight_of(name: str) -> float:
    return 16.0 if _RENAMES.get(name, name) in _HEAVY else 1.0


# -- reading sizes from arguments ----------------------------------------------------------

#: arguments that are not distribution parameters (never broadcast into the output shape)
_NOT_PARAMS = frozenset({"size", "dtype", "out", "method", "endpoint", "check_valid", "tol"})
#: samplers whose draws are vectors along a last axis of length k (the named parameter's)
_VECTOR = {
    "multinomial": "pvals",
    "dirichlet": "alpha",
    "multivariate_normal": "mean",
    "multivariate_hypergeometric": "colors",
}


def _size_shape(size: Any) -> tuple[int, ...]:
    """``size`` as a shape (numpy's TypeError/ValueError for non-integer or negative dims)."""
    if type(size) is int:
        dims: tuple = (size,)
    else:
        dims = (size,) if np.ndim(size) == 0 else tuple(size)
    shape = tuple(operator.index(d) for d in dims)
    if any(d < 0 for d in shape):
        raise ValueError("negative dimensions are not allowed")
    return shape


def _elementwise(args: dict[str, Any]) -> int:
    """numel of ``size``, else of ``out``, else of the broadcast parameters."""
    if args.get("size") is not None:
        return math.prod(_size_shape(args["size"]))
    if args.get("out") is not None:
        return int(np.size(args["out"]))
    params = (np.shape(v) for k, v in args.items() if k not in _NOT_PARAMS)
    return math.prod(np.broadcast_shapes(*params))


def _vector(param: str, batched: bool) -> Callable[[dict[str, Any]], int]:
    """``size + (k,)``; Generator.multinomial broadcasts ``n`` with the leading pvals axes."""

    def rule(args: dict[str, Any]) -> int:
        vec = np.shape(args[param])
        if len(vec) == 0:
            raise ValueError(f"{param} must be at least 1-dimensional")
        if args.get("size") is not None:
            return math.prod(_size_shape(args["size"])) * vec[-1]
        if batched:
            return math.prod(np.broadcast_shapes(np.shape(args["n"]), vec[:-1])) * vec[-1]
        return vec[-1]

    return rule


def _dims(args: dict[str, Any]) -> int:
    """``rand(d0, d1, ...)`` / ``randn(...)``: numel of the requested shape."""
    return math.prod(_size_shape(args["args"]))


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _axis_len(x: Any, axis: int) -> int:
    shape = np.shape(x)
    return shape[normalize_axis_index(axis, len(shape))]


def _permutation(args: dict[str, Any]) -> int:
    """Length of the permuted axis (an integer argument is the length itself)."""
    x = args["x"]
    return operator.index(x) if _is_int(x) else _axis_len(x, args.get("axis", 0))


def _shuffle(args: dict[str, Any]) -> int:
    x = args["x"]
    if not hasattr(x, "shape") and args.get("axis", 0) == 0:
        return len(x)  # lists and other mutable sequences
    return _axis_len(x, args.get("axis", 0))


def _permuted(args: dict[str, Any]) -> int:
    return int(np.size(args["x"]))


def _bytes(args: dict[str, Any]) -> int:
    return operator.index(args["length"])


def _ceil_log2(n: int) -> int:
    return (n - 1).bit_length() if n > 1 else 0


def _choice(args: dict[str, Any]) -> int:
    """With replacement: numel(result); without: n·⌈log2 n⌉ of the population size n."""
    a, axis = args["a"], args.get("axis", 0)
    shape = () if np.ndim(a) == 0 else np.shape(a)
    n = operator.index(a) if not shape else shape[normalize_axis_index(axis, len(shape))]
    if not args["replace"]:
        return n * _ceil_log2(n)
    drawn = () if args["size"] is None else _size_shape(args["size"])
    if not shape:
        return math.prod(drawn)
    ax = normalize_axis_index(axis, len(shape))
    return math.prod(shape[:ax]) * math.prod(drawn) * math.prod(shape[ax + 1 :])


_RULES: dict[str, Callable[[dict[str, Any]], int]] = {
    "rand": _dims,
    "randn": _dims,
    "permutation": _permutation,
    "shuffle": _shuffle,
    "permuted": _permuted,
    "bytes": _bytes,
    "choice": _choice,
}


def _rule(name: str, cls: type) -> Callable[[dict[str, Any]], int]:
    if name in _VECTOR:
        return _vector(_VECTOR[name], batched=name == "multinomial" and cls is _G)
    return _RULES.get(name, _elementwise)


# -- pricing callables ----------------------------------------------------------------------


def _native_error(call: Callable[..., Any], args: tuple, kwargs: dict, exc: Exception) -> None:
    """Pricing rejected the arguments: raise what numpy raises for them, found by running
    the call on a scratch copy of the generator (the real stream never moves). If numpy
    accepts them after all, the pricing error stands."""
    token = INSIDE.set(True)
    try:
        call(*args, **kwargs)
    except Exception as native:
        raise native from None
    finally:
        INSIDE.reset(token)
    raise exc


def _strip(x: Any) -> Any:
    return x.view(np.ndarray) if isinstance(x, np.ndarray) and type(x) is not np.ndarray else x


def _pricer(name: str, cls: type, method: bool) -> Callable[..., tuple]:
    """``inputs`` of a sampler: ``(count,)`` read from the arguments, before any draw.

    ``method`` rows receive the generator as first argument; module rows use numpy's
    global ``RandomState``.
    """
    bind = _binder(getattr(cls, name))
    rule = _rule(name, cls)

    def inputs(*args: Any, **kwargs: Any) -> tuple:
        owner = args[0] if method else np.random.mtrand._rand
        call_args = args[1:] if method else args
        try:
            return (rule(bind(call_args, kwargs)),)
        except Exception as exc:
            scratch = copy.deepcopy(owner)
            plain = tuple(_strip(a) for a in call_args)
            plain_kw = {k: _strip(v) for k, v in kwargs.items()}
            _native_error(getattr(scratch, name), plain, plain_kw, exc)
            raise  # unreachable: _native_error always raises

    return inputs


def _binder(fn: Callable[..., Any]) -> Callable[[tuple, dict], dict[str, Any]]:
    """A fast ``inspect.Signature.bind`` + ``apply_defaults`` for numpy's sampler signature
    (without ``self``); any mismatch raises TypeError, replaced by numpy's own error."""
    params = list(inspect.signature(fn).parameters.values())[1:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):  # rand(*args), randn(*args)

        def bind_dims(args: tuple, kwargs: dict) -> dict[str, Any]:
            if kwargs:
                raise TypeError("unexpected keyword arguments")
            return {"args": args}

        return bind_dims
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    allowed = frozenset(p.name for p in params)
    defaults = {p.name: p.default for p in params if p.default is not p.empty}
    required = allowed - defaults.keys()

    def bind(args: tuple, kwargs: dict) -> dict[str, Any]:
        if len(args) > len(positional):
            raise TypeError("too many positional arguments")
        bound = dict(defaults)
        bound.update(zip(positional, args))
        for key, value in kwargs.items():
            if key not in allowed or key in positional[: len(args)]:
                raise TypeError(f"unexpected or repeated argument {key!r}")
            bound[key] = value
        if not required <= bound.keys():
            raise TypeError("missing a required argument")
        return bound

    return bind


def _guarded(raw: Callable[..., Any]) -> Callable[..., Any]:
    """Run a numpy sampler with :data:`INSIDE` set, so its inner calls are not re-charged."""

    def run(*args: Any, **kwargs: Any) -> Any:
        token = INSIDE.set(True)
        try:
            return raw(*args, **kwargs)
        finally:
            INSIDE.reset(token)

    return run


# -- rows ---------------------------------------------------------------------------------

#: module-level samplers of ``fnp.random`` (spec §1.7) with an example call and its args
_MODULE = (
    ("rand", "3, 4"),
    ("randn", "3, 4"),
    ("normal", "size=(3, 4)"),
    ("uniform", "size=(3, 4)"),
    ("standard_normal", "size=(3, 4)"),
    ("standard_exponential", "size=(3, 4)"),
    ("exponential", "size=(3, 4)"),
    ("poisson", "3.0, size=(3, 4)"),
    ("binomial", "10, 0.5, size=(3, 4)"),
    ("geometric", "0.5, size=(3, 4)"),
    ("hypergeometric", "5, 5, 3, size=(3, 4)"),
    ("negative_binomial", "3, 0.5, size=(3, 4)"),
    ("logseries", "0.5, size=(3, 4)"),
    ("power", "2.0, size=(3, 4)"),
    ("pareto", "2.0, size=(3, 4)"),
    ("rayleigh", "size=(3, 4)"),
    ("standard_cauchy", "size=(3, 4)"),
    ("standard_t", "3.0, size=(3, 4)"),
    ("standard_gamma", "2.0, size=(3, 4)"),
    ("weibull", "2.0, size=(3, 4)"),
    ("zipf", "2.0, size=(3, 4)"),
    ("gumbel", "size=(3, 4)"),
    ("laplace", "size=(3, 4)"),
    ("logistic", "size=(3, 4)"),
    ("lognormal", "size=(3, 4)"),
    ("vonmises", "0.0, 1.0, size=(3, 4)"),
    ("wald", "1.0, 1.0, size=(3, 4)"),
    ("triangular", "0.0, 0.5, 1.0, size=(3, 4)"),
    ("chisquare", "2.0, size=(3, 4)"),
    ("noncentral_chisquare", "2.0, 1.0, size=(3, 4)"),
    ("noncentral_f", "2.0, 3.0, 1.0, size=(3, 4)"),
    ("f", "2.0, 3.0, size=(3, 4)"),
    ("beta", "2.0, 3.0, size=(3, 4)"),
    ("gamma", "2.0, size=(3, 4)"),
    ("multinomial", "10, [0.2, 0.3, 0.5], size=4"),
    ("multivariate_normal", "np.zeros(3), np.eye(3), size=4"),
    ("dirichlet", "[1.0, 1.0, 1.0], size=4"),
    ("randint", "0, 10, size=(3, 4)"),
    ("random", "(3, 4)"),
    ("random_sample", "(3, 4)"),
    ("ranf", "(3, 4)"),
    ("sample", "(3, 4)"),
    ("permutation", "12"),
    ("shuffle", "np.arange(12.0)"),
    ("choice", "12, size=(3, 4)"),
    ("bytes", "12"),
)

#: Generator-only methods and the example arguments of every method
_METHOD_ARGS = {
    **dict(_MODULE),
    "integers": "0, 10, size=(3, 4)",
    "random": "size=(3, 4)",
    "random_sample": "size=(3, 4)",
    "permuted": "np.arange(12.0).reshape(3, 4)",
    "multivariate_hypergeometric": "[3, 4, 5], 3, size=4",
    "random_integers": "1, 10, size=(3, 4)",
    "tomaxint": "size=(3, 4)",
}
_MODULE_ONLY = frozenset({"ranf", "sample"})

#: how many output elements each example draws (all examples are 12 draws, or 4 vectors of 3)
_EXAMPLE_COUNT = 12


def _example_flops(name: str) -> int:
    return int(_EXAMPLE_COUNT * weight_of(name))


def _sampler(name: str, args: str) -> Op:
    # ranf/sample are numpy aliases of random_sample, not methods: price them like it
    signature_of = "random_sample" if name in _MODULE_ONLY else name
    return Op(
        f"random.{name}",
        family="random",
        kind="custom",
        formula="count",
        weight=weight_of(name),
        module="random",
        impl=getattr(np.random, name),
        inputs=_pricer(signature_of, _RS, method=False),
        examples=(
            Example(f"fnp.random.{name}({args})", _example_flops(name), "fnp.random.seed(0)"),
        ),
        summary="one draw per output element; priced before drawing",
    )


def public_methods(cls: type) -> list[str]:
    """numpy's public methods of ``cls`` that flopscope counts or passes through."""
    known = _METHOD_ARGS.keys() - _MODULE_ONLY | _FREE_CALLS.keys()
    return sorted(n for n in dir(cls) if not n.startswith("_") and n in known)


_CTOR = {"Generator": "fnp.random.default_rng(0)", "RandomState": "fnp.random.RandomState(0)"}
_FREE_CALLS = {
    "bit_generator": "fnp.random.default_rng(0).bit_generator",
    "spawn": "fnp.random.default_rng(0).spawn(2)",
    "seed": "fnp.random.RandomState(0).seed(0)",
    "get_state": "fnp.random.RandomState(0).get_state()",
    "set_state": "fnp.random.RandomState(0).set_state(np.random.RandomState(0).get_state())",
}


def _method(cls: type, name: str) -> Op:
    owner = cls.__name__
    raw = getattr(cls, name)
    if name in _FREE_CALLS:
        return Op(
            f"random.{owner}.{name}",
            family="random-method",
            kind="free",
            formula=None,
            # 0.4.0 lists the Generator helpers at 1.0 and the RandomState ones at 0.0
            weight=1.0 if owner == "Generator" else 0.0,
            module=f"random.{owner}",
            impl=raw,
            examples=(Example(_FREE_CALLS[name], 0),),
            summary="free: generator management",
        )
    call = f"{_CTOR[owner]}.{name}({_METHOD_ARGS[name]})"
    return Op(
        f"random.{owner}.{name}",
        family="random-method",
        kind="custom",
        formula="count",
        weight=weight_of(name),
        module=f"random.{owner}",
        impl=raw,
        execute=_guarded(raw),
        inputs=_pricer(name, cls, method=True),
        examples=(Example(call, _example_flops(name)),),
        summary="bills like the module-level sampler; priced before drawing",
    )


_FREE_EXAMPLES = {
    "seed": "fnp.random.seed(0)",
    "get_state": "fnp.random.get_state()",
    "set_state": "fnp.random.set_state(fnp.random.get_state())",
    "default_rng": "fnp.random.default_rng(0)",
}


def default_rng(seed: Any = None) -> Any:
    """A counted ``Generator``: same stream as ``numpy.random.default_rng(seed)``."""
    from flopscope.numpy.random import Generator

    if isinstance(seed, Generator):
        return seed
    if isinstance(seed, np.random.Generator):
        return Generator(seed.bit_generator)  # same stream, now counted
    if isinstance(seed, np.random.BitGenerator):
        return Generator(seed)
    return Generator(np.random.PCG64(seed))


def _free(name: str) -> Op:
    return Op(
        f"random.{name}",
        family="random",
        kind="free",
        formula=None,
        weight=0.0,
        module="random",
        impl=default_rng if name == "default_rng" else getattr(np.random, name),
        examples=(Example(_FREE_EXAMPLES[name], 0),),
        summary="free: random state management",
    )


# -- random.symmetric (flopscope only) ---------------------------------------------------

#: samplers ``symmetric`` can draw from: every module-level sampler of one value per element
_SYMMETRIC_SOURCES = frozenset(
    name
    for name, _ in _MODULE
    if name not in _VECTOR and name not in ("permutation", "shuffle", "choice", "bytes")
)


def _symmetric_group(shape: Any, symmetry: Any, distribution: Any) -> tuple[tuple, Any]:
    """(shape, bound group) of a ``symmetric`` call; numpy's errors for a bad shape,
    ``SymmetryError`` for unequal lengths within an orbit, ValueError for a bad source."""
    from flopscope._symmetry.api import group_for

    dims = _size_shape(shape)
    if distribution not in _SYMMETRIC_SOURCES:
        raise ValueError(
            f"random.symmetric: unknown distribution {distribution!r}; "
            f"use one of {sorted(_SYMMETRIC_SOURCES)}"
        )
    return dims, group_for(symmetry, dims)


def _symmetric_inputs(
    shape: Any, symmetry: Any, distribution: str = "randn", **kwargs: Any
) -> tuple:
    """``numel + numel·|G|``: one draw per element, then the Reynolds average (one term per
    group element per element); priced before drawing."""
    dims, group = _symmetric_group(shape, symmetry, distribution)
    n = math.prod(dims)
    return (n + n * group.order(),)


def symmetric(shape: Any, symmetry: Any, distribution: str = "randn", **kwargs: Any) -> Any:
    """A random tensor invariant under ``symmetry``: raw draws from the global numpy stream
    (``fnp.random.seed``), averaged over the group (``flops.symmetrize``)."""
    from flopscope._symmetry.api import reynolds
    from flopscope.numpy._symmetric import as_symmetric_view

    dims, group = _symmetric_group(shape, symmetry, distribution)
    draw = getattr(np.random, distribution)
    if distribution in ("rand", "randn"):  # dimensions, not size=
        data = draw(*dims, **kwargs)
    else:
        data = draw(size=dims, **kwargs)
    return as_symmetric_view(reynolds(np.asarray(data), group), group)


_SYMMETRIC = Op(
    "random.symmetric",
    family="random",
    kind="custom",
    formula="count",
    weight=1.0,
    module="random",
    impl=symmetric,
    inputs=_symmetric_inputs,
    examples=(
        Example("fnp.random.symmetric((4, 4), (0, 1))", 48, "fnp.random.seed(0)"),
        Example(
            "fnp.random.symmetric((3, 3, 3), (0, 1, 2), distribution='rand')",
            189,
            "fnp.random.seed(0)",
        ),
    ),
    summary="numel + numel·|G|: draws, then the Reynolds average; priced before drawing",
)

OPS = (
    *(_sampler(name, args) for name, args in _MODULE),
    _SYMMETRIC,
    *(_free(name) for name in ("seed", "get_state", "set_state", "default_rng")),
    *(_method(_G, name) for name in public_methods(_G)),
    *(_method(_RS, name) for name in public_methods(_RS)),
)
