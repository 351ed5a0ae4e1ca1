"""pytest options of the conformance suite: ``--backend`` and ``--cost-model``.

``pytest conformance --backend torch --cost-model fma`` (both repeatable, comma lists
allowed; ``all`` for every available backend or every built-in model). Defaults keep the
plain ``pytest -q`` run short (about 10 s): numpy and array_api_strict under the
``flopscope`` model. ``python -m conformance`` runs every available backend under all four
models.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import models, runner, table

_CACHE: dict[tuple[str, str, str], list[runner.Result]] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance")
    group.addoption("--backend", action="append", default=None, help="conformance backend(s)")
    group.addoption(
        "--cost-model", action="append", default=None, help="conformance cost model(s) or 'all'"
    )


def _split(values: list[str] | None) -> list[str]:
    return [v for item in values or [] for v in item.split(",") if v]


#: backends of a plain ``pytest`` run (the reference namespace and the NumPy surface)
DEFAULT_BACKENDS = ["numpy", "array_api_strict"]


def selected_backends(config: pytest.Config) -> list[str]:
    from conformance.__main__ import default_backends

    chosen = _split(config.getoption("--backend"))
    if chosen == ["all"]:
        return default_backends()
    return chosen or [b for b in DEFAULT_BACKENDS if b in default_backends()]


def selected_models(config: pytest.Config) -> list[str]:
    chosen = _split(config.getoption("--cost-model")) or ["flopscope"]
    return list(models.BUILTIN) if chosen == ["all"] else chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    config = metafunc.config
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", selected_backends(config))
    if "model_spec" in metafunc.fixturenames:
        metafunc.parametrize("model_spec", selected_models(config))
    if "family" in metafunc.fixturenames:
        metafunc.parametrize("family", table.families())


def results_for(family: str, backend: str, model_spec: str) -> list[runner.Result]:
    """Run (once per session) every case of ``family`` on ``backend`` under the model."""
    key = (family, backend, model_spec)
    if key not in _CACHE:
        model = models.resolve(model_spec)
        _CACHE[key] = [runner.run(row, backend, model) for row in table.load([family])]
    return _CACHE[key]


@pytest.fixture
def run_family() -> Any:
    return results_for
