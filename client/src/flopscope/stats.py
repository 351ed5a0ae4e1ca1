"""``flopscope.stats`` in the client: ``norm.cdf(x)`` and friends run on the server."""

from __future__ import annotations

from typing import Any

from . import _names
from ._surface import Unavailable, remote_function


class Distribution:
    """A distribution whose counted methods (``pdf``, ``cdf``, ``ppf``) run remotely."""

    def __init__(self, name: str, methods: dict[str, str]) -> None:
        self.name = name
        for method, module in methods.items():
            setattr(
                self, method, remote_function(method, module, f"flopscope.stats.{name}.{method}")
            )

    def __repr__(self) -> str:
        return f"<flopscope.stats.{self.name} (remote)>"


def _populate() -> list[str]:
    entry = _names.module("flopscope.stats")
    for name in entry["all"]:
        methods = _names.stats().get(name)
        globals()[name] = (
            Distribution(name, methods) if methods else Unavailable(f"flopscope.stats.{name}")
        )
    return list(entry["all"])


__all__ = _populate()


def __getattr__(name: str) -> Any:
    raise AttributeError(f"flopscope.stats does not provide {name!r}")
