"""The partitioned product (``_pca``) and its use in ``_product``, checked by brute force."""

from __future__ import annotations

import numpy as np

from generator.engine._pca import _mixed_ok, partition, partitioned_product, partitioned_width
from generator.engine._product import (
    _multiply,
    _widened,
    product,
    product_array,
    with_constant_rows,
)
from generator.engine._qcyclic import quasi_cyclic
from tests.oracle import covers_uniform, every_partitioned_column

# Two CA(2, k, 3) whose PCAs fail the one unchecked case (found by a random search):
# the top rows of the columns (i < k1, j >= l1) and (i' >= k1, j' < l1) are neither
# factor's, and a pair each factor shows only in its top rows is missing.
_FAILING_A = [
    [2, 1, 1, 2, 0], [2, 2, 0, 2, 0], [1, 2, 2, 0, 1], [1, 0, 0, 0, 2], [1, 0, 2, 2, 1],
    [0, 0, 1, 0, 1], [0, 2, 1, 1, 2], [2, 0, 2, 2, 0], [2, 1, 1, 0, 1], [1, 1, 1, 1, 0],
    [0, 1, 0, 0, 1], [1, 0, 1, 0, 0], [0, 0, 2, 1, 2], [1, 1, 2, 2, 0], [2, 1, 1, 1, 1],
    [2, 1, 2, 2, 2], [0, 1, 0, 1, 2], [0, 0, 0, 2, 1], [0, 0, 1, 0, 0],
]  # fmt: skip
_FAILING_B = [
    [2, 2, 0, 0], [0, 2, 2, 2], [1, 0, 1, 1], [2, 2, 2, 2], [2, 1, 1, 1], [0, 1, 0, 1],
    [0, 1, 0, 2], [0, 0, 2, 0], [1, 1, 1, 0], [2, 0, 0, 2], [1, 2, 0, 0], [2, 1, 2, 1],
    [1, 0, 0, 2], [1, 2, 1, 2], [0, 0, 1, 0], [1, 2, 1, 1], [1, 0, 2, 0],
]  # fmt: skip


def test_a_failing_mixed_case_is_detected_and_its_block_dropped() -> None:
    a, b = np.array(_FAILING_A, dtype=np.int16), np.array(_FAILING_B, dtype=np.int16)
    assert covers_uniform(a, 3, 2)
    assert covers_uniform(b, 3, 2)
    pa, k1 = partition(a, 3)
    pb, l1 = partition(b, 3)
    assert 0 < k1 < a.shape[1]
    assert 0 < l1 < b.shape[1]
    assert not _mixed_ok(pa, k1, pb, l1, 3)
    assert not covers_uniform(every_partitioned_column(pa, k1, pb, l1, 3), 3, 2)
    full = partitioned_width(a.shape[1], k1, b.shape[1], l1)
    assert partitioned_product(a, b, 3, full) is None  # a block is gone
    kept = max(k1 * b.shape[1], a.shape[1] * l1)
    arr = partitioned_product(a, b, 3, kept)
    assert arr is not None
    assert arr.shape[1] == kept
    assert arr.shape[0] <= a.shape[0] + b.shape[0] - 3
    assert covers_uniform(arr, 3, 2)


def test_quasi_cyclic_factors_save_v_rows_only_when_partitioned() -> None:
    """A quasi-cyclic array has one constant row at most (its infinity row): the plain
    product of two 15-row 3^10 saves 2 rows, the partitioned one 3."""
    qc = quasi_cyclic(3, 10, 16)
    assert qc is not None
    assert qc.shape[0] == 15
    plain = product(with_constant_rows(qc, 3), with_constant_rows(qc, 3, 1), 80)
    assert plain.shape[0] == 28
    arr = _multiply(qc, qc, 3, 80)
    assert arr.shape == (27, 80)
    assert covers_uniform(arr, 3, 2)
    _pa, k1 = partition(qc, 3)
    assert k1 < 10  # no three rows apart in every column


def test_a_product_short_of_columns_takes_the_wider_factor_twice() -> None:
    """3^14 and its first 13 columns: k one above their partitioned width is reached
    with 3^14 on both sides, in as many rows."""
    wide = quasi_cyclic(3, 14, 16)
    assert wide is not None
    assert wide.shape[0] == 15
    narrow = wide[:, :13]
    _, k1 = partition(wide, 3)
    _, l1 = partition(narrow, 3)
    k = partitioned_width(14, k1, 13, l1) + 1
    assert partitioned_product(wide, narrow, 3, k) is None
    arr = _widened(3, k, wide, narrow)
    assert arr is not None
    assert arr.shape == (27, k)
    assert covers_uniform(arr, 3, 2)
    assert _widened(3, k, narrow, wide) is None  # 13 columns cannot stand in for 14


def test_product_array_widens_the_split_that_falls_short() -> None:
    """Factors cut from one 15-row 3^14: the balanced split of k = 171 takes 14 and 13
    columns, whose partitioned product has 170; 14 on both sides reach 171 in 27 rows."""
    wide = quasi_cyclic(3, 14, 16)
    assert wide is not None
    arr = product_array(3, 171, 10**6, lambda v, k: wide[:, :k] if k <= 14 else None)
    assert arr is not None
    assert arr.shape == (27, 171)
    assert covers_uniform(arr, 3, 2)


def test_the_failing_case_with_the_factors_swapped_drops_the_other_block() -> None:
    a, b = np.array(_FAILING_B, dtype=np.int16), np.array(_FAILING_A, dtype=np.int16)
    pa, k1 = partition(a, 3)
    pb, l1 = partition(b, 3)
    assert not _mixed_ok(pa, k1, pb, l1, 3)
    assert (a.shape[1] - k1) * l1 > k1 * (b.shape[1] - l1)  # B's block is the smaller
    kept = a.shape[1] * l1
    arr = partitioned_product(a, b, 3, kept)
    assert arr is not None
    assert covers_uniform(arr, 3, 2)
    assert partitioned_product(a, b, 3, kept + 1) is None


def test_no_rows_apart_means_no_partitioned_product() -> None:
    """Not a covering array: every column constant, so no two rows are apart anywhere."""
    flat = np.zeros((4, 3), dtype=np.int16)
    parted, k1 = partition(flat, 2)
    assert k1 == 0
    assert (parted == flat).all()
    assert partitioned_product(flat, flat, 2, 1) is None
