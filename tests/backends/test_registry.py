"""Finding backends by name or module; clear errors for unknown and missing ones."""

from __future__ import annotations

import importlib.util
import types

import array_api_compat.numpy
import array_api_strict
import numpy
import pytest

import flopscope as flops
from flopscope.backends import BACKENDS, available, get_adapter, is_backend_name
from flopscope.backends.array_api_strict import ADAPTER as STRICT
from flopscope.backends.numpy import ADAPTER as NUMPY


@pytest.mark.parametrize("spec", ["numpy", numpy, array_api_compat.numpy, None])
def test_numpy_by_name_module_or_compat_module(spec: object) -> None:
    assert get_adapter(spec) is NUMPY


@pytest.mark.parametrize("spec", ["array_api_strict", array_api_strict])
def test_array_api_strict(spec: object) -> None:
    assert get_adapter(spec) is STRICT


def test_registry_is_ready_for_later_backends() -> None:
    assert {"numpy", "array_api_strict", "torch", "dask", "cupy", "jax"} <= set(BACKENDS)
    for name in ("torch", "dask", "dask.array", "cupy", "jax", "jax.numpy"):
        assert is_backend_name(name)
    assert not is_backend_name("encoder")
    assert available() == ["numpy", "array_api_strict"]


@pytest.mark.parametrize("name", ["torch", "dask", "cupy", "jax"])
def test_later_backends_raise_import_error_naming_them(name: str) -> None:
    library = BACKENDS[name][0].split(".")[0]
    with pytest.raises(ImportError, match=name) as info:
        get_adapter(name)
    if importlib.util.find_spec(library) is None:
        assert "not installed" in str(info.value)
    else:
        assert "no adapter" in str(info.value)
    with pytest.raises(ImportError, match=name):
        flops.namespace(name)


def test_unknown_module_raises_naming_it() -> None:
    fake = types.ModuleType("fakearrays")
    with pytest.raises(ValueError, match="fakearrays"):
        get_adapter(fake)
    with pytest.raises(ValueError, match="fakearrays"):
        flops.namespace(fake)


def test_unknown_name_is_an_error_for_the_registry() -> None:
    with pytest.raises(ValueError, match="'nope'"):
        get_adapter("nope")


def test_not_a_module_or_name() -> None:
    with pytest.raises(TypeError, match="int"):
        get_adapter(3)  # type: ignore[arg-type]
