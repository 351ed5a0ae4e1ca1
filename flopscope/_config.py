"""Process-wide settings (``flops.configure``) and the controls of flopscope's caches.

Settings are read by the modules they concern through :func:`get`, or pushed to them by
:func:`on_change` where a read per call would cost too much (the NaN/Inf scan flag of the
ufunc hot path). Caches never change results: clearing them only costs speed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from numbers import Integral
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "DEFAULTS",
    "clear_cache",
    "configure",
    "get",
    "on_change",
    "reduction_cache_info",
    "reduction_clear_cache",
]

#: every setting and its default value
DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "check_nan_inf": False,  # scan counted ops' float outputs, warn on NaN/Inf
        "dimino_budget": 50_000,  # largest symmetry group enumerated before dense fallback
        "einsum_path_cache_size": 4096,  # entries of the einsum contraction-path cache
        "partition_budget": 100_000,  # per-component partition limit before dense fallback
        "symmetry_warnings": True,  # SymmetryLossWarning and CostFallbackWarning
    }
)

_BOOLS = frozenset({"check_nan_inf", "symmetry_warnings"})
_SETTINGS: dict[str, Any] = dict(DEFAULTS)
_LISTENERS: dict[str, list[Callable[[Any], None]]] = {key: [] for key in DEFAULTS}
_LOCK = threading.Lock()


def _unknown(key: str) -> ValueError:
    return ValueError(f"Unknown setting: {key!r}")


def _validate(key: str, value: Any) -> Any:
    """``value`` in its stored form, or numpy-style TypeError/ValueError."""
    if key not in DEFAULTS:
        raise _unknown(key)
    if key in _BOOLS:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"configure: {key} must be a bool, got {type(value).__name__}")
        return bool(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
        raise TypeError(f"configure: {key} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"configure: {key} must be non-negative, got {value}")
    return int(value)


def configure(**settings: Any) -> None:
    """Change process-wide settings; unknown names raise ``ValueError("Unknown setting: ...")``.

    All values are checked before any is applied, so a rejected call changes nothing.

    * ``check_nan_inf`` (``False``): counted ``fnp`` ops scan their floating outputs and
      warn (``FlopscopeWarning``) when they hold NaN or Inf. The scan is never charged.
    * ``dimino_budget`` (``50_000``): largest symmetry group enumerated before a symmetric
      cost falls back to the dense one.
    * ``einsum_path_cache_size`` (``4096``): rebuilds (and so empties) the einsum path cache
      with this many entries.
    * ``partition_budget`` (``100_000``): per-component partition limit before a symmetric
      einsum cost falls back to the dense one.
    * ``symmetry_warnings`` (``True``): ``False`` silences ``SymmetryLossWarning`` and
      ``CostFallbackWarning``.
    """
    checked = {key: _validate(key, value) for key, value in settings.items()}
    with _LOCK:
        changed = {k: v for k, v in checked.items() if _SETTINGS[k] != v}
        _SETTINGS.update(checked)
        listeners = [(fn, changed[k]) for k in changed for fn in _LISTENERS[k]]
    if "einsum_path_cache_size" in checked:
        from flopscope._einsum.path import resize_path_cache

        resize_path_cache(checked["einsum_path_cache_size"])
    for fn, value in listeners:
        fn(value)


def get(key: str) -> Any:
    """The current value of setting ``key`` (for flopscope's own modules)."""
    try:
        return _SETTINGS[key]
    except KeyError:
        raise _unknown(key) from None


def on_change(key: str, callback: Callable[[Any], None]) -> None:
    """Call ``callback(value)`` now and whenever ``configure`` changes ``key``."""
    if key not in DEFAULTS:
        raise _unknown(key)
    with _LOCK:
        _LISTENERS[key].append(callback)
        value = _SETTINGS[key]
    callback(value)


# -- caches ---------------------------------------------------------------------------------


def reduction_cache_info() -> Any:
    """``CacheInfo`` of the reduction cache: the accumulation costs (``AccumulationCost``)
    built by ``flops.reduction_accumulation_cost``. Counted ``fnp`` reductions are priced
    through the budgets' price caches, which :func:`clear_cache` empties too."""
    from flopscope._einsum.accumulation import reduction_accumulation

    return reduction_accumulation.cache_info()


def reduction_clear_cache() -> None:
    """Empty the reduction cache."""
    from flopscope._einsum.accumulation import reduction_accumulation

    reduction_accumulation.cache_clear()


def clear_cache() -> None:
    """Empty every cost cache: einsum (paths, costs, parsing, plans), reductions, the price
    caches of the built-in and process-default cost models and of every budget context of
    this session (the global default and the active one included)."""
    from flopscope import _budget
    from flopscope._einsum.caches import einsum_clear_caches
    from flopscope.costs import model

    einsum_clear_caches()
    reduction_clear_cache()
    contexts = _budget.all_contexts()
    active = _budget._ACTIVE.get()
    if active is not None:
        contexts.append(active)
    models = [*model._DEFAULT, *model._NAMED.values(), *(c.cost_model for c in contexts)]
    for m in models:
        m._cache.clear()
    for ctx in contexts:
        ctx._prices.clear()
