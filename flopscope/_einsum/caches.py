"""The einsum caches (paths, costs, parsed subscripts): inspect and clear them.

Caches never change results; clearing them only frees memory.
"""

from __future__ import annotations

from typing import Any

from flopscope._einsum import cost, execute, parse, path


def einsum_cache_info() -> dict[str, Any]:
    """``{"path": CacheInfo, "accumulation": CacheInfo}``: the path cache, and the cost
    caches (dense and symmetric, the latter keyed by subscripts, shapes, operand group
    fingerprints, identity pattern, convention and budgets) counted together."""
    from functools import _CacheInfo

    from flopscope._symmetry import einsum_cost as symmetric

    dense, sym = cost.einsum_cost.cache_info(), symmetric._cached.cache_info()
    both = _CacheInfo(
        dense.hits + sym.hits,
        dense.misses + sym.misses,
        (dense.maxsize or 0) + (sym.maxsize or 0),
        dense.currsize + sym.currsize,
    )
    return {"path": path.path_cache_info(), "accumulation": both}


def einsum_clear_caches() -> None:
    """Empty every einsum cache (paths, costs, symmetric costs, parsed subscripts, BLAS
    plans)."""
    from flopscope._einsum import operands
    from flopscope._symmetry import einsum_cost as symmetric

    path.clear_path_cache()
    for cached in (symmetric._cached, symmetric.output_symmetry, symmetric.operand_elements,
                   operands.axis_generators):  # fmt: skip
        cached.cache_clear()
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
