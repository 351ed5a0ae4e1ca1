"""jax backend: ``jax.numpy`` follows the Array API standard itself (JAX 0.4.32 and later).

JAX arrays are immutable: in-place operators rebind the counted array to a new result, and
item assignment raises JAX's own ``TypeError`` (use ``x.backend_array.at[...]``).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as _xp

from flopscope.backends._base import Adapter, Capabilities


class JaxAdapter(Adapter):
    name = "jax"
    xp = _xp
    array_types = (jax.Array,)
    capabilities = Capabilities(
        einsum=True,
        complex=True,
        devices=tuple(str(d) for d in jax.devices()),
        lazy=False,
        extensions=("linalg", "fft"),
    )

    def shape(self, x: Any) -> tuple[int, ...]:
        return tuple(x.shape)

    def einsum(self, subscripts: str, *operands: Any, dtype: Any = None, **kwargs: Any) -> Any:
        kwargs.pop("optimize", None)  # the cost is path-independent; XLA picks its path
        if kwargs:
            raise TypeError(f"einsum() got unexpected keyword arguments {sorted(kwargs)}")
        if dtype is not None:  # jnp.einsum has no dtype=; cast like numpy's einsum would
            operands = tuple(_xp.astype(x, dtype) for x in operands)
        return _xp.einsum(subscripts, *operands)


ADAPTER = JaxAdapter()
