"""numpy backend: array-api-compat's standard view of numpy (``array_api_compat.numpy``)."""

from __future__ import annotations

from typing import Any

import array_api_compat.numpy as _xp
import numpy as np

from flopscope.backends._base import Adapter, Capabilities


class NumpyAdapter(Adapter):
    name = "numpy"
    xp = _xp
    array_types = (np.ndarray, np.generic)
    capabilities = Capabilities(
        einsum=True, complex=True, devices=("cpu",), lazy=False, extensions=("linalg", "fft")
    )

    def unwrap(self, x: Any) -> Any:
        # an fnp.ndarray would route compat's numpy calls back through its counted dunders
        if type(x) is not np.ndarray and isinstance(x, np.ndarray):
            return x.view(np.ndarray)
        return x

    def shape(self, x: Any) -> tuple[int, ...]:
        return x.shape

    def as_result(self, r: Any) -> Any:
        # numpy returns scalars from full reductions; the standard returns 0-d arrays
        return np.asarray(r) if isinstance(r, np.generic) else r

    def einsum(self, subscripts: str, *operands: Any, **kwargs: Any) -> Any:
        from flopscope._einsum.execute import einsum

        return einsum(subscripts, *operands, **kwargs)


ADAPTER = NumpyAdapter()
