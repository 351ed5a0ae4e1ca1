"""Backend adapters: one thin module per array library, found by name or by module.

``get_adapter("numpy")``, ``get_adapter(numpy)`` and ``get_adapter(array_api_compat.numpy)``
give the same adapter. Backends that flopscope knows by name but has no adapter for yet
(``torch``, ``dask``, ``cupy``, ``jax``) raise a clear error naming them, as do unknown
modules and backends that are not installed.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

from flopscope.backends._base import Adapter, Capabilities, Shaped

__all__ = ["Adapter", "Capabilities", "Shaped", "BACKENDS", "get_adapter", "is_backend_name"]

#: registry name -> (module that must be importable, adapter module or None if not written yet)
BACKENDS: dict[str, tuple[str, str | None]] = {
    "numpy": ("numpy", "flopscope.backends.numpy"),
    "array_api_strict": ("array_api_strict", "flopscope.backends.array_api_strict"),
    "torch": ("torch", None),
    "dask": ("dask.array", None),
    "cupy": ("cupy", None),
    "jax": ("jax.numpy", None),
}

#: module ``__name__`` -> registry name (the library itself and its array-api-compat view)
_MODULES = {
    "numpy": "numpy",
    "array_api_compat.numpy": "numpy",
    "array_api_strict": "array_api_strict",
    "torch": "torch",
    "array_api_compat.torch": "torch",
    "dask.array": "dask",
    "array_api_compat.dask.array": "dask",
    "cupy": "cupy",
    "array_api_compat.cupy": "cupy",
    "jax.numpy": "jax",
    "jax": "jax",
}

#: spellings accepted as names besides the registry keys
_NAME_ALIASES = {"dask.array": "dask", "jax.numpy": "jax"}


def is_backend_name(name: str) -> bool:
    """``name`` names a backend (installed or not); any other string is an attribution label."""
    return name in BACKENDS or name in _NAME_ALIASES


def registry_name(backend: str | ModuleType | None) -> str:
    """Registry name of ``backend`` (a name, a module or ``None`` for numpy)."""
    if backend is None:
        return "numpy"
    if isinstance(backend, str):
        name = _NAME_ALIASES.get(backend, backend)
        if name not in BACKENDS:
            raise ValueError(f"unknown array backend {backend!r}; known: {sorted(BACKENDS)}")
        return name
    if isinstance(backend, ModuleType):
        name = _MODULES.get(backend.__name__)
        if name is None:
            raise ValueError(
                f"flops.namespace: no adapter for the module {backend.__name__!r}; "
                f"supported backends: {sorted(BACKENDS)}"
            )
        return name
    raise TypeError(
        f"flops.namespace: backend must be a module or a backend name, got {type(backend).__name__}"
    )


def get_adapter(backend: str | ModuleType | None) -> Adapter:
    """The adapter for ``backend``; raises ``ImportError`` naming it if it cannot be used."""
    name = registry_name(backend)
    library, adapter_module = BACKENDS[name]
    if importlib.util.find_spec(library.split(".")[0]) is None:
        raise ImportError(
            f"flops.namespace({name!r}): the {library!r} package is not installed "
            f"(pip install {library.split('.')[0]})"
        )
    if adapter_module is None:
        raise ImportError(
            f"flops.namespace({name!r}): flopscope has no adapter for the {name!r} backend yet; "
            f"available now: {available()}"
        )
    module: Any = importlib.import_module(adapter_module)
    return module.ADAPTER


def available() -> list[str]:
    """Backends with an adapter whose library is installed."""
    return [
        name
        for name, (library, adapter) in BACKENDS.items()
        if adapter is not None and importlib.util.find_spec(library.split(".")[0]) is not None
    ]
