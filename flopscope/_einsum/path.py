"""Contraction paths: the ``optimize=`` argument, opt_einsum's ``contract_path`` and its cache.

Paths only decide how an einsum *executes*; its price never depends on them (see
:mod:`flopscope._einsum.cost`). Paths are cached per (canonical subscripts, shapes, optimize).
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache
from typing import Any

from flopscope._einsum.parse import Shape

#: every strategy name ``optimize=`` accepts (opt_einsum's path optimisers)
STRATEGIES = (
    "auto",
    "auto-hq",
    "greedy",
    "optimal",
    "dp",
    "dynamic-programming",
    "branch-1",
    "branch-2",
    "branch-all",
    "eager",
    "opportunistic",
    "random-greedy",
    "random-greedy-128",
)
_STRATEGY_SET = frozenset(STRATEGIES)

#: from this many operands on, "auto" executes with "greedy" (path search would dominate)
GREEDY_FROM = 8

PathKey = str | tuple[tuple[int, ...], ...]


def normalize_optimize(optimize: Any) -> PathKey:
    """A hashable form of ``optimize``: a strategy name or an explicit path of index tuples.

    ``False``/``True``/``None`` mean ``"auto"``; numpy's ``["einsum_path", (0, 1), ...]``
    form is accepted. An unknown name raises ``KeyError`` listing the valid ones.
    """
    if optimize is None or isinstance(optimize, bool):
        return "auto"
    if isinstance(optimize, str):
        if optimize not in _STRATEGY_SET:
            raise KeyError(
                f"einsum: unknown optimize strategy {optimize!r}; expected False, True, an "
                f"explicit path (list of index tuples) or one of {', '.join(STRATEGIES)}"
            )
        return optimize
    if isinstance(optimize, (list, tuple)):
        steps = list(optimize)
        if steps and steps[0] == "einsum_path":
            steps = steps[1:]
        try:
            return tuple(tuple(int(i) for i in step) for step in steps)
        except TypeError:
            pass
    raise TypeError(
        "einsum: optimize must be a bool, a strategy name or an explicit path "
        f"(list of index tuples), got {optimize!r}"
    )


def execution_strategy(key: PathKey, n_operands: int) -> PathKey:
    """The strategy that runs: ``"auto"`` becomes ``"greedy"`` for many operands."""
    if key == "auto" and n_operands >= GREEDY_FROM:
        return "greedy"
    return key


def check_explicit(path: tuple[tuple[int, ...], ...], n_operands: int) -> None:
    """``ValueError`` unless ``path`` contracts ``n_operands`` operands down to one."""
    n = n_operands
    for step in path:
        if not step or len(set(step)) != len(step) or any(not 0 <= i < n for i in step):
            raise ValueError(f"einsum: invalid contraction step {step} for {n} operands")
        n -= len(step) - 1
    if n != 1:
        raise ValueError(
            f"einsum: invalid explicit path {list(path)}: {n - 1} more operands have to be "
            "contracted"
        )


def contract_path(canonical: str, shapes: tuple[Shape, ...], key: Hashable) -> Any:
    """opt_einsum's ``(path, PathInfo)`` for ``canonical`` on ``shapes`` (cached)."""
    return _cached_path(canonical, shapes, key)


def _find_path(canonical: str, shapes: tuple[Shape, ...], key: Hashable) -> Any:
    import opt_einsum

    if isinstance(key, tuple):
        check_explicit(key, len(shapes))
        optimize: Any = list(key)
    else:
        optimize = key
    try:
        return opt_einsum.contract_path(canonical, *shapes, shapes=True, optimize=optimize)
    except RuntimeError:
        # opt_einsum's dynamic programming finds no path for some empty problems (a zero
        # size); every order computes an empty problem equally well
        if isinstance(key, tuple) or all(0 not in s for s in shapes):
            raise
        return opt_einsum.contract_path(canonical, *shapes, shapes=True, optimize="greedy")


# a module global behind ``contract_path`` so ``configure(einsum_path_cache_size=...)`` can
# rebuild it while modules that imported ``contract_path`` by name keep working
_cached_path = lru_cache(maxsize=4096)(_find_path)


def resize_path_cache(maxsize: int) -> None:
    """Replace the path cache by an empty one holding at most ``maxsize`` entries."""
    global _cached_path
    _cached_path = lru_cache(maxsize=maxsize)(_find_path)


def path_cache_info() -> Any:
    """``CacheInfo`` of the contraction-path cache (``fnp.einsum_cache_info``)."""
    return _cached_path.cache_info()


def clear_path_cache() -> None:
    """Empty the contraction-path cache (``fnp.clear_einsum_cache``)."""
    _cached_path.cache_clear()
