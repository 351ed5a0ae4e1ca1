"""The einsum caches (paths, costs, parsed subscripts): inspect and clear them.

Caches never change results; clearing them only frees memory.
"""

from __future__ import annotations

from typing import Any

from flopscope._einsum import cost, execute, parse, path


def einsum_cache_info() -> dict[str, Any]:
    """``{"path": CacheInfo, "accumulation": CacheInfo}`` of the path and cost caches."""
    return {"path": path.path_cache_info(), "accumulation": cost.einsum_cost.cache_info()}


def einsum_clear_caches() -> None:
    """Empty every einsum cache (paths, costs, parsed subscripts, BLAS plans)."""
    path.clear_path_cache()
    for fn in (
        cost.einsum_cost,
        cost.auto_path_steps,
        parse.canonicalize,
        parse.size_dict,
        execute.blas_plan,
        execute.prepare,
    ):
        fn.cache_clear()


__all__ = ["einsum_cache_info", "einsum_clear_caches"]
