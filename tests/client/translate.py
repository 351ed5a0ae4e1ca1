"""Runs a 0.4.0 reference case through the numpy-free client (parity with in-process).

A case is Python text over ``fnp``, ``flops`` and ``np``. The client has no numpy, so the
translator splits each expression: maximal sub-expressions that use only ``np``, literals
and names bound to local values are evaluated in this process (they build input data, and
in-process they are plain numpy, never counted); their values are uploaded with the
client's free ``put``. Everything that reaches ``fnp``/``flops`` or a remote value is then
evaluated with the client's modules, so every counted op runs on the server. ``setup``
statements go through the same split (``fnp.random.seed(0)`` seeds the server's stream,
``a = fnp.asarray(np...)`` binds a remote array).

:func:`static_reason` says, from the text alone, why a case cannot be expressed by a
numpy-free client; :class:`NotExpressible` is raised when a local value cannot travel
(a numpy object that is not an array, scalar or dtype).
"""

from __future__ import annotations

import ast
import inspect
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

#: names the case texts use for the client's modules
REMOTE_ROOTS = ("fnp", "flops")


class NotExpressible(Exception):
    """The case needs something a numpy-free client cannot hold or send."""


_SYMMETRY = re.compile(r"as_symmetric|SymmetricTensor|symmetrize|is_symmetric|SymmetryGroup")
_STATIC = (
    (re.compile(r"\blambda\b"), "passes a Python callable"),
    # RandomState(seed) is constructed on the server; these take numpy objects that do not
    # travel (bit generators, entropy pools)
    (re.compile(r"fnp\.random\.(Generator|SeedSequence)\("), "numpy RNG class"),
    (
        re.compile(r"fnp\.(errstate|printoptions|nditer|ndindex|ndenumerate|broadcast)\b"),
        "numpy helper object",
    ),
)


def static_reason(case: dict[str, Any]) -> str | None:
    """Why ``case`` cannot run through the client, judged from its text (None: try it)."""
    text = f"{case['setup'] or ''}\n{case['call']}"
    if _SYMMETRY.search(text):
        return "symmetry metadata (needs the full package)"
    for pattern, reason in _STATIC:
        if pattern.search(text):
            return reason
    return None


@dataclass
class Remote:
    """The client's modules plus the helpers the translator needs."""

    flops: Any  # the client's ``flopscope``
    fnp: Any  # the client's ``flopscope.numpy``
    client: Any  # the client's ``flopscope.client``

    def used(self) -> int:
        conn = self.client.connection()
        conn.request("free", handles=[])  # the cheapest round trip; replies carry the budget
        return int(conn.budget["used"])


class _Split(ast.NodeTransformer):
    """Replaces maximal local sub-expressions by placeholder names."""

    def __init__(self, remote_names: set[str], local_names: set[str] = frozenset()) -> None:
        self.remote_names = remote_names
        self.local_names = set(local_names) | {"np"}
        self.hoisted: dict[str, ast.expr] = {}

    def _is_local(self, node: ast.AST) -> bool:
        names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
        return bool(names) and not any(n in self.remote_names for n in names)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id not in self.remote_names
        ):
            # ``a[1:]`` passed to fnp: upload ``a`` once and index it on the server, so the
            # view shares memory with ``a`` there as it does in-process (indexing is free)
            node.value = self.generic_visit(node.value)  # type: ignore[assignment]
            node.slice = self.generic_visit(node.slice)  # type: ignore[assignment]
            return node
        if isinstance(node, ast.Name) and node.id not in self.local_names:
            return node  # a builtin (``abs``, ``divmod``...): the same function either way
        if isinstance(node, ast.expr) and self._is_local(node):
            key = f"_local{len(self.hoisted)}"
            self.hoisted[key] = node
            return ast.copy_location(ast.Name(id=key, ctx=ast.Load()), node)
        return super().generic_visit(node)


def _to_remote(value: Any, remote: Remote, memo: dict[int, Any]) -> Any:
    """A local value as the client sends it (arrays uploaded once per object)."""
    key = id(value)
    if key in memo:
        return memo[key][1]
    if isinstance(value, (np.ndarray, np.generic)):
        a = np.array(np.asarray(value).view(np.ndarray), order="C")  # keeps 0-d arrays 0-d
        if a.dtype.kind not in "biufc":
            raise NotExpressible(f"dtype {a.dtype} does not travel")
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        out: Any = remote.client.upload(a.tobytes(), a.dtype.name, a.shape)
    elif isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        try:
            out = remote.fnp.dtype(np.dtype(value).name)
        except TypeError as exc:
            raise NotExpressible(f"dtype {value} is not a protocol dtype") from exc
    elif value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        out = value  # bytes: the client's frombuffer takes them (elsewhere they are refused)
    elif value in (bool, int, float, complex):  # Python types as dtypes travel as they are
        out = value
    elif isinstance(value, range) or inspect.isgenerator(value):
        out = [_to_remote(v, remote, memo) for v in value]  # numpy reads them as sequences
    elif isinstance(value, slice):
        out = value
    elif value is Ellipsis:
        out = value
    elif isinstance(value, list):
        out = [_to_remote(v, remote, memo) for v in value]
    elif isinstance(value, tuple) and type(value) is tuple:
        out = tuple(_to_remote(v, remote, memo) for v in value)
    else:
        raise NotExpressible(f"a {type(value).__module__}.{type(value).__qualname__} value")
    memo[key] = (value, out)  # keeps ``value`` alive so its id is not reused
    return out


