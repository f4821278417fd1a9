"""Rows kept once: the constructions stack blocks that share rows (constant rows, rows
of a folded array that merge) and drop the repeats."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["distinct_rows", "fold"]


def distinct_rows(arr: np.ndarray) -> np.ndarray:
    """``arr`` without repeated rows, each kept where it first appears."""
    _, first = np.unique(arr, axis=0, return_index=True)
    out: np.ndarray = arr[np.sort(first)]
    return out


def fold(arr: np.ndarray, domains: int | Sequence[int]) -> np.ndarray:
    """Symbols >= v_j of column j merged onto 0..v_j-1 (``domains``: one v for every
    column, or one per column), repeated rows dropped: merging symbols keeps an array
    covering."""
    v = np.asarray(domains, dtype=np.int16)
    folded = (arr % (v if v.ndim == 0 else v[None, :])).astype(np.int16)
    return distinct_rows(folded)
