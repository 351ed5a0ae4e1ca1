"""Names the Array API standard defines (2023.12, plus the 2024.12/2025.12 additions).

Used to tell "a standard function flopscope does not count yet" (``AttributeError`` naming
it) from a name that is not part of the standard at all. This is the standard's text, not
flopscope's op table: which of these the counted namespace serves comes from the rows.
"""

from __future__ import annotations

#: top-level functions, by the standard's section
FUNCTIONS: frozenset[str] = frozenset(
    (
        # creation
        "arange asarray empty empty_like eye from_dlpack full full_like linspace meshgrid "
        "ones ones_like tril triu zeros zeros_like "
        # data types
        "astype can_cast finfo iinfo isdtype result_type "
        # elementwise
        "abs acos acosh add asin asinh atan atan2 atanh bitwise_and bitwise_left_shift "
        "bitwise_invert bitwise_or bitwise_right_shift bitwise_xor ceil clip conj copysign cos "
        "cosh divide equal exp expm1 floor floor_divide greater greater_equal hypot imag "
        "isfinite isinf isnan less less_equal log log1p log2 log10 logaddexp logical_and "
        "logical_not logical_or logical_xor maximum minimum multiply negative nextafter "
        "not_equal positive pow real reciprocal remainder round sign signbit sin sinh square "
        "sqrt subtract tan tanh trunc "
        # indexing
        "take take_along_axis "
        # linear algebra
        "matmul matrix_transpose tensordot vecdot "
        # manipulation
        "broadcast_arrays broadcast_shapes broadcast_to concat expand_dims flip moveaxis "
        "permute_dims repeat reshape roll squeeze stack tile unstack "
        # searching
        "argmax argmin count_nonzero nonzero searchsorted where "
        # sets
        "isin unique_all unique_counts unique_inverse unique_values "
        # sorting
        "argsort sort "
        # statistical
        "cumulative_prod cumulative_sum max mean min prod std sum var "
        # utility
        "all any diff"
    ).split()
)

#: functions of the optional extensions
EXTENSIONS: dict[str, frozenset[str]] = {
    "linalg": frozenset(
        (
            "cholesky cross det diagonal eig eigh eigvals eigvalsh inv matmul matrix_norm "
            "matrix_power matrix_rank matrix_transpose outer pinv qr slogdet solve svd svdvals "
            "tensordot trace vecdot vector_norm"
        ).split()
    ),
    "fft": frozenset(
        (
            "fft ifft fftn ifftn rfft irfft rfftn irfftn hfft ihfft fftfreq rfftfreq fftshift "
            "ifftshift"
        ).split()
    ),
}

#: data types and constants
DTYPES = (
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 complex64 complex128"
).split()
CONSTANTS = ("e", "inf", "nan", "newaxis", "pi")

#: versions a counted namespace may declare (``api_version=``)
VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12")
DEFAULT_VERSION = "2023.12"
