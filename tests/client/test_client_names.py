"""The names data shipped in the client matches the full package (generated, never stale)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import flopscope
import flopscope.numpy as fnp
from flopscope.ops import all_ops, lookup

from .conftest import CLIENT_SRC, ROOT

pytest.importorskip("zmq")
pytest.importorskip("msgpack")

NAMES = CLIENT_SRC / "flopscope" / "_names.json"


def _gen() -> object:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module("gen_client_names")
    finally:
        sys.path.pop(0)


def test_names_file_is_current() -> None:
    gen = _gen()
    assert NAMES.read_text() == gen.render(), (
        "client/src/flopscope/_names.json is stale: run python scripts/gen_client_names.py"
    )


def test_check_mode_exit_status() -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_client_names.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout


def test_every_public_name_is_listed() -> None:
    data = json.loads(NAMES.read_text())
    modules = data["modules"]
    assert modules["flopscope"]["all"] == sorted(set(flopscope.__all__))
    assert modules["flopscope.numpy"]["all"] == sorted(set(fnp.__all__))
    for sub in ("linalg", "fft", "random"):
        full = importlib.import_module(f"flopscope.numpy.{sub}")
        assert modules[f"flopscope.numpy.{sub}"]["all"] == sorted(set(full.__all__))


def test_each_name_is_classified_once() -> None:
    for entry in json.loads(NAMES.read_text())["modules"].values():
        parts = [
            set(entry["ops"]),
            set(entry["constructors"]),
            set(entry["helpers"]),
            set(entry["constants"]),
            set(entry["dtypes"]),
            set(entry["other"]),
        ]
        assert sum(len(p) for p in parts) == len(entry["all"])
        assert set().union(*parts) == set(entry["all"])


def test_ops_resolve_through_the_table() -> None:
    data = json.loads(NAMES.read_text())
    proto = {"flopscope.numpy": "", "flopscope.numpy.linalg": "linalg"}
    proto |= {"flopscope.numpy.fft": "fft", "flopscope.numpy.random": "random"}
    for module, pmod in proto.items():
        for name, canonical in data["modules"][module]["ops"].items():
            assert lookup(name, pmod).name == canonical


def test_dunders_and_methods_come_from_rows() -> None:
    data = json.loads(NAMES.read_text())
    want_dunders = {d for op in all_ops() for d in op.dunders}
    want_methods = {m for op in all_ops() for m in op.methods}
    assert set(data["dunders"]) == want_dunders
    assert set(data["methods"]) == want_methods
    assert data["dunders"]["__add__"] == ["add", "forward"]
    assert data["dunders"]["__rsub__"] == ["subtract", "reflected"]
    assert data["dunders"]["__imatmul__"] == ["matmul", "inplace"]
    assert data["dunders"]["__neg__"] == ["negative", "unary"]
    assert data["methods"]["conj"] == "conjugate"


def test_constructors_come_from_the_server_allow_list() -> None:
    from flopscope.server.calls import CONSTRUCTORS

    data = json.loads(NAMES.read_text())
    proto = {"flopscope.numpy": "", "flopscope.numpy.linalg": "linalg"}
    proto |= {"flopscope.numpy.fft": "fft", "flopscope.numpy.random": "random"}
    listed = {
        (proto[module], name)
        for module, entry in data["modules"].items()
        for name in entry["constructors"]
    }
    assert listed == set(CONSTRUCTORS) == {("random", "RandomState")}
    # the objects they make have counted methods the client can call
    assert "beta" in data["classes"]["random.RandomState"]


def test_cost_helpers_come_from_the_server_allow_list() -> None:
    from flopscope.server.calls import COST_HELPERS

    data = json.loads(NAMES.read_text())
    listed = {
        (spec["module"], name)
        for entry in data["modules"].values()
        for name, spec in entry["helpers"].items()
    }
    assert listed == set(COST_HELPERS)
    acc = data["modules"]["flopscope.accounting"]
    assert set(acc["helpers"]) == set(acc["all"]) and len(acc["helpers"]) == 48
    assert acc["other"] == []
    top = data["modules"]["flopscope"]["helpers"]
    assert top == {
        "einsum_accumulation_cost": {"module": "accounting", "returns": "AccumulationCost"},
        "reduction_accumulation_cost": {"module": "accounting", "returns": "AccumulationCost"},
        "tier2_reduction_cost": {"module": "accounting", "returns": "int"},
    }
    assert acc["helpers"]["einsum_cost"] == {"module": "accounting", "returns": "int"}
    # nothing else of the top level runs remotely through this list
    assert "BudgetContext" in data["modules"]["flopscope"]["other"]


def test_a_constructor_that_is_no_public_name_stops_the_generator(monkeypatch) -> None:
    from flopscope.server import calls

    gen = _gen()
    monkeypatch.setitem(calls.CONSTRUCTORS, ("random", "NoSuchClass"), object)
    with pytest.raises(SystemExit, match="NoSuchClass"):
        gen.build()
    monkeypatch.undo()
    monkeypatch.setitem(calls.CONSTRUCTORS, ("nowhere", "RandomState"), object)
    with pytest.raises(SystemExit, match="nowhere"):
        gen.build()
