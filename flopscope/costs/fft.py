"""FFT cost formulas (``fnp.fft``): the radix-2 estimate of 5·n·⌈log2 n⌉ per transform.

Inputs of every FFT row: ``(input_shape, (lengths, size, batch))``.

* ``lengths``: transform length of each pass, in the order the axes were given (an N-D
  transform is one 1-D pass per axis, so its count sums the per-axis logs);
* ``size``: N, the number of points of one (padded or cropped) transform, each
  transformed axis counted once;
* ``batch``: number of independent transforms (product of the untransformed input dims).

The input shape is carried only so the ledger shows what was transformed. The count does
not depend on the multiply-add convention: an FFT has no contraction to convention.
"""

from __future__ import annotations

from flopscope.costs.formulas import ceil_log2, formula


def _log_sum(lengths: tuple[int, ...]) -> int:
    return sum(ceil_log2(n) for n in lengths)


@formula("fft")
def fft(inputs: tuple, convention: str) -> int:
    """Complex FFT: 5·N·Σ⌈log2 nᵢ⌉ per transform × batch (0 when N ≤ 1)."""
    lengths, size, batch = inputs[1]
    return 5 * size * _log_sum(lengths) * batch


@formula("rfft")
def rfft(inputs: tuple, convention: str) -> int:
    """Real FFT (half spectrum): 5·⌊N/2⌋·Σ⌈log2 nᵢ⌉ per transform × batch (0 when N ≤ 1)."""
    lengths, size, batch = inputs[1]
    return 5 * (size // 2) * _log_sum(lengths) * batch
