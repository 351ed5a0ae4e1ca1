"""Cost formulas and cost models (pure: nothing here touches a budget)."""

from flopscope.costs import contraction as _contraction  # noqa: F401  (registers formulas)
from flopscope.costs import fft as _fft  # noqa: F401  (registers formulas)
from flopscope.costs import linalg as _linalg  # noqa: F401  (registers formulas)
from flopscope.costs import numerical as _numerical  # noqa: F401  (registers formulas)
from flopscope.costs import polynomial as _polynomial  # noqa: F401  (registers formulas)
from flopscope.costs import sorting as _sorting  # noqa: F401  (registers formulas)
from flopscope.costs.formulas import CONVENTIONS, FORMULAS, formula
from flopscope.costs.model import BUILTIN, CostModel, default_model, resolve, set_default_model

__all__ = [
    "BUILTIN",
    "CONVENTIONS",
    "FORMULAS",
    "CostModel",
    "default_model",
    "formula",
    "resolve",
    "set_default_model",
]
