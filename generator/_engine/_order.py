"""Greedy reordering: rows that add the most new coverage first.

Pipeline stage: finishing. Frozen rows (initial and pinned) keep their places at
the front; the rest are picked greedily by new required tuples covered (ties:
lowest original index), using lazy evaluation (gains only shrink), which picks
exactly what the eager greedy would. Rows that add nothing at the end are
redundant and dropped.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from generator._engine._targets import Targets

__all__ = ["reorder"]

CACHE = 30_000_000
"""Largest rows*sets id table cached (int32/int64) during reordering."""


def reorder(
    rows: np.ndarray, targets: Targets, frozen: int, drop_useless: bool = True
) -> tuple[np.ndarray, list[int]]:
    """(reordered rows, cumulative covered counts), frozen rows first and unchanged."""
    unc = targets.flat.copy()
    n = rows.shape[0]
    nsets = len(targets.sets)
    cache: np.ndarray | None = None
    if n * nsets <= CACHE:
        dtype = np.int32 if targets.flat.shape[0] < 2**31 else np.int64
        cache = np.empty((n, nsets), dtype=dtype)
        at = 0
        for ids in targets.flat_ids(rows):
            cache[:, at : at + ids.shape[1]] = ids
            at += ids.shape[1]

    def ids_of(r: int) -> np.ndarray:
        return cache[r] if cache is not None else targets.row_ids(rows[r])

    order: list[int] = []
    cumulative: list[int] = []
    done = 0
    for r in range(min(frozen, n)):
        ids = ids_of(r)
        done += int(np.count_nonzero(unc[ids]))
        unc[ids] = False
        order.append(r)
        cumulative.append(done)
    heap = [(-int(np.count_nonzero(unc[ids_of(r)])), r) for r in range(frozen, n)]
    heapq.heapify(heap)
    while heap:
        _, r = heapq.heappop(heap)
        ids = ids_of(r)
        gain = int(np.count_nonzero(unc[ids]))
        if heap and (-gain, r) > heap[0]:
            heapq.heappush(heap, (-gain, r))
            continue
        if gain == 0 and drop_useless:
            break
        unc[ids] = False
        done += gain
        order.append(r)
        cumulative.append(done)
    return rows[order], cumulative
