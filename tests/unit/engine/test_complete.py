"""Completing a nearly covering array, checked by brute force."""

from __future__ import annotations

import itertools

import numpy as np

from generator.engine._complete import complete, missing
from generator.engine._construct import orthogonal_array
from generator.engine._rng import SplitMix64
from tests.oracle import covers_uniform


def test_missing_names_exactly_the_absent_tuples() -> None:
    rng = np.random.default_rng(3)
    arr = rng.integers(0, 3, size=(12, 6))
    sets = np.array(list(itertools.combinations(range(6), 3)))
    got = missing(arr, sets, 3)
    for s, cols in enumerate(sets.tolist()):
        seen = {tuple(r) for r in arr[:, cols].tolist()}
        for code, tup in enumerate(itertools.product(range(3), repeat=3)):
            assert got[s, code] == (tup not in seen)


def test_completion_covers_what_the_first_stage_left() -> None:
    full = orthogonal_array(4, 3, 5)  # OA(64; 3, 5, 4)
    first = full[::2]  # half the rows: most triples now miss tuples
    sets = np.array(list(itertools.combinations(range(5), 3)))
    assert missing(first, sets, 4).any()
    extra = complete(first, sets, 4, SplitMix64(1), 2_000)
    assert extra is not None
    assert extra.shape[1] == 5
    assert 32 <= extra.shape[0] <= 40  # each triple misses 32 tuples; one per row
    assert covers_uniform(np.concatenate([first, extra]), 4, 3)


def test_completion_adds_nothing_when_nothing_is_missing() -> None:
    full = orthogonal_array(3, 3, 4)
    sets = np.array(list(itertools.combinations(range(4), 3)))
    extra = complete(full, sets, 3, SplitMix64(1), 100)
    assert extra is not None
    assert extra.shape == (0, 4)


def test_completion_touches_only_the_sets_it_is_given() -> None:
    first = np.zeros((1, 7), dtype=np.int16)
    sets = np.array([[0, 2, 5]])
    extra = complete(first, sets, 2, SplitMix64(2), 500)
    assert extra is not None
    assert extra.shape[0] == 7  # the 8 binary triples, one already in ``first``
    assert {tuple(r) for r in np.concatenate([first, extra])[:, [0, 2, 5]].tolist()} == set(
        itertools.product(range(2), repeat=3)
    )
    assert not extra[:, [1, 3, 4, 6]].any()


def test_a_completion_that_cannot_fit_the_gap_is_not_searched() -> None:
    first = np.zeros((1, 7), dtype=np.int16)
    sets = np.array([[0, 2, 5]])
    # 7 tuples are missing on one set: no 7 rows or fewer can be asked for
    assert complete(first, sets, 2, SplitMix64(2), 500, fewer_than=7) is None
    extra = complete(first, sets, 2, SplitMix64(2), 500, fewer_than=8)
    assert extra is not None
    assert extra.shape[0] == 7
