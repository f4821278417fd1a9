"""Hypothesis properties of the group-developed strength-3 construction.

The search trusts that a starter's development covers every triple exactly when
every column triple of the starter shows every orbit label, and keeps its label
counts up to date move by move. Both are checked here against brute force.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from generator.engine._group3 import OrbitSearch, develop
from generator.engine._rng import SplitMix64
from tests.oracle import covers_uniform

pytestmark = pytest.mark.property


@st.composite
def starters(draw: st.DrawFn) -> tuple[OrbitSearch, np.ndarray]:
    v, h = draw(st.sampled_from([(2, 1), (3, 2), (3, 1), (4, 3), (5, 4), (6, 1)]))
    k = draw(st.integers(3, 7))
    m = draw(st.integers(1, 9))
    search = OrbitSearch(v, h, k)
    cells = st.lists(st.integers(0, v - 1), min_size=k, max_size=k)
    x = np.array(draw(st.lists(cells, min_size=m, max_size=m)), dtype=np.int64)
    if draw(st.booleans()):  # or a starter the search repaired: the covering side
        found, _ = search.run(x.copy(), SplitMix64(draw(st.integers(0, 2**32 - 1))), 60)
        if found is not None:
            x = found
    return search, x


@given(starters())
def test_a_development_covers_iff_every_triple_shows_every_orbit(
    case: tuple[OrbitSearch, np.ndarray],
) -> None:
    search, x = case
    arr = develop(x, search.v, search.h)
    covers = covers_uniform(arr, search.v, 3)
    event(f"covers: {covers}")
    assert covers == bool((search.counts(search.labels(x))[:, :-1] > 0).all())


@given(starters(), st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_the_search_leaves_a_starter_whose_labels_it_counted(
    case: tuple[OrbitSearch, np.ndarray], seed: int, steps: int
) -> None:
    search, x = case
    found, spent = search.run(x, SplitMix64(seed), steps)
    assert spent <= steps
    if found is not None:
        assert covers_uniform(develop(found, search.v, search.h), search.v, 3)
