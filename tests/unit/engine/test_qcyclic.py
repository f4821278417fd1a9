"""Quasi-cyclic covering arrays: move scores, developments and sizes, checked by brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.engine._construct import hash_stack
from generator.engine._fixstarter import Tail, many_fixed, with_smaller_tail
from generator.engine._qcyclic import StarterSearch, develop, fixed_starter, quasi_cyclic
from generator.engine._rng import SplitMix64


def _missing_pairs(arr: np.ndarray, v: int) -> int:
    """Independent check: how many (column pair, value pair) combinations no row has."""
    cols = arr.T.tolist()
    return sum(v * v - len(set(zip(a, b, strict=True))) for a, b in itertools.combinations(cols, 2))


@pytest.mark.parametrize(
    ("v", "n", "k", "f"),
    [(4, 11, 50, 1), (3, 7, 14, 1), (5, 6, 20, 1), (4, 5, 7, 1), (7, 9, 9, 3), (6, 5, 12, 2)],
)
def test_every_move_score_matches_a_recount(v: int, n: int, k: int, f: int) -> None:
    search = StarterSearch(v, n, k, f)
    rng = np.random.default_rng(7)
    x = rng.integers(0, v, size=(search.nvec, n))
    cnt = search.counts(x)
    weight = rng.integers(1, 4, size=cnt.shape)
    weight[:, v + f] = 0  # (fixed, fixed) is never required
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


def test_a_starter_with_three_fixed_points_develops_into_a_covering_array() -> None:
    # 7^18: 4 * 18 rows developed over Z_4, then a CA(2, 18, 3) on the fixed symbols 4..6
    tail = hash_stack(3, 18).astype(np.int64)
    arr = fixed_starter(7, 18, 3, tail, SplitMix64(1))
    assert arr is not None
    assert arr.shape == (4 * 18 + tail.shape[0], 18)
    assert _missing_pairs(arr, 7) == 0


def test_many_fixed_takes_the_smallest_size_found_and_nothing_it_cannot_beat() -> None:
    def tail_of(f: int, k: int, strength: int) -> np.ndarray | None:
        return hash_stack(f, k) if f in {3, 4, 5} else None

    found = many_fixed(7, 18, 10_000, tail_of)
    assert found is not None
    assert found.fixed == 3
    assert _missing_pairs(found.rows, 7) == 0
    assert found.rows.shape[0] == 4 * 18 + hash_stack(3, 18).shape[0]
    assert many_fixed(7, 18, found.rows.shape[0], tail_of) is None


def _padded_and_plain_tails() -> tuple[Tail, Tail, list[tuple[int, int]]]:
    """A search-free tail with five repeated rows, and the plain one as the smaller tail
    (both CA(2, 18, 3)); the smaller tail's calls are logged."""
    calls: list[tuple[int, int]] = []

    def padded(f: int, k: int, strength: int) -> np.ndarray | None:
        if f != 3:
            return None
        arr = hash_stack(f, k)
        return np.concatenate([arr, arr[:5]])

    def smaller(f: int, k: int, strength: int) -> np.ndarray | None:
        calls.append((f, k))
        return hash_stack(f, k)

    return padded, smaller, calls


def test_a_found_starter_keeps_its_tail_until_the_smaller_one_is_asked_for() -> None:
    padded, smaller, calls = _padded_and_plain_tails()
    found = many_fixed(7, 18, 10_000, padded, smaller)
    assert found is not None
    assert not found.searched
    assert found.rows.shape[0] == 4 * 18 + hash_stack(3, 18).shape[0] + 5
    assert calls == []  # not worth a search before the size has won
    arr = with_smaller_tail(found, 7, 18, smaller)
    assert arr.shape[0] == found.rows.shape[0] - 5
    assert np.array_equal(arr[: 4 * 18], found.rows[: 4 * 18])
    assert _missing_pairs(arr, 7) == 0
    assert calls == [(3, 18)]


def test_many_fixed_asks_for_a_smaller_tail_where_the_plain_one_is_too_large() -> None:
    padded, smaller, calls = _padded_and_plain_tails()
    too_large = 4 * 18 + hash_stack(3, 18).shape[0] + 5
    assert many_fixed(7, 18, too_large, padded) is None
    found = many_fixed(7, 18, too_large, padded, smaller)
    assert found is not None
    assert found.searched
    assert found.rows.shape[0] == too_large - 5
    assert _missing_pairs(found.rows, 7) == 0
    assert calls == [(3, 18)]
    # the searched tail is kept, not asked for again
    assert np.array_equal(with_smaller_tail(found, 7, 18, smaller), found.rows)
    assert calls == [(3, 18)]


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


def test_a_run_settled_far_from_a_solution_gives_up_only_when_asked() -> None:
    hopeless = StarterSearch(4, 9, 50)  # 28 rows for 4^50: some 20 features stay missing
    found, steps = hopeless.run(SplitMix64(1), 1500, stall=True)
    assert found is None
    assert steps < 1000
    assert hopeless.run(SplitMix64(1), 1500) == (None, 1500)
    # a size that is found is still found with the rule on
    found, _ = StarterSearch(4, 11, 50).run(SplitMix64(3), 1500, stall=True)
    assert found is not None
