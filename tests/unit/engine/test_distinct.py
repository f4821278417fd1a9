"""Rows kept once and symbols folded, checked on small arrays."""

from __future__ import annotations

import numpy as np

from generator.engine._distinct import distinct_rows, fold


def test_repeated_rows_go_and_the_rest_keep_their_order() -> None:
    arr = np.array([[2, 0], [1, 1], [2, 0], [0, 3], [1, 1]])
    assert distinct_rows(arr).tolist() == [[2, 0], [1, 1], [0, 3]]


def test_fold_merges_symbols_per_column_or_for_all() -> None:
    arr = np.array([[0, 4], [3, 1], [1, 2], [2, 0]])
    assert fold(arr, 3).tolist() == [[0, 1], [1, 2], [2, 0]]  # the first two rows merge
    assert fold(arr, [2, 5]).tolist() == [[0, 4], [1, 1], [1, 2], [0, 0]]
