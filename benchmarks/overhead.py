"""Per-call overhead of flopscope against raw numpy, measured in the same run.

Run ``python benchmarks/overhead.py`` (``--quick`` for a fast, noisier pass). Each case times
a flopscope call inside an open ``BudgetContext`` and the equivalent numpy call, takes the
median per-call time over several repeats, and prints both, their ratio and the absolute
overhead in microseconds. ``benchmarks/test_bench_overhead.py`` runs the same cases under
pytest-benchmark.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable from a checkout without installing
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import flopscope as flops  # noqa: E402
import flopscope.numpy as fnp  # noqa: E402

Call = Callable[[], Any]


@dataclass(frozen=True)
class Case:
    """One comparison: the same computation spelled with numpy and with flopscope."""

    name: str
    numpy: Call
    flopscope: Call
    heavy: bool = False  # seconds per call: time it a few times only


def cases() -> list[Case]:
    """The benchmark cases (operands built once, outside the timed calls)."""
    rng = np.random.default_rng(0)
    a8, b8 = rng.random(8), rng.random(8)
    fa8, fb8 = fnp.asarray(a8), fnp.asarray(b8)
    m4 = rng.random((4, 4))
    fm4 = fnp.asarray(m4)
    m8, v8 = rng.random((8, 8)), rng.random(8)
    fm8, fv8 = fnp.asarray(m8), fnp.asarray(v8)
    big_a, big_b = rng.random(10**6), rng.random(10**6)
    fbig_a, fbig_b = fnp.asarray(big_a), fnp.asarray(big_b)
    x512, y512 = rng.random((512, 512)), rng.random((512, 512))
    fx512, fy512 = fnp.asarray(x512), fnp.asarray(y512)
    return [
        Case("add, 8 elements", lambda: np.add(a8, b8), lambda: fnp.add(fa8, fb8)),
        Case("a + b, 8 elements", lambda: a8 + b8, lambda: fa8 + fb8),
        Case("exp, 8 elements", lambda: np.exp(a8), lambda: fnp.exp(fa8)),
        Case("sum, 8 elements", lambda: np.sum(a8), lambda: fnp.sum(fa8)),
        Case("matmul 4x4", lambda: np.matmul(m4, m4), lambda: fnp.matmul(fm4, fm4)),
        Case(
            "einsum 'ij,j->i' 8x8",
            lambda: np.einsum("ij,j->i", m8, v8),
            lambda: fnp.einsum("ij,j->i", fm8, fv8),
        ),
        Case(
            "add, 1e6 elements",
            lambda: np.add(big_a, big_b),
            lambda: fnp.add(fbig_a, fbig_b),
        ),
        Case(
            "einsum 'ij,jk->ik' 512^3 (numpy optimize=True)",
            lambda: np.einsum("ij,jk->ik", x512, y512, optimize=True),
            lambda: fnp.einsum("ij,jk->ik", fx512, fy512),
            heavy=True,
        ),
    ]


def _loop(fn: Call, number: int, counted: bool) -> float:
    """Seconds per call of ``number`` calls (a fresh budget for counted runs, so the ledger
    does not grow without bound)."""
    if counted:
        with flops.BudgetContext(10**18, quiet=True):
            t0 = perf_counter()
            for _ in range(number):
                fn()
            return (perf_counter() - t0) / number
    t0 = perf_counter()
    for _ in range(number):
        fn()
    return (perf_counter() - t0) / number


def autorange(fn: Call, target_s: float) -> int:
    """Calls per repeat so that one repeat of the counted call takes at least ``target_s``."""
    number = 1
    while number < 1_000_000:
        if _loop(fn, number, counted=True) * number >= target_s:
            return number
        number *= 2
    return number


def measure(case: Case, repeat: int, target_s: float) -> tuple[float, float]:
    """(numpy seconds per call, flopscope seconds per call): medians over ``repeat`` rounds,
    numpy and flopscope interleaved within each round so that drift hits both alike."""
    if case.heavy:
        number, repeat = 1, max(3, repeat // 2)
    else:
        number = autorange(case.flopscope, target_s)
    _loop(case.numpy, 1, counted=False)  # warm caches on both sides before timing
    _loop(case.flopscope, 1, counted=True)
    raw, counted = [], []
    for _ in range(repeat):
        raw.append(_loop(case.numpy, number, counted=False))
        counted.append(_loop(case.flopscope, number, counted=True))
    return statistics.median(raw), statistics.median(counted)


def _us(seconds: float) -> str:
    us = seconds * 1e6
    return f"{us:,.2f}" if us < 1000 else f"{us:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="repeats per case (median)")
    parser.add_argument("--target", type=float, default=0.1, help="seconds per repeat")
    parser.add_argument("--quick", action="store_true", help="3 repeats of ~20 ms")
    args = parser.parse_args(argv)
    repeat, target = (3, 0.02) if args.quick else (args.repeat, args.target)

    header = f"{'case':<48}{'numpy µs':>12}{'flopscope µs':>15}{'ratio':>9}{'overhead µs':>14}"
    print(f"numpy {np.__version__}, flopscope {flops.__version__}, median of {repeat} repeats")
    print(header)
    print("-" * len(header))
    for case in cases():
        raw, counted = measure(case, repeat, target)
        print(
            f"{case.name:<48}{_us(raw):>12}{_us(counted):>15}"
            f"{counted / raw:>8.2f}x{_us(counted - raw):>14}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