class Translator:
    """One case's evaluation through the client."""

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.local: dict[str, Any] = {"np": np}
        self.bound: dict[str, Any] = {"fnp": remote.fnp, "flops": remote.flops}
        self.memo: dict[int, Any] = {}

    def _names(self) -> set[str]:
        return set(REMOTE_ROOTS) | {k for k in self.bound if k not in REMOTE_ROOTS}

    def evaluate(self, node: ast.expr) -> Any:
        split = _Split(self._names(), set(self.local))
        if split._is_local(node):  # the whole expression is plain numpy
            return eval(compile(ast.Expression(node), "<case>", "eval"), self.local)
        tree = ast.fix_missing_locations(ast.Expression(split.visit(node)))
        ns = dict(self.bound)
        for key, sub in split.hoisted.items():
            value = eval(compile(ast.Expression(sub), "<case>", "eval"), self.local)
            ns[key] = _to_remote(value, self.remote, self.memo)
        return eval(compile(tree, "<case>", "eval"), ns)

    def run_setup(self, setup: str) -> None:
        for stmt in ast.parse(setup).body:
            if isinstance(stmt, ast.Expr):
                self.evaluate(stmt.value)
            elif (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                name = stmt.targets[0].id
                split = _Split(self._names(), set(self.local))
                if split._is_local(stmt.value):
                    self.local[name] = self.evaluate(stmt.value)
                    self.bound.pop(name, None)
                else:
                    self.bound[name] = self.evaluate(stmt.value)
                    self.local.pop(name, None)
            else:
                raise NotExpressible(f"setup statement {ast.unparse(stmt)!r}")


#: server refusals that are limits of protocol v1, not disagreements (docs/protocol.md)
_WIRE_LIMITS = (
    ("cannot be sent", "the result has no wire form (PathInfo)"),
    ("is not served (object/str/void dtypes)", "a string argument spells a refused dtype"),
)


@dataclass
class RemoteOutcome:
    flops: int | None  # the README's measure: the budget's increase, or the returned int
    result: Any = None
    error: BaseException | None = None
    charged: int = 0  # the budget's increase across the call (a cost helper's must be 0)


def run_case(case: dict[str, Any], remote: Remote) -> RemoteOutcome:
    """The case's charged FLOPs, result or error through the client (README protocol)."""
    tr = Translator(remote)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if case["setup"]:
            tr.run_setup(case["setup"])
        node = ast.parse(case["call"], mode="eval").body
        split = _Split(tr._names(), set(tr.local))
        if split._is_local(node):
            raise NotExpressible("the call runs no flopscope op")
        before = remote.used()
        try:
            result = tr.evaluate(node)
        except NotExpressible:
            raise
        except Exception as exc:
            if isinstance(exc, remote.flops.UnsupportedFunctionError) and (
                "cannot run through flopscope-client" in str(exc)
            ):
                raise NotExpressible(str(exc).split(" is part")[0]) from exc
            for marker, reason in _WIRE_LIMITS:
                if isinstance(exc, TypeError) and marker in str(exc):
                    raise NotExpressible(reason) from exc
            return RemoteOutcome(None, error=exc)
        charged = remote.used() - before
        result = localise(result, remote)
        if case["measure"] == "return":  # a cost helper: the case's value is what it returns
            return RemoteOutcome(int(result), result, charged=charged)
        return RemoteOutcome(charged, result, charged=charged)


def localise(x: Any, remote: Remote) -> Any:
    """A client result as numpy values (so it serialises like the in-process result)."""
    if isinstance(x, remote.fnp.ndarray):
        data, dtype, shape = remote.client.download(x)
        return np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<")).reshape(shape)
    if isinstance(x, tuple):
        return tuple(localise(v, remote) for v in x)
    if isinstance(x, list):
        return [localise(v, remote) for v in x]
    if isinstance(x, dict):
        return {k: localise(v, remote) for k, v in x.items()}
    if isinstance(x, remote.fnp.dtype):
        return np.dtype(x.name)
    if isinstance(x, type) and getattr(x, "_flopscope_dtype", None):
        return np.dtype(x._flopscope_dtype)
    return x
