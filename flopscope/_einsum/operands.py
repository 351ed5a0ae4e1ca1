"""What the symmetric einsum cost needs to know about the operands of a call.

The *fingerprint* ``(groups, identity)`` is computed from the objects the user passed,
before any stripping or view (a view is a new object, so identity must be read first):
``groups[p]`` are the generators of operand p's registered group as permutations of its
axes (``None`` for none); ``identity[p]`` is the index of the first operand that is the same
Python object. Plain operands that are all distinct give ``None``, and the dense formulas
run unchanged (the hot path pays two type checks per operand and one ``set``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from flopscope._symmetry import registry
from flopscope._symmetry.group import SymmetryGroup

Perm = tuple[int, ...]
Fingerprint = tuple[tuple[tuple[Perm, ...] | None, ...], tuple[int, ...]]


@lru_cache(maxsize=1024)
def axis_generators(group: SymmetryGroup, ndim: int) -> tuple[Perm, ...] | None:
    """``group``'s generators as permutations of all ``ndim`` axes (``None`` if it does not
    fit the operand: a stale or foreign tag never makes a call cheaper)."""
    axes = group.axes if group.axes is not None else tuple(range(group.degree))
    if any(not 0 <= a < ndim for a in axes):
        return None
    gens = []
    for g in group.generators:
        full = list(range(ndim))
        for i, a in enumerate(axes):
            full[a] = axes[g[i]]
        if full != list(range(ndim)):
            gens.append(tuple(full))
    return tuple(gens) or None


def group_of(x: Any) -> SymmetryGroup | None:
    """The registered group of an operand (plain ndarrays are answered by a type check, others by one registry lookup);
    a pricing proxy (:class:`flopscope.backends.Shaped`) answers for its source array."""
    t = type(x)
    if t in (_PLAIN or _plain_types()) or t is int or t is float:
        return None
    source = getattr(x, "source", None)
    return registry.group_of(x if source is None else source)


def _key(x: Any) -> int:
    if type(x) in (_PLAIN or _plain_types()):
        return id(x)
    source = getattr(x, "source", None)
    return id(x if source is None else source)


#: array types that never carry a tag (``SymmetricTensor`` is the tagged fnp face); filled
#: on first use, since ``flopscope.numpy`` imports this module while it is being built
_PLAIN: tuple[type, ...] = ()


def _plain_types() -> tuple[type, ...]:
    global _PLAIN
    from flopscope.numpy._ndarray import FlopscopeArray

    _PLAIN = (np.ndarray, FlopscopeArray)
    return _PLAIN


#: the fingerprint of two plain operands that are the same object (A @ A, X.T-free Gram)
_SAME_PLAIN_PAIR: Fingerprint = ((None, None), (0, 0))


def fingerprint(operands: Sequence[Any], shapes: Sequence[tuple[int, ...]]) -> Fingerprint | None:
    """The operands' fingerprint, or ``None`` when they are plain and all distinct."""
    plain = _PLAIN or _plain_types()
    for x in operands:  # the hot path: plain arrays, all distinct -> dense pricing
        if type(x) not in plain:
            break
    else:
        if len(operands) == 2:
            # plain arrays carry no group: only their identity matters (A @ A)
            return None if operands[0] is not operands[1] else _SAME_PLAIN_PAIR
        if len({id(x) for x in operands}) == len(operands):
            return None
    ids = [_key(x) for x in operands]
    repeated = len(set(ids)) < len(ids)
    groups: list[tuple[Perm, ...] | None] = []
    any_group = False
    for x, s in zip(operands, shapes):
        g = group_of(x)
        gens = axis_generators(g, len(s)) if g is not None else None
        any_group = any_group or gens is not None
        groups.append(gens)
    if not (repeated or any_group):
        return None
    return tuple(groups), tuple(ids.index(i) for i in ids)


def identity_only(operands: Sequence[Any]) -> bool:
    """Whether the (two) operands are the same object (flattening ops keep no group)."""
    return len(operands) == 2 and _key(operands[0]) == _key(operands[1])


def fingerprint_from_pattern(
    shapes: Sequence[tuple[int, ...]],
    operand_symmetries: Sequence[Any] | None,
    identity_pattern: Any,
) -> Fingerprint | None:
    """The fingerprint of ``accounting.einsum_cost(operand_symmetries=, identity_pattern=)``:
    groups (``SymmetryGroup`` or a shorthand) per operand, and tuples of operand positions
    that are the same object (e.g. ``((0, 1),)``)."""
    from flopscope._symmetry.group import as_group

    k = len(shapes)
    groups: list[tuple[Perm, ...] | None] = [None] * k
    if operand_symmetries is not None:
        if len(operand_symmetries) != k:
            raise ValueError(
                f"operand_symmetries has {len(operand_symmetries)} entries for {k} operands"
            )
        for p, spec in enumerate(operand_symmetries):
            if spec is not None:
                group = spec if isinstance(spec, SymmetryGroup) else as_group(spec, len(shapes[p]))
                groups[p] = axis_generators(group, len(shapes[p]))
    ident = list(range(k))
    for block in identity_pattern or ():
        block = [int(p) for p in block]
        if any(not 0 <= p < k for p in block):
            raise ValueError(f"identity_pattern {identity_pattern!r}: positions must be < {k}")
        first = min(ident[p] for p in block)
        for p in block:
            if shapes[p] != shapes[block[0]] or groups[p] != groups[block[0]]:
                raise ValueError(
                    "identity_pattern: operands that are the same object must have the same "
                    "shape and symmetry"
                )
            ident[p] = first
    if all(g is None for g in groups) and ident == list(range(k)):
        return None
    return tuple(groups), tuple(ident)


def output_group(perms: Sequence[Perm] | None) -> SymmetryGroup | None:
    """A ``SymmetryGroup`` on the output axes from the permutations the model inferred."""
    if not perms or len(perms) < 2:
        return None
    return _group_from_perms(tuple(perms))


@lru_cache(maxsize=1024)
def _group_from_perms(perms: tuple[Perm, ...]) -> SymmetryGroup:
    from flopscope._symmetry.components import closure

    n = len(perms[0])
    support = tuple(a for a in range(n) if any(p[a] != a for p in perms))
    pos = {a: i for i, a in enumerate(support)}
    local = [tuple(pos[p[a]] for a in support) for p in perms]
    gens: list[Perm] = []
    reached = {tuple(range(len(support)))}
    for p in local:  # a small generating set: add an element only if not yet generated
        if p not in reached:
            gens.append(p)
            reached = set(closure(gens, len(support)))
    return SymmetryGroup(*gens, axes=support)
