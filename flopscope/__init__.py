"""flopscope: every array operation counts.

``import flopscope as flops`` gives budgets, cost models, symmetry and accounting;
``import flopscope.numpy as fnp`` is the counted NumPy surface;
``flops.namespace(backend)`` is a counted Array-API namespace over any backend.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as _np

from flopscope._budget import BudgetContext, OpRecord, budget, scope
from flopscope._config import configure
from flopscope._report import (
    budget_live,
    budget_reset,
    budget_summary,
    budget_summary_dict,
)
from flopscope.costs import CostModel
from flopscope.errors import (
    BudgetExhaustedError,
    FlopscopeError,
    FlopscopeWarning,
    NoBudgetContextError,
    SymmetryError,
    SymmetryLossWarning,
    TimeExhaustedError,
    UnsupportedFunctionError,
)

__version__ = "0.5.0"
__numpy_version__ = _np.__version__
__numpy_supported__ = ">=2.0"

_LAZY_MODULES = {"numpy", "accounting", "stats", "errors"}
_LAZY_ATTRS = {
    "FlopscopeArray": ("flopscope.numpy._ndarray", "FlopscopeArray"),
    "namespace": ("flopscope._namespace", "namespace"),
    "einsum_accumulation_cost": ("flopscope.accounting", "einsum_accumulation_cost"),
    "reduction_accumulation_cost": ("flopscope.accounting", "reduction_accumulation_cost"),
    "tier2_reduction_cost": ("flopscope.accounting", "tier2_reduction_cost"),
    "AccumulationCost": ("flopscope.accounting", "AccumulationCost"),
    "ComponentCost": ("flopscope.accounting", "ComponentCost"),
    "RegimeStep": ("flopscope.accounting", "RegimeStep"),
    "PathInfo": ("flopscope._einsum.pathinfo", "PathInfo"),
    "StepInfo": ("flopscope._einsum.pathinfo", "StepInfo"),
    "einsum_cache_info": ("flopscope._einsum.caches", "einsum_cache_info"),
    "einsum_clear_caches": ("flopscope._einsum.caches", "einsum_clear_caches"),
    "reduction_cache_info": ("flopscope._config", "reduction_cache_info"),
    "reduction_clear_cache": ("flopscope._config", "reduction_clear_cache"),
    "clear_cache": ("flopscope._config", "clear_cache"),
    "SymmetryGroup": ("flopscope._symmetry.group", "SymmetryGroup"),
    "SymmetricTensor": ("flopscope.numpy._symmetric", "SymmetricTensor"),
    "as_symmetric": ("flopscope._symmetry.api", "as_symmetric"),
    "is_symmetric": ("flopscope._symmetry.api", "is_symmetric"),
    "symmetrize": ("flopscope._symmetry.api", "symmetrize"),
}

__all__ = [
    "BudgetContext",
    "BudgetExhaustedError",
    "CostModel",
    "FlopscopeArray",
    "FlopscopeError",
    "FlopscopeWarning",
    "NoBudgetContextError",
    "OpRecord",
    "PathInfo",
    "StepInfo",
    "SymmetricTensor",
    "SymmetryError",
    "SymmetryGroup",
    "SymmetryLossWarning",
    "TimeExhaustedError",
    "UnsupportedFunctionError",
    "AccumulationCost",
    "ComponentCost",
    "RegimeStep",
    "accounting",
    "as_symmetric",
    "budget",
    "budget_live",
    "budget_reset",
    "budget_summary",
    "budget_summary_dict",
    "clear_cache",
    "configure",
    "einsum_accumulation_cost",
    "einsum_cache_info",
    "einsum_clear_caches",
    "is_symmetric",
    "namespace",
    "numpy",
    "reduction_accumulation_cost",
    "tier2_reduction_cost",
    "reduction_cache_info",
    "reduction_clear_cache",
    "scope",
    "stats",
    "symmetrize",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return importlib.import_module(f"flopscope.{name}")
    if name in _LAZY_ATTRS:
        module, attr = _LAZY_ATTRS[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(
        f"flopscope does not provide {name!r}. NumPy-style operations live in "
        f"flopscope.numpy: `import flopscope.numpy as fnp; fnp.{name}`."
    )


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
