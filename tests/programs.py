"""Programs several suites run on different surfaces: in-process ``fnp``, namespaces, the
remote client. One definition each, so every surface runs exactly the same calls."""

from __future__ import annotations

import inspect
from typing import Any

#: the README quick start under the default model: total and per-op FLOPs
QUICKSTART_TOTAL = 6_229_761
QUICKSTART_OPS = {
    "random.randn": 5_246_976,
    "einsum": 654_080,
    "multiply": 327_680,
    "maximum": 1_024,
    "sqrt": 1,
}
#: calls per op of the quick start
QUICKSTART_CALLS = {"random.randn": 6, "einsum": 5, "multiply": 5, "maximum": 4, "sqrt": 1}


def quickstart(fnp: Any) -> Any:
    """The README's quick start (depth 5, width 256) on any ``flopscope.numpy``-like module;
    returns the final activations."""
    fnp.random.seed(0)
    scale = fnp.sqrt(2 / 256)
    weights = [fnp.random.randn(256, 256) * scale for _ in range(5)]
    h = fnp.random.randn(256)
    for i, w in enumerate(weights):
        h = fnp.einsum("ij,j->i", w, h)
        if i < 4:
            h = fnp.maximum(h, 0)
    return h


#: :func:`quickstart` as source, for scripts run in other interpreters
QUICKSTART_SOURCE = "from typing import Any\n\n" + inspect.getsource(quickstart)
