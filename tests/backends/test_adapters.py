"""The numpy and array_api_strict adapters: capabilities, shapes, unwrapping, results."""

from __future__ import annotations

import pickle

import array_api_compat.numpy as compat_numpy
import array_api_strict as xs
import numpy as np

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.backends import Capabilities, Shaped
from flopscope.backends.array_api_strict import ADAPTER as STRICT
from flopscope.backends.numpy import ADAPTER as NUMPY


def test_capabilities() -> None:
    assert NUMPY.capabilities == Capabilities(
        einsum=True, complex=True, devices=("cpu",), lazy=False, extensions=("linalg", "fft")
    )
    assert STRICT.capabilities.einsum is False
    assert STRICT.capabilities.lazy is False
    assert STRICT.capabilities.complex is True
    assert "linalg" in STRICT.capabilities.extensions
    assert len(STRICT.capabilities.devices) >= 1


def test_standard_views() -> None:
    assert NUMPY.xp is compat_numpy
    assert STRICT.xp is xs
    assert NUMPY.function("concat") is compat_numpy.concat
    assert NUMPY.function("vecdot", "linalg") is compat_numpy.linalg.vecdot
    assert STRICT.function("einsum") is None
    assert STRICT.function("nope", "nolinalg") is None


def test_shapes_are_int_tuples() -> None:
    assert NUMPY.shape(np.ones((2, 3))) == (2, 3)
    assert STRICT.shape(xs.ones((2, 3))) == (2, 3)
    assert NUMPY.shape_of(2.5) == () and STRICT.shape_of(True) == ()
    assert NUMPY.shape_of(np.float64(1)) == ()


def test_shape_of_rejects_foreign_objects() -> None:
    for adapter, foreign in ((NUMPY, xs.ones(2)), (STRICT, np.ones(2)), (STRICT, [1.0])):
        try:
            adapter.shape_of(foreign)
        except TypeError as exc:
            assert adapter.name in str(exc)
        else:
            raise AssertionError(f"{adapter.name} accepted {type(foreign).__name__}")


def test_is_array() -> None:
    assert NUMPY.is_array(np.ones(2)) and not NUMPY.is_array(xs.ones(2))
    assert STRICT.is_array(xs.ones(2)) and not STRICT.is_array(np.ones(2))


def test_numpy_unwraps_fnp_arrays_to_plain_ndarrays() -> None:
    f = fnp.ones((2, 2))
    plain = NUMPY.unwrap(f)
    assert type(plain) is np.ndarray and np.shares_memory(plain, f)
    p = np.ones(2)
    assert NUMPY.unwrap(p) is p


def test_numpy_scalars_become_zero_d_arrays() -> None:
    r = NUMPY.as_result(np.float32(2.0))
    assert type(r) is np.ndarray and r.shape == () and r.dtype == np.float32
    x = xs.ones(2)
    assert STRICT.as_result(x) is x


def test_shaped_proxy_answers_numpy_shape_queries() -> None:
    s = Shaped((3, 4))
    assert np.shape(s) == (3, 4) and np.size(s) == 12 and np.ndim(s) == 2 and len(s) == 3
    assert Shaped(()).size == 1


def test_devices() -> None:
    assert NUMPY.device(np.ones(2)) == "cpu"
    x = xs.ones(2)
    assert STRICT.device(x) == x.device
    assert STRICT.to_device(x, x.device).device == x.device


def test_backend_errors_pickle_and_name_what_failed() -> None:
    from flopscope.backends import BackendUnsupportedError, UnknownShapeError

    err = BackendUnsupportedError("dask", "linalg.eigh", "its standard namespace lacks it")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is BackendUnsupportedError and str(back) == str(err)
    assert (back.backend, back.func_name, back.reason) == ("dask", "linalg.eigh", err.reason)
    assert isinstance(back, flops.UnsupportedFunctionError) and isinstance(back, AttributeError)
    shape = UnknownShapeError("dask", (float("nan"), 3), "exp")
    back = pickle.loads(pickle.dumps(shape))
    assert type(back) is UnknownShapeError and str(back) == str(shape)
    assert str(back).startswith("exp: cannot price a dask array of unknown shape (nan, 3)")
    assert isinstance(back, flops.FlopscopeError) and isinstance(back, ValueError)
