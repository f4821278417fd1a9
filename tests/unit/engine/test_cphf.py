"""Strength-3 hash families: the algebraic two-row family and the search, checked by brute force."""

from __future__ import annotations

import pytest

from generator.engine._cphf import (
    CphfSearch,
    cphf_array,
    develop,
    plane,
    sequence_family,
    two_stage,
)
from generator.engine._rng import SplitMix64
from tests.oracle import covers_uniform


@pytest.mark.parametrize("q", [2, 3, 4, 5])
def test_sequence_family_is_a_cphf_on_every_point(q: int) -> None:
    k = q * q + q + 1
    family = sequence_family(q, k)
    assert family is not None
    vec = plane(q, affine=False)[0]
    assert sorted(family[0].tolist()) == list(range(vec.shape[0]))  # every point once
    arr = develop(q, vec[family])
    assert arr.shape == (2 * q**3 - 1, k)
    assert covers_uniform(arr, q, 3)


def test_sequence_family_stops_at_the_plane() -> None:
    assert sequence_family(4, 22) is None


def test_search_finds_a_family_and_cphf_array_develops_it() -> None:
    search = CphfSearch(3, 3, 20, affine=True)
    found, steps = search.run(SplitMix64(1), 1500)
    assert found is not None
    assert steps < 1500
    assert not search.collinear(found).all(axis=0).any()
    arr = cphf_array(5, 20, 10_000, 8_000)
    assert arr is not None
    assert arr.shape == (245, 20)  # two rows of affine points: 2 * (125 - 5) + 5
    assert covers_uniform(arr, 5, 3)


def test_cphf_array_respects_below() -> None:
    tight = cphf_array(4, 21, 127, 8_000)
    assert tight is None or tight.shape[0] < 127
    arr = cphf_array(4, 21, 128, 8_000)
    assert arr is not None
    assert arr.shape[0] <= 127


def test_a_failed_search_keeps_the_family_closest_to_a_cphf() -> None:
    search = CphfSearch(3, 2, 30, affine=True)  # two rows cannot separate 30 columns
    found, steps = search.run(SplitMix64(4), 200)
    assert found is None
    assert steps == 200
    assert search.closest is not None
    left = int(search.collinear(search.closest).all(axis=0).sum())
    start = CphfSearch(3, 2, 30, affine=True)
    start.run(SplitMix64(4), 0)
    assert start.closest is None  # no step, nothing seen
    assert 0 < left < len(search.trip)


def test_two_stage_completes_a_short_family_into_a_smaller_array() -> None:
    arr = two_stage(3, 40, 200, SplitMix64(7))
    assert arr is not None
    assert arr.shape[1] == 40
    # the smallest complete family the search finds for 3^40 has 4 rows of projective
    # points (105 rows); three rows (75 or 79) and a completion do better
    assert arr.shape[0] < 105
    assert covers_uniform(arr, 3, 3)
    assert two_stage(3, 40, arr.shape[0] - 30, SplitMix64(7)) is None
