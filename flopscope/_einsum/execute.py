"""Einsum execution (runs after the call has been priced and charged)."""

from __future__ import annotations

from typing import Any

import numpy as np


def einsum(
    subscripts: str, *operands: Any, out: Any = None, optimize: Any = "auto", **kwargs: Any
) -> Any:
    """Contract ``operands``; pairwise BLAS-able steps go to numpy's tensordot/matmul."""
    kwargs.pop("symmetry", None)
    if optimize is False or optimize == "auto":
        optimize = len(operands) > 2 or True
    return np.einsum(subscripts, *operands, out=out, optimize=optimize, **kwargs)


def einsum_path(subscripts: str, *operands: Any, optimize: Any = "auto") -> Any:
    return np.einsum_path(
        subscripts, *operands, optimize="greedy" if optimize == "auto" else optimize
    )
