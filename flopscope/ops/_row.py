"""The shape of one op declaration.

An :class:`Op` is data. Everything else (the ``fnp`` function, the array-API namespace
function, the operator dunders, the cost, the docs row and the conformance cases) is derived
from it by the factories in :mod:`flopscope.numpy._factory` and :mod:`flopscope._namespace`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: How the call is wrapped; each kind has one wrapper builder in ``flopscope.numpy._factory``.
KINDS = frozenset(
    {
        "ufunc",  # a numpy ufunc: inputs are the shapes of the nin operands
        "elementwise",  # a non-ufunc elementwise function priced from its array arguments
        "reduction",  # (a, axis, ...) priced from a.shape and the axis argument
        "free",  # runs the backend, charges nothing, logs nothing
        "logged",  # charges 0 but leaves a record (weight-0 ops of 0.4.0)
        "custom",  # priced by the row's own ``inputs`` callable
    }
)

#: Packaged weight tiers of the 0.4.0 release (``flopscope`` cost model).
TIERS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0)


@dataclass(frozen=True, slots=True)
class Example:
    """A call with its exact cost under the default model; doubles as a test and a docs row."""

    call: str
    flops: int
    setup: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Op:
    """One operation, declared once.

    Attributes:
        name: canonical op name as it appears in the ledger (``"arccos"``, ``"linalg.svd"``).
        family: grouping used by docs and conformance (``"pointwise-unary"``, ``"reduction"``...).
        kind: wrapper kind, one of :data:`KINDS`.
        formula: key of the cost formula in :mod:`flopscope.costs.formulas` (``None`` if free).
        weight: packaged weight under the ``flopscope`` model (one of :data:`TIERS`).
        aliases: other public names of the same op; they bill exactly as ``name``.
        impl: the backend callable (or dotted numpy attribute) that computes the result.
        module: ``""`` for ``fnp.<name>``, else the submodule (``"linalg"``, ``"fft"``).
        also_in: further modules that expose the same op under its short name (``fnp.linalg.
            matmul`` is ``fnp.matmul``: same row, same ledger name).
        dunders: ``FlopscopeArray`` operator methods that route to this op.
        methods: ``FlopscopeArray`` methods that route to this op.
        array_api: name in the Array API standard namespace, if the standard has the op.
        symmetry: propagation rule key (see :mod:`flopscope._symmetry`).
        axis_pos: positional index of ``axis`` for reductions.
        inputs: for ``custom`` rows, maps ``(args, kwargs)`` to the hashable analytical inputs
            of the formula. Must be cheap and must not run the op.
        execute: optional replacement for calling ``impl`` directly (argument normalisation).
        examples: calls with their exact default-model cost.
        summary: one line for the docs reference.
    """

    name: str
    family: str
    kind: str
    formula: str | None
    weight: float = 1.0
    aliases: tuple[str, ...] = ()
    impl: Any = None
    module: str = ""
    also_in: tuple[str, ...] = ()
    dunders: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    array_api: str | None = None
    symmetry: str = "none"
    axis_pos: int = 1
    inputs: Callable[..., tuple] | None = None
    execute: Callable[..., Any] | None = None
    examples: tuple[Example, ...] = ()
    summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"op {self.name!r}: unknown kind {self.kind!r}")
        if self.weight not in TIERS:
            raise ValueError(f"op {self.name!r}: weight {self.weight} is not a tier {TIERS}")
        if self.kind in ("free",) and self.formula is not None:
            raise ValueError(f"op {self.name!r}: free ops have no formula")
        if self.kind not in ("free", "logged") and self.formula is None:
            raise ValueError(f"op {self.name!r}: counted ops need a formula")

    @property
    def public_names(self) -> tuple[str, ...]:
        """Every public spelling (canonical name without module prefix, then aliases)."""
        return (self.name.rsplit(".", 1)[-1], *self.aliases)

    @property
    def counted(self) -> bool:
        return self.kind != "free"

    def __repr__(self) -> str:
        return f"Op({self.name!r}, family={self.family!r}, formula={self.formula!r})"
