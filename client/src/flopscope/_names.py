"""The full package's public names, shipped as data (``_names.json``).

``scripts/gen_client_names.py`` writes the file from the op table and the ``__all__`` lists
of the full package; the client has no numpy and cannot read the table itself.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("_names.json")


@cache
def data() -> dict[str, Any]:
    return json.loads(_FILE.read_text())


def module(name: str) -> dict[str, Any]:
    """``{"all", "ops", "constructors", "helpers", "constants", "dtypes", "other"}`` of a
    full-package module."""
    return data()["modules"][name]


def classes() -> dict[str, list[str]]:
    return data()["classes"]


def dunders() -> dict[str, list[str]]:
    return data()["dunders"]


def methods() -> dict[str, str]:
    return data()["methods"]


def stats() -> dict[str, dict[str, str]]:
    return data()["stats"]


def blocked() -> dict[str, str]:
    return data()["blocked"]


def dtypes() -> list[str]:
    return data()["dtypes"]
