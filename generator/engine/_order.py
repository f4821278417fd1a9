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
    from generator.engine._targets import Targets

__all__ = ["reorder"]

CACHE = 30_000_000
"""Largest rows*sets id table cached (int32/int64) during reordering."""


def reorder(
    rows: np.ndarray, targets: Targets, frozen: int, drop_useless: bool = True
) -> tuple[np.ndarray, list[int]]:
    """(reordered rows, cumulative covered counts), frozen rows first and unchanged."""
    n = rows.shape[0]
    if n * len(targets.sets) <= CACHE:
        return _eager(rows, targets, frozen, drop_useless)
    return _lazy(rows, targets, frozen, drop_useless)


def _eager(
    rows: np.ndarray, targets: Targets, frozen: int, drop_useless: bool
) -> tuple[np.ndarray, list[int]]:
    """The greedy with every row's gain kept up to date (the id table fits in memory).

    Picks exactly what ``_lazy`` picks: the largest gain, ties the lowest index."""
    unc = targets.flat.copy()
    n = rows.shape[0]
    dtype = np.int32 if targets.flat.shape[0] < 2**31 else np.int64
    table = targets.set_ids(rows, dtype)  # (sets, rows)
    order: list[int] = []
    cumulative: list[int] = []
    done = 0
    for r in range(min(frozen, n)):
        ids = table[:, r]
        done += int(np.count_nonzero(unc[ids]))
        unc[ids] = False
        order.append(r)
        cumulative.append(done)
    if frozen >= n:
        return rows[order], cumulative
    # Ids local to each set's block, in the narrowest type: the update below
    # compares whole blocks of this table, so its width is the cost.
    starts = np.concatenate([ar.offsets for ar in targets.arities])
    width = int(max(int(targets.sizes[ar.index].max()) for ar in targets.arities))
    narrow = np.int8 if width <= 127 else np.int16 if width <= 32767 else table.dtype
    local = (table - starts[:, None].astype(table.dtype)).astype(narrow)
    gains = unc[table].sum(axis=0, dtype=np.int64)
    gains[: min(frozen, n)] = -1
    for _ in range(max(0, n - frozen)):
        r = int(np.argmax(gains))
        gain = int(gains[r])
        if gain == 0 and drop_useless:
            break
        gains[r] = -1
        if gain > 0:
            ids = table[:, r]
            newly = unc[ids]
            unc[ids[newly]] = False
            # Each newly covered id sits in one set's row of the table: every row
            # holding it there loses one.
            gains -= (local[newly] == local[newly, r][:, None]).sum(axis=0)
        done += gain
        order.append(r)
        cumulative.append(done)
    return rows[order], cumulative


def _lazy(
    rows: np.ndarray, targets: Targets, frozen: int, drop_useless: bool
) -> tuple[np.ndarray, list[int]]:
    """The greedy with lazy evaluation (gains only shrink), ids recomputed per row."""
    unc = targets.flat.copy()
    n = rows.shape[0]

    def ids_of(r: int) -> np.ndarray:
        return targets.row_ids(rows[r])

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
