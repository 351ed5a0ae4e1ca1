"""SymmetryGroup: the spec's numbers (§4.1, §4.5), validation, formula paths that must not
enumerate, and brute-force checks of orders, orbits, stabilisers and Burnside counts."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flopscope._symmetry import SymmetryGroup, as_group
from flopscope._symmetry.group import EnumerationBudgetError

G = SymmetryGroup


# ----------------------------------------------------------------------------- brute force
def closure(gens: list[tuple[int, ...]], k: int) -> set[tuple[int, ...]]:
    """All products of the generators, by breadth-first search (independent of the chain)."""
    ident = tuple(range(k))
    seen = {ident}
    frontier = [ident]
    while frontier:
        nxt = []
        for g in frontier:
            for s in gens:
                h = tuple(s[x] for x in g)
                if h not in seen:
                    seen.add(h)
                    nxt.append(h)
        frontier = nxt
    return seen


def brute_orbit_count(elements: set[tuple[int, ...]], sizes: list[int]) -> int:
    """Orbits of all index tuples: canonicalise each tuple to its least image."""
    k = len(sizes)
    canon = set()
    for t in itertools.product(*(range(n) for n in sizes)):
        images = []
        for g in elements:
            img = [0] * k
            for j in range(k):
                img[g[j]] = t[j]
            images.append(tuple(img))
        canon.add(min(images))
    return len(canon)


# ------------------------------------------------------------------------- spec numbers
def test_reprs() -> None:
    assert repr(G.symmetric(axes=(0, 1))) == "SymmetryGroup([1, 0], axes=(0, 1))"
    assert (
        repr(G.young([(0, 1), (2, 3)]))
        == "SymmetryGroup([1, 0, 2, 3], [0, 1, 3, 2], axes=(0, 1, 2, 3))"
    )
    assert repr(G([1, 2, 0])) == "SymmetryGroup([1, 2, 0])"
    assert repr(G.symmetric(axes=(3,))) == "SymmetryGroup([0], axes=(3,))"


def test_orders() -> None:
    assert G.dihedral(axes=(0, 1, 2, 3)).order() == 8
    assert G.cyclic(axes=(0, 1, 2)).order() == 3
    assert G.symmetric(axes=(0, 1, 2, 3)).order() == 24
    assert G.symmetric(axes=(5,)).order() == 1
    assert G.dihedral(axes=(0, 1)) == G.symmetric(axes=(0, 1))
    assert G.dihedral(axes=(4,)) == G.symmetric(axes=(4,))
    assert G.dihedral(axes=(0, 1, 2)) == G.symmetric(axes=(0, 1, 2))  # D3 = S3
    assert G.dihedral(axes=range(5)).order() == 10
    assert G.young([(0, 1, 2), (3, 4)]).order() == 12


def test_burnside_spec_numbers() -> None:
    assert G.symmetric(axes=(0, 1)).burnside_unique_count({0: 100, 1: 100}) == 5050
    assert G.symmetric(axes=(0, 1, 2)).burnside_unique_count({0: 5, 1: 5, 2: 5}) == 35
    assert G.cyclic(axes=(0, 1, 2)).burnside_unique_count({0: 4, 1: 4, 2: 4}) == 24
    # A shape (indexed by axis) works too; axes outside the group are ignored.
    assert G.symmetric(axes=(1, 2)).burnside_unique_count((7, 100, 100)) == 5050


def test_symmetric_products_use_the_multiset_formula_without_enumeration() -> None:
    # budget=1 refuses any enumeration, so these can only come from the formula.
    s20 = G.symmetric(axes=range(20))
    assert s20.burnside_unique_count([3] * 20, budget=1) == math.comb(22, 20) == 231
    raw = G(*s20.generators, axes=s20.axes)  # order found by Schreier-Sims, not by the name
    assert raw.order() == math.factorial(20)
    assert raw.burnside_unique_count([3] * 20, budget=1) == 231
    young = G.young([range(10), range(10, 22)])
    sizes = [4] * 10 + [2] * 12
    assert young.burnside_unique_count(sizes, budget=1) == math.comb(13, 10) * math.comb(13, 12)
    with pytest.raises(EnumerationBudgetError, match="budget"):
        s20.elements()


def test_direct_product_counts_each_orbit_factor_apart() -> None:
    c3 = G.cyclic(axes=(0, 1, 2))
    s2 = G.symmetric(axes=(3, 4))
    prod = G.direct_product(c3, s2)
    assert prod.order() == 6
    assert prod.axes == (0, 1, 2, 3, 4)
    # Only C3 (3 elements) is enumerated: the product's 6 elements exceed budget=3.
    assert prod.burnside_unique_count([4, 4, 4, 5, 5], budget=3) == 24 * 15
    assert prod.burnside_unique_count([4, 4, 4, 5, 5]) == brute_orbit_count(
        set(prod.elements()), [4, 4, 4, 5, 5]
    )
    big = G.direct_product(G.cyclic(axes=(0, 1, 2)), G.symmetric(axes=range(3, 18)))
    assert big.order() == 3 * math.factorial(15)
    assert big.burnside_unique_count([2] * 18, budget=3) == 4 * 16


def test_diagonal_group_is_enumerated() -> None:
    # <(0 1)(2 3)> is not the product of its orbit actions: (n^4 + n^2) / 2 orbits.
    g = G([1, 0, 3, 2])
    assert g.orbits() == ((0, 1), (2, 3))
    assert g.burnside_unique_count([3, 3, 5, 5]) == (9 * 25 + 15) // 2
    assert g.burnside_unique_count([3, 3, 3, 3]) == 45
    with pytest.raises(EnumerationBudgetError):
        g.burnside_unique_count([3, 3, 3, 3], budget=1)


def test_burnside_size_errors() -> None:
    with pytest.raises(ValueError, match="one orbit"):
        G.symmetric(axes=(0, 1)).burnside_unique_count({0: 3, 1: 4})
    with pytest.raises(ValueError, match="no size"):
        G.symmetric(axes=(0, 1)).burnside_unique_count({0: 3})
    with pytest.raises(ValueError, match="no size"):
        G.symmetric(axes=(2, 3)).burnside_unique_count((3, 3, 3))
    # Different sizes in different orbits are fine.
    assert G.young([(0, 1), (2,)]).burnside_unique_count([3, 3, 7]) == 6 * 7
    assert G.symmetric(axes=(0, 1)).burnside_unique_count([0, 0]) == 0


# --------------------------------------------------------------------------- validation
def test_constructor_validation() -> None:
    with pytest.raises(ValueError):
        G()
    with pytest.raises(ValueError):
        G([1, 0], [0, 1, 2])
    with pytest.raises(ValueError):
        G([0, 0])
    with pytest.raises(ValueError):
        G([1, 2])
    with pytest.raises(ValueError):
        G([1, 0], axes=(0, 1, 2))
    with pytest.raises(ValueError):
        G([1, 0], axes=(1, 1))
    with pytest.raises(ValueError):
        G([1, 0], axes=(-1, 0))
    with pytest.raises(TypeError):
        G(["a", "b"])
    with pytest.raises(ValueError):
        G.symmetric(axes=())
    with pytest.raises(ValueError, match="overlap"):
        G.young([(0, 1), (1, 2)])


def test_direct_product_validation() -> None:
    with pytest.raises(ValueError, match="axes"):
        G.direct_product(G([1, 0]), G.symmetric(axes=(2, 3)))
    with pytest.raises(ValueError, match="disjoint"):
        G.direct_product(G.symmetric(axes=(0, 1)), G.symmetric(axes=(1, 2)))
    with pytest.raises(ValueError):
        G.direct_product()
    young = G.young([(0, 1), (2, 3)])
    assert G.direct_product(G.symmetric(axes=(0, 1)), G.symmetric(axes=(2, 3))) == young


def test_basic_properties() -> None:
    d4 = G.dihedral(axes=(0, 1, 2, 3))
    assert d4.degree == 4
    assert d4.identity == (0, 1, 2, 3)
    assert d4.is_transitive and not d4.is_abelian and not d4.is_symmetric()
    assert G.cyclic(axes=range(5)).is_abelian
    assert G.symmetric(axes=(0, 1, 2)).is_symmetric()
    assert G.symmetric(axes=(4,)).is_symmetric()
    assert not G.young([(0, 1), (2, 3)]).is_symmetric()
    assert not G.young([(0, 1), (2, 3)]).is_transitive
    assert G.young([(0, 1), (2, 3)]).generator_literals == [[1, 0, 2, 3], [0, 1, 3, 2]]
    g = G([1, 0, 2], axes=(7, 3, 5))
    assert g.orbits() == ((3, 7), (5,))
    assert g.orbit(7) == (3, 7) and g.orbit(5) == (5,)
    with pytest.raises(ValueError):
        g.orbit(0)
    assert d4.contains([3, 2, 1, 0]) and not d4.contains([1, 0, 2, 3])
    assert not d4.contains([0, 1, 2]) and not d4.contains([0, 0, 1, 2])
    young = G.young([(0, 1), (2, 3)])
    assert young.contains([1, 0, 3, 2]) and not young.contains([2, 3, 0, 1])


def test_equality_is_by_action_on_axes() -> None:
    # Same rotation 0 -> 1 -> 2 -> 0 written against axes listed in another order.
    assert G([1, 2, 0], axes=(2, 0, 1)) == G.cyclic(axes=(0, 1, 2))
    assert hash(G([1, 2, 0], axes=(2, 0, 1))) == hash(G.cyclic(axes=(0, 1, 2)))
    assert G([2, 0, 1], axes=(0, 1, 2)) == G.cyclic(axes=(0, 1, 2))  # the inverse generates it
    assert G.cyclic(axes=(0, 1, 2)) != G.cyclic(axes=(1, 2, 3))
    assert G([1, 0]) != G([1, 0], axes=(0, 1))  # unbound is not bound
    assert G.cyclic(axes=range(4)) != G.dihedral(axes=range(4))
    assert G.symmetric(axes=(0, 1)) != "S2"
    assert not G.symmetric(axes=(0, 1)).equals((0, 1))
    assert len({G.symmetric(axes=(0, 1, 2)), G.dihedral(axes=(0, 1, 2))}) == 1


def test_payload_round_trip() -> None:
    g = G.dihedral(axes=(1, 2, 4, 6))
    payload = g.to_payload()
    assert payload == {"axes": [1, 2, 4, 6], "generators": [[1, 2, 3, 0], [0, 3, 2, 1]]}
    assert G.from_payload(payload) == g
    assert G.from_payload({"axes": None, "generators": [[1, 0]]}) == G([1, 0])
    assert G.from_generators([], axes=(0, 1)).order() == 1
    with pytest.raises(ValueError):
        G.from_payload({"generators": [[1, 0]]})
    with pytest.raises(ValueError):
        G.from_generators([], axes=None)


def test_stabilizers_and_restrict() -> None:
    s4 = G.symmetric(axes=(0, 1, 2, 3))
    assert s4.pointwise_stabilizer([0]) == G.young([(0,), (1, 2, 3)])
    assert s4.setwise_stabilizer([0, 1]) == G.young([(0, 1), (2, 3)])
    assert s4.restrict([0, 1]) == G.symmetric(axes=(0, 1))
    c4 = G.cyclic(axes=(0, 1, 2, 3))
    assert c4.setwise_stabilizer([0, 2]).order() == 2
    assert c4.pointwise_stabilizer([0]).order() == 1
    assert c4.restrict([0, 2]) == G.symmetric(axes=(0, 2))
    assert G.cyclic(axes=(0, 1, 2)).restrict([0, 1]).order() == 1
    assert G.cyclic(axes=(0, 1, 2)).restrict([]).degree == 0
    assert G.cyclic(axes=(0, 1, 2)).restrict([]).burnside_unique_count({}) == 1
    with pytest.raises(ValueError):
        s4.restrict([9])


def test_as_group_shorthands() -> None:
    s = G.symmetric(axes=(0, 1))
    assert as_group(s, 2) is s
    assert as_group((0, 1), 3) == s
    assert as_group([-1, -2], 2) == s
    assert as_group(((0, 1), (2, 3)), 4) == G.young([(0, 1), (2, 3)])
    assert as_group([[0, -1]], 3) == G.symmetric(axes=(0, 2))
    assert as_group(G([1, 0]), 3) == s
    with pytest.raises(ValueError, match="overlap"):
        as_group(((0, 1), (1, 2)), 3)
    with pytest.raises(TypeError):
        as_group([s, s], 4)
    with pytest.raises(TypeError):
        as_group([0, (1, 2)], 4)
    with pytest.raises(TypeError):
        as_group("ij", 2)
    with pytest.raises(ValueError):
        as_group((0, 2), 2)
    with pytest.raises(ValueError):
        as_group((0, -3), 2)
    with pytest.raises(ValueError):
        as_group((0, 0), 2)
    with pytest.raises(ValueError):
        as_group((), 2)
    with pytest.raises(ValueError):
        as_group(G.symmetric(axes=(1, 2)), 2)
    with pytest.raises(ValueError):
        as_group(G([1, 2, 0]), 2)


# ------------------------------------------------------------------- property tests
@st.composite
def groups(draw: st.DrawFn) -> tuple[SymmetryGroup, list[tuple[int, ...]]]:
    k = draw(st.integers(1, 5))
    gens = draw(st.lists(st.permutations(range(k)).map(tuple), min_size=1, max_size=3))
    axes = draw(st.permutations(range(k + 2)).map(lambda p: tuple(p[:k])))
    return G(*gens, axes=axes), gens


def sizes_for(group: SymmetryGroup, draw_sizes: list[int]) -> dict[int, int]:
    return {a: draw_sizes[i] for i, orb in enumerate(group.orbits()) for a in orb}


@settings(max_examples=150, deadline=None)
@given(groups(), st.lists(st.integers(1, 3), min_size=5, max_size=5))
def test_burnside_matches_brute_force(drawn, raw_sizes) -> None:
    group, gens = drawn
    sizes = sizes_for(group, raw_sizes)
    elements = closure(gens, group.degree)
    expected = brute_orbit_count(elements, [sizes[a] for a in group.axes])
    assert group.burnside_unique_count(sizes) == expected


@settings(max_examples=150, deadline=None)
@given(groups(), st.data())
def test_structure_matches_brute_force(drawn, data) -> None:
    group, gens = drawn
    k = group.degree
    elements = closure(gens, k)
    assert group.order() == len(group.elements()) == len(elements)
    assert set(group.elements()) == elements
    # Orbits partition the axes and are exactly the brute-force orbits.
    flat = sorted(a for o in group.orbits() for a in o)
    assert flat == sorted(group.axes)
    for o in group.orbits():
        pos = [group.axes.index(a) for a in o]
        assert {g[pos[0]] for g in elements} == set(pos)
    assert group.is_abelian == all(
        tuple(a[x] for x in b) == tuple(b[x] for x in a) for a in elements for b in elements
    )
    assert group.is_symmetric() == (len(elements) == math.factorial(k))
    perm = data.draw(st.permutations(range(k)).map(tuple))
    assert group.contains(perm) == (perm in elements)

    subset = data.draw(st.sets(st.sampled_from(group.axes)))
    where = {group.axes.index(a) for a in subset}
    point = group.pointwise_stabilizer(subset)
    assert set(point.elements()) == {g for g in elements if all(g[i] == i for i in where)}
    setwise = group.setwise_stabilizer(subset)
    fixes_set = {g for g in elements if {g[i] for i in where} == where}
    assert set(setwise.elements()) == fixes_set
    assert point.axes == setwise.axes == group.axes

    kept = sorted(where)
    restricted = group.restrict(subset)
    assert restricted.axes == tuple(group.axes[i] for i in kept)
    projected = {tuple(kept.index(g[i]) for i in kept) for g in fixes_set}
    assert set(restricted.elements()) == projected


@settings(max_examples=100, deadline=None)
@given(groups(), st.randoms(use_true_random=False))
def test_payload_hash_and_eq_are_by_action(drawn, rnd) -> None:
    group, gens = drawn
    again = G.from_payload(group.to_payload())
    assert again == group and hash(again) == hash(group) and repr(again) == repr(group)
    # Reordered generators plus a redundant product generate the same group.
    shuffled = list(gens)
    rnd.shuffle(shuffled)
    extra = tuple(shuffled[0][x] for x in shuffled[-1])
    other = G(*shuffled, extra, axes=group.axes)
    assert other == group and hash(other) == hash(group)
    # The same action written against the axes listed in another order.
    order = list(range(group.degree))
    rnd.shuffle(order)  # new position j holds old position order[j]
    back = {old: new for new, old in enumerate(order)}
    relabelled = G(
        *(tuple(back[g[order[j]]] for j in range(group.degree)) for g in gens),
        axes=tuple(group.axes[i] for i in order),
    )
    assert relabelled == group and hash(relabelled) == hash(group)
    # Adding a generator outside the group changes it.
    outside = [p for p in itertools.permutations(range(group.degree)) if not group.contains(p)]
    if outside:
        bigger = G(*gens, outside[0], axes=group.axes)
        assert bigger != group


# --------------------------------------------------------------- interning and pickling
def test_known_kinds_are_interned() -> None:
    assert G.symmetric(axes=(0, 1)) is G.symmetric(axes=[0, 1])
    assert G.cyclic(axes=(0, 1, 2)) is G.cyclic(axes=range(3))
    assert G.dihedral(axes=(0, 1, 2, 3)) is G.dihedral(axes=(0, 1, 2, 3))
    assert G.young([(0, 1), (2, 3)]) is G.young([[0, 1], [2, 3]])
    assert G.dihedral(axes=(2, 5)) is G.symmetric(axes=(2, 5))  # k <= 2 is S_k
    # different axes or kinds are different objects (and unequal)
    assert G.symmetric(axes=(0, 1)) is not G.symmetric(axes=(1, 2))
    assert G.cyclic(axes=(0, 1, 2)) is not G.dihedral(axes=(0, 1, 2))
    # a raw group is never replaced by an interned one (its generators are its own)
    raw = G([1, 0], axes=(0, 1))
    assert raw is not G.symmetric(axes=(0, 1)) and raw == G.symmetric(axes=(0, 1))


def test_pickle_round_trip_keeps_action_repr_and_known_order() -> None:
    import pickle

    for g in (
        G.symmetric(axes=(0, 1)),
        G.young([(0, 1), (2, 3)]),
        G.dihedral(axes=(1, 2, 4, 6)),
        G([1, 2, 0]),
        G.direct_product(G.cyclic(axes=(0, 1, 2)), G.symmetric(axes=(3, 4))),
    ):
        back = pickle.loads(pickle.dumps(g))
        assert back == g and hash(back) == hash(g) and repr(back) == repr(g)
        assert back.order() == g.order()
    s20 = G.symmetric(axes=range(20))
    back = pickle.loads(pickle.dumps(s20))
    assert back._order == math.factorial(20)  # travelled with it: no Schreier-Sims needed
    assert back.burnside_unique_count([2] * 20, budget=1) == 21


def test_large_symmetric_group_order_without_enumeration() -> None:
    s20 = G.symmetric(axes=range(20))
    assert s20.order() == 2_432_902_008_176_640_000
    assert s20._chain is None  # the order came from the formula
    assert s20.is_symmetric() and s20.is_transitive
    assert s20.contains(list(reversed(range(20))))
    assert s20.burnside_unique_count({a: 5 for a in range(20)}) == math.comb(24, 20)


def test_young_burnside_is_a_product_over_blocks() -> None:
    y = G.young([(0, 1, 2), (3, 4)])
    sizes = [4, 4, 4, 6, 6]
    assert y.burnside_unique_count(sizes, budget=1) == math.comb(6, 3) * math.comb(7, 2)
    assert y.burnside_unique_count(sizes) == brute_orbit_count(set(y.elements()), sizes)


# ---------------------------------------------------------------------------- sympy
def test_sympy_round_trip() -> None:
    pytest.importorskip("sympy")
    d4 = G.dihedral(axes=(0, 1, 2, 3))
    sp = d4.as_sympy()
    assert sp.order() == 8
    assert G.from_sympy(sp, axes=(0, 1, 2, 3)) == d4
    assert G.from_sympy(G.symmetric(axes=(0, 1, 2)).as_sympy()).order() == 6
    # sympy trims fixed trailing points of a generator: the degree is the group's
    assert G.from_sympy(G([1, 0, 2]).as_sympy()).degree == 3


def test_sympy_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_sympy(name: str, *args, **kwargs):
        if name == "sympy" or name.startswith("sympy."):
            raise ImportError("No module named 'sympy'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sympy)
    with pytest.raises(ImportError, match=r"flopscope\[sympy\]"):
        G.symmetric(axes=(0, 1)).as_sympy()
    with pytest.raises(ImportError, match=r"flopscope\[sympy\]"):
        G.from_sympy(object())
