"""Product starts (``_product``): every pair of columns checked with plain itertools."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator._engine._product import product_start


def _covers_all_pairs(arr: np.ndarray, v: int) -> bool:
    full = set(itertools.product(range(v), repeat=2))
    return all(
        set(zip(arr[:, a].tolist(), arr[:, b].tolist(), strict=True)) == full
        for a, b in itertools.combinations(range(arr.shape[1]), 2)
    )


def test_four_to_the_fifty_starts_below_the_hash_stack() -> None:
    arr = product_start([4] * 50)
    assert arr is not None
    assert arr.shape[1] == 50
    assert arr.dtype == np.int16
    assert arr.shape[0] <= 37  # the hash stack has 40 rows
    assert _covers_all_pairs(arr, 4)
    again = product_start([4] * 50)
    assert again is not None
    assert (again == arr).all()


@pytest.mark.parametrize(
    "domains",
    [[3] * 13, [2] * 30, [6] * 20, [4] * 10, [4] * 3 + [3], [4] * 500],
)
def test_no_product_outside_its_range(domains: list[int]) -> None:
    # v < 4, not a prime power, a sub-model of fewer than 3 columns or too big, mixed domains
    assert product_start(domains) is None


def test_five_symbols() -> None:
    arr = product_start([5] * 20)
    assert arr is not None
    assert arr.shape[1] == 20
    assert _covers_all_pairs(arr, 5)
