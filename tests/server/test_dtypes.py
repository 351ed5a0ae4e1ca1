"""Unserved dtypes are refused where numpy reads an argument as a dtype, and only there."""

from __future__ import annotations

from typing import Any

import msgpack
import numpy as np
import pytest

import flopscope as flops
import flopscope.numpy as fnp
from flopscope.ops import lookup
from flopscope.server import dtypes
from tests.server.wire import Raw, T


def _in_process(fn: Any) -> int:
    with flops.BudgetContext(10**12, quiet=True) as ctx:
        fn()
        return ctx.flops_used


def test_positions_come_from_numpys_signatures() -> None:
    assert dtypes.dtype_positions(np.zeros) == ((1,), -1)
    assert dtypes.dtype_positions(np.sum) == ((2,), -1)
    assert dtypes.dtype_positions(np.linalg.eigh) == ((), -1)
    # numpy's einsum takes everything through *operands; flopscope's row names subscripts
    assert dtypes.dtype_positions(np.einsum) == ((), 0)
    assert dtypes.dtype_positions(lookup("einsum", "").impl) == ((), 1)
    assert dtypes.dtype_positions(np.add) == ((), -1)  # dtype is keyword-only


def test_unreadable_signatures_check_every_string() -> None:
    class Opaque:
        __signature__ = "not a signature"

        def __call__(self, *args: Any) -> None:
            pass

    assert dtypes.dtype_positions(Opaque()) is None
    with pytest.raises(TypeError, match="not served"):
        dtypes.check(dtypes.slots(Opaque()), ["O"], {})
    dtypes.check(dtypes.slots(Opaque()), ["f8", "no such dtype"], {})


@pytest.mark.parametrize(
    ("op", "args", "kwargs"),
    [
        ("zeros", (3, "O"), {}),
        ("zeros", (3,), {"dtype": "U8"}),
        ("array", ([1, 2], "S4"), {}),
        ("ones", (2,), {"dtype": [("a", "f8"), ("b", "O")]}),
        ("add", (1, 2), {"dtype": "O"}),
        ("add", (1.0, 2.0), {"signature": T("O", "O", "O")}),
        ("add", (1.0, 2.0), {"signature": ["O", "O", "O"]}),
        ("result_type", ("f8", "O"), {}),  # *arrays_and_dtypes: every string is checked
    ],
)
def test_dtype_slots_refuse_unserved_dtypes_before_running(
    c: Raw, op: str, args: tuple, kwargs: dict
) -> None:
    reply = c.call(op, *args, **kwargs)
    assert reply["error"]["type"] == "TypeError"
    assert "is not served (object/str/void dtypes)" in reply["error"]["message"]  # not run
    assert c.used() == 0


def test_reductions_refuse_an_object_accumulator(c: Raw) -> None:
    a = c.put(np.arange(4.0))
    for reply in (c.call("sum", a, None, "O"), c.call("sum", a, dtype="O")):
        assert reply["error"]["type"] == "TypeError"
    assert c.call("astype", a, "O")["error"]["type"] == "TypeError"
    assert c.used() == 0
    assert c.call("sum", a, dtype="float32")["ok"]  # served dtypes pass


def test_strings_that_are_not_dtypes_pass(c: Raw) -> None:
    m = np.arange(16.0).reshape(4, 4)
    m = m + m.T + 16 * np.eye(4)
    h = c.put(m)
    for reply in (
        c.call("eigh", h, "U", module="linalg"),
        c.call("eigh", h, module="linalg", UPLO="U"),
    ):
        assert reply["ok"], reply
    want = _in_process(lambda: fnp.linalg.eigh(m, UPLO="U"))
    before = c.used()
    c.ok("eigh", h, module="linalg", UPLO="U")
    assert c.used() - before == want
    assert c.ok("isscalar", "a") is True  # "a" spells a bytes dtype; here it is a value
    assert c.ok("typename", "S1") == np.typename("S1")
    x = c.put(np.arange(6.0).reshape(2, 3))
    assert c.call("einsum", "ij->ji", x)["ok"]
    assert c.call("einsum", "a", c.put(np.ones(2)))["ok"]


def test_string_values_never_make_string_arrays_that_travel(c: Raw) -> None:
    # allowed as a value, but its result has a dtype the protocol does not carry
    reply = c.call("asarray", T("a", "b"))
    assert reply["error"]["type"] == "TypeError" and "not served" in reply["error"]["message"]
    assert c.ok("result_type", "f8", "i4").data == msgpack.packb("float64")  # a dtype ext


def test_unserved_dtypes_do_not_travel_as_results(c: Raw) -> None:
    reply = c.call("promote_types", "O", "f8")  # no dtype slot: runs, but cannot reply
    assert (
        reply["error"]["type"] == "TypeError"
        and "results of dtype object" in (reply["error"]["message"])
    )
    assert c.ok("promote_types", "f4", "f8").data == msgpack.packb("float64")
