"""``CostModel``: prices a call from an op's formula, a multiply-add convention and weights."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flopscope.costs.formulas import CONVENTIONS, FORMULAS

WeightsSpec = str | Mapping[str, float] | os.PathLike[str] | None

#: name -> (convention, weights) of the built-in models
BUILTIN = {
    "flopscope": ("exact", "flopscope"),
    "exact": ("exact", "unit"),
    "fma": ("fma", "unit"),
    "mac": ("mac", "unit"),
}


class CostModel:
    """How flopscope turns an op's analytical inputs into a FLOP charge.

    ``CostModel("fma")`` builds a named model; ``CostModel(convention="fma",
    weights="flopscope")`` composes one. ``weights`` is ``"flopscope"`` (the 0.4.0 tier
    weights), ``"unit"`` (all 1), a mapping ``{op_name: weight}`` or a JSON file path; a
    mapping or file *replaces* the table (ops it does not name weigh 1). ``formulas`` maps op
    names to callables ``(inputs, convention) -> int`` that replace the op's formula.
    Subclasses may override :meth:`count` or :meth:`weight`.
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        convention: str | None = None,
        weights: WeightsSpec = None,
        formulas: Mapping[str, Callable[[tuple, str], int]] | None = None,
    ) -> None:
        if name is not None:
            if name not in BUILTIN:
                raise ValueError(
                    f"unknown cost model {name!r}; built-in models are {sorted(BUILTIN)}"
                )
            base_conv, base_weights = BUILTIN[name]
            convention = convention or base_conv
            weights = base_weights if weights is None else weights
        convention = convention or "exact"
        if convention not in CONVENTIONS:
            raise ValueError(f"unknown convention {convention!r}; expected one of {CONVENTIONS}")
        self.convention = convention
        self._weights_spec = "flopscope" if weights is None else weights
        self._weights = _resolve_weights(self._weights_spec)
        self._formulas = dict(formulas or {})
        self.name = name or _describe(convention, self._weights_spec, self._formulas)
        self._cache: dict[tuple[str, Any], int] = {}

    # -- pricing ----------------------------------------------------------------------------

    def count(self, op: Any, inputs: tuple) -> int:
        """Unweighted analytical count of ``op`` called with ``inputs``."""
        fn = self._formulas.get(op.name)
        if fn is None:
            fn = FORMULAS[op.formula]
        return int(fn(inputs, self.convention))

    def weight(self, op_name: str) -> float:
        """Weight of ``op_name`` (1.0 if the table does not name it)."""
        if self._weights is None:
            return 1.0
        w = self._weights.get(op_name)
        if w is None and op_name.startswith(("random.Generator.", "random.RandomState.")):
            # spec §2.1 rule 2: a generator method weighs like its module-level sampler
            method = op_name.rsplit(".", 1)[1]
            method = {"integers": "randint", "random": "random_sample"}.get(method, method)
            w = self._weights.get(f"random.{method}")
        return 1.0 if w is None else w

    def price(
        self, op: Any, inputs: tuple, multiplier: float = 1.0, name: str | None = None
    ) -> int:
        """Weighted FLOPs charged for one call: ``int(count × multiplier × weight)``.

        ``name`` is the logged op name when it differs from the row (ufunc methods).
        """
        key = (name or op.name, inputs)
        cached = self._cache.get(key)
        if cached is None:
            count = self.count(op, inputs)
            w = self.weight(key[0])
            cached = count * int(w) if w.is_integer() else int(count * w)
            if len(self._cache) > 65536:
                self._cache.clear()
            self._cache[key] = cached
        if multiplier == 1.0:
            return cached
        count = self.count(op, inputs)
        return int(count * multiplier * self.weight(key[0]))

    # -- derived models ---------------------------------------------------------------------

    def with_weights(self, overrides: Mapping[str, float]) -> CostModel:
        """A copy whose weight table is this one's with ``overrides`` applied on top."""
        from flopscope.costs.weights import validate

        base = dict(self._weights) if self._weights is not None else {}
        base.update(validate(overrides, "with_weights"))
        return CostModel(convention=self.convention, weights=base, formulas=self._formulas)

    def weights_table(self) -> dict[str, float] | None:
        """The active weight table (``None`` means every op weighs 1)."""
        return None if self._weights is None else dict(self._weights)

    def __repr__(self) -> str:
        return f"CostModel({self.name!r}, convention={self.convention!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, CostModel)
            and type(other) is type(self)
            and other.convention == self.convention
            and other._weights == self._weights
            and other._formulas == self._formulas
        )

    def __hash__(self) -> int:
        return hash((type(self), self.convention, self.name))


def _resolve_weights(spec: WeightsSpec) -> dict[str, float] | None:
    from flopscope.costs import weights as w

    if spec == "unit":
        return None
    if spec == "flopscope":
        return _flopscope_weights()
    if isinstance(spec, Mapping):
        return w.validate(spec, "weights")
    if isinstance(spec, (str, os.PathLike)) and Path(spec).is_file():
        return w.load_file(spec)
    raise ValueError(
        f"weights must be 'flopscope', 'unit', a mapping or a JSON file path, got {spec!r}"
    )


_FLOPSCOPE_WEIGHTS: list[dict[str, float] | None] = []


def _flopscope_weights() -> dict[str, float] | None:
    # read once per process, as the environment overrides are documented to be
    if not _FLOPSCOPE_WEIGHTS:
        from flopscope.costs.weights import default_flopscope_weights

        _FLOPSCOPE_WEIGHTS.append(default_flopscope_weights())
    return _FLOPSCOPE_WEIGHTS[0]


def _describe(convention: str, weights: WeightsSpec, formulas: Mapping[str, Any]) -> str:
    for name, (conv, wts) in BUILTIN.items():
        if conv == convention and weights == wts and not formulas:
            return name
    label = weights if isinstance(weights, str) else "custom"
    return f"{convention}+{label}" + ("+formulas" if formulas else "")


_DEFAULT: list[CostModel] = []


def default_model() -> CostModel:
    """The process default: ``FLOPSCOPE_COST_MODEL`` (a built-in name) or ``flopscope``."""
    if not _DEFAULT:
        _DEFAULT.append(CostModel(os.environ.get("FLOPSCOPE_COST_MODEL", "flopscope")))
    return _DEFAULT[0]


def set_default_model(model: str | CostModel) -> CostModel:
    """Make ``model`` the process default for contexts created without ``cost_model=``."""
    resolved = resolve(model)
    _DEFAULT[:] = [resolved]
    return resolved


def resolve(model: str | CostModel | None) -> CostModel:
    """Accept a model, a built-in name or ``None`` (the process default)."""
    if model is None:
        return default_model()
    if isinstance(model, CostModel):
        return model
    if isinstance(model, str):
        return _named(model)
    raise TypeError(f"cost_model must be a CostModel or a name, got {type(model).__name__}")


_NAMED: dict[str, CostModel] = {}


def _named(name: str) -> CostModel:
    model = _NAMED.get(name)
    if model is None:
        model = _NAMED[name] = CostModel(name)
    return model
