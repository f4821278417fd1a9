"""Products of partitioned covering arrays, strength 2 (engine stage 0, a construction).

A partitioned covering array PCA(N; 2, (k1, k2), v) is a CA(N; 2, k1 + k2, v) whose
first v rows differ pairwise on its first k1 columns (they read 0..v-1 there after
renaming symbols) and are arbitrary on the other k2 (Colbourn, Martirosyan, Mullen,
Shasha, Sherwood and Yucas, J. Combin. Des. 14, 2006; the "PCAxPCA" entries of
Colbourn's tables). From PCAs A (k1 + k2 columns, N rows) and B (l1 + l2, M rows),
the columns (i, j) with i < k1 or j < l1 carry A's other rows (A[r, i]) and B's
other rows (B[s, j]) under v shared top rows reading r where i < k1 and j < l1, A's
top row where i >= k1, and B's where j >= l1: N + M - v rows on k1 l + k2 l1 columns.
``_product`` needs v rows apart in every used column for that saving; here a factor
with a part of its columns apart saves v rows too (3^500 from two 17-row
quasi-cyclic factors in 31 rows, against 32).

Two columns (i, j), (i', j') meet every pair in A's rows (i != i') or B's (i = i'),
the v top rows standing in for the factor's own, except one case: i < k1 <= i' with
j' < l1 <= j, where the top rows are neither factor's. There a pair A shows only in
its top rows, (r, A[r, i']), may be one B shows only in its top rows too, so that
case is checked and, where it fails, one of its two column blocks is dropped.
"""

from __future__ import annotations

import numpy as np

from generator.engine._distinct import distinct_rows

__all__ = ["partition", "partitioned_product", "partitioned_width"]

_STARTS = 32  # rows tried as the first of the v top rows


def partition(arr: np.ndarray, v: int) -> tuple[np.ndarray, int]:
    """``arr`` as a PCA: (its rows and columns reordered and renamed, k1).

    The v top rows are chosen greedily, each next row keeping the most columns on
    which all chosen rows differ, from each of the first ``_STARTS`` rows; those
    columns come first, renamed so that top row r reads r.
    """
    n = arr.shape[0]
    best_rows: list[int] = []
    best_apart = np.zeros(arr.shape[1], dtype=bool)
    for start in range(min(n, _STARTS)):
        chosen = [start]
        apart = np.ones(arr.shape[1], dtype=bool)
        while len(chosen) < v:
            keeps = (arr[:, None, :] != arr[chosen][None, :, :]).all(axis=1) & apart
            keeps[chosen] = False
            nxt = int(keeps.sum(axis=1).argmax())
            chosen.append(nxt)
            apart = keeps[nxt]
        if apart.sum() > best_apart.sum():
            best_rows, best_apart = chosen, apart
    if not best_rows:
        return arr.copy(), 0
    cols = np.concatenate([np.flatnonzero(best_apart), np.flatnonzero(~best_apart)])
    rest = np.setdiff1d(np.arange(n), best_rows)
    out = arr[np.concatenate([best_rows, rest])][:, cols].copy()
    k1 = int(best_apart.sum())
    for c in range(k1):
        rename = np.empty(v, dtype=out.dtype)
        rename[out[:v, c].astype(np.intp)] = np.arange(v)
        out[:, c] = rename[out[:, c]]
    return out, k1


def partitioned_width(k: int, k1: int, width: int, l1: int) -> int:
    """Columns of the product of PCAs with (k1, k - k1) and (l1, width - l1) columns."""
    return k * width - (k - k1) * (width - l1)


def _shown(x: np.ndarray, y: np.ndarray, v: int) -> np.ndarray:
    """(columns of x, columns of y, v * v): the pairs the rows show on each column pair."""
    codes = x[:, :, None].astype(np.intp) * v + y[:, None, :]
    out = np.zeros((x.shape[1], y.shape[1], v * v), dtype=bool)
    c1, c2 = np.indices(codes.shape[1:])
    for row in codes:
        out[c1, c2, row] = True
    return out


def _mixed_ok(a: np.ndarray, k1: int, b: np.ndarray, l1: int, v: int) -> bool:
    """Whether every column pair of the failing case (module docstring) meets every pair."""
    if k1 == a.shape[1] or l1 == b.shape[1]:
        return True
    rest_b = _shown(b[v:, l1:], b[v:, :l1], v)  # (j, j', pair)
    top = _shown(b[:v, l1:], a[:v, k1:], v)  # (j, i', pair)
    for i in range(k1):  # one of A's apart columns at a time bounds the memory
        rest_a = _shown(a[v:, i : i + 1], a[v:, k1:], v)[0]  # (i', pair)
        cover = rest_a[None, :, None, :] | rest_b[:, None, :, :] | top[:, :, None, :]
        if not cover.all():
            return False
    return True


def partitioned_product(a: np.ndarray, b: np.ndarray, v: int, k: int) -> np.ndarray | None:
    """The first k columns of the product of CAs ``a`` and ``b`` made PCAs, or None when
    it has fewer than k columns. Rows repeated in the result are kept once."""
    pa, k1 = partition(a, v)
    pb, l1 = partition(b, v)
    if k1 == 0 or l1 == 0:
        return None
    ka, lb = pa.shape[1], pb.shape[1]
    keep = np.ones((ka, lb), dtype=bool)
    keep[k1:, l1:] = False
    if not _mixed_ok(pa, k1, pb, l1, v):
        # drop the smaller of the two blocks that meet in the failing case
        if (ka - k1) * l1 <= k1 * (lb - l1):
            keep[k1:, :] = False
        else:
            keep[:, l1:] = False
    i, j = np.nonzero(keep)
    if i.size < k:
        return None
    i, j = i[:k], j[:k]
    top = np.where(i >= k1, pa[:v][:, i], np.where(j >= l1, pb[:v][:, j], np.arange(v)[:, None]))
    arr = np.concatenate([top, pa[v:][:, i], pb[v:][:, j]]).astype(np.int16)
    return distinct_rows(arr)
