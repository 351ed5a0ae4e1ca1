"""Free ops: views, metadata, shape manipulation and allocation without writing values.

``free`` rows charge nothing and leave no record. ``logged`` rows (weight 0 in the 0.4.0
release) leave a 0-FLOP record so that they show up in summaries.
"""

from __future__ import annotations

import numpy as np

from flopscope.ops._row import Example, Op

_API = {
    "zeros",
    "ones",
    "eye",
    "empty",
    "zeros_like",
    "ones_like",
    "empty_like",
    "reshape",
    "squeeze",
    "expand_dims",
    "flip",
    "broadcast_to",
    "broadcast_arrays",
    "astype",
    "asarray",
    "result_type",
    "can_cast",
    "moveaxis",
    "permute_dims",
    "matrix_transpose",
    "isdtype",
    "from_dlpack",
    "tril",
    "triu",
    "roll",
    "unstack",
}

_FREE = (
    "zeros ones eye identity zeros_like ones_like empty empty_like reshape transpose swapaxes "
    "moveaxis hstack hsplit squeeze expand_dims copy flip triu tril astype rot90 fliplr flipud "
    "atleast_1d atleast_2d atleast_3d column_stack shape size ndim broadcast_shapes "
    "result_type can_cast common_type min_scalar_type promote_types shares_memory "
    "may_share_memory unravel_index ravel_multi_index diag_indices diag_indices_from "
    "tril_indices tril_indices_from triu_indices triu_indices_from tri permute_dims "
    "matrix_transpose require issubdtype isdtype isscalar isfortran iterable typename "
    "mintypecode roll geterr seterr"
).split()

_LOGGED = (
    "asarray ravel split vsplit dsplit array_split broadcast_to broadcast_arrays rollaxis "
    "frombuffer from_dlpack"
).split()

_EXAMPLE = {
    "shape": "fnp.shape(np.ones((3, 4)))",
    "size": "fnp.size(np.ones((3, 4)))",
    "ndim": "fnp.ndim(np.ones((3, 4)))",
    "zeros": "fnp.zeros((3, 4))",
    "reshape": "fnp.reshape(np.ones((3, 4)), (4, 3))",
    "transpose": "fnp.transpose(np.ones((3, 4)))",
    "copy": "fnp.copy(np.ones((3, 4)))",
    "hstack": "fnp.hstack([np.ones((3, 4)), np.ones((3, 2))])",
    "roll": "fnp.roll(np.ones((3, 4)), 1)",
    "geterr": "fnp.geterr()",
    # logged with 0 FLOPs
    "asarray": "fnp.asarray([[0.5] * 4] * 3)",
    "ravel": "fnp.ravel(np.ones((3, 4)))",
    "split": "fnp.split(np.ones((3, 4)), 3)",
    "vsplit": "fnp.vsplit(np.ones((4, 2)), 2)",
    "dsplit": "fnp.dsplit(np.ones((2, 3, 4)), 2)",
    "array_split": "fnp.array_split(np.ones(7), 3)",
    "broadcast_to": "fnp.broadcast_to(np.ones(4), (3, 4))",
    "broadcast_arrays": "fnp.broadcast_arrays(np.ones(4), np.ones((3, 4)))",
    "rollaxis": "fnp.rollaxis(np.ones((2, 3, 4)), 2)",
    "frombuffer": "fnp.frombuffer(bytes(96), dtype=np.float64)",
    "from_dlpack": "fnp.from_dlpack(np.ones(12))",
}


def _examples(name: str) -> tuple[Example, ...]:
    return (Example(_EXAMPLE[name], 0),) if name in _EXAMPLE else ()


def _impl(name: str) -> object:
    return getattr(np, name)


def _free(name: str) -> Op:
    return Op(
        name,
        family="free",
        kind="free",
        formula=None,
        weight=0.0,
        impl=_impl(name),
        array_api=name if name in _API else None,
        symmetry="free",
        examples=_examples(name),
        summary="free: no FLOPs, no record",
    )


def _logged(name: str) -> Op:
    return Op(
        name,
        family="free",
        kind="logged",
        formula="zero",
        weight=0.0,
        impl=_impl(name),
        array_api=name if name in _API else None,
        symmetry="free",
        methods=("ravel",) if name == "ravel" else (),
        examples=_examples(name),
        summary="free but logged with 0 FLOPs",
    )


OPS = (
    *(_free(n) for n in _FREE),
    Op(
        "row_stack",
        family="free",
        kind="free",
        formula=None,
        weight=0.0,
        impl=np.vstack,
        summary="free: alias of vstack without charge (removed from numpy 2)",
    ),
    *(_logged(n) for n in _LOGGED),
)
