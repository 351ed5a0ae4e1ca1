"""Backend adapters: one thin module per array library, found by name or by module.

``get_adapter("numpy")``, ``get_adapter(numpy)`` and ``get_adapter(array_api_compat.numpy)``
give the same adapter. Known backends: numpy, array_api_strict, torch, dask, cupy, jax;
one that is not installed raises ``ImportError`` naming it, an unknown module
``ValueError``. :func:`capability_table` lists what each installed backend can do.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

from flopscope.backends._base import (
    Adapter,
    BackendUnsupportedError,
    Capabilities,
    Shaped,
    UnknownShapeError,
)

__all__ = [
    "Adapter",
    "Capabilities",
    "Shaped",
    "BACKENDS",
    "BackendUnsupportedError",
    "UnknownShapeError",
    "available",
    "capability_table",
    "get_adapter",
    "is_backend_name",
    "unsupported",
]

#: registry name -> (module that must be importable, adapter module or None if not written yet)
BACKENDS: dict[str, tuple[str, str | None]] = {
    "numpy": ("numpy", "flopscope.backends.numpy"),
    "array_api_strict": ("array_api_strict", "flopscope.backends.array_api_strict"),
    "torch": ("torch", "flopscope.backends.torch"),
    "dask": ("dask.array", "flopscope.backends.dask"),
    "cupy": ("cupy", "flopscope.backends.cupy"),
    "jax": ("jax.numpy", "flopscope.backends.jax"),
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


def unsupported(adapter: Adapter) -> tuple[str, ...]:
    """Counted standard functions (rows with an ``array_api`` name) ``adapter`` cannot run:
    the ones it declares (``capabilities.unsupported``) and the ones its standard namespace
    lacks. Sorted qualified names (``"linalg.eigh"``)."""
    from flopscope.backends import _standard as std
    from flopscope.ops import all_ops

    missing = set()
    for op in all_ops():
        if op.array_api is None or op.array_api == "einsum":  # einsum: adapters supply one
            continue
        for module in (op.module, *op.also_in):
            if module and module not in std.EXTENSIONS:
                continue
            if adapter.function(op.array_api, module) is None:
                missing.add(f"{module}.{op.array_api}" if module else op.array_api)
    return tuple(sorted(missing))


def capability_table() -> dict[str, dict[str, Any]]:
    """What each installed backend supports: its :class:`Capabilities` fields, with
    ``unsupported`` completed by the functions its standard namespace lacks."""
    table = {}
    for name in available():
        adapter = get_adapter(name)
        caps = adapter.capabilities
        table[name] = {
            "einsum": caps.einsum,
            "complex": caps.complex,
            "devices": caps.devices,
            "lazy": caps.lazy,
            "extensions": caps.extensions,
            "unsupported": unsupported(adapter),
        }
    return table
