"""The flopscope quick start: a 5-layer ReLU network's forward pass under a FLOP budget.

Run it with ``python examples/quickstart.py``. Every counted call is priced from shapes and
charged before it runs; the summary at the end lists what each op cost.
"""

from __future__ import annotations

import flopscope as flops
import flopscope.numpy as fnp

DEPTH = 5
WIDTH = 256


def run(cost_model: str | flops.CostModel | None = None, quiet: bool = True) -> flops.BudgetContext:
    """Run the forward pass inside a fresh 10^8-FLOP budget and return that budget."""
    with flops.BudgetContext(flop_budget=10**8, cost_model=cost_model, quiet=quiet) as budget:
        fnp.random.seed(0)
        scale = fnp.sqrt(2 / WIDTH)  # He initialisation, computed once
        weights = [fnp.random.randn(WIDTH, WIDTH) * scale for _ in range(DEPTH)]
        x = fnp.random.randn(WIDTH)

        h = x
        for i, W in enumerate(weights):
            h = fnp.einsum("ij,j->i", W, h)
            if i < DEPTH - 1:
                h = fnp.maximum(h, 0)  # ReLU between layers
    return budget


def main() -> None:
    budget = run()
    print(budget.summary())


if __name__ == "__main__":
    main()
