"""Argument descriptions rebuild the same data on every backend."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from conformance.values import build, describe, numpy_build

dtypes = st.sampled_from(["float64", "float32", "int64", "int8", "bool", "complex128"])


@given(dtypes.flatmap(lambda d: hnp.arrays(d, hnp.array_shapes(min_dims=0, max_side=5))))
def test_arrays_round_trip_bit_for_bit(a: np.ndarray) -> None:
    desc = json.loads(json.dumps(describe(a)))  # through JSON, as the tables store it
    b = numpy_build(desc)
    assert b.dtype == a.dtype and b.shape == a.shape
    assert _canonical(b).tobytes() == _canonical(a).tobytes()


def _canonical(x: np.ndarray) -> np.ndarray:
    """NaN bit patterns (sign, payload) are not part of a description: one NaN."""
    if x.dtype.kind == "f":
        return np.where(np.isnan(x), np.nan, x).astype(x.dtype)
    if x.dtype.kind == "c":
        re = np.where(np.isnan(x.real), np.nan, x.real)
        im = np.where(np.isnan(x.imag), np.nan, x.imag)
        return (re + 1j * im).astype(x.dtype)
    return x


def test_constructors_are_recognised() -> None:
    assert describe(np.linspace(0.1, 0.9, 12).reshape(3, 4))["ctor"] == "linspace"
    assert describe(np.arange(6).reshape(2, 3))["ctor"] == "arange"
    assert describe(np.ones((2, 2), np.float32))["ctor"] == "full"
    assert describe(np.array([3.0, -1.0, 7.0]))["ctor"] == "values"


def test_other_values() -> None:
    value = (1, [2.5, None], slice(1, None), np.float32(2), 1 + 2j, np.dtype("int8"), "ij")
    desc = json.loads(json.dumps(describe(value)))
    back = numpy_build(desc)
    assert back == (1, [2.5, None], slice(1, None), np.float32(2), 1 + 2j, np.dtype("int8"), "ij")
    assert type(back[3]) is np.float32


def test_build_goes_through_the_backend() -> None:
    import array_api_strict as xps

    desc = describe([np.arange(3.0), np.dtype("float32")])
    arr, dt = build(desc, xps.asarray, lambda n: getattr(xps, n))
    assert type(arr).__module__.startswith("array_api_strict") and dt == xps.float32
