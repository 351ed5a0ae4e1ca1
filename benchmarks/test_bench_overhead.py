"""pytest-benchmark version of ``benchmarks/overhead.py`` (same cases, both sides).

Not collected by the default test run (``testpaths`` are ``tests`` and ``conformance``). Run
``python -m pytest benchmarks/test_bench_overhead.py`` and compare each case's ``numpy`` and
``flopscope`` rows; ``--benchmark-group-by=param:case`` puts them side by side.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import flopscope as flops


def _overhead() -> ModuleType:
    path = pathlib.Path(__file__).with_name("overhead.py")
    spec = importlib.util.spec_from_file_location("flopscope_bench_overhead", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look modules up
    spec.loader.exec_module(module)
    return module


OVERHEAD = _overhead()
CASES = {case.name: case for case in OVERHEAD.cases()}


@pytest.fixture
def counted() -> Iterator[flops.BudgetContext]:
    """A budget for the flopscope side (fresh per test, so ledgers do not pile up)."""
    with flops.BudgetContext(10**18, quiet=True) as budget:
        yield budget


@pytest.mark.parametrize("case", list(CASES))
def test_numpy(benchmark: Any, case: str) -> None:
    benchmark.group = case
    benchmark(CASES[case].numpy)


@pytest.mark.parametrize("case", list(CASES))
def test_flopscope(benchmark: Any, case: str, counted: flops.BudgetContext) -> None:
    benchmark.group = case
    benchmark(CASES[case].flopscope)
    assert counted.flops_used > 0  # the calls really were counted
