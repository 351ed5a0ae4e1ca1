"""torch backend: array-api-compat's standard view of torch (``array_api_compat.torch``).

Arrays live on any torch device (``"cpu"`` here, ``"cuda"`` where a GPU is present, and
``"meta"``: shape-only tensors, so a model can be priced without memory or compute).
Shapes are ``torch.Size`` metadata, read without touching the data.
"""

from __future__ import annotations

import warnings
from typing import Any

import array_api_compat.torch as _xp
import torch

from flopscope.backends._base import Adapter, Capabilities


def _devices() -> tuple[Any, ...]:
    # compat probes every device type torch knows; torch warns about the deprecated ones
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(_xp.__array_namespace_info__().devices())


class TorchAdapter(Adapter):
    name = "torch"
    xp = _xp
    array_types = (torch.Tensor,)
    capabilities = Capabilities(
        einsum=True,
        complex=True,
        devices=tuple(str(d) for d in _devices()),
        lazy=False,
        extensions=("linalg", "fft"),
        # array-api-compat raises NotImplementedError for it (pytorch/pytorch#36748)
        unsupported=("unique_all",),
    )

    def shape(self, x: Any) -> tuple[int, ...]:
        return tuple(x.shape)  # torch.Size is a tuple of ints; keep records plain tuples

    def devices(self) -> tuple[Any, ...]:
        return _devices()

    def einsum(self, subscripts: str, *operands: Any, dtype: Any = None, **kwargs: Any) -> Any:
        kwargs.pop("optimize", None)  # the cost is path-independent; torch picks its path
        if kwargs:
            raise TypeError(f"einsum() got unexpected keyword arguments {sorted(kwargs)}")
        # torch.einsum refuses mixed dtypes; the standard promotes them
        target = dtype if dtype is not None else _xp.result_type(*operands)
        operands = tuple(x if x.dtype == target else x.to(target) for x in operands)
        return torch.einsum(subscripts, *operands)


ADAPTER = TorchAdapter()
