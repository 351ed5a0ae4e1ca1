"""``flopscope.numpy.random``: counted samplers (generated from the op table), the counted
``Generator`` / ``RandomState`` classes and numpy's seeding and bit-generator classes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from flopscope.errors import UnsupportedFunctionError
from flopscope.numpy._factory import build
from flopscope.numpy._surface import populate as _populate
from flopscope.ops import Op, all_ops
from flopscope.ops.random import INSIDE

SeedSequence = np.random.SeedSequence

#: numpy's bit generators, served as they are (they draw nothing by themselves)
_PASS_THROUGH = frozenset({"BitGenerator", "MT19937", "PCG64", "PCG64DXSM", "Philox", "SFC64"})


def _counted(op: Op) -> Callable[..., Any]:
    """The method of a counted row: charged unless numpy itself calls it from inside an
    already-charged sampler (``choice`` → ``integers``)."""
    raw = op.impl
    counted = build(op)

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        if INSIDE.get():
            return raw(self, *args, **kwargs)
        return counted(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = raw.__name__
    method.__doc__ = counted.__doc__
    method.__wrapped_op__ = op  # type: ignore[attr-defined]
    return method


def _unsupported(owner: str, name: str) -> property:
    def get(self: Any) -> Any:
        raise UnsupportedFunctionError(f"random.{owner}.{name}")

    return property(get)


def _install(cls: type, base: type) -> type:
    """Counted methods from the rows of module ``random.<Name>``; every other public name
    of numpy's class raises :class:`UnsupportedFunctionError`."""
    module = f"random.{cls.__name__}"
    served: set[str] = set()
    for op in all_ops():
        if op.module != module:
            continue
        name = op.name.rsplit(".", 1)[-1]
        served.add(name)
        if op.counted:
            setattr(cls, name, _counted(op))
    for name in dir(base):
        if not name.startswith("_") and name not in served:
            setattr(cls, name, _unsupported(cls.__name__, name))
    return cls


def _getattr(self: Any, name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
    raise UnsupportedFunctionError(f"random.{type(self).__name__}.{name}")


class Generator(np.random.Generator):
    """numpy's ``Generator`` whose samplers are counted like the module-level ones."""

    __getattr__ = _getattr

    def spawn(self, n_children: int) -> list[Generator]:
        """Free: child generators, counted like their parent."""
        return [Generator(bg) for bg in self.bit_generator.spawn(n_children)]

    def __reduce__(self) -> tuple:
        # numpy rebuilds a plain Generator; a pickled or copied counted one stays counted
        return (Generator, (self.bit_generator,))


class RandomState(np.random.RandomState):
    """numpy's legacy ``RandomState`` whose samplers are counted like the module-level ones."""

    __getattr__ = _getattr

    def __reduce__(self) -> tuple:
        _, args, state = super().__reduce__()
        return (RandomState, args, state)


_install(Generator, np.random.Generator)
_install(RandomState, np.random.RandomState)

__all__ = sorted([*_populate(globals(), "random"), "Generator", "RandomState", "SeedSequence"])


def __getattr__(name: str) -> Any:
    if name in _PASS_THROUGH:
        return getattr(np.random, name)
    raise AttributeError(
        f"flopscope.numpy.random has no attribute {name!r}.\n"
        "For new code: rng = fnp.random.default_rng(seed); rng.<sampler>(...).\n"
        f"If {name!r} should be supported, please file an issue."
    )
