"""``Record``: what a cost helper's dataclass result becomes in the client (no server)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from .conftest import load_client


def _record() -> Any:
    load_client()
    return importlib.import_module("flopscope_client._record")


def test_maps_become_records_at_every_depth() -> None:
    rec = _record()
    value = {"total": 7, "parts": ({"m": 3, "trace": [{"decision": "fired"}]},), "path": None}
    r = rec.as_records(value, "AccumulationCost")
    assert r.total == 7 and r.path is None
    assert r.parts[0].m == 3 and r.parts[0].trace[0].decision == "fired"
    assert type(r.parts) is tuple and type(r.parts[0].trace) is list
    assert repr(r.parts[0].trace[0]) == "Record(decision='fired')"
    assert repr(r).startswith("AccumulationCost(total=7, parts=(Record(m=3, ")
    assert dir(r) == ["parts", "path", "total"] and list(r) == ["total", "parts", "path"]
    assert r._asdict()["total"] == 7
    assert rec.as_records(5, "int") == 5 and rec.as_records((1, 2), "x") == (1, 2)


def test_records_are_read_only_and_compare_by_name_and_values() -> None:
    rec = _record()
    a = rec.Record("AccumulationCost", {"total": 1})
    assert a == rec.Record("AccumulationCost", {"total": 1})
    assert a != rec.Record("Record", {"total": 1})
    assert a != rec.Record("AccumulationCost", {"total": 2})
    assert a != {"total": 1}
    with pytest.raises(AttributeError, match="read-only"):
        a.total = 2
    with pytest.raises(AttributeError, match="AccumulationCost has no field 'mu'"):
        a.mu  # noqa: B018
    with pytest.raises(TypeError):
        hash(a)
    assert not hasattr(a, "__wrapped__")  # dunder probes are attribute errors


def test_records_copy_and_pickle() -> None:
    import copy
    import pickle

    rec = _record()
    a = rec.as_records({"total": 1, "parts": ({"m": 2},)}, "AccumulationCost")
    assert copy.copy(a) == a == copy.deepcopy(a)
    assert pickle.loads(pickle.dumps(a)) == a
