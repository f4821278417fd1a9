"""Quasi-cyclic covering arrays: move scores, developments and sizes, checked by brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.engine._qcyclic import StarterSearch, develop, quasi_cyclic
from generator.engine._rng import SplitMix64


def _missing_pairs(arr: np.ndarray, v: int) -> int:
    """Independent check: how many (column pair, value pair) combinations no row has."""
    cols = arr.T.tolist()
    return sum(v * v - len(set(zip(a, b, strict=True))) for a, b in itertools.combinations(cols, 2))


@pytest.mark.parametrize(("v", "n", "k"), [(4, 11, 50), (3, 7, 14), (5, 6, 20), (4, 5, 7)])
def test_every_move_score_matches_a_recount(v: int, n: int, k: int) -> None:
    search = StarterSearch(v, n, k)
    rng = np.random.default_rng(7)
    x = rng.integers(0, v, size=(search.nvec, n))
    cnt = search.counts(x)
    weight = rng.integers(1, 4, size=cnt.shape)
    weight[:, v + 1] = 0  # (inf, inf) is never required
    scores = search._scores(x, cnt, weight)
    before = int((weight * (cnt == 0)).sum())
    for i, p, a in itertools.product(range(search.nvec), range(n), range(v)):
        y = x.copy()
        y[i, p] = a
        after = int((weight * (search.counts(y) == 0)).sum())
        assert scores[i, p, a] == after - before, (i, p, a)


@pytest.mark.parametrize(("v", "n", "k"), [(4, 11, 50), (3, 7, 13), (5, 11, 22), (6, 14, 28)])
def test_found_starters_develop_into_covering_arrays(v: int, n: int, k: int) -> None:
    x, steps = StarterSearch(v, n, k).run(SplitMix64(3), 4000)
    assert x is not None, steps
    arr = develop(x, v, k)
    assert arr.shape == ((v - 1) * n + 1, k)
    assert _missing_pairs(arr, v) == 0


def test_counts_say_what_a_development_misses() -> None:
    # random starters: the array misses pairs exactly when some requirement has count 0
    search = StarterSearch(4, 11, 50)
    x = np.random.default_rng(1).integers(0, 4, size=(search.nvec, 11))
    arr = develop(x, 4, 50)
    required = search.counts(x)[:, :5]
    assert _missing_pairs(arr, 4) > 0
    assert (required == 0).any()


def test_four_to_the_fifty_in_thirty_four_rows() -> None:
    arr = quasi_cyclic(4, 50, 40)
    assert arr is not None
    assert arr.shape == (34, 50)
    assert _missing_pairs(arr, 4) == 0
    again = quasi_cyclic(4, 50, 40)
    assert again is not None
    assert arr.tobytes() == again.tobytes()


def test_with_nothing_to_beat_the_search_starts_at_one_starter_for_all_columns() -> None:
    # below = 20,000 rows allows n = 2,222, far past the step's work limit: n is capped
    # at k (Meagher and Stevens's single starter), 10^15 in 9 * 15 + 1 = 136 rows
    arr = quasi_cyclic(10, 15, 20_000)
    assert arr is not None
    assert arr.shape == (136, 15)
    assert _missing_pairs(arr, 10) == 0


@pytest.mark.parametrize(("v", "k", "below"), [(3, 13, 9), (4, 50, 16), (2, 20, 30), (4, 2, 30)])
def test_nothing_below_the_trivial_bound_or_for_tiny_models(
    v: int, k: int, below: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fewer than v^2 rows (or v < 3, k < 3): answered without searching at all
    monkeypatch.setattr(StarterSearch, "run", _no_search)
    assert quasi_cyclic(v, k, below) is None


def _no_search(*_: object) -> tuple[None, int]:
    raise AssertionError("the search ran")
