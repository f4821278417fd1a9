"""Hypothesis properties of the quasi-cyclic construction over random starters.

The search trusts two claims: a development covers every pair exactly when no
required (condition, feature) count is zero, and a move's score is the change of
the weighted missing count. Both are checked here against brute force.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from generator.engine._construct import _katona, hash_stack, orthogonal_array
from generator.engine._qcyclic import StarterSearch, develop
from generator.engine._rng import SplitMix64
from tests.oracle import covers_uniform

pytestmark = pytest.mark.property


def _tail(f: int, k: int) -> np.ndarray:
    """A CA(2, k, f) over the fixed points 0..f-1."""
    if f == 1:
        return np.zeros((1, k), dtype=np.int64)
    if f == 2:
        return _katona(k).astype(np.int64)
    arr = orthogonal_array(3, 2, k) if k <= 4 else hash_stack(3, k)
    return arr.astype(np.int64)


@st.composite
def starters(draw: st.DrawFn) -> tuple[StarterSearch, np.ndarray]:
    v = draw(st.integers(3, 6))
    n = draw(st.integers(v + 1, 12))
    k = draw(st.integers(3, 3 * n))
    f = draw(st.integers(1, min(3, v - 2)))
    search = StarterSearch(v, n, k, f)
    # symbols 0..v-f-1 are finite, the last f are the fixed points
    x = np.array(
        draw(
            st.lists(
                st.lists(st.integers(0, v - 1), min_size=n, max_size=n),
                min_size=search.nvec,
                max_size=search.nvec,
            )
        ),
        dtype=np.intp,
    )
    if draw(st.booleans()):  # or starters the search found: the covering side of the claim
        found, _ = search.run(SplitMix64(draw(st.integers(0, 2**32 - 1))), 300)
        if found is not None:
            x = found
    return search, x


@given(starters())
def test_a_development_covers_iff_no_required_count_is_zero(
    case: tuple[StarterSearch, np.ndarray],
) -> None:
    search, x = case
    tail = _tail(search.fixed, search.k)
    arr = develop(x, search.v, search.k, tail)
    assert arr.shape[0] == search.g * search.n + tail.shape[0]
    # g differences and the two roles of each fixed point; (fixed, fixed) is the tail's
    required = search.counts(x)[:, : search.v + search.fixed]
    covers = covers_uniform(arr, search.v, 2)
    event(f"covers: {covers}")
    assert covers == bool((required > 0).all())


@given(starters(), st.integers(0, 2**32 - 1))
def test_move_scores_are_the_change_of_the_weighted_missing_count(
    case: tuple[StarterSearch, np.ndarray], seed: int
) -> None:
    search, x = case
    rng = np.random.default_rng(seed)
    cnt = search.counts(x)
    weight = rng.integers(1, 5, size=cnt.shape)
    weight[:, search.v + search.fixed] = 0
    scores = search._scores(x, cnt, weight)
    before = int((weight * (cnt == 0)).sum())
    for _ in range(8):
        i, p, a = (int(rng.integers(0, m)) for m in scores.shape)
        y = x.copy()
        y[i, p] = a
        after = int((weight * (search.counts(y) == 0)).sum())
        assert scores[i, p, a] == after - before
