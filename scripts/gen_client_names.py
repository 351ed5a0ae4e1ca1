"""Write the public names of the full package into the numpy-free client distribution.

The client (``client/``) cannot import the op table (it has no numpy), so the names it
exposes, and which of them run remotely, are generated here from ``flopscope.ops``, the
server's allow-lists of constructible classes (``flopscope.server.calls.CONSTRUCTORS``) and
of cost helpers (``COST_HELPERS``) and the full package's ``__all__`` lists and shipped as
``client/src/flopscope/_names.json``.
``tests/client/test_names.py`` fails when the file is stale: rerun this script after
changing op rows or public names.

    python scripts/gen_client_names.py          # rewrite the file
    python scripts/gen_client_names.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import importlib
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "client" / "src" / "flopscope" / "_names.json"

#: client module -> (full-package module, protocol module of its op rows or None)
MODULES: dict[str, tuple[str, str | None]] = {
    "flopscope": ("flopscope", None),
    "flopscope.numpy": ("flopscope.numpy", ""),
    "flopscope.numpy.linalg": ("flopscope.numpy.linalg", "linalg"),
    "flopscope.numpy.fft": ("flopscope.numpy.fft", "fft"),
    "flopscope.numpy.random": ("flopscope.numpy.random", "random"),
    "flopscope.stats": ("flopscope.stats", None),
    "flopscope.accounting": ("flopscope.accounting", None),
}

#: dtype names the protocol allows (numpy dtype names)
DTYPES = (
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 "
    "float16 float32 float64 complex64 complex128"
).split()


def _constant(value: Any) -> Any:
    """JSON-safe form of a float constant (inf/nan as strings the client parses)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _constructors() -> dict[str, list[str]]:
    """Classes the server constructs for a client, by protocol module, from the server's
    allow-list (the single source); each must be a public name of a client module."""
    from flopscope.server.calls import CONSTRUCTORS

    served = {proto: full for full, proto in MODULES.values() if proto is not None}
    out: dict[str, list[str]] = {}
    for proto, name in sorted(CONSTRUCTORS):
        full = served.get(proto)
        if full is None or name not in getattr(importlib.import_module(full), "__all__", ()):
            raise SystemExit(f"constructor {proto!r}/{name!r} is no public name of the client")
        out.setdefault(proto, []).append(name)
    return out


def _helpers() -> dict[str, dict[str, Any]]:
    """Cost helpers the server runs for a client, by name, from the server's allow-list
    (``flopscope.server.calls.COST_HELPERS``, the single source): the protocol module and
    the name of what they return (``int``, or ``AccumulationCost``, whose fields travel as
    a map)."""
    import typing

    from flopscope.server.calls import COST_HELPERS

    out: dict[str, dict[str, Any]] = {}
    for (proto, name), fn in sorted(COST_HELPERS.items()):
        returns = typing.get_type_hints(fn).get("return")
        out[name] = {"module": proto, "returns": getattr(returns, "__name__", str(returns))}
    return out


def _module_entry(full: str, proto: str | None) -> dict[str, Any]:
    import numpy as np

    from flopscope.ops import lookup

    mod = importlib.import_module(full)
    public = sorted(set(getattr(mod, "__all__", ())))
    ctors = set(_constructors().get(proto, ())) if proto is not None else set()
    served = _helpers()
    ops: dict[str, str] = {}
    helpers: dict[str, dict[str, Any]] = {}
    constructors: list[str] = []
    constants: dict[str, Any] = {}
    dtypes: dict[str, str] = {}
    other: list[str] = []
    for name in public:
        value = getattr(mod, name, None)
        if proto is not None and lookup(name, proto) is not None:
            ops[name] = lookup(name, proto).name  # type: ignore[union-attr]
        elif name in ctors:
            constructors.append(name)
        elif name in served and callable(value):
            helpers[name] = served[name]
        elif isinstance(value, type) and issubclass(value, np.generic):
            try:
                dtypes[name] = np.dtype(value).name
            except TypeError:  # abstract scalar types (floating, integer, number)
                other.append(name)
        elif isinstance(value, float) or value is None:
            constants[name] = _constant(value)
        else:
            other.append(name)
    return {
        "all": public,
        "ops": ops,
        "constructors": constructors,
        "helpers": helpers,
        "constants": constants,
        "dtypes": dtypes,
        "other": other,
    }


def _stats() -> dict[str, dict[str, str]]:
    """``flops.stats.<dist>.<method>`` rows: distribution -> {method: protocol module}."""
    from flopscope.ops import all_ops

    out: dict[str, dict[str, str]] = {}
    for op in all_ops():
        if op.module.startswith("stats."):
            dist = op.module.split(".", 1)[1]
            for public in op.public_names:
                out.setdefault(dist, {})[public] = op.module
    return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


def _classes() -> dict[str, list[str]]:
    """Methods of server-side objects (``random.Generator``...) that are op rows."""
    from flopscope.ops import all_ops

    out: dict[str, set[str]] = {}
    for op in all_ops():
        if op.module.startswith("random."):
            out.setdefault(op.module, set()).update(op.public_names)
    return {k: sorted(v) for k, v in sorted(out.items())}


def _array_surface() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Operator dunders ``{dunder: [op, role]}`` and counted methods ``{method: op}``."""
    from flopscope.numpy._ndarray import _is_unary
    from flopscope.ops import all_ops

    dunders: dict[str, list[str]] = {}
    methods: dict[str, str] = {}
    for op in all_ops():
        if op.dunders:
            if len(op.dunders) == 1 and _is_unary(op):
                roles: tuple[str, ...] = ("unary",)
            else:
                roles = ("forward", "reflected", "inplace")
            for role, name in zip(roles, op.dunders):
                dunders[name] = [op.public_names[0], role]
        for name in op.methods:
            methods[name] = op.public_names[0]
    return dict(sorted(dunders.items())), dict(sorted(methods.items()))


def build() -> dict[str, Any]:
    import flopscope
    from flopscope.ops.blocked import BLOCKED, blocked_message

    dunders, methods = _array_surface()
    return {
        "generated_by": "scripts/gen_client_names.py",
        "version": flopscope.__version__,
        "dtypes": DTYPES,
        "modules": {key: _module_entry(full, proto) for key, (full, proto) in MODULES.items()},
        "stats": _stats(),
        "classes": _classes(),
        "dunders": dunders,
        "methods": methods,
        "blocked": {name: blocked_message(name) for name in sorted(BLOCKED)},
    }


def render() -> str:
    return json.dumps(build(), indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text() if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python scripts/gen_client_names.py")
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
