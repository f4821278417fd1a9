"""Column triples and, per column, the triples through it (strength-3 local searches).

``_cphf`` and ``_group3`` both score a change of one cell against every column
triple through its column; this is that index, built once per search.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["ColumnTriples", "column_triples"]

ColumnTriples = list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
"""Per column j: (triple indices, j's position 0-2 in each, the other two members)."""


def column_triples(k: int) -> tuple[np.ndarray, ColumnTriples]:
    """(the C(k, 3) triples of k columns, ascending, as rows; the triples through each column)."""
    trip = np.array(list(itertools.combinations(range(k), 3)), dtype=np.int64).reshape(-1, 3)
    # grouped by one stable sort of the flattened triples instead of k scans
    flat = trip.ravel()
    order = np.argsort(flat, kind="stable")
    starts = np.searchsorted(flat[order], np.arange(k + 1))
    rest = np.stack([trip[:, [1, 2]], trip[:, [0, 2]], trip[:, [0, 1]]], axis=1)
    through: ColumnTriples = []
    for j in range(k):
        at = order[starts[j] : starts[j + 1]]
        idx, pos = at // 3, at % 3
        pair = rest[idx, pos]
        through.append((idx, pos, pair[:, 0], pair[:, 1]))
    return trip, through
