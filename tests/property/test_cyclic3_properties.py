"""Hypothesis properties of the cyclic strength-3 construction over random starters.

The search trusts that a development covers every triple exactly when no
(condition, pair) count other than (0, 0) is zero, with one condition per column
triple up to rotation, and that a move's score is the weighted missing count
after it. Both are checked here against brute force.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from generator.engine._cyclic3 import CyclicSearch, develop
from generator.engine._rng import SplitMix64
from tests.oracle import covers_uniform

pytestmark = pytest.mark.property


@st.composite
def starters(draw: st.DrawFn) -> tuple[CyclicSearch, np.ndarray]:
    v = draw(st.integers(2, 3))
    n = draw(st.integers(4, 15))
    search = CyclicSearch(v, n)
    x = np.array(draw(st.lists(st.integers(0, v - 1), min_size=n, max_size=n)), dtype=np.int64)
    if draw(st.booleans()):  # or a starter the search found: the covering side of the claim
        found, _ = search.run(SplitMix64(draw(st.integers(0, 2**32 - 1))), 200)
        if found is not None:
            x = found
    return search, x


@given(starters())
def test_a_development_covers_iff_no_required_count_is_zero(
    case: tuple[CyclicSearch, np.ndarray],
) -> None:
    search, x = case
    arr = develop(x, search.v, search.n)
    assert arr.shape[0] == search.v * (search.n + 1)
    covers = covers_uniform(arr, search.v, 3)
    event(f"covers: {covers}")
    assert covers == bool((search.counts(x)[:, 1:] > 0).all())


@given(starters(), st.integers(0, 2**32 - 1))
def test_move_scores_are_the_weighted_missing_count_after_the_move(
    case: tuple[CyclicSearch, np.ndarray], seed: int
) -> None:
    search, x = case
    rng = np.random.default_rng(seed)
    cnt = search.counts(x)
    weight = rng.integers(1, 5, size=cnt.shape)
    weight[:, 0] = 0
    scores = search._scores(x, cnt, weight)
    for _ in range(6):
        p, a = int(rng.integers(0, search.n)), int(rng.integers(0, search.v))
        y = x.copy()
        y[p] = a
        assert scores[p, a] == int((weight * (search.counts(y) == 0)).sum())
