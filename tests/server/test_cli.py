"""The command line: URL policy, the token's sources, limits from flags."""

from __future__ import annotations

import os

import pytest

from flopscope.server import check_url, default_url
from flopscope.server.cli import config_from, main, read_token


def test_only_loopback_unless_allowed() -> None:
    for ok in ("tcp://127.0.0.1:5555", "tcp://localhost:1", "tcp://[::1]:2", "ipc:///tmp/x"):
        check_url(ok)
    for bad in ("tcp://0.0.0.0:5555", "tcp://10.1.2.3:1", "tcp://*:5555", "tcp://example.org:1"):
        with pytest.raises(ValueError, match="--allow-remote"):
            check_url(bad)
        check_url(bad, allow_remote=True)
    with pytest.raises(ValueError, match="unsupported URL"):
        check_url("inproc://x")
    assert main(["--url", "tcp://0.0.0.0:5555"]) == 2


def test_default_url_is_a_private_ipc_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/run/user/7")
    assert default_url() == f"ipc:///run/user/7/flopscope-{os.getuid()}.sock"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert default_url() == f"ipc:///tmp/flopscope-{os.getuid()}.sock"


def test_token_from_fd_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    r, w = os.pipe()
    os.write(w, b"s3cret\n")
    os.close(w)
    assert read_token(r) == b"s3cret"
    monkeypatch.setenv("FLOPSCOPE_SERVER_TOKEN", "env-token")
    assert read_token(None) == b"env-token"
    assert "FLOPSCOPE_SERVER_TOKEN" not in os.environ  # read once, then forgotten
    assert read_token(None) is None


def test_limits_from_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOPSCOPE_SERVER_TOKEN", raising=False)
    cfg = config_from(
        ["--budget", "1e9", "--max-array-bytes", "none", "--max-handles", "10",
         "--op-timeout", "2.5", "--idle-timeout", "off", "--start-closed", "--cost-model", "fma",
         "--max-memory", "8e9"]
    )  # fmt: skip
    lim = cfg.limits
    assert (lim.budget, lim.max_array_bytes, lim.max_handles) == (10**9, None, 10)
    assert (lim.op_timeout_s, lim.idle_timeout_s) == (2.5, None)
    assert cfg.start_closed and cfg.cost_model == "fma" and cfg.token is None
    assert cfg.max_memory == 8 * 10**9
    with pytest.raises(SystemExit):
        config_from(["--budget", "1.5"])


def test_max_memory_turns_a_huge_allocation_into_memory_error() -> None:
    from tests.server.conftest import start_process, stop_process
    from tests.server.wire import Raw, T

    proc, url = start_process(
        "--max-memory", str(3 << 30), "--max-array-bytes", "none", "--max-session-bytes", "none"
    )
    try:
        c = Raw(url)
        # no cap and no estimate stop this one: the address-space limit does
        r = c.call("ones", T(1 << 16, 1 << 16))
        assert r["error"]["type"] == "MemoryError"
        assert c.ok("add", 1, 2) is not None
    finally:
        stop_process(proc)
