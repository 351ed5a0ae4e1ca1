"""Budgets and the ledger: ``BudgetContext``, the global default budget, attribution labels.

Charging is check-then-reserve under a lock, before the backend runs. A call refused by the
budget or by the wall-time limit reserves nothing and leaves no record; a call whose backend
raises is refunded, so the ledger only ever holds calls that produced a result.

The active context and the attribution label live in :mod:`contextvars`, so each thread and
each asyncio task has its own. One context object may be active in several threads at once
(each worker does ``with ctx:``); charges to it are serialised by its lock.
"""

from __future__ import annotations

import contextlib
import functools
import numbers
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
#: contexts whose activity the session summaries report (entered ones, and the default)
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


# Record slots: records are plain tuples of atoms (the op by its row name), appended once the
# backend call has returned; atoms only, so the collector untracks them and a long ledger
# costs nothing per garbage collection.
R_OP, R_INPUTS, R_COST, R_CUMULATIVE, R_LABEL, R_OFFSET, R_BACKEND, R_OVERHEAD, R_NAME = range(9)


def record_name(rec: tuple[Any, ...]) -> str:
    """Logged name of a record: the row's name unless the call logged another."""
    return rec[R_NAME] or rec[R_OP]


class BudgetContext:
    """A FLOP budget. Use as ``with BudgetContext(1e9) as b:`` or as a decorator.

    Args:
        flop_budget: FLOPs available (> 0).
        flop_multiplier: multiplies every charge before truncation to ``int``.
        quiet: do not print the banner to stderr on entry.
        namespace: root attribution label prefixed to every record.
        wall_time_limit_s: refuse ops once this many seconds have passed since entry.
        cost_model: a :class:`~flopscope.CostModel` or a built-in name; default: the
            process default (``FLOPSCOPE_COST_MODEL`` or ``"flopscope"``).

    Entering the same object again (a second ``with``, or every call of a decorated
    function) continues its counters. Entering it in several threads at once shares it:
    each thread's ops charge it, atomically.
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
        t_created = perf_counter()
        if not flop_budget > 0:
            raise ValueError(f"flop_budget must be > 0, got {flop_budget}")
        if namespace is not None:
            _check_root(namespace)
        self._budget = flop_budget
        self._multiplier = float(flop_multiplier)
        self._quiet = quiet
        self._namespace = namespace
        self._limit = wall_time_limit_s
        self._model = resolve(cost_model)
        self._used = 0
        self._records: list[tuple[Any, ...]] = []
        self._prices: dict[tuple[Any, tuple], tuple[int, tuple]] = {}
        # The prices the generated fast paths may use without calling ``charge``: none when a
        # time limit is set, so that every call goes through the deadline check.
        self._hot_prices = self._prices if wall_time_limit_s is None else {}
        self._lock = threading.Lock()
        self._acquire = self._lock.acquire
        self._release = self._lock.release
        self._t_created = t_created
        self._t_enter: float | None = None  # first entry
        self._t_start: float | None = None  # start of the current entry (time-limit origin)
        self._deadline: float | None = None
        self._wall: float | None = None
        self._open = 0  # entries not yet exited, over all threads and tasks
        self._baseline = 0  # records before this index were reported before budget_reset()
        self._remembered = False  # listed in _SESSION
        self._is_default = False
        # flopscope's own time outside op wrappers: construction, enter/exit, label push/pop
        self._extra_overhead = perf_counter() - t_created

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
        """Root namespace joined with the labels active in this thread/task."""
        return _join(self._namespace, _LABEL.get())

    @property
    def op_log(self) -> list[OpRecord]:
        return [self._as_record(r) for r in list(self._records)]

    @property
    def wall_time_s(self) -> float | None:
        """Seconds from construction to the end of the last exit (None until then)."""
        return self._wall

    @property
    def elapsed_s(self) -> float:
        """Seconds since the first entry (0 before it)."""
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

    def live_wall_time(self) -> float | None:
        """Wall time for reports: elapsed so far while open, else the value at the last exit."""
        if self._open > 0:
            return perf_counter() - self._t_created
        return self._wall

    # -- charging (hot path) ----------------------------------------------------------------

    def charge(
        self,
        op: Any,
        inputs: tuple,
        t0: float,
        name: str | None = None,
        model: CostModel | None = None,
    ) -> tuple[int, int]:
        """Price ``op`` on ``inputs``, check the budget and reserve the FLOPs.

        Raises before anything is reserved when the budget or the time limit would be
        exceeded. Returns ``(cost, cumulative)``; the caller then runs the op and either
        :meth:`record`s it or :meth:`refund`s the cost if the backend raised. ``name`` is the
        logged name when it differs from the row's (``subtract.reduce``). ``model`` prices
        the call instead of this context's model (``flops.namespace(..., cost_model=)``).
        """
        if model is not None:
            cost = model.price(op, inputs, self._multiplier, name)
        else:
            key = (op, inputs) if name is None else (name, inputs)
            entry = self._prices.get(key)
            if entry is None:
                cost = self._model.price(op, inputs, self._multiplier, name)
                if len(self._prices) > 65536:
                    self._prices.clear()
                # the stored inputs are the canonical copy the hot paths record (see there)
                self._prices[key] = (cost, inputs)
            else:
                cost = entry[0]
        if self._deadline is not None and t0 > self._deadline:
            self._time_exhausted(name or op.name, t0)
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
            (op.name, inputs, cost, cumulative, _LABEL.get(), t0, backend_s, overhead_s, name)
        )

    def call(
        self,
        op: Any,
        inputs: tuple,
        fn: Any,
        args: tuple,
        kwargs: dict,
        t0: float,
        name: str | None = None,
        model: CostModel | None = None,
    ) -> Any:
        """The sequence every counted call follows: charge (raises before anything runs),
        run ``fn(*args, **kwargs)``, refund if it raised, record. Returns ``fn``'s result."""
        cost, cumulative = self.charge(op, inputs, t0, name, model)
        t1 = perf_counter()
        try:
            result = fn(*args, **kwargs)
        except BaseException:
            self.refund(cost)
            raise
        t2 = perf_counter()
        self.record(op, inputs, cost, cumulative, t0, t2 - t1, t1 - t0, name)
        return result

    def settle(
        self,
        op: Any,
        inputs: tuple,
        t0: float,
        t1: float,
        t2: float,
        model: CostModel | None = None,
    ) -> None:
        """Charge and record a side-effect-free call that already ran (priced from its
        result between ``t1`` and ``t2``); raising here discards the result, so a refused
        call leaves no trace."""
        cost, cumulative = self.charge(op, inputs, t0, None, model)
        self.record(op, inputs, cost, cumulative, t0, t2 - t1, (t1 - t0) + (perf_counter() - t2))

    def refund(self, cost: int) -> None:
        """Give back a reservation whose backend call failed."""
        self._acquire()
        self._used -= cost
        self._release()

    def use_cost_model(self, cost_model: str | CostModel) -> None:
        """Price the calls made from now on under ``cost_model``; recorded calls keep their
        charges (``reprice`` says what they would cost under another model)."""
        model = resolve(cost_model)
        self._acquire()
        self._model = model
        self._prices.clear()  # the fast paths' cache too: it is this dict, or stays empty
        self._release()

    def checkpoint(self) -> int:
        """A mark of the ledger now, for :meth:`rollback`."""
        return len(self._records)

    def rollback(self, mark: int) -> int:
        """Remove the records made after ``mark`` and refund their charges (for a caller
        that discards a result it was charged for, such as the server refusing to hold it);
        the FLOPs refunded. Only for calls no other thread interleaved with."""
        self._acquire()
        extra = self._records[mark:]
        del self._records[mark:]
        cost = sum(r[R_COST] for r in extra)
        self._used -= cost
        self._release()
        return cost

    def _time_exhausted(self, op_name: str, t0: float) -> None:
        start = self._t_start if self._t_start is not None else self._t_created
        raise TimeExhaustedError(op_name, elapsed_s=t0 - start, limit_s=self._limit)

    # -- manual accounting ------------------------------------------------------------------

    def deduct(
        self,
        op_name: str,
        *,
        flop_cost: int,
        subscripts: str | None = None,
        shapes: tuple = (),
    ) -> _Timer:
        """Charge an explicit, already-weighted cost under ``op_name`` (manual accounting).

        The cost is multiplied by ``flop_multiplier`` (no weight applied) and recorded at
        once. The returned object may be used as ``with ctx.deduct(...):`` to time the work
        it pays for as backend time; if that block raises, the charge is refunded and its
        record removed, like any call that produced no result.
        """
        from flopscope.ops import manual_op

        t0 = perf_counter()
        if isinstance(flop_cost, bool) or not isinstance(flop_cost, numbers.Real):
            raise TypeError(f"flop_cost must be a number, got {type(flop_cost).__name__}")
        if flop_cost < 0:
            raise ValueError(f"flop_cost must be >= 0, got {flop_cost}")
        m = self._multiplier
        cost = int(flop_cost) if m == 1.0 else int(flop_cost * m)
        if self._deadline is not None and t0 > self._deadline:
            self._time_exhausted(op_name, t0)
        with self._lock:
            cumulative = self._used + cost
            if cumulative > self._budget:
                raise BudgetExhaustedError(
                    op_name, flop_cost=cost, flops_remaining=self._budget - self._used
                )
            self._used = cumulative
        inputs = (int(flop_cost), subscripts, tuple(shapes))
        rec = (manual_op().name, inputs, cost, cumulative, _LABEL.get(), t0, 0.0, 0.0, op_name)
        self._records.append(rec)
        return _Timer(self, rec)

    # -- context protocol -------------------------------------------------------------------

    def __enter__(self) -> BudgetContext:
        t = perf_counter()
        if _ACTIVE.get() is not None:
            raise RuntimeError("Cannot nest BudgetContexts")
        _ACTIVE.set(self)
        with self._lock:
            if self._open == 0:
                self._t_start = t
                if self._t_enter is None:
                    self._t_enter = t
                if self._limit is not None:
                    self._deadline = t + self._limit
            self._open += 1
        _remember(self)
        if not self._quiet:
            print(self._banner(), file=sys.stderr)
        self._add_overhead(perf_counter() - t)
        return self

    def __exit__(self, *exc: object) -> None:
        t = perf_counter()
        # nesting is refused, so the value before entry was always None (the default)
        _ACTIVE.set(None)
        with self._lock:
            self._open = max(0, self._open - 1)
        end = perf_counter()
        self._add_overhead(end - t)
        self._wall = end - self._t_created

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Use as a decorator: every call re-enters this same context (usage accumulates)."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper

    def _add_overhead(self, seconds: float) -> None:
        with self._lock:
            self._extra_overhead += seconds

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
        """The cost of every recorded call (in ``op_log`` order) under ``cost_model``.

        Uses this context's ``flop_multiplier``; manual ``deduct`` charges keep their cost.
        """
        model = resolve(cost_model)
        return [self._price_record(r, model) for r in list(self._records)]

    def _price_record(self, rec: tuple[Any, ...], model: CostModel) -> int:
        from flopscope.ops import row

        op = row(rec[R_OP])
        if op.formula == "manual":
            return rec[R_COST]
        # always re-priced: a call may have been charged under a per-call model override
        return model.price(op, rec[R_INPUTS], self._multiplier, rec[R_NAME])

    def _as_record(self, r: tuple[Any, ...]) -> OpRecord:
        from flopscope.ops import row

        subscripts, shapes = _describe_inputs(row(r[R_OP]), r[R_INPUTS])
        return OpRecord(
            record_name(r),
            subscripts,
            shapes,
            r[R_COST],
            r[R_CUMULATIVE],
            _join(self._namespace, r[R_LABEL]),
            max(0.0, r[R_OFFSET] - self._t_created),
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
    """Returned by ``deduct``: the charge is already recorded; ``with`` times the block."""

    __slots__ = ("_ctx", "_rec", "_t")

    def __init__(self, ctx: BudgetContext, rec: tuple[Any, ...]) -> None:
        self._ctx = ctx
        self._rec = rec
        self._t: float | None = None

    def __enter__(self) -> _Timer:
        self._t = perf_counter()
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        t = self._t
        if t is None:
            return
        backend = perf_counter() - t
        ctx, rec = self._ctx, self._rec
        records = ctx._records
        with ctx._lock:
            for i in range(len(records) - 1, -1, -1):
                if records[i] is rec:
                    if exc_type is None:
                        records[i] = (*rec[:R_BACKEND], backend, *rec[R_OVERHEAD:])
                    else:
                        del records[i]  # the paid-for work failed: no result, no charge
                        ctx._used -= rec[R_COST]
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
    """A label segment: a non-empty string without "." (surrounding blanks dropped)."""
    if not isinstance(name, str):
        raise ValueError("namespace segment must be a string")
    stripped = name.strip()
    if not stripped:
        raise ValueError("namespace segment must be non-empty")
    if "." in stripped:
        raise ValueError("namespace segment must not contain '.'")
    return stripped


def _check_root(name: object) -> None:
    # the root may itself be a dotted path ("model.v2"); it only has to be a real string
    if not isinstance(name, str):
        raise ValueError("namespace segment must be a string")
    if not name.strip():
        raise ValueError("namespace segment must be non-empty")


#: ``activate(ctx)`` makes ``ctx`` the active context of this thread or task without entering
#: it (no banner, no timing) and returns the token for ``deactivate(token)``: for dispatchers
#: that run calls on behalf of several contexts, such as the server's sessions. (The
#: ContextVar's own methods: a wrapper function would add a Python frame to every call.)
activate: Callable[[BudgetContext | None], Any] = _ACTIVE.set
deactivate: Callable[[Any], None] = _ACTIVE.reset


def _remember(ctx: BudgetContext) -> None:
    if ctx._remembered:
        return
    with _DEFAULT_LOCK:
        if not ctx._remembered:
            ctx._remembered = True
            _SESSION.append(ctx)


def forget_idle() -> None:
    """Drop exited contexts from the session list (``budget_reset``); they rejoin on entry."""
    with _DEFAULT_LOCK:
        keep = [c for c in _SESSION if c._is_default or c._open > 0]
        for ctx in _SESSION:
            if not any(ctx is k for k in keep):
                ctx._remembered = False
        _SESSION[:] = keep


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
            ctx._remembered = True
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
    """Contexts the session summaries cover (default first once it exists)."""
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


#: no ``scope()`` has been entered yet, so every label is ``None``: the generated fast paths
#: (flopscope.numpy._ufunc_fast) skip reading ``_LABEL`` until then
_LABELS_USED: list[bool] = []
_LABEL_LISTENERS: list[Callable[[], None]] = []


def on_labels_used(listener: Callable[[], None]) -> None:
    """Call ``listener`` once, when the first ``scope()`` is entered (now if already)."""
    if _LABELS_USED:
        listener()
    else:
        _LABEL_LISTENERS.append(listener)


def _labels_now_used() -> None:
    # flip the listeners before the first label is set, so no fast path can miss a label
    with _DEFAULT_LOCK:
        if not _LABELS_USED:
            for listener in _LABEL_LISTENERS:
                listener()
            _LABELS_USED.append(True)


@contextlib.contextmanager
def scope(label: str) -> Iterator[None]:
    """Attribute every op inside the block to ``label`` (nested scopes join with ".").

    Labels are per thread and per asyncio task. As in 0.4.0 a label needs a budget: the
    explicit context of this thread/task, or (in the main thread) the global default. A
    worker thread that has entered no context raises :class:`NoBudgetContextError`.
    """
    t = perf_counter()
    segment = _check_segment(label)
    ctx = _ACTIVE.get()
    if ctx is None:
        if threading.current_thread() is not threading.main_thread():
            raise NoBudgetContextError()
        ctx = default_context()
    if not _LABELS_USED:
        _labels_now_used()
    token = _LABEL.set(_join(_LABEL.get(), segment))
    ctx._add_overhead(perf_counter() - t)
    try:
        yield
    finally:
        t = perf_counter()
        _LABEL.reset(token)
        ctx._add_overhead(perf_counter() - t)
