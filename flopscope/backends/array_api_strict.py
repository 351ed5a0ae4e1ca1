"""array_api_strict backend: already the standard, used as is (no compat layer)."""

from __future__ import annotations

import array_api_strict as _xp

from flopscope.backends._base import Adapter, Capabilities


class ArrayApiStrictAdapter(Adapter):
    name = "array_api_strict"
    xp = _xp
    array_types = (type(_xp.asarray(0)),)  # the Array class is not exported by name
    capabilities = Capabilities(
        einsum=False,
        complex=True,
        devices=tuple(str(d) for d in _xp.__array_namespace_info__().devices()),
        lazy=False,
        extensions=tuple(_xp.get_array_api_strict_flags()["enabled_extensions"]),
    )


ADAPTER = ArrayApiStrictAdapter()
