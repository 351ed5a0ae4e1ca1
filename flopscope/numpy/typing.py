"""``flopscope.numpy.typing``: everything public in ``numpy.typing`` (``ArrayLike``,
``DTypeLike``, ``NBitBase``, ``NDArray``...), for annotating code written against ``fnp``."""

from __future__ import annotations

import numpy.typing as _npt
from numpy.typing import ArrayLike as ArrayLike
from numpy.typing import DTypeLike as DTypeLike
from numpy.typing import NBitBase as NBitBase
from numpy.typing import NDArray as NDArray

# names a newer numpy adds to numpy.typing.__all__ follow without an edit here
globals().update({name: getattr(_npt, name) for name in _npt.__all__})
__all__ = sorted({"ArrayLike", "DTypeLike", "NBitBase", "NDArray", *_npt.__all__})
