"""``pip install ./client`` into a fresh virtual environment without numpy runs the quick start
against a real server (slow: it builds and installs the distribution)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.programs import QUICKSTART_SOURCE

from .conftest import ROOT, Server

pytestmark = pytest.mark.slow

QUICKSTART = f"""
import flopscope as flops
import flopscope.numpy as fnp

{QUICKSTART_SOURCE}

h = quickstart(fnp)
print("shape", h.shape, h.dtype)
print("used", flops.budget_summary_dict()["flops_used"])
flops.budget_summary()
"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("client-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = subprocess.run(
        [str(where / "bin" / "pip"), "install", "-q", str(ROOT / "client")],
        capture_output=True,
        text=True,
    )
    if pip.returncode != 0:
        pytest.fail(f"pip install ./client failed:\n{pip.stdout}\n{pip.stderr}")
    return where


def _run(venv: Path, code: str, cwd: Path, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["FLOPSCOPE_SERVER_URL"] = url
    return subprocess.run(
        [str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, env=env, cwd=cwd
    )


def test_numpy_is_not_installed(venv: Path, tmp_path: Path, server: Server) -> None:
    r = _run(venv, "import numpy", tmp_path, server.url)
    assert r.returncode != 0 and "No module named 'numpy'" in r.stderr
    r = _run(venv, "import flopscope; print(flopscope.__file__)", tmp_path, server.url)
    assert r.returncode == 0 and str(venv) in r.stdout  # the installed client, not the repo


def test_quickstart_runs_against_a_server(venv: Path, tmp_path: Path, server: Server) -> None:
    r = _run(venv, QUICKSTART, tmp_path, server.url)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "shape (256,) float64"
    assert lines[1] == "used 6229761"
    assert "    einsum                    654,080  ( 10.5%)  [5 calls]" in lines
    assert "    random.randn            5,246,976  ( 84.2%)  [6 calls]" in lines
