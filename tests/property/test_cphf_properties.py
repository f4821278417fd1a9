"""Hypothesis properties of the strength-3 constructions (hash families and doubling).

The hash-family search trusts that three columns cover all q^3 value triples when
their points are not collinear in some row of the family, and the doubling that its
rows cover every triple of the doubled columns. Both are checked against brute
force over itertools.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from generator.engine._cphf import CphfSearch, develop, plane
from generator.engine._rng import SplitMix64
from generator.engine._strength3 import double
from tests.oracle import covers_uniform

pytestmark = pytest.mark.property


@st.composite
def families(draw: st.DrawFn) -> tuple[CphfSearch, np.ndarray]:
    q = draw(st.sampled_from([2, 3, 4]))
    n = draw(st.integers(1, 3))
    k = draw(st.integers(4, 9))
    search = CphfSearch(q, n, k, draw(st.booleans()))
    x = np.array(
        draw(st.lists(st.integers(0, search.npts - 1), min_size=n * k, max_size=n * k)),
        dtype=np.int64,
    ).reshape(n, k)
    if draw(st.booleans()):  # or a family the search found: the covering side of the claim
        found, _ = search.run(SplitMix64(draw(st.integers(0, 2**32 - 1))), 200)
        if found is not None:
            x = found
    return search, x


@given(families())
def test_a_family_with_no_triple_collinear_in_every_row_covers(
    case: tuple[CphfSearch, np.ndarray],
) -> None:
    """The search's stopping rule is sufficient for coverage. It is not necessary: rows
    in which three points are collinear each cover part of the triples, and over GF(2)
    their union can cover them all (found by the large budget: q=2, three rows)."""
    search, x = case
    arr = develop(search.q, search.vec[x])
    covers = covers_uniform(arr, search.q, 3)
    separated = bool((~search.collinear(x)).any(axis=0).all())
    event(f"separated: {separated}, covers: {covers}")
    if separated:
        assert covers


def test_collinear_rows_can_still_cover_together() -> None:
    """The counterexample to the converse, pinned: every triple is collinear in each of
    the three rows, yet the developed array covers all 8 binary triples."""
    search = CphfSearch(2, 3, 6, False)
    x = np.array([[2, 0, 0, 2, 0, 1], [0, 1, 0, 1, 0, 0], [3, 3, 0, 1, 2, 1]])
    assert not (~search.collinear(x)).any(axis=0).all()
    assert covers_uniform(develop(search.q, search.vec[x]), search.q, 3)


@given(st.sampled_from([2, 3, 4]), st.booleans())
def test_collinear_is_a_zero_determinant(q: int, affine: bool) -> None:
    from generator.engine._gf import gf_tables

    add, mul = gf_tables(q)
    vec, col = plane(q, affine)

    def singular(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> bool:
        """det = sum over even permutations minus sum over odd ones, in GF(q)."""
        even = odd = 0
        for perm in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
            even = add[even, mul[mul[a[perm[0]], b[perm[1]]], c[perm[2]]]]
        for perm in ((0, 2, 1), (1, 0, 2), (2, 1, 0)):
            odd = add[odd, mul[mul[a[perm[0]], b[perm[1]]], c[perm[2]]]]
        return bool(even == odd)

    for i, j, m in itertools.product(range(vec.shape[0]), repeat=3):
        assert bool(col[i, j, m]) == singular(vec[i], vec[j], vec[m])


@given(st.integers(2, 4), st.integers(3, 6), st.integers(0, 2**32 - 1))
def test_doubling_covers_every_triple(v: int, h: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    full3 = np.array(list(itertools.product(range(v), repeat=3)), dtype=np.int16)
    # a CA(3, h, v): the full factorial on three columns, the rest random-ish copies
    a3 = np.concatenate([full3[:, [c % 3]] if c < 3 else full3[:, [0]] for c in range(h)], axis=1)
    a3 = np.concatenate([a3, rng.integers(0, v, size=(v**3 * 2, h)).astype(np.int16)])
    while not covers_uniform(a3, v, 3):
        a3 = np.concatenate([a3, rng.integers(0, v, size=(v**3, h)).astype(np.int16)])
    a2 = np.array(list(itertools.product(range(v), repeat=2)), dtype=np.int16)
    a2 = np.concatenate([a2[:, [c % 2]] for c in range(h)], axis=1)
    a2 = np.concatenate([a2, rng.integers(0, v, size=(v * v * 2, h)).astype(np.int16)])
    while not covers_uniform(a2, v, 2):
        a2 = np.concatenate([a2, rng.integers(0, v, size=(v * v, h)).astype(np.int16)])
    k = int(rng.integers(h + 1, 2 * h + 1))
    arr = double(a3, a2, v, k)
    assert arr.shape[1] == k
    assert covers_uniform(arr, v, 3)
