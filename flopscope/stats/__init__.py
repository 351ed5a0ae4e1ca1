"""``flopscope.stats``: counted ``pdf``/``cdf``/``ppf`` of eight scipy distributions.

``flops.stats.norm.pdf(x, loc=0, scale=1)`` returns what ``scipy.stats.norm.pdf`` returns
(as an ``fnp.ndarray``, 0-d for scalar input) and bills numel(broadcast(x, loc, scale,
shape parameters)) × weight (DIFFERENCES 5). The methods are generated from the rows in
:mod:`flopscope.ops.stats`; scipy (the ``stats`` extra) computes the values.
"""

from __future__ import annotations

from typing import Any

from flopscope.numpy._factory import build as _build
from flopscope.ops import lookup as _lookup
from flopscope.ops.stats import DISTRIBUTIONS as _DISTRIBUTIONS
from flopscope.ops.stats import METHODS as _METHODS


class Distribution:
    """One distribution: its counted ``pdf``, ``cdf`` and ``ppf``."""

    __slots__ = ("__all__", "_name", "cdf", "pdf", "ppf")

    def __init__(self, name: str) -> None:
        self._name = name
        self.__all__ = _METHODS
        for method in _METHODS:
            fn = _build(_lookup(method, f"stats.{name}"))
            fn.__module__ = "flopscope.stats"
            fn.__qualname__ = f"{name}.{method}"
            setattr(self, method, fn)

    def __repr__(self) -> str:
        return f"<flopscope.stats.{self._name}>"


norm = Distribution("norm")
uniform = Distribution("uniform")
expon = Distribution("expon")
cauchy = Distribution("cauchy")
logistic = Distribution("logistic")
laplace = Distribution("laplace")
lognorm = Distribution("lognorm")
truncnorm = Distribution("truncnorm")

__all__ = list(_DISTRIBUTIONS)


def __getattr__(name: str) -> Any:
    raise AttributeError(
        f"flopscope.stats does not provide {name!r}; available distributions: {', '.join(__all__)}."
    )
