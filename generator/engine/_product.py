"""Strength-2 products for many columns (engine stage 0, a construction).

From CA(N1; 2, k1, v) A and CA(N2; 2, k2, v) B, the columns (i, j), i < k1,
j < k2, with A's rows (entry A[r, i]) above B's (entry B[s, j]) form a
CA(N1 + N2; 2, k1 k2, v): columns (i, j), (i', j') with i != i' meet every pair
in A's rows, those with i = i' in B's. When both factors have v constant rows
0..v-1 those rows coincide in the product and are kept once (N1 + N2 - v). A
factor whose rows hold m rows differing in every column (a parallel class, as
the v constant rows of a Bush orthogonal array) is brought to that form by
renaming the symbols of each column, which keeps it a covering array, and
shares min(m, m') rows with the other factor.

Products pay off when k is large against v (Colbourn's tables list many such
entries, "direct product"): 3^500 from OA(9; 2, 4, 3) and a CA(2, 125, 3),
7^100 from OA(49; 2, 8, 7) and a CA(2, 13, 7).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from generator.engine._gf import prime_power

__all__ = ["parallel_class", "product", "product_array", "with_constant_rows"]

Base = Callable[[int, int], "np.ndarray | None"]
"""base(v, k): a known CA(2, k, v), or None."""

_STARTS = 64  # rows tried as the first member of a parallel class


def parallel_class(arr: np.ndarray, v: int) -> list[int]:
    """Indices of up to v rows of ``arr`` that pairwise differ in every column (greedy,
    the largest set found from the first ``_STARTS`` rows)."""
    n = arr.shape[0]
    apart = (arr[:, None, :] != arr[None, :, :]).all(axis=2)  # (n, n)
    best: list[int] = []
    for start in range(min(n, _STARTS)):
        chosen = [start]
        ok = apart[start].copy()
        for r in range(n):
            if len(chosen) == v:
                return chosen
            if ok[r]:
                chosen.append(r)
                ok &= apart[r]
        if len(chosen) > len(best):
            best = chosen
    return best


def with_constant_rows(arr: np.ndarray, v: int) -> np.ndarray:
    """``arr`` with each column's symbols renamed so that as many rows as possible
    (up to v, those of ``parallel_class``) read 0, 1, ... constantly."""
    chosen = parallel_class(arr, v)
    out = np.empty_like(arr)
    for c in range(arr.shape[1]):
        head = [int(x) for x in arr[chosen, c]]
        order = head + [x for x in range(v) if x not in head]
        rename = np.empty(v, dtype=arr.dtype)
        rename[order] = np.arange(v, dtype=arr.dtype)
        out[:, c] = rename[arr[:, c]]
    return out


def product(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """The first k columns of the product of CA(2, k1, v) ``a`` and CA(2, k2, v) ``b``.

    Column i * k2 + j holds a's column i above b's column j; repeated rows are kept
    once (the shared constant rows).
    """
    k1, k2 = a.shape[1], b.shape[1]
    if k > k1 * k2:
        raise ValueError(f"a product of {k1} and {k2} columns has fewer than {k}")
    cols = np.arange(k)
    arr = np.concatenate([a[:, cols // k2], b[:, cols % k2]]).astype(np.int16)
    _, first = np.unique(arr, axis=0, return_index=True)
    return arr[np.sort(first)]


def product_array(
    v: int, k: int, below: int, base: Base, balanced: bool = True
) -> np.ndarray | None:
    """The smallest product CA(2, k, v) with fewer than ``below`` rows, or None.

    Factors: k1 = q + 1 for the smallest prime power q >= v (an orthogonal array,
    folded when q > v: v^2 - v rows more for q + 1 times the columns when q = v)
    and, when ``balanced``, k1 = ceil(sqrt(k)), each against k2 = ceil(k / k1)
    columns from ``base``.
    """
    best: np.ndarray | None = None
    q = next(q for q in range(v, 2 * v + 2) if prime_power(q) is not None)  # Bertrand
    splits = {q + 1, math.isqrt(k - 1) + 1} if balanced else {q + 1}
    for k1 in sorted(splits):
        k2 = math.ceil(k / k1)
        if k1 < 3 or k2 < 3 or k2 >= k:
            continue
        a, b = base(v, k1), base(v, k2)
        if a is not None and k1 > k2 and (b is None or a.shape[0] < b.shape[0]):
            # sizes are not monotone in k (6^7: 48 rows folded from OA(7^2), 6^8: 46
            # quasi-cyclic): the wider factor's first k2 columns are a CA(2, k2, v) too
            b = a[:, :k2]
        if a is None or b is None or a.shape[0] + b.shape[0] - v >= below:
            continue
        arr = product(with_constant_rows(a, v), with_constant_rows(b, v), k)
        if arr.shape[0] < below:
            best, below = arr, arr.shape[0]
    return best
