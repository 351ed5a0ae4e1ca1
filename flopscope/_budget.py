"""Budgets and the ledger: ``BudgetContext``, the global default budget, attribution labels.

Charging is check-then-record under a lock, before the backend runs. A call whose backend
raises is refunded, so the ledger only ever holds calls that produced a result.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from time import perf_counter
from typing import Any, NamedTuple

from flopscope.costs.model import CostModel, resolve
from flopscope.errors import BudgetExhaustedError, NoBudgetContextError, TimeExhaustedError

__all__ = [
    "BudgetContext",
    "OpRecord",
    "budget",
    "current",
    "active_or_none",
    "scope",
    "all_contexts",
]

#: the explicit context active in this thread / asyncio task (None: the global default)
_ACTIVE: ContextVar[BudgetContext | None] = ContextVar("flopscope_active_budget", default=None)
#: the attribution label path ("enc.layer1") in this thread / task
_LABEL: ContextVar[str | None] = ContextVar("flopscope_label", default=None)

_DEFAULT_LOCK = threading.Lock()
_DEFAULT: list[BudgetContext] = []
#: every context that has been entered (and the default once used), for session summaries
_SESSION: list[BudgetContext] = []


class OpRecord(NamedTuple):
    """One charged call, as exposed by ``BudgetContext.op_log``."""

    op_name: str
    subscripts: str | None
    shapes: tuple
    flop_cost: int
    cumulative: int
    namespace: str | None = None
    flopscope_context_start_offset_s: float | None = None
    flopscope_backend_duration_s: float | None = None
    flopscope_overhead_duration_s: float | None = None


# Record slots: records are plain tuples, appended once the backend call has returned.
R_OP, R_INPUTS, R_COST, R_CUMULATIVE, R_LABEL, R_OFFSET, R_BACKEND, R_OVERHEAD, R_NAME = range(9)


def record_name(rec: tuple[Any, ...]) -> str:
    """Logged name of a record: the row's name unless the call logged another."""
    return rec[R_NAME] or rec[R_OP].name


