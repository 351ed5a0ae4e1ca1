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

_A = "np.ones((3, 4))"
#: name -> arguments of its example call (every free or logged row costs 0)
_ARGS = {
    "zeros": "(3, 4)",
    "ones": "(3, 4)",
    "eye": "3, 5, k=1",
    "identity": "3",
    "zeros_like": _A,
    "ones_like": _A,
    "empty": "(3, 4)",
    "empty_like": _A,
    "reshape": f"{_A}, (4, 3)",
    "transpose": _A,
    "swapaxes": f"{_A}, 0, 1",
    "moveaxis": "np.ones((2, 3, 4)), 0, -1",
    "hstack": f"[{_A}, np.ones((3, 2))]",
    "hsplit": f"{_A}, 2",
    "squeeze": "np.ones((1, 3, 4))",
    "expand_dims": f"{_A}, 0",
    "copy": _A,
    "flip": f"{_A}, axis=0",
    "triu": _A,
    "tril": _A,
    "astype": f"{_A}, np.int64",
    "rot90": _A,
    "fliplr": _A,
    "flipud": _A,
    "atleast_1d": "2.0",
    "atleast_2d": "np.ones(3)",
    "atleast_3d": _A,
    "column_stack": "[np.ones(3), np.ones(3)]",
    "row_stack": "[np.ones(3), np.ones(3)]",
    "shape": _A,
    "size": _A,
    "ndim": _A,
    "broadcast_shapes": "(2, 1), (3,)",
    "result_type": f"{_A}, 1",
    "can_cast": "np.float64, np.int32",
    "common_type": _A,
    "min_scalar_type": "10",
    "promote_types": "np.int32, np.float32",
    "shares_memory": f"{_A}, {_A}",
    "may_share_memory": f"{_A}, {_A}",
    "unravel_index": "np.array([0, 7]), (3, 4)",
    "ravel_multi_index": "(np.array([0, 1]), np.array([3, 2])), (3, 4)",
    "diag_indices": "4",
    "diag_indices_from": "np.ones((3, 3))",
    "tril_indices": "3",
    "tril_indices_from": _A,
    "triu_indices": "4, k=1",
    "triu_indices_from": _A,
    "tri": "3, 5",
    "permute_dims": f"{_A}, (1, 0)",
    "matrix_transpose": _A,
    "require": f"{_A}, requirements=['F']",
    "issubdtype": "np.int32, np.floating",
    "isdtype": "np.float64, 'real floating'",
    "isscalar": "1.0",
    "isfortran": _A,
    "iterable": "[1]",
    "typename": "'d'",
    "mintypecode": "['d', 'f']",
    "roll": f"{_A}, 1",
    "geterr": "",
    "seterr": "**np.geterr()",
    # logged with 0 FLOPs
    "asarray": "[[0.5] * 4] * 3",
    "ravel": _A,
    "split": f"{_A}, 3",
    "vsplit": "np.ones((4, 2)), 2",
    "dsplit": "np.ones((2, 3, 4)), 2",
    "array_split": "np.ones(7), 3",
    "broadcast_to": "np.ones(4), (3, 4)",
    "broadcast_arrays": f"np.ones(4), {_A}",
    "rollaxis": "np.ones((2, 3, 4)), 2",
    "frombuffer": "bytes(96), dtype=np.float64",
    "from_dlpack": "np.ones(12)",
}


def _examples(name: str) -> tuple[Example, ...]:
    return (Example(f"fnp.{name}({_ARGS[name]})", 0),)


def _impl(name: str) -> object:
    return getattr(np, name)


#: constructors whose result's symmetry is known by construction (flopscope._symmetry.infer)
_INFER = {
    "zeros": "infer_equal_axes",
    "ones": "infer_equal_axes",
    "eye": "infer_diagonal",
    "identity": "infer_diagonal",
}


#: how the free rows that take an array keep a symmetric input's group (the rest drop it)
_PROPAGATE = {
    "hstack": "joins",
    "column_stack": "joins",
    "row_stack": "joins",
    "transpose": "transpose",
    "permute_dims": "transpose",
    "matrix_transpose": "matrix_transpose",
    "swapaxes": "swapaxes",
    "moveaxis": "moveaxis",
    "reshape": "reshape",
    "squeeze": "reshape",
    "expand_dims": "reshape",
    "atleast_1d": "reshape",
    "atleast_2d": "reshape",
    "atleast_3d": "reshape",
    "copy": "copy",
}


def _free(name: str) -> Op:
    return Op(
        name,
        family="free",
        kind="free",
        formula=None,
        weight=0.0,
        impl=_impl(name),
        array_api=name if name in _API else None,
        symmetry=_INFER.get(name) or _PROPAGATE.get(name, "free"),
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
        examples=_examples("row_stack"),
        summary="free: alias of vstack without charge (removed from numpy 2)",
    ),
    *(_logged(n) for n in _LOGGED),
)
