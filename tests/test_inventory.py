"""Inventory: every supported name of the 0.4.0 release is public here, every blocked name
raises the helpful AttributeError (shared/spec/ops-0.4.0.json is the list)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import flopscope as flops
import flopscope.numpy as fnp

SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "ops-0.4.0.json"
if not SPEC.is_file():
    pytest.skip(f"{SPEC} not found (shared/ folder absent)", allow_module_level=True)

ENTRIES = json.loads(SPEC.read_text())
MODULES = {
    "flopscope.numpy": fnp,
    "flopscope.numpy.linalg": fnp.linalg,
    "flopscope.numpy.fft": fnp.fft,
    "flopscope.numpy.random": fnp.random,
    "flopscope.numpy.random.Generator": fnp.random.Generator,
    "flopscope.numpy.random.RandomState": fnp.random.RandomState,
}


def _resolve(entry: dict) -> object:
    short = entry["name"].rsplit(".", 1)[-1]
    if entry["module"] == "flopscope.stats":
        dist, method = entry["name"].split(".")[-2:]
        return getattr(getattr(flops.stats, dist), method)
    return getattr(MODULES[entry["module"]], short)


SUPPORTED = [e for e in ENTRIES if not e["blocked"] and e.get("accessible", True)]
BLOCKED = [e for e in ENTRIES if e["blocked"] and not e["accessible"]]


def test_counts_match_the_release() -> None:
    assert len(ENTRIES) == 602
    assert len(BLOCKED) == 27


@pytest.mark.parametrize("entry", SUPPORTED, ids=[f"{e['module']}:{e['name']}" for e in SUPPORTED])
def test_supported_name_is_public(entry: dict) -> None:
    assert callable(_resolve(entry)) or entry["name"].endswith("bit_generator")


@pytest.mark.parametrize("entry", BLOCKED, ids=[e["name"] for e in BLOCKED])
def test_blocked_name_raises_helpful_attribute_error(entry: dict) -> None:
    with pytest.raises(
        AttributeError, match=rf"does not support '{entry['name']}' \(blocked\): \w"
    ):
        getattr(fnp, entry["name"])


def test_polynomial_submodule_and_accounting() -> None:
    for (
        name
    ) in "poly roots polyadd polyder polydiv polyfit polyint polymul polysub polyval".split():
        assert getattr(fnp.polynomial, name) is getattr(fnp, name)
    assert len(flops.accounting.__all__) == 48
    assert sorted(flops.stats.__all__) == sorted(
        "norm uniform expon cauchy logistic laplace lognorm truncnorm".split()
    )


def test_unknown_names_raise() -> None:
    with pytest.raises(AttributeError, match="does not provide 'not_a_function'"):
        fnp.not_a_function  # noqa: B018
    with pytest.raises(AttributeError):
        flops.stats.gamma  # noqa: B018