class BudgetContext:
    """A FLOP budget. Use as ``with BudgetContext(1e9) as b:`` or as a decorator.

    Args:
        flop_budget: FLOPs available (> 0).
        cost_model: a :class:`~flopscope.CostModel` or a built-in name; default: the
            process default (``FLOPSCOPE_COST_MODEL`` or ``"flopscope"``).
        wall_time_limit_s: refuse ops once this many seconds have passed since entry.
        flop_multiplier: multiplies every charge before truncation to ``int``.
        quiet: do not print the banner to stderr on entry.
        namespace: root attribution label prefixed to every record.
    """

    def __init__(
        self,
        flop_budget: float,
        flop_multiplier: float = 1.0,
        quiet: bool = False,
        namespace: str | None = None,
        wall_time_limit_s: float | None = None,
        *,
        cost_model: str | CostModel | None = None,
    ) -> None:
        if not flop_budget > 0:
            raise ValueError(f"flop_budget must be > 0, got {flop_budget}")
        if namespace is not None:
            _check_segment(namespace)
        self._budget = flop_budget
        self._multiplier = float(flop_multiplier)
        self._quiet = quiet
        self._namespace = namespace
        self._limit = wall_time_limit_s
        self._model = resolve(cost_model)
        self._used = 0
        self._records: list[tuple[Any, ...]] = []
        self._prices: dict[tuple[Any, tuple], int] = {}
        self._lock = threading.Lock()
        self._acquire = self._lock.acquire
        self._release = self._lock.release
        self._t_created = perf_counter()
        self._t_enter: float | None = None
        self._deadline: float | None = None
        self._wall: float | None = None
        self._tokens: list[Any] = []
        self._baseline = 0  # records before this index were reported before budget_reset()
        self._is_default = False
        self._extra_overhead = 0.0

    # -- read-only state --------------------------------------------------------------------

    @property
    def flop_budget(self) -> float:
        return self._budget

    @property
    def flops_used(self) -> int:
        return self._used

    @property
    def flops_remaining(self) -> float:
        return self._budget - self._used

    @property
    def flop_multiplier(self) -> float:
        return self._multiplier

    @property
    def cost_model(self) -> CostModel:
        return self._model

    @property
    def wall_time_limit_s(self) -> float | None:
        return self._limit

    @property
    def namespace(self) -> str | None:
        return _join(self._namespace, _LABEL.get())

    @property
    def op_log(self) -> list[OpRecord]:
        return [self._as_record(r) for r in list(self._records)]

    @property
    def wall_time_s(self) -> float | None:
        return self._wall

    @property
    def elapsed_s(self) -> float:
        return 0.0 if self._t_enter is None else perf_counter() - self._t_enter

    @property
    def flopscope_backend_time(self) -> float:
        return sum(r[R_BACKEND] for r in list(self._records))

    @property
    def flopscope_overhead_time(self) -> float:
        return sum(r[R_OVERHEAD] for r in list(self._records)) + self._extra_overhead

    @property
    def residual_wall_time(self) -> float | None:
        if self._wall is None:
            return None
        return max(0.0, self._wall - self.flopscope_backend_time - self.flopscope_overhead_time)

    # -- charging (hot path) ----------------------------------------------------------------

    def charge(self, op: Any, inputs: tuple, t0: float, name: str | None = None) -> tuple[int, int]:
        """Price ``op`` on ``inputs``, check the budget and reserve the FLOPs.

        Raises before anything is reserved when the budget or the time limit would be
        exceeded. Returns ``(cost, cumulative)``; the caller then runs the op and either
        :meth:`record`s it or :meth:`refund`s the cost if the backend raised. ``name`` is the
        logged name when it differs from the row's (``subtract.reduce``).
        """
        key = (op, inputs) if name is None else (name, inputs)
        cost = self._prices.get(key)
        if cost is None:
            cost = self._model.price(op, inputs, self._multiplier, name)
            if len(self._prices) > 65536:
                self._prices.clear()
            self._prices[key] = cost
        if self._deadline is not None and t0 > self._deadline:
            raise TimeExhaustedError(
                name or op.name, elapsed_s=t0 - self._t_enter, limit_s=self._limit
            )
        self._acquire()
        used = self._used + cost
        if used > self._budget:
            self._release()
            raise BudgetExhaustedError(
                name or op.name, flop_cost=cost, flops_remaining=self._budget - self._used
            )
        self._used = used
        self._release()
        return cost, used

    def record(
        self,
        op: Any,
        inputs: tuple,
        cost: int,
        cumulative: int,
        t0: float,
        backend_s: float,
        overhead_s: float,
        name: str | None = None,
    ) -> None:
        """Log a call that was charged and completed (``list.append`` is atomic)."""
        self._records.append(
            (op, inputs, cost, cumulative, _LABEL.get(), t0, backend_s, overhead_s, name)
        )

    def refund(self, cost: int) -> None:
        """Give back a reservation whose backend call failed."""
        self._acquire()
        self._used -= cost
        self._release()

    def deduct(
        self,
        op_name: str,
        *,
        flop_cost: int,
        subscripts: str | None = None,
        shapes: tuple = (),
    ) -> contextlib.AbstractContextManager[None]:
        """Charge an explicit, already-weighted cost under ``op_name`` (manual accounting)."""
        from flopscope.ops import manual_op

        t0 = perf_counter()
        inputs = (int(flop_cost), subscripts, tuple(shapes))
        cost, cumulative = self.charge(manual_op(), inputs, t0, op_name)
        return _Timer(self, manual_op(), inputs, cost, cumulative, t0, op_name)

    # -- context protocol -------------------------------------------------------------------

    def __enter__(self) -> BudgetContext:
        outer = _ACTIVE.get()
        if outer is not None:
            raise RuntimeError("Cannot nest BudgetContexts")
        self._tokens.append(_ACTIVE.set(self))
        now = perf_counter()
        if self._t_enter is None:
            self._t_enter = now
        if self._limit is not None:
            self._deadline = now + self._limit
        _remember(self)
        if not self._quiet:
            print(self._banner(), file=sys.stderr)
        return self

    def __exit__(self, *exc: object) -> None:
        token = self._tokens.pop()
        _ACTIVE.reset(token)
        self._wall = perf_counter() - self._t_created

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Use as a decorator: every call re-enters this same context (usage accumulates)."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper

    # -- reports ----------------------------------------------------------------------------

    def summary(
        self, by_namespace: bool = False, *, cost_model: str | CostModel | None = None
    ) -> str:
        """Plain-text summary; ``cost_model=`` re-prices the recorded calls under another model."""
        from flopscope import _report

        return _report.render_text(self.summary_dict(by_namespace, cost_model=cost_model), self)

    def summary_dict(
        self, by_namespace: bool = False, *, cost_model: str | CostModel | None = None
    ) -> dict[str, Any]:
        """Totals, per-op and (optionally) per-label breakdowns as a dict."""
        from flopscope import _report

        return _report.context_dict(self, by_namespace, cost_model=cost_model)

    def reprice(self, cost_model: str | CostModel) -> list[int]:
        """The cost of every recorded call under ``cost_model`` (with this multiplier)."""
        model = resolve(cost_model)
        return [self._price_record(r, model) for r in list(self._records)]

    def _price_record(self, rec: tuple[Any, ...], model: CostModel) -> int:
        op = rec[R_OP]
        if op.formula == "manual":
            return rec[R_COST]
        return model.price(op, rec[R_INPUTS], self._multiplier, rec[R_NAME])

    def _as_record(self, r: tuple[Any, ...]) -> OpRecord:
        subscripts, shapes = _describe_inputs(r[R_OP], r[R_INPUTS])
        return OpRecord(
            record_name(r),
            subscripts,
            shapes,
            r[R_COST],
            r[R_CUMULATIVE],
            _join(self._namespace, r[R_LABEL]),
            None if self._t_enter is None else max(0.0, r[R_OFFSET] - self._t_enter),
            r[R_BACKEND],
            r[R_OVERHEAD],
        )

    def _banner(self) -> str:
        import numpy

        from flopscope import __version__

        text = (
            f"flopscope {__version__} (numpy {numpy.__version__} backend) | "
            f"budget: {self._budget:.2e} FLOPs"
        )
        if self._limit is not None:
            text += f" | time limit: {self._limit:.1f}s"
        return text

    def __repr__(self) -> str:
        return (
            f"BudgetContext(flop_budget={self._budget}, flops_used={self._used}, "
            f"cost_model={self._model.name!r})"
        )


