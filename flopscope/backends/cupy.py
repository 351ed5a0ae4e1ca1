"""cupy backend: array-api-compat's standard view of cupy (``array_api_compat.cupy``).

Needs a CUDA GPU. Devices are ``cupy.cuda.Device`` objects, one per visible GPU; shapes
are host-side metadata, so pricing never synchronises with the GPU.
"""

from __future__ import annotations

from typing import Any

import array_api_compat.cupy as _xp
import cupy

from flopscope.backends._base import Adapter, Capabilities


def _devices() -> tuple[Any, ...]:
    try:
        return tuple(_xp.__array_namespace_info__().devices())
    except Exception:  # cupy installed but no usable CUDA driver: no devices to offer
        return ()


class CupyAdapter(Adapter):
    name = "cupy"
    xp = _xp
    array_types = (cupy.ndarray,)
    capabilities = Capabilities(
        einsum=True,
        complex=True,
        devices=tuple(str(d) for d in _devices()),
        lazy=False,
        extensions=("linalg", "fft"),
    )

    def shape(self, x: Any) -> tuple[int, ...]:
        return x.shape  # already a tuple of ints

    def devices(self) -> tuple[Any, ...]:
        return _devices()

    def einsum(self, subscripts: str, *operands: Any, **kwargs: Any) -> Any:
        kwargs.pop("optimize", None)  # the cost is path-independent; cupy picks its path
        dtype = kwargs.pop("dtype", None)
        if kwargs:
            raise TypeError(f"einsum() got unexpected keyword arguments {sorted(kwargs)}")
        if dtype is not None:
            operands = tuple(x.astype(dtype, copy=False) for x in operands)
        return cupy.einsum(subscripts, *operands)


ADAPTER = CupyAdapter()
