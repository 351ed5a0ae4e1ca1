"""Finding backends by name or module; clear errors for unknown and missing ones."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import pathlib
import types

import array_api_compat.numpy
import array_api_strict
import numpy
import pytest

import flopscope as flops
from flopscope.backends import (
    BACKENDS,
    available,
    capability_table,
    get_adapter,
    is_backend_name,
    unsupported,
)
from flopscope.backends.array_api_strict import ADAPTER as STRICT
from flopscope.backends.numpy import ADAPTER as NUMPY


@pytest.mark.parametrize("spec", ["numpy", numpy, array_api_compat.numpy, None])
def test_numpy_by_name_module_or_compat_module(spec: object) -> None:
    assert get_adapter(spec) is NUMPY


@pytest.mark.parametrize("spec", ["array_api_strict", array_api_strict])
def test_array_api_strict(spec: object) -> None:
    assert get_adapter(spec) is STRICT


def _installed(name: str) -> bool:
    return importlib.util.find_spec(BACKENDS[name][0].split(".")[0]) is not None


def test_every_known_backend_has_an_adapter() -> None:
    assert set(BACKENDS) == {"numpy", "array_api_strict", "torch", "dask", "cupy", "jax"}
    assert all(adapter is not None for _, adapter in BACKENDS.values())
    for name in ("torch", "dask", "dask.array", "cupy", "jax", "jax.numpy"):
        assert is_backend_name(name)
    assert not is_backend_name("encoder")
    assert available() == [name for name in BACKENDS if _installed(name)]
    assert available()[:2] == ["numpy", "array_api_strict"]


@pytest.mark.parametrize("name", ["torch", "dask", "cupy", "jax"])
def test_missing_backends_raise_import_error_naming_them(name: str) -> None:
    if _installed(name):
        pytest.skip(f"{name} is installed")
    with pytest.raises(ImportError, match=f"{name}.*not installed"):
        get_adapter(name)
    with pytest.raises(ImportError, match=name):
        flops.namespace(name)


@pytest.mark.parametrize("name", ["torch", "dask", "cupy", "jax"])
def test_installed_backends_resolve_by_name_and_module(name: str) -> None:
    if not _installed(name):
        pytest.skip(f"{name} is not installed")
    adapter = get_adapter(name)
    assert adapter.name == name
    library = importlib.import_module(BACKENDS[name][0])
    assert get_adapter(library) is adapter
    if name != "jax":  # jax.numpy is its own standard namespace
        compat = importlib.import_module(f"array_api_compat.{BACKENDS[name][0]}")
        assert get_adapter(compat) is adapter
    assert flops.namespace(name) is flops.namespace(library)


def test_capability_table_lists_every_installed_backend() -> None:
    table = capability_table()
    assert list(table) == available()
    for name, row in table.items():
        caps = get_adapter(name).capabilities
        assert row["lazy"] is caps.lazy and row["einsum"] is caps.einsum
        assert set(caps.unsupported) <= set(row["unsupported"])
        assert row["devices"] == caps.devices and row["devices"]
    assert table["numpy"]["unsupported"] == ()
    assert table["array_api_strict"]["unsupported"] == ()


def test_unsupported_lists_the_rows_a_standard_namespace_lacks() -> None:
    class Partial(type(NUMPY)):
        name = "partial"
        capabilities = dataclasses.replace(NUMPY.capabilities, unsupported=("linalg.qr",))

        def function(self, name: str, module: str = "") -> object:
            return None if name == "exp" else super().function(name, module)

    assert unsupported(Partial()) == ("exp", "linalg.qr")


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


def _docs_capabilities() -> dict[str, list[str]]:
    """Rows of the capabilities table in docs/backends.md, by backend name."""
    page = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "backends.md").read_text()
    section = page.split("## Capabilities", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] in BACKENDS:
            rows[cells[0]] = cells
    return rows


def test_the_docs_capability_table_matches_the_adapters() -> None:
    rows = _docs_capabilities()
    assert set(rows) == set(BACKENDS)
    assert not rows["torch"][5].startswith("(") and not rows["dask"][5].startswith("(")
    for name in available():
        _, einsum, complex_, lazy, _, cannot = rows[name]
        caps = get_adapter(name).capabilities
        assert (einsum == "native") is caps.einsum, name
        assert (complex_ == "yes") is caps.complex and (lazy == "yes") is caps.lazy, name
        if cannot.startswith("("):  # "(qualified only where ...)": no list to hold it to yet
            continue
        listed = () if cannot == "—" else tuple(sorted(c.strip(" `") for c in cannot.split(",")))
        assert listed == unsupported(get_adapter(name)), name
