"""dask backend: array-api-compat's standard view of dask.array (``array_api_compat.dask.array``).

Dask is lazy: a counted call builds the task graph and is priced then, from the graph's
shape metadata; nothing is computed to price it, so a computation far larger than one
machine can be budgeted before it runs. A shape that is not known yet (``nan`` chunks,
e.g. after boolean masking) cannot be priced: :class:`UnknownShapeError` names the op and
asks for ``compute_chunk_sizes()``, rather than computing behind the user's back.
"""

from __future__ import annotations

from typing import Any

import array_api_compat.dask.array as _xp
import dask.array as da

from flopscope.backends._base import Adapter, Capabilities, UnknownShapeError


class DaskAdapter(Adapter):
    name = "dask"
    xp = _xp
    array_types = (da.Array,)
    capabilities = Capabilities(
        einsum=True,
        complex=True,
        devices=tuple(str(d) for d in _xp.__array_namespace_info__().devices()),
        lazy=True,
        extensions=("linalg", "fft"),
        # compat's versions fail on every input: svdvals asks dask for full_matrices=True,
        # matrix_rank passes numpy's compute_uv= to dask's svd
        unsupported=("linalg.matrix_rank", "linalg.svdvals"),
    )

    def shape(self, x: Any) -> tuple[int, ...]:
        shape = x.shape
        for d in shape:
            if d != d:  # nan: the chunk sizes are unknown until computed
                raise UnknownShapeError(self.name, shape)
        return shape

    def public_shape(self, x: Any) -> tuple[int | None, ...]:
        return tuple(None if d != d else d for d in x.shape)

    def einsum(self, subscripts: str, *operands: Any, **kwargs: Any) -> Any:
        kwargs.pop("optimize", None)  # the cost is path-independent; dask builds its graph
        return da.einsum(subscripts, *operands, **kwargs)


ADAPTER = DaskAdapter()
