"""Hypothesis properties of the partitioned product (``_pca``).

The product of two PCAs is trusted to cover every pair of its columns, with the one
failing case checked by ``_mixed_ok``; both are checked here against brute force
(``tests.oracle``), and ``partition`` against its definition.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.engine._pca import _mixed_ok, partition, partitioned_product, partitioned_width
from tests.oracle import covers_uniform, every_partitioned_column, random_cover

pytestmark = pytest.mark.property

# v, the two factors' column counts, a seed
_FACTORS = (st.integers(2, 4), st.integers(2, 6), st.integers(2, 6), st.integers(0, 2**32 - 1))


@given(st.integers(2, 4), st.integers(2, 12), st.integers(0, 2**32 - 1))
def test_partition_puts_rows_apart_on_its_first_columns(v: int, k: int, seed: int) -> None:
    arr = random_cover(np.random.default_rng(seed), v, k)
    parted, k1 = partition(arr, v)
    assert parted.shape == arr.shape
    assert covers_uniform(parted, v, 2)
    assert (parted[:v, :k1] == np.arange(v)[:, None]).all()
    for c in range(k1, k):  # the other columns repeat a symbol in the top rows
        assert len(set(parted[:v, c].tolist())) < v


@given(*_FACTORS)
def test_the_partitioned_product_covers(v: int, ka: int, lb: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = random_cover(rng, v, ka), random_cover(rng, v, lb)
    _, k1 = partition(a, v)
    _, l1 = partition(b, v)
    width = partitioned_width(ka, k1, lb, l1)
    k = int(rng.integers(1, width + 1))
    arr = partitioned_product(a, b, v, k)
    if arr is None:  # the failing case's block was dropped and too few columns are left
        return
    assert arr.shape[1] == k
    assert arr.shape[0] <= a.shape[0] + b.shape[0] - v
    assert covers_uniform(arr, v, 2)


@given(*_FACTORS)
def test_the_mixed_check_agrees_with_brute_force(v: int, ka: int, lb: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    pa, k1 = partition(random_cover(rng, v, ka), v)
    pb, l1 = partition(random_cover(rng, v, lb), v)
    if k1 == 0 or l1 == 0:
        return
    assert _mixed_ok(pa, k1, pb, l1, v) == covers_uniform(
        every_partitioned_column(pa, k1, pb, l1, v), v, 2
    )
