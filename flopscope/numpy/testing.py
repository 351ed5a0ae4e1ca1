"""``flopscope.numpy.testing``: numpy's array assertions, uncounted.

Assertions check results; they are not part of the computation being budgeted, so they run
free and leave no record, as in the 0.4.0 release. Arguments are seen by numpy as plain
arrays: handed a ``FlopscopeArray``, numpy's own implementation would otherwise call counted
ufuncs (``isnan``, ``isclose``...) on it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy.testing as _npt

from flopscope.numpy._factory import strip_all

__all__ = ["assert_allclose", "assert_array_equal"]


def _uncounted(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        args, kwargs = strip_all(args, kwargs)
        return fn(*args, **kwargs)

    wrapper.__module__ = __name__
    return wrapper


assert_allclose = _uncounted(_npt.assert_allclose)
assert_array_equal = _uncounted(_npt.assert_array_equal)
