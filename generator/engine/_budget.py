"""Budget mode: one row at a time, each the best of a few greedy candidates.

Pipeline stage: generation under ``max_jobs``. Each candidate fixes the columns
in some order (the first candidate in internal order, the others in SplitMix64
permutations); a column takes the allowed value covering the most uncovered
tuples whose other members are already fixed (ties: least used, lowest code).
The candidate covering most new tuples wins (ties: the earliest). This is the
AETG/density family, which front-loads coverage better than IPOG's rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.constraints import Oracle
    from generator.engine._rng import SplitMix64
    from generator.engine._targets import Targets

__all__ = ["greedy_rows"]

WORK = 400_000
"""Budget of (rows x candidates x columns) cell decisions, to bound run time."""


def _membership(
    targets: Targets, k: int
) -> list[list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]]:
    """Per column: per arity, (member cols, strides, offsets, position of the column)."""
    out: list[list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]] = [[] for _ in range(k)]
    for ar in targets.arities:
        for j in range(ar.cols.shape[1]):
            col_of = ar.cols[:, j]
            order = np.argsort(col_of, kind="stable")
            sorted_cols = col_of[order]
            for c in range(k):
                lo = int(np.searchsorted(sorted_cols, c, side="left"))
                hi = int(np.searchsorted(sorted_cols, c, side="right"))
                if lo < hi:
                    pick = order[lo:hi]
                    out[c].append((ar.cols[pick], ar.strides[pick], ar.offsets[pick], j))
    return out


def _build(
    order: Sequence[int],
    *,
    member: list[list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]],
    unc: np.ndarray,
    oracle: Oracle,
    domains: Sequence[int],
    use: list[np.ndarray],
) -> np.ndarray:
    row = np.full(len(domains), -1, dtype=np.int16)
    for c in order:
        v = domains[c]
        gains = np.zeros(v, dtype=np.int64)
        for cols, strides, offsets, pos in member[c]:
            cells = row[cols].astype(np.int64)
            cells[:, pos] = 0
            others = np.delete(cells, pos, axis=1)
            ready = (others >= 0).all(axis=1)
            if not ready.any():
                continue
            base = offsets[ready] + (cells[ready] * strides[ready]).sum(axis=1)
            step = strides[ready, pos]
            for x in range(v):
                gains[x] += int(np.count_nonzero(unc[base + x * step]))
        if oracle.constrained[c]:
            gains[~oracle.allowed(row, c)] = -1
        key = gains * (int(use[c].max()) + 2) - use[c]
        row[c] = int(np.argmax(key))
    return row


def greedy_rows(
    targets: Targets,
    *,
    oracle: Oracle,
    domains: Sequence[int],
    start: np.ndarray,
    count: int,
    rng: SplitMix64,
) -> np.ndarray:
    """``start`` (full rows) plus up to ``count`` greedy rows."""
    k = len(domains)
    unc = targets.flat.copy()
    for ids in targets.flat_ids(start):
        unc[ids.ravel()] = False
    member = _membership(targets, k)
    use = [np.bincount(start[:, c], minlength=v).astype(np.int64) for c, v in enumerate(domains)]
    candidates = max(1, min(24, WORK // max(1, count * k)))
    new: list[np.ndarray] = []
    for _ in range(count):
        if not unc.any():
            break
        best: np.ndarray | None = None
        best_gain = -1
        for cand in range(candidates):
            order = list(range(k))
            if cand:
                for i in range(k - 1, 0, -1):
                    j = rng.below(i + 1)
                    order[i], order[j] = order[j], order[i]
            row = _build(order, member=member, unc=unc, oracle=oracle, domains=domains, use=use)
            gain = int(np.count_nonzero(unc[targets.row_ids(row)]))
            if gain > best_gain:
                best, best_gain = row, gain
        assert best is not None
        unc[targets.row_ids(best)] = False
        for c in range(k):
            use[c][best[c]] += 1
        new.append(best)
    if not new:
        return start
    return np.concatenate([start, np.array(new, dtype=np.int16)])
