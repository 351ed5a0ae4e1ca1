"""Output-size bounds computed before an op runs."""

from __future__ import annotations

import numpy as np
import pytest

from flopscope.ops import lookup
from flopscope.server.estimate import getitem_bytes, output_bytes


@pytest.mark.parametrize(
    ("name", "module", "args", "kwargs", "numel"),
    [
        ("zeros", "", ((1000, 1000),), {}, 10**6),
        ("ones", "", (7,), {}, 7),
        ("full", "", ((2, 3), 1.0), {}, 6),
        ("zeros_like", "", (np.ones(5),), {"shape": (10, 10)}, 100),
        ("eye", "", (4, 6), {}, 24),
        ("identity", "", (5,), {}, 25),
        ("arange", "", (0, 10, 0.5), {}, 20),
        ("arange", "", (1e18,), {}, 10**18),
        ("linspace", "", (0, 1), {"num": 7}, 7),
        ("outer", "", (np.ones(30), np.ones(40)), {}, 1200),
        ("tile", "", (np.ones(3), (2, 5)), {}, 30),
        ("repeat", "", (np.ones(3), 4), {}, 12),
        ("einsum", "", ("i,j->ij", np.ones(30), np.ones(40)), {}, 1200),
        ("add", "", (np.ones((300, 1)), np.ones((1, 200))), {}, 60_000),
        ("randn", "random", (300, 200), {}, 60_000),
        ("normal", "random", (0, 1), {"size": (10, 10)}, 100),
        ("pad", "", (np.ones((3, 4)), 2), {}, 7 * 8),
        ("pad", "", (np.ones((3, 4)), ((1, 0), (0, 5))), {}, 4 * 9),
        ("concatenate", "", ([np.ones(5)] * 1000,), {}, 5000),
        ("stack", "", ((np.ones(5), np.ones(3)),), {}, 8),
        ("copy", "", (np.broadcast_to(np.ones(1), (1000, 1000)),), {}, 10**6),
        ("meshgrid", "", (np.ones(10), np.ones(20)), {}, 400),
        ("diag", "", (np.ones(10),), {"k": 2}, 144),
        ("diag", "", (np.ones((10, 10)),), {}, 100),
        ("diagflat", "", (np.ones((2, 5)),), {}, 100),
        ("histogram", "", (np.ones(10),), {"bins": 10**9}, 10**9 + 10),
        ("bincount", "", (np.array([1, 5]),), {"minlength": 10**8}, 10**8),
        ("vander", "", (np.ones(10), 7), {}, 70),
    ],
)
def test_bounds(name: str, module: str, args: tuple, kwargs: dict, numel: int) -> None:
    assert output_bytes(lookup(name, module), args, kwargs) == numel * 8


def test_wider_dtypes_and_unknowns() -> None:
    assert output_bytes(lookup("add"), (np.ones(4, "complex128"), 1), {}) == 64
    assert output_bytes(lookup("sort"), (np.ones(4),), {}) is None
    assert output_bytes(lookup("zeros"), ("x",), {}) is None


def test_getitem_bounds() -> None:
    a = np.zeros((10, 20))
    assert getitem_bytes(a, (slice(None), 3)) == 80
    assert getitem_bytes(a, [0] * 1000) == 1000 * 20 * 8
    assert getitem_bytes(a, (np.arange(10), np.arange(10))) == 80
    assert getitem_bytes(a, (Ellipsis, None, slice(0, 5))) == 400
    assert getitem_bytes(a, a > 0) == 0