class _Timer:
    """Returned by ``deduct``: records the charge, timing the ``with`` block if one is used."""

    def __init__(self, ctx: BudgetContext, *record: Any) -> None:
        self._ctx = ctx
        self._record = record
        self._t: float | None = None
        self._done = False
        op, inputs, cost, cumulative, t0, name = record
        # recorded now (a bare deduct() call must still show up); timed on exit if used
        ctx.record(op, inputs, cost, cumulative, t0, 0.0, 0.0, name)

    def __enter__(self) -> None:
        self._t = perf_counter()

    def __exit__(self, *exc: object) -> None:
        if self._t is None:
            return
        backend = perf_counter() - self._t
        ctx = self._ctx
        for i in range(len(ctx._records) - 1, -1, -1):
            rec = ctx._records[i]
            if rec[R_INPUTS] is self._record[1]:
                ctx._records[i] = (*rec[:R_BACKEND], backend, *rec[R_OVERHEAD:])
                break


def _describe_inputs(op: Any, inputs: tuple) -> tuple[str | None, tuple]:
    """``(subscripts, shapes)`` of a record, derived from the formula inputs."""
    if op is None:
        return None, ()
    if op.formula == "manual":
        return inputs[1], inputs[2]
    if op.kind == "reduction":
        return None, (inputs[0],)
    if op.formula == "einsum":
        return inputs[0], tuple(inputs[1])
    subscripts = None
    shapes: list[tuple] = []
    for item in inputs:
        if isinstance(item, str) and subscripts is None and "->" in item:
            subscripts = item
        elif isinstance(item, tuple):
            if all(isinstance(d, int) for d in item):
                shapes.append(item)
            elif item and all(isinstance(s, tuple) for s in item):
                shapes.extend(s for s in item if all(isinstance(d, int) for d in s))
    return subscripts, tuple(shapes)


def _join(root: str | None, label: str | None) -> str | None:
    if root and label:
        return f"{root}.{label}"
    return root or label


def _check_segment(name: object) -> str:
    if not isinstance(name, str):
        raise ValueError("namespace segment must be a string")
    stripped = name.strip()
    if not stripped:
        raise ValueError("namespace segment must be non-empty")
    if "." in stripped:
        raise ValueError("namespace segment must not contain '.'")
    return stripped


def _remember(ctx: BudgetContext) -> None:
    with _DEFAULT_LOCK:
        if not any(c is ctx for c in _SESSION):
            _SESSION.append(ctx)


def default_context() -> BudgetContext:
    """The process-global default budget (created on first use)."""
    if _DEFAULT:
        return _DEFAULT[0]
    with _DEFAULT_LOCK:
        if not _DEFAULT:
            raw = os.environ.get("FLOPSCOPE_DEFAULT_BUDGET")
            amount = int(float(raw)) if raw else 10**15
            ctx = BudgetContext(amount, quiet=True)
            ctx._is_default = True
            _DEFAULT.append(ctx)
            _SESSION.append(ctx)
    return _DEFAULT[0]


def current() -> BudgetContext:
    """The context that charges now: the explicit one of this thread/task, else the default."""
    ctx = _ACTIVE.get()
    return ctx if ctx is not None else default_context()


def active_or_none() -> BudgetContext | None:
    """The explicit context of this thread/task, or the default if one exists, else None."""
    ctx = _ACTIVE.get()
    if ctx is not None:
        return ctx
    return _DEFAULT[0] if _DEFAULT else None


def all_contexts() -> list[BudgetContext]:
    with _DEFAULT_LOCK:
        return list(_SESSION)


def budget(
    flop_budget: float,
    flop_multiplier: float = 1.0,
    quiet: bool = False,
    namespace: str | None = None,
    wall_time_limit_s: float | None = None,
    *,
    cost_model: str | CostModel | None = None,
) -> BudgetContext:
    """Same as :class:`BudgetContext` (function spelling)."""
    return BudgetContext(
        flop_budget,
        flop_multiplier,
        quiet,
        namespace,
        wall_time_limit_s,
        cost_model=cost_model,
    )


@contextlib.contextmanager
def scope(label: str) -> Iterator[None]:
    """Attribute every op inside the block to ``label`` (nested scopes join with ".")."""
    segment = _check_segment(label)
    if _ACTIVE.get() is None and not _DEFAULT:
        # 0.4.0: labels need a budget; the default counts once it exists
        if threading.current_thread() is not threading.main_thread():
            raise NoBudgetContextError()
        default_context()
    token = _LABEL.set(_join(_LABEL.get(), segment))
    try:
        yield
    finally:
        _LABEL.reset(token)
