"""Finite permutation groups acting on tensor axes, and orbit counting of index tuples.

A group of degree k stores generators as array forms over *positions* 0..k-1; ``axes`` (when
bound) names the tensor axis at each position, so a generator ``p`` sends axis ``axes[i]`` to
``axes[p[i]]``. Every method that takes or returns axes speaks in tensor axes; positions only
appear in generator literals. Orders come from a Schreier-Sims chain (or a formula for the
named constructors), so large groups are never enumerated where a formula exists.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Perm = tuple[int, ...]

# Largest group (or orbit factor) that element enumeration will walk before refusing.
DEFAULT_ENUMERATION_BUDGET = 100_000


class EnumerationBudgetError(ValueError):
    """A computation would enumerate more group elements than its budget allows."""


def _compose(a: Perm, b: Perm) -> Perm:
    """``a ∘ b``: apply ``b`` first."""
    return tuple([a[x] for x in b])


def _inverse(a: Perm) -> Perm:
    inv = [0] * len(a)
    for i, x in enumerate(a):
        inv[x] = i
    return tuple(inv)


def _as_perm(p: Iterable[Any], what: str = "generator") -> Perm:
    try:
        perm = tuple(operator.index(x) for x in p)
    except TypeError as exc:
        raise TypeError(f"{what} must be a sequence of ints, got {p!r}") from exc
    if sorted(perm) != list(range(len(perm))):
        raise ValueError(f"{what} {list(perm)} is not a permutation of range({len(perm)})")
    return perm


class _Chain:
    """Base and strong generating set (deterministic Schreier-Sims).

    ``trans[l]`` maps each point of the orbit of ``base[l]`` under the pointwise stabiliser of
    ``base[:l]`` to a coset representative ``u`` (with ``u[base[l]] == point``) and its inverse.
    A ``prefix`` puts those points first in the base, so ``strong`` then also generates their
    pointwise stabiliser.
    """

    __slots__ = ("base", "ident", "strong", "trans")

    def __init__(self, gens: Iterable[Perm], degree: int, prefix: Sequence[int] = ()) -> None:
        self.ident: Perm = tuple(range(degree))
        self.strong: list[Perm] = [g for g in dict.fromkeys(gens) if g != self.ident]
        self.base: list[int] = list(prefix)
        for g in self.strong:
            if all(g[b] == b for b in self.base):
                self.base.append(next(i for i in range(degree) if g[i] != i))
        self.trans: list[dict[int, tuple[Perm, Perm]]] = [
            self._orbit(lvl) for lvl in range(len(self.base))
        ]
        lvl = len(self.base) - 1
        while lvl >= 0:
            found = self._unsifted_schreier_generator(lvl)
            if found is None:
                lvl -= 1
                continue
            h, j = found
            if j == len(self.base):
                self.base.append(next(i for i in range(degree) if h[i] != i))
                self.trans.append({})
            self.strong.append(h)
            for m in range(lvl + 1, j + 1):
                self.trans[m] = self._orbit(m)
            lvl = j

    def level_gens(self, lvl: int) -> list[Perm]:
        fixed = self.base[:lvl]
        return [s for s in self.strong if all(s[b] == b for b in fixed)]

    def _orbit(self, lvl: int) -> dict[int, tuple[Perm, Perm]]:
        gens = self.level_gens(lvl)
        b = self.base[lvl]
        trans = {b: (self.ident, self.ident)}
        queue = [b]
        for x in queue:  # the queue grows while it is walked: a breadth-first search
            u = trans[x][0]
            for s in gens:
                y = s[x]
                if y not in trans:
                    v = _compose(s, u)
                    trans[y] = (v, _inverse(v))
                    queue.append(y)
        return trans

    def _unsifted_schreier_generator(self, lvl: int) -> tuple[Perm, int] | None:
        trans = self.trans[lvl]
        b = self.base[lvl]
        for u, _ in list(trans.values()):
            for s in self.level_gens(lvl):
                su = _compose(s, u)
                h, j = self.sift(_compose(trans[su[b]][1], su), lvl + 1)
                if h != self.ident:
                    return h, j
        return None

    def sift(self, g: Perm, start: int = 0) -> tuple[Perm, int]:
        for lvl in range(start, len(self.base)):
            t = self.trans[lvl].get(g[self.base[lvl]])
            if t is None:
                return g, lvl
            g = _compose(t[1], g)
        return g, len(self.base)

    def order(self) -> int:
        return math.prod(len(t) for t in self.trans)

    def elements(self) -> list[Perm]:
        out = [self.ident]
        for trans in reversed(self.trans):
            out = [_compose(u, g) for u, _ in trans.values() for g in out]
        return out


class SymmetryGroup:
    """A finite permutation group acting on tensor axes (see module docstring)."""

    __slots__ = ("_axes", "_chain", "_degree", "_gens", "_order", "_orbits")

    def __init__(self, *perms: Iterable[int], axes: Iterable[int] | None = None) -> None:
        if not perms:
            raise ValueError("SymmetryGroup needs at least one generator")
        gens = tuple(_as_perm(p) for p in perms)
        degree = len(gens[0])
        if any(len(g) != degree for g in gens):
            raise ValueError(f"generators have different sizes: {[len(g) for g in gens]}")
        bound = None
        if axes is not None:
            bound = tuple(operator.index(a) for a in axes)
            if len(bound) != degree:
                raise ValueError(f"axes {bound} do not match generator size {degree}")
            if len(set(bound)) != degree or any(a < 0 for a in bound):
                raise ValueError(f"axes must be distinct non-negative ints, got {bound}")
        self._gens: tuple[Perm, ...] = gens
        self._degree = degree
        self._axes: tuple[int, ...] | None = bound
        self._chain: _Chain | None = None
        self._order: int | None = None
        self._orbits: tuple[tuple[int, ...], ...] | None = None

    # ----------------------------------------------------------------- constructors
    @classmethod
    def _known(cls, gens: list[Perm], axes: tuple[int, ...], order: int) -> SymmetryGroup:
        """A group whose order is known by formula (no Schreier-Sims needed)."""
        group = cls(*(gens or [tuple(range(len(axes)))]), axes=axes)
        group._order = order
        return group

    @classmethod
    def _interned(cls, key: tuple, make: Any) -> SymmetryGroup:
        """The one instance of a named kind on given axes (groups are immutable; caches
        inside them are filled lazily, so sharing also shares the chain and orbits)."""
        if cls is not SymmetryGroup:
            return make()
        group = _INTERNED.get(key)
        if group is None:
            if len(_INTERNED) >= _INTERN_LIMIT:
                _INTERNED.clear()  # a crude bound: interning is an optimisation only
            group = _INTERNED.setdefault(key, make())
        return group

    @staticmethod
    def _axes_arg(axes: Iterable[int]) -> tuple[int, ...]:
        ax = tuple(operator.index(a) for a in axes)
        if not ax:
            raise ValueError("a symmetry group needs at least one axis")
        return ax

    @classmethod
    def symmetric(cls, *, axes: Iterable[int]) -> SymmetryGroup:
        """S_k on ``axes``, generated by adjacent transpositions (k = 1: identity group)."""
        ax = cls._axes_arg(axes)
        return cls._interned(("symmetric", ax), lambda: cls._symmetric(ax))

    @classmethod
    def _symmetric(cls, ax: tuple[int, ...]) -> SymmetryGroup:
        k = len(ax)
        gens = []
        for i in range(k - 1):
            p = list(range(k))
            p[i], p[i + 1] = i + 1, i
            gens.append(tuple(p))
        return cls._known(gens, ax, math.factorial(k))

    @classmethod
    def cyclic(cls, *, axes: Iterable[int]) -> SymmetryGroup:
        """C_k: the rotation i -> i + 1 (mod k) of the positions of ``axes``."""
        ax = cls._axes_arg(axes)
        k = len(ax)
        return cls._interned(
            ("cyclic", ax), lambda: cls._known([tuple((i + 1) % k for i in range(k))], ax, k)
        )

    @classmethod
    def dihedral(cls, *, axes: Iterable[int]) -> SymmetryGroup:
        """D_k (order 2k): rotation and reflection i -> -i (mod k); k <= 2 gives S_k."""
        ax = cls._axes_arg(axes)
        k = len(ax)
        if k <= 2:
            return cls.symmetric(axes=ax)
        rotation = tuple((i + 1) % k for i in range(k))
        reflection = tuple((-i) % k for i in range(k))
        return cls._interned(
            ("dihedral", ax), lambda: cls._known([rotation, reflection], ax, 2 * k)
        )

    @classmethod
    def young(cls, blocks: Iterable[Iterable[int]]) -> SymmetryGroup:
        """Direct product of symmetric groups on disjoint ``blocks`` of axes."""
        blks = tuple(tuple(operator.index(a) for a in b) for b in blocks)
        flat = [a for b in blks for a in b]
        if not flat:
            raise ValueError("young() needs at least one axis")
        if len(set(flat)) != len(flat):
            raise ValueError(f"young() blocks overlap: {list(blks)}")
        return cls._interned(("young", blks), lambda: cls._young(blks))

    @classmethod
    def _young(cls, blks: tuple[tuple[int, ...], ...]) -> SymmetryGroup:
        flat = [a for b in blks for a in b]
        ax = tuple(sorted(flat))
        pos = {a: i for i, a in enumerate(ax)}
        gens = []
        for b in blks:
            for x, y in zip(b, b[1:]):
                p = list(range(len(ax)))
                p[pos[x]], p[pos[y]] = pos[y], pos[x]
                gens.append(tuple(p))
        return cls._known(gens, ax, math.prod(math.factorial(len(b)) for b in blks))

    @classmethod
    def direct_product(cls, *groups: SymmetryGroup) -> SymmetryGroup:
        """The product of groups acting on disjoint axis sets (each must have ``axes``)."""
        if not groups:
            raise ValueError("direct_product() needs at least one group")
        for g in groups:
            if not isinstance(g, SymmetryGroup):
                raise TypeError(f"direct_product() takes SymmetryGroups, got {type(g).__name__}")
            if g._axes is None:
                raise ValueError("direct_product() needs every group to have axes")
        flat = [a for g in groups for a in g._axes]  # type: ignore[union-attr]
        if len(set(flat)) != len(flat):
            raise ValueError("direct_product() groups must act on disjoint axes")
        ax = tuple(sorted(flat))
        pos = {a: i for i, a in enumerate(ax)}
        gens = []
        for g in groups:
            gax = g._axes
            assert gax is not None
            for gen in g._gens:
                p = list(range(len(ax)))
                for i, a in enumerate(gax):
                    p[pos[a]] = pos[gax[gen[i]]]
                gens.append(tuple(p))
        return cls._known(gens, ax, math.prod(g.order() for g in groups))

    @classmethod
    def from_generators(
        cls, generators: Iterable[Iterable[int]], *, axes: Iterable[int] | None
    ) -> SymmetryGroup:
        """A group from array-form generators; no generators with ``axes`` = identity group."""
        gens = [list(g) for g in generators]
        if not gens:
            if axes is None:
                raise ValueError("from_generators() needs generators or axes")
            ax = tuple(axes)
            gens = [list(range(len(ax)))]
            return cls(*gens, axes=ax)
        return cls(*gens, axes=axes)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> SymmetryGroup:
        """Inverse of :meth:`to_payload`."""
        try:
            axes, gens = payload["axes"], payload["generators"]
        except (KeyError, TypeError) as exc:
            raise ValueError("payload needs 'axes' and 'generators'") from exc
        return cls.from_generators(gens, axes=axes)

    def to_payload(self) -> dict[str, Any]:
        """A JSON-ready description: ``{"axes": [...] or None, "generators": [[...], ...]}``."""
        return {
            "axes": None if self._axes is None else list(self._axes),
            "generators": self.generator_literals,
        }

    def __reduce__(self) -> tuple:
        # By payload (not by slots): the lazily built chain is not pickled, and a known
        # order travels with it so that S_20 is not re-derived by Schreier-Sims.
        return (_unpickle, (self.to_payload(), self._order))

    @classmethod
    def from_sympy(cls, group: Any, *, axes: Iterable[int] | None = None) -> SymmetryGroup:
        """A group from a ``sympy.combinatorics.PermutationGroup`` (needs sympy)."""
        _require_sympy("from_sympy")
        gens = [list(p.array_form) for p in group.generators]
        degree = int(group.degree)
        gens = [g + list(range(len(g), degree)) for g in gens]  # sympy trims fixed tails
        return cls.from_generators(gens or [list(range(degree))], axes=axes)

    def as_sympy(self) -> Any:
        """This group as a ``sympy.combinatorics.PermutationGroup`` over positions."""
        combinatorics = _require_sympy("as_sympy")
        perm = combinatorics.Permutation
        return combinatorics.PermutationGroup([perm(list(g)) for g in self._gens])

    # -------------------------------------------------------------------- basics
    @property
    def degree(self) -> int:
        return self._degree

    @property
    def axes(self) -> tuple[int, ...] | None:
        return self._axes

    @property
    def generators(self) -> tuple[Perm, ...]:
        return self._gens

    @property
    def generator_literals(self) -> list[list[int]]:
        return [list(g) for g in self._gens]

    @property
    def identity(self) -> Perm:
        """The identity permutation (array form)."""
        return tuple(range(self._degree))

    def _points(self) -> tuple[int, ...]:
        """The axes acted on (positions when the group is not bound to axes)."""
        return self._axes if self._axes is not None else tuple(range(self._degree))

    def _positions(self, axes: Iterable[int], what: str) -> list[int]:
        pts = self._points()
        index = {a: i for i, a in enumerate(pts)}
        out = []
        for a in axes:
            a = operator.index(a)
            if a not in index:
                raise ValueError(f"{what}: axis {a} is not acted on by this group ({pts})")
            out.append(index[a])
        return out

    def _chain_(self) -> _Chain:
        if self._chain is None:
            self._chain = _Chain(self._gens, self._degree)
        return self._chain

    def order(self) -> int:
        if self._order is None:
            self._order = self._chain_().order()
        return self._order

    def _orbit_positions(self) -> list[list[int]]:
        parent = list(range(self._degree))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for g in self._gens:
            for i, j in enumerate(g):
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
        groups: dict[int, list[int]] = {}
        for i in range(self._degree):
            groups.setdefault(find(i), []).append(i)
        return list(groups.values())

    def orbits(self) -> tuple[tuple[int, ...], ...]:
        """The orbits on the axes (fixed axes as singletons), each sorted, ordered by minimum."""
        if self._orbits is None:
            pts = self._points()
            orbs = [tuple(sorted(pts[i] for i in o)) for o in self._orbit_positions()]
            self._orbits = tuple(sorted(orbs))
        return self._orbits

    def orbit(self, axis: int) -> tuple[int, ...]:
        (pos,) = self._positions([axis], "orbit()")
        a = self._points()[pos]
        return next(o for o in self.orbits() if a in o)

    def _is_young(self) -> bool:
        """Whether the group is the full symmetric group on each of its orbits."""
        return self.order() == math.prod(math.factorial(len(o)) for o in self.orbits())

    def is_symmetric(self) -> bool:
        """Whether this is the full symmetric group on its axes."""
        return self._degree >= 1 and len(self.orbits()) == 1 and self._is_young()

    @property
    def is_transitive(self) -> bool:
        return len(self.orbits()) == 1

    @property
    def is_abelian(self) -> bool:
        gens = self._gens
        return all(
            _compose(a, b) == _compose(b, a) for i, a in enumerate(gens) for b in gens[i + 1 :]
        )

    def contains(self, perm: Iterable[int]) -> bool:
        """Whether the array-form permutation (over positions) is an element of the group."""
        p = tuple(perm)
        if len(p) != self._degree:
            return False
        try:
            p = _as_perm(p, "permutation")
        except ValueError:
            return False
        if self._order is not None and self._is_young():
            # In a product of full symmetric groups, membership is "preserves every orbit".
            return all(p[i] in o for o in map(set, self._orbit_positions()) for i in o)
        return self._chain_().sift(p)[0] == self.identity

    def elements(self, *, budget: int = DEFAULT_ENUMERATION_BUDGET) -> list[Perm]:
        """Every element (array forms); refuses groups larger than ``budget``."""
        n = self.order()
        if n > budget:
            raise EnumerationBudgetError(
                f"group of order {n} exceeds the enumeration budget of {budget} elements"
            )
        return self._chain_().elements()

    # ---------------------------------------------------------------- subgroups
    def _rebuild(self, gens: list[Perm], order: int | None = None) -> SymmetryGroup:
        group = SymmetryGroup(*(gens or [self.identity]), axes=self._axes)
        group._order = order
        return group

    def _young_blocks(self, split: set[int]) -> list[list[int]]:
        """Orbit positions refined by membership in ``split``."""
        out = []
        for o in self._orbit_positions():
            out += [
                b for b in ([i for i in o if i in split], [i for i in o if i not in split]) if b
            ]
        return out

    def _young_from_blocks(self, blocks: list[list[int]]) -> SymmetryGroup:
        gens = []
        for b in blocks:
            for x, y in zip(b, b[1:]):
                p = list(range(self._degree))
                p[x], p[y] = y, x
                gens.append(tuple(p))
        return self._rebuild(gens, math.prod(math.factorial(len(b)) for b in blocks))

    def _generated_by(self, perms: Iterable[Perm]) -> SymmetryGroup:
        """The subgroup generated by ``perms``, keeping only generators that enlarge it."""
        gens: list[Perm] = []
        chain = _Chain([], self._degree)
        for p in perms:
            if chain.sift(p)[0] != self.identity:
                gens.append(p)
                chain = _Chain(gens, self._degree)
        group = self._rebuild(gens)
        group._chain = chain if gens else None
        return group

    def pointwise_stabilizer(self, axes: Iterable[int]) -> SymmetryGroup:
        """The subgroup fixing every axis in ``axes`` (same axes as this group)."""
        fixed = self._positions(axes, "pointwise_stabilizer()")
        if self._order is not None and self._is_young():
            return self._young_from_blocks(
                [b for b in self._young_blocks(set(fixed)) if b[0] not in fixed]
            )
        chain = _Chain(self._gens, self._degree, prefix=list(dict.fromkeys(fixed)))
        return self._generated_by(chain.level_gens(len(set(fixed))))

    def setwise_stabilizer(
        self, axes: Iterable[int], *, budget: int = DEFAULT_ENUMERATION_BUDGET
    ) -> SymmetryGroup:
        """The subgroup mapping the set ``axes`` onto itself."""
        kept = set(self._positions(axes, "setwise_stabilizer()"))
        if self._is_young():
            return self._young_from_blocks(self._young_blocks(kept))
        members = (g for g in self.elements(budget=budget) if all(g[i] in kept for i in kept))
        return self._generated_by(members)

    def restrict(
        self, kept: Iterable[int], *, budget: int = DEFAULT_ENUMERATION_BUDGET
    ) -> SymmetryGroup:
        """The action on ``kept`` of the elements that map ``kept`` onto itself.

        The result acts on the kept axes (for an unbound group, its kept positions become the
        axes); an empty ``kept`` gives the degree-0 group.
        """
        pos = list(dict.fromkeys(self._positions(kept, "restrict()")))
        pos.sort()
        stab = self.setwise_stabilizer([self._points()[i] for i in pos], budget=budget)
        new = {p: i for i, p in enumerate(pos)}
        gens = [tuple(new[g[p]] for p in pos) for g in stab._gens]
        ident = tuple(range(len(pos)))
        gens = list(dict.fromkeys(g for g in gens if g != ident)) or [ident]
        ax = tuple(self._points()[p] for p in pos)
        group = SymmetryGroup(*gens, axes=ax)
        if stab._is_young():
            group._order = math.prod(math.factorial(len(o)) for o in group.orbits())
        return group

    # ------------------------------------------------------------ orbit counting
    def _sizes(self, size_dict: Mapping[int, int] | Sequence[int]) -> list[int]:
        pts = self._points()
        try:
            sizes = [operator.index(size_dict[a]) for a in pts]  # type: ignore[index]
        except (KeyError, IndexError) as exc:
            raise ValueError(f"size_dict gives no size for some of the axes {pts}") from exc
        if any(n < 0 for n in sizes):
            raise ValueError(f"sizes must be non-negative, got {sizes}")
        for o in self._orbit_positions():
            if len({sizes[i] for i in o}) > 1:
                raise ValueError(
                    f"axes {[pts[i] for i in o]} are in one orbit but have sizes "
                    f"{[sizes[i] for i in o]}"
                )
        return sizes

    def burnside_unique_count(
        self,
        size_dict: Mapping[int, int] | Sequence[int],
        *,
        budget: int = DEFAULT_ENUMERATION_BUDGET,
    ) -> int:
        """Number of orbits of index tuples under the group (unique elements of a tensor).

        ``size_dict`` maps each axis to its length (a shape, indexed by axis, also works).
        Products of full symmetric groups use the multiset formula; when the group is the
        direct product of its actions on its orbits, each orbit factor is counted apart, and
        only non-symmetric factors are enumerated (refused past ``budget`` elements).
        """
        sizes = self._sizes(size_dict)
        orbits = self._orbit_positions()
        if self._is_young():
            return math.prod(math.comb(sizes[o[0]] + len(o) - 1, len(o)) for o in orbits)
        factors = [self._orbit_factor(o) for o in orbits]
        if math.prod(f.order() for f in factors) == self.order():
            return math.prod(
                f._burnside_enumerated([sizes[i] for i in o], budget)
                if not f._is_young()
                else math.comb(sizes[o[0]] + len(o) - 1, len(o))
                for f, o in zip(factors, orbits)
            )
        return self._burnside_enumerated(sizes, budget)

    def _orbit_factor(self, orbit: list[int]) -> SymmetryGroup:
        """The (unbound) action of the group on one of its orbits."""
        new = {p: i for i, p in enumerate(orbit)}
        return SymmetryGroup(*(tuple(new[g[p]] for p in orbit) for g in self._gens))

    def _burnside_enumerated(self, sizes: list[int], budget: int) -> int:
        total = 0
        k = self._degree
        for g in self.elements(budget=budget):
            seen = [False] * k
            fixed = 1
            for i in range(k):
                if not seen[i]:
                    fixed *= sizes[i]  # an orbit has one size, so each cycle contributes it once
                    j = i
                    while not seen[j]:
                        seen[j] = True
                        j = g[j]
            total += fixed
        return total // self.order()

    # ------------------------------------------------------------ comparison
    def _action(self) -> tuple[tuple[int, ...], list[Perm]]:
        """Sorted axes and generators relabelled to positions in that sorted order."""
        pts = self._points()
        srt = tuple(sorted(pts))
        rank = {a: i for i, a in enumerate(srt)}
        order = [pts.index(a) for a in srt]  # position of the i-th smallest axis
        return srt, [tuple(rank[pts[g[p]]] for p in order) for g in self._gens]

    def equals(self, other: object) -> bool:
        """Same axes and same set of permutations of them."""
        if not isinstance(other, SymmetryGroup):
            return False
        if self is other:
            return True
        if (self._axes is None) != (other._axes is None) or self._degree != other._degree:
            return False
        mine, _ = self._action()
        theirs, other_gens = other._action()
        if mine != theirs or self.orbits() != other.orbits() or self.order() != other.order():
            return False
        # Equal orders: one inclusion is enough. Check other's generators in self, relabelled
        # from sorted-axis positions to self's positions.
        pts = self._points()
        pos = {a: i for i, a in enumerate(pts)}
        to_self = [pos[a] for a in mine]
        for g in other_gens:
            p = [0] * self._degree
            for i, j in enumerate(g):
                p[to_self[i]] = to_self[j]
            if not self.contains(p):
                return False
        return True

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SymmetryGroup):
            return NotImplemented
        return self.equals(other)

    def __hash__(self) -> int:
        # Invariants of the action only, so equal groups (any generators) hash equally.
        return hash(
            (self._axes is None, tuple(sorted(self._points())), self.orbits(), self.order())
        )

    def __repr__(self) -> str:
        parts = [repr(list(g)) for g in self._gens]
        if self._axes is not None:
            parts.append(f"axes={self._axes!r}")
        return f"SymmetryGroup({', '.join(parts)})"


#: named kinds on given axes -> their one instance (see ``SymmetryGroup._interned``)
_INTERNED: dict[tuple, SymmetryGroup] = {}
_INTERN_LIMIT = 4096


def _unpickle(payload: dict[str, Any], order: int | None) -> SymmetryGroup:
    group = SymmetryGroup.from_payload(payload)
    if order is not None:
        group._order = order
    return group


def _require_sympy(what: str) -> Any:
    """``sympy.combinatorics``, or an ImportError naming the extra that installs it."""
    try:
        import sympy.combinatorics as combinatorics
    except ImportError as exc:
        raise ImportError(
            f"SymmetryGroup.{what}() needs sympy: pip install 'flopscope[sympy]'"
        ) from exc
    return combinatorics


def _axis(a: Any, ndim: int) -> int:
    if isinstance(a, bool):
        raise TypeError(f"axis must be an int, got {a!r}")
    try:
        i = operator.index(a)
    except TypeError as exc:
        raise TypeError(f"axis must be an int, got {type(a).__name__}") from exc
    if not -ndim <= i < ndim:
        raise ValueError(f"axis {i} is out of bounds for a tensor of dimension {ndim}")
    return i % ndim


def as_group(spec: Any, ndim: int) -> SymmetryGroup:
    """A ``SymmetryGroup`` from any accepted symmetry shorthand, checked against ``ndim``.

    Accepts a group (an unbound one acts on axes 0..k-1), a tuple/list of ints (the full
    symmetric group on those axes; negatives count from the end) or a tuple/list of
    tuples/lists of ints (the Young group on those disjoint blocks).
    """
    if isinstance(spec, SymmetryGroup):
        if spec.axes is None:
            if spec.degree > ndim:
                raise ValueError(f"group of degree {spec.degree} does not fit {ndim} axes")
            return SymmetryGroup(*spec.generators, axes=range(spec.degree))
        bad = [a for a in spec.axes if a >= ndim]
        if bad:
            raise ValueError(f"axes {bad} are out of bounds for a tensor of dimension {ndim}")
        return spec
    if not isinstance(spec, (tuple, list)):
        raise TypeError(f"symmetry must be a SymmetryGroup or tuple of axes, got {spec!r}")
    if not spec:
        raise ValueError("symmetry needs at least one axis")
    if all(isinstance(b, (tuple, list)) for b in spec):
        blocks = [[_axis(a, ndim) for a in b] for b in spec]
        return SymmetryGroup.young(blocks)
    if any(isinstance(b, (tuple, list, SymmetryGroup)) for b in spec):
        raise TypeError(f"symmetry must be axes or blocks of axes, got {spec!r}")
    axes = [_axis(a, ndim) for a in spec]
    if len(set(axes)) != len(axes):
        raise ValueError(f"symmetry axes repeat: {list(spec)}")
    return SymmetryGroup.symmetric(axes=axes)
