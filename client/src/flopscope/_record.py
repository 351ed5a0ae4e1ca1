"""Read-only records: what a cost helper's dataclass result (``AccumulationCost``) becomes
in the client.

The server sends such a result as a map of its fields (and public properties such as
``savings_ratio``); the client has no copy of the class, so the map is wrapped in a
:class:`Record` that reads like the dataclass (``cost.total``, ``cost.per_component[0].m``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class Record:
    """A named, read-only bundle of fields, compared by name and values."""

    __slots__ = ("_name", "_fields")

    def __init__(self, name: str, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # an unset slot (copy, pickle) or a dunder probe
            raise AttributeError(name)
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"{self._name} has no field {name!r}") from None

    def __reduce__(self) -> tuple[Any, ...]:
        return (Record, (self._name, self._fields))  # copy and pickle without setattr

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._name} is read-only")

    def __dir__(self) -> list[str]:
        return sorted(self._fields)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def _asdict(self) -> dict[str, Any]:
        """The fields as a dict (nested records stay records)."""
        return dict(self._fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self._name == other._name and self._fields == other._fields

    __hash__ = None  # type: ignore[assignment]  # mutable contents, as the dataclass's

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._fields.items())
        return f"{self._name}({inner})"


def as_records(value: Any, name: str) -> Any:
    """``value`` with every map turned into a :class:`Record`: the outermost is named
    ``name``, nested ones ``Record`` (their class names do not travel)."""
    if isinstance(value, dict):
        return Record(name, {k: as_records(v, "Record") for k, v in value.items()})
    if isinstance(value, tuple):
        return tuple(as_records(v, "Record") for v in value)
    if isinstance(value, list):
        return [as_records(v, "Record") for v in value]
    return value
