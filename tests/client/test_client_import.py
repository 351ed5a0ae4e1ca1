"""The client imports without numpy and exposes the full package's names (no server needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import CLIENT_SRC, load_client

pytest.importorskip("zmq")
pytest.importorskip("msgpack")

PROGRAM = r"""
import json, sys
import flopscope as flops
import flopscope.numpy as fnp
import flopscope.numpy.linalg, flopscope.numpy.fft, flopscope.numpy.random
import flopscope.stats, flopscope.accounting, flopscope.errors, flopscope.client
print(json.dumps({
    "file": flops.__file__,
    "numpy": sorted(m for m in sys.modules if m == "numpy" or m.startswith("numpy.")),
    "n_fnp": len(fnp.__all__),
    "n_linalg": len(fnp.linalg.__all__),
    "version": flops.__version__,
}))
"""


def test_import_needs_no_numpy_and_no_server(tmp_path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(CLIENT_SRC),
        "FLOPSCOPE_SERVER_URL": "ipc:///nonexistent",
    }
    r = subprocess.run(
        [sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["file"].startswith(str(CLIENT_SRC))
    assert out["numpy"] == []
    assert out["version"] == "0.5.0"
    import flopscope.numpy as full_fnp
    import flopscope.numpy.linalg as full_linalg

    assert out["n_fnp"] == len(full_fnp.__all__)
    assert out["n_linalg"] == len(full_linalg.__all__)


def test_no_module_of_the_client_mentions_numpy_imports() -> None:
    for path in (CLIENT_SRC / "flopscope").rglob("*.py"):
        text = path.read_text()
        assert "import numpy" not in text and "from numpy" not in text, path


@pytest.fixture(scope="module")
def pkg():
    return load_client()


def test_same_names_as_full_package(pkg) -> None:
    import importlib

    import flopscope

    cfnp = importlib.import_module("flopscope_client.numpy")
    import flopscope.numpy as fnp

    assert set(pkg.__all__) == set(flopscope.__all__)
    assert set(cfnp.__all__) == set(fnp.__all__)
    for name in fnp.__all__:
        assert hasattr(cfnp, name), name
    for sub in ("linalg", "fft", "random"):
        full = importlib.import_module(f"flopscope.numpy.{sub}")
        mine = importlib.import_module(f"flopscope_client.numpy.{sub}")
        assert set(mine.__all__) == set(full.__all__)
    stats = importlib.import_module("flopscope_client.stats")
    assert callable(stats.norm.cdf) and callable(stats.truncnorm.ppf)


def test_unavailable_names_raise_naming_themselves(pkg) -> None:
    with pytest.raises(pkg.UnsupportedFunctionError, match=r"flopscope\.BudgetContext"):
        pkg.BudgetContext(100)
    with pytest.raises(pkg.UnsupportedFunctionError, match=r"flopscope\.CostModel"):
        pkg.CostModel("mac")
    import importlib

    cfnp = importlib.import_module("flopscope_client.numpy")
    with pytest.raises(pkg.UnsupportedFunctionError, match=r"flopscope\.numpy\.errstate"):
        cfnp.errstate(all="ignore")
    with pytest.raises(pkg.UnsupportedFunctionError, match=r"flopscope\.numpy\.random\.Generator"):
        cfnp.random.Generator(0)


def test_cost_helpers_are_remote_functions(pkg) -> None:
    import importlib

    acc = importlib.import_module("flopscope_client.accounting")
    assert len(acc.__all__) == 48 and all(callable(getattr(acc, n)) for n in acc.__all__)
    fn = acc.einsum_cost
    assert fn.__name__ == "einsum_cost" and fn.__qualname__ == "flopscope.accounting.einsum_cost"
    assert "flopscope server" in fn.__doc__
    top = pkg.einsum_accumulation_cost
    assert top.__qualname__ == "flopscope.einsum_accumulation_cost"
    assert "einsum_accumulation_cost" in pkg.__all__
    surface = importlib.import_module("flopscope_client._surface")
    assert not isinstance(fn, surface.Unavailable) and not isinstance(top, surface.Unavailable)


def test_server_constructed_classes_are_remote_classes(pkg) -> None:
    import importlib

    rnd = importlib.import_module("flopscope_client.numpy.random")
    surface = importlib.import_module("flopscope_client._surface")
    assert isinstance(rnd.RandomState, surface.RemoteClass)
    assert rnd.RandomState.__name__ == "RandomState"
    assert repr(rnd.RandomState) == "<remote class flopscope.numpy.random.RandomState>"
    assert not isinstance(object(), rnd.RandomState)  # no connection needed to ask
    assert not isinstance(rnd.SeedSequence, surface.RemoteClass)


def test_unknown_and_blocked_names(pkg) -> None:
    import importlib

    cfnp = importlib.import_module("flopscope_client.numpy")
    with pytest.raises(AttributeError, match="does not provide 'no_such_op'"):
        cfnp.no_such_op  # noqa: B018
    with pytest.raises(AttributeError, match=r"'save' \(blocked\)"):
        cfnp.save  # noqa: B018
    with pytest.raises(AttributeError, match="flopscope.numpy"):
        pkg.einsum  # noqa: B018


def test_constants_and_dtypes(pkg) -> None:
    import importlib
    import math

    cfnp = importlib.import_module("flopscope_client.numpy")
    assert cfnp.pi == math.pi and cfnp.e == math.e
    assert math.isinf(cfnp.inf) and math.isnan(cfnp.nan) and cfnp.newaxis is None
    assert cfnp.dtype("f8") == "float64" == cfnp.dtype(cfnp.float64) == cfnp.dtype(float)
    assert cfnp.dtype("float32") != "float64"
    assert cfnp.dtype("complex64").itemsize == 8 and cfnp.dtype("u2").kind == "u"
    assert cfnp.dtype("<i4").str == "<i4" and cfnp.dtype("bool").str == "|b1"
    assert repr(cfnp.dtype("int8")) == "dtype('int8')"
    assert cfnp.float32(1.5) == 1.5 and cfnp.int64("7") == 7 and cfnp.bool_(0) is False
    with pytest.raises(TypeError, match="not understood"):
        cfnp.dtype("object")
    assert {cfnp.dtype("float64"), cfnp.dtype("f8")} == {cfnp.dtype(float)}


@pytest.mark.parametrize(
    "name", ["float16", "float32", "float64", "complex64", "complex128"], ids=str
)
def test_finfo_matches_numpy(pkg, name: str) -> None:
    import importlib

    import numpy as np

    cfnp = importlib.import_module("flopscope_client.numpy")
    mine, want = cfnp.finfo(name), np.finfo(name)
    for attr in (
        "bits eps epsneg max min tiny smallest_normal smallest_subnormal resolution precision "
        "nmant nexp iexp maxexp minexp machep negep"
    ).split():
        assert getattr(mine, attr) == getattr(want, attr), attr
    assert mine.dtype == want.dtype.name


@pytest.mark.parametrize("name", "int8 int16 int32 int64 uint8 uint16 uint32 uint64".split())
def test_iinfo_matches_numpy(pkg, name: str) -> None:
    import importlib

    import numpy as np

    cfnp = importlib.import_module("flopscope_client.numpy")
    mine, want = cfnp.iinfo(name), np.iinfo(name)
    assert (mine.min, mine.max, mine.bits, mine.kind) == (want.min, want.max, want.bits, want.kind)
    with pytest.raises(ValueError):
        cfnp.iinfo("float64")
    with pytest.raises(ValueError):
        cfnp.finfo("int32")


def test_client_timeout_from_the_environment(pkg, monkeypatch) -> None:
    import importlib

    conn = importlib.import_module("flopscope_client._conn")
    monkeypatch.setenv("FLOPSCOPE_CLIENT_TIMEOUT", "2.5")
    assert conn.default_timeout() == 2.5
    monkeypatch.setenv("FLOPSCOPE_CLIENT_TIMEOUT", "")
    assert conn.default_timeout() is None
    monkeypatch.setenv("FLOPSCOPE_CLIENT_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="FLOPSCOPE_CLIENT_TIMEOUT"):
        conn.default_timeout()
