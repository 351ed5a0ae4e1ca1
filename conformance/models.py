"""Cost models a conformance run can check, and what the tables expect under each.

* a built-in name (``flopscope``, ``exact``, ``fma``, ``mac``): the table's column;
* ``path/to/weights.json`` or ``CONVENTION:path/to/weights.json``: a weight table over a
  convention (``exact`` by default). Expected = ``int(count × weight)`` with the count from
  the table's column for that convention and the weight from the file; the tables check the
  counts and how the weights are applied, not whether the weights are sensible;
* a model registered with :func:`register` (a ``CostModel`` object, e.g. one with its own
  formulas or a subclass): its totals cannot come from the tables, so only numerical parity
  and identical totals across backends are checked for it (``expected`` is ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUILTIN = ("flopscope", "exact", "fma", "mac")
CONVENTIONS = ("exact", "fma", "mac")

_REGISTERED: dict[str, Any] = {}


def register(label: str, cost_model: Any) -> None:
    """Make a ``CostModel`` object runnable as ``--cost-model label``."""
    _REGISTERED[label] = cost_model


@dataclass(frozen=True)
class Model:
    label: str
    cost_model: Any  # what BudgetContext(cost_model=...) receives
    convention: str | None  # table column holding the unweighted counts, None: unchecked
    weighted: bool  # apply cost_model.weight(op) to the column

    def expected(self, row: dict[str, Any]) -> int | None:
        """FLOPs the table predicts for ``row`` under this model (None: not checkable)."""
        if self.convention is None:
            return None
        count = row["flops"][self.convention]
        if not self.weighted:
            return count
        w = float(self.cost_model.weight(row["op"]))
        return count * int(w) if w.is_integer() else int(count * w)


def resolve(spec: str) -> Model:
    """A model from a command-line spelling."""
    if spec in BUILTIN:
        return Model(spec, spec, spec, False)
    if spec in _REGISTERED:
        return Model(spec, _REGISTERED[spec], None, False)
    convention, sep, path = spec.partition(":")
    if not sep:
        convention, path = "exact", spec
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r} in --cost-model {spec!r}")
    if not Path(path).is_file():
        raise ValueError(
            f"--cost-model {spec!r}: not a built-in model {BUILTIN}, a registered one "
            f"{tuple(_REGISTERED)} or a weights file"
        )
    import flopscope as flops

    return Model(spec, flops.CostModel(convention=convention, weights=path), convention, True)
