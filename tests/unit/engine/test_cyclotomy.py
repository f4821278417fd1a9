"""Cyclotomic strength-3 arrays: the vector, the exact check and the sizes, by brute force."""

from __future__ import annotations

import numpy as np
import pytest

from generator.engine._construct import _construct_cached, _unfactored, construct
from generator.engine._cyclic3 import develop
from generator.engine._cyclotomy import _misses, cyclotomic3, cyclotomic_vector
from tests.oracle import covers_uniform


@pytest.mark.parametrize(("q", "v"), [(7, 3), (13, 4), (37, 4), (31, 6), (41, 8)])
def test_the_vector_is_a_character_of_the_multiplicative_group(q: int, v: int) -> None:
    x = cyclotomic_vector(q, v)
    assert x[0] == 0
    for a in range(1, q):
        for b in range(1, q):
            assert x[a * b % q] == (x[a] + x[b]) % v
    assert np.bincount(x[1:], minlength=v).tolist() == [(q - 1) // v] * v


def test_no_vector_without_a_cyclotomy() -> None:
    for q, v in [(15, 2), (13, 5), (1, 2)]:
        with pytest.raises(ValueError, match="cyclotomy"):
            cyclotomic_vector(q, v)


@pytest.mark.parametrize(
    ("q", "v"), [(7, 2), (11, 2), (13, 2), (7, 3), (13, 3), (19, 3), (13, 4), (17, 4), (29, 4)]
)
def test_the_check_agrees_with_a_brute_force_count(q: int, v: int) -> None:
    x = cyclotomic_vector(q, v)
    other, zero = _misses(x, v, infinity=True)
    assert covers_uniform(develop(x, v, q + 1, constant=True), v, 3) == (not other)
    assert covers_uniform(develop(x, v, q + 1, constant=False), v, 3) == (not other and not zero)
    # without the column at infinity only the distance pairs count
    narrow, _ = _misses(x, v, infinity=False)
    assert covers_uniform(develop(x, v, q, constant=True), v, 3) == (not narrow)


def test_colbourns_sizes_come_out_and_cover() -> None:
    four = cyclotomic3(4, 38, 10_000)  # q = 37: 4 * 37 rows and the 4 constant rows
    assert four is not None
    assert four.shape == (152, 38)
    assert covers_uniform(four, 4, 3)
    wide = cyclotomic3(4, 54, 10_000)  # q = 53 meets (0, 0) at every distance itself
    assert wide is not None
    assert wide.shape == (212, 54)
    assert covers_uniform(wide, 4, 3)
    six = cyclotomic3(6, 104, 10_000)
    assert six is not None
    assert six.shape == (624, 104)


def test_nothing_that_does_not_beat_the_bound_or_does_not_cover() -> None:
    assert cyclotomic3(4, 38, 152) is None  # not fewer than 152 rows
    assert cyclotomic3(5, 40, 400) is None  # q = 41, 61, 71 do not cover
    assert cyclotomic3(4, 3, 10_000) is None  # fewer columns than the strength


def test_the_construction_takes_the_cyclotomic_array_where_it_is_smaller() -> None:
    _construct_cached.cache_clear()
    arr = construct((4,) * 30, 3)
    assert arr is not None
    assert arr.shape == (152, 30)  # the folded hash family alone: 184
    assert covers_uniform(arr, 4, 3)
    # 6^40: 624 rows from q = 103, against 683 from the two-row sequence family over
    # PG(2, 7) folded (2 * 7^3 - 1), which stays the other families' best
    other = _unfactored((6,) * 40, 3, nested=False)
    assert other is not None
    assert other.shape[0] == 683
    six = construct((6,) * 40, 3)
    assert six is not None
    assert six.shape == (624, 40)
