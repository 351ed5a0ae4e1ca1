"""Limits: defaults, validated operator changes, the message cap."""

from __future__ import annotations

import pytest

from flopscope.server.limits import Limits


def test_defaults_and_public_view() -> None:
    lim = Limits()
    assert lim.budget == 10**15
    public = lim.public()
    assert public["max_message_bytes"] == (1 << 30) + (1 << 20)
    assert Limits(max_array_bytes=None).message_cap() is None
    assert Limits(max_message_bytes=5).message_cap() == 5


def test_updates_are_validated() -> None:
    lim = Limits().updated({"budget": 10, "max_handles": None, "op_timeout_s": 0.5})
    assert (lim.budget, lim.max_handles, lim.op_timeout_s) == (10, None, 0.5)
    for bad in (
        {"budget": 0},
        {"budget": 1.5},
        {"max_handles": -1},
        {"max_handles": True},
        {"max_handles": "3"},
        {"idle_timeout_s": 3},  # not settable by the operator at run time
        {"nope": 1},
    ):
        with pytest.raises(ValueError):
            Limits().updated(bad)
