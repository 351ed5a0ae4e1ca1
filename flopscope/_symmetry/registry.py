"""The one place that knows an array's symmetry group, for every backend.

Entries are keyed by ``id(array)`` and hold a weak reference to the array, so:

* an entry dies with its array (the weakref callback removes it), keeping the registry
  bounded by the live tagged arrays;
* a lookup checks that the id still names the same object, so an array that reuses a dead
  array's id never sees the dead array's group, even before the callback has run.

Objects that cannot be weakly referenced are never tagged (``tag`` raises ``TypeError``):
an entry that cannot die with its array would outlive it and leak onto a recycled id.

This module is deliberately tiny and lock-free on lookup: ``group_of`` is on the path of
every counted call that may see a symmetric input.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, NamedTuple

from flopscope._symmetry.group import SymmetryGroup


class Entry(NamedTuple):
    """A registered array's group; ``inferred`` marks tags a constructor guessed from shape."""

    ref: weakref.ref
    group: SymmetryGroup
    inferred: bool


_ENTRIES: dict[int, Entry] = {}
# Writers serialise; readers only do one dict lookup (atomic under the GIL).
_WRITE = threading.Lock()


def _forget(key: int, ref: weakref.ref) -> None:
    # Called when the array dies; only drop the entry if it is still this array's.
    with _WRITE:
        e = _ENTRIES.get(key)
        if e is not None and e.ref is ref:
            del _ENTRIES[key]


def tag(x: Any, group: SymmetryGroup, *, inferred: bool = False) -> None:
    """Record that ``x`` is symmetric under ``group`` (replaces any earlier tag).

    The caller has validated the data (or knows it by construction); this only records.
    """
    key = id(x)
    ref = weakref.ref(x, lambda r, key=key: _forget(key, r))
    with _WRITE:
        _ENTRIES[key] = Entry(ref, group, inferred)


def untag(x: Any) -> None:
    """Forget ``x``'s group (after a write that may break it)."""
    key = id(x)
    with _WRITE:
        e = _ENTRIES.get(key)
        if e is not None and e.ref() is x:
            del _ENTRIES[key]


def entry_of(x: Any) -> Entry | None:
    """``x``'s live entry, or ``None``."""
    e = _ENTRIES.get(id(x))
    if e is None or e.ref() is not x:
        return None
    return e


def group_of(x: Any) -> SymmetryGroup | None:
    """``x``'s group, or ``None`` when ``x`` is not tagged (or its id was recycled)."""
    e = _ENTRIES.get(id(x))
    if e is None or e.ref() is not x:
        return None
    return e.group


def is_inferred(x: Any) -> bool:
    """``x`` carries a tag a constructor inferred from its shape (lenient as ``out=``)."""
    e = entry_of(x)
    return e is not None and e.inferred


def size() -> int:
    """Number of entries (live tagged arrays, plus any whose callback has not run yet)."""
    return len(_ENTRIES)
