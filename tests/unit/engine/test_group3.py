from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.engine._group3 import OrbitSearch, cyclic_starter, develop, group3, orbit_labels
from generator.engine._rng import SplitMix64
from tests.oracle import covers_uniform


@pytest.mark.parametrize(
    ("v", "h"), [(2, 1), (3, 2), (3, 1), (4, 3), (4, 1), (5, 4), (5, 2), (6, 1)]
)
def test_a_label_names_exactly_the_orbit_of_its_triples(v: int, h: int) -> None:
    lab, count = orbit_labels(v, h)
    assert sorted(set(lab.ravel().tolist())) == list(range(-1, count))
    for x, y, z in itertools.product(range(v), repeat=3):
        if x == y == z:
            assert lab[x, y, z] == -1
            continue
        image = {tuple(r) for r in develop(np.array([[x, y, z]]), v, h).tolist()}
        orbit = {t for t in itertools.product(range(v), repeat=3) if lab[t] == lab[x, y, z]}
        assert image - {(c, c, c) for c in range(v)} == orbit


def test_a_field_is_needed_for_multipliers() -> None:
    with pytest.raises(ValueError, match="field"):
        orbit_labels(6, 5)
    with pytest.raises(ValueError, match="divide"):
        orbit_labels(5, 3)


@pytest.mark.parametrize(("v", "k", "rows"), [(4, 8, 88), (3, 6, 33), (5, 7, 185)])
def test_group_starters_reach_the_best_known_sizes(v: int, k: int, rows: int) -> None:
    arr = group3(v, k, rows + 1)
    assert arr is not None
    assert arr.shape == (rows, k)
    assert covers_uniform(arr, v, 3)


def test_group3_respects_below_and_the_search_covers() -> None:
    assert group3(3, 6, 33) is None  # nothing smaller than the cyclic starter is found
    arr = group3(5, 8, 225)  # no cyclic starter is found: the search over whole starters
    assert arr is not None
    assert arr.shape[0] < 225
    assert covers_uniform(arr, 5, 3)


def test_cyclic_starter_develops_row_shifts() -> None:
    starter = cyclic_starter(4, 3, 7, 1)
    assert starter is not None
    assert starter.shape == (7, 8)
    assert (starter[1, :7] == np.roll(starter[0, :7], -1)).all()
    assert (starter[:, 7] == starter[0, 7]).all()
    assert cyclic_starter(4, 3, 8, 0) is None  # the enumeration is exhaustive: none exists


def test_search_reports_the_rows_it_needs() -> None:
    search = OrbitSearch(3, 2, 6)
    x = np.zeros((5, 6), dtype=np.int64)
    found, _ = search.run(x, SplitMix64(1), 300)
    assert found is not None
    assert covers_uniform(develop(found, 3, 2), 3, 3)
    assert search.drop_row(found).shape == (4, 6)
