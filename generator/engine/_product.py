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
7^100 from OA(49; 2, 8, 7) and a CA(2, 13, 7), 6^50 from OA(49) projected onto six
symbols (CA(48; 2, 9, 6)) and a CA(2, 6, 6).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from generator.engine._distinct import distinct_rows
from generator.engine._gf import prime_power_from
from generator.engine._pca import partition, partitioned_product, partitioned_width

__all__ = ["parallel_class", "product", "product_array", "with_constant_rows"]

Base = Callable[[int, int], "np.ndarray | None"]
"""base(v, k): a known CA(2, k, v), or None."""

Polish = Callable[[np.ndarray, int, bool], np.ndarray]
"""polish(arr, v, keep_constant): a CA(2, k, v) no larger than the CA(2, k, v) ``arr``,
with its constant rows unchanged if ``keep_constant``."""

_STARTS = 64  # rows tried as the first member of a parallel class
# Factors are post-optimised (about half a second each) only for a product smaller than
# what it must beat: polishing took 3^125 from 26 rows to 25, 9^20 from 141 to 136, 7^15
# from 82 to 80 (some 4%), not enough to turn a losing product (3^100: 24 rows against
# 23) into a winner.
_POLISH_RATIO = 1.0
_BALANCED_K = 150  # as ``_construct``'s: from here on every split is tried


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


def with_constant_rows(arr: np.ndarray, v: int, first: int = 0) -> np.ndarray:
    """``arr`` with each column's symbols renamed so that as many rows as possible
    (up to v, those of ``parallel_class``) read first, first + 1, ... (mod v) constantly."""
    chosen = parallel_class(arr, v)
    out = np.empty_like(arr)
    for c in range(arr.shape[1]):
        head = [int(x) for x in arr[chosen, c]]
        order = head + [x for x in range(v) if x not in head]
        rename = np.empty(v, dtype=arr.dtype)
        rename[order] = (np.arange(v) + first) % v
        out[:, c] = rename[arr[:, c]]
    return out


def _constants(arr: np.ndarray) -> set[int]:
    """The symbols x for which ``arr`` has a row reading x in every column."""
    flat = (arr == arr[:, :1]).all(axis=1)
    return {int(x) for x in arr[flat, 0]}


def product(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    """The first k columns of the product of CA(2, k1, v) ``a`` and CA(2, k2, v) ``b``.

    Column i * k2 + j holds a's column i above b's column j; repeated rows are kept
    once (the shared constant rows), and a constant row of one factor only is
    dropped. It covers (x, x) on columns (i, j), (i', j'): for i = i' or j = j' the
    other factor shows its column's every symbol on both, and for i != i', j != j'
    the factor without that constant row covers all pairs of its columns j, j' (or
    i, i'). So CA(N1 + N2 - min(v, m1 + m2)) from m1 and m2 constant rows on
    disjoint symbols: an orthogonal array's v constant rows suffice, whatever the
    other factor.
    """
    k1, k2 = a.shape[1], b.shape[1]
    if k > k1 * k2:
        raise ValueError(f"a product of {k1} and {k2} columns has fewer than {k}")
    cols = np.arange(k)
    arr = np.concatenate([a[:, cols // k2], b[:, cols % k2]]).astype(np.int16)
    arr = distinct_rows(arr)
    if k1 < 2 or k2 < 2:  # a one-column factor's rows may all be constant
        return arr
    # constants of the columns used: a row of the OA(q^2; 2, q+1, q) reads c on q
    # columns and 0 on the last, constant once that column is cut
    lone = _constants(a[:, : math.ceil(k / k2)]) ^ _constants(b[:, :k])
    flat = (arr == arr[:, :1]).all(axis=1)
    drop: np.ndarray = flat & np.isin(arr[:, 0], sorted(lone))
    out: np.ndarray = arr[~drop]
    return out


def _multiply(a: np.ndarray, b: np.ndarray, v: int, k: int) -> np.ndarray:
    """The smaller of ``product``, each factor's parallel class renamed onto disjoint
    symbols, and the partitioned product (``_pca``), which saves v rows where the
    factors have v rows apart in only some of their columns."""
    used = with_constant_rows(a[:, : math.ceil(k / b.shape[1])], v)  # only the columns used
    plain = product(used, with_constant_rows(b, v, len(_constants(used))), k)
    parted = partitioned_product(a, b, v, k)
    return plain if parted is None or plain.shape[0] <= parted.shape[0] else parted


def _widened(v: int, k: int, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """The partitioned product of ``a`` with its own first columns, wider than ``b``, when
    the one with ``b`` has too few columns, or None: sizes are steps in k, and the wider
    factor often has as many rows (3^500: the 17-row 3^23 and 3^22 give 490 columns,
    3^23 twice 509, in 31 rows). A wider factor by search never gave a row on the sweep
    (3^200, 6^100, 9^100: 3-4 s each)."""
    _, k1 = partition(a, v)
    _, l1 = partition(b, v)
    have = partitioned_width(a.shape[1], k1, b.shape[1], l1)
    if k1 == 0 or l1 == 0 or have >= k or a.shape[0] > b.shape[0]:
        return None
    width = math.ceil(k * b.shape[1] / have)
    if width > a.shape[1]:
        return None
    return partitioned_product(a, a[:, :width], v, k)


def product_array(  # noqa: PLR0917 - one switch per caller's budget
    v: int,
    k: int,
    below: int,
    base: Base,
    balanced: bool = True,
    nested: bool = False,
    polish: Polish | None = None,
    projection: Base | None = None,
) -> np.ndarray | None:
    """The smallest product CA(2, k, v) with fewer than ``below`` rows, or None.

    Factors: k1 = q (v >= 4) and, unless ``nested`` (a factor's own product), q + 1
    for the smallest prime power q >= v (an orthogonal array, folded when q > v; with q
    columns its v constant rows make N1 + N2 - v whatever the other factor, with
    q + 1 columns it has no two rows apart in every column), for q > v also
    k1 = 2q + 1 - v (the OA projected onto v symbols, the other factor polished first)
    and, when ``balanced``, k1 = ceil(sqrt(k)), each against k2 = ceil(k / k1) columns
    from ``base``.
    ``polish`` (post-optimisation) is given the smallest product's factors only: it
    costs about half a second a factor. ``projection(v, k1)`` is the projected OA itself,
    the wide factor of its split even where ``base`` has a smaller array.
    """
    q = prime_power_from(v)
    # the q split saves v - 2 rows more than q + 1 (one constant row each) for k / q^2
    # more columns in the other factor; for v <= 4 that pays only for large k (4^200:
    # 16 + 34 - 4 against 16 + 34 - 2, 4^100: 16 + 31 - 4 against 16 + 28 - 2; 3^50:
    # 9 + 17 - 3 against 9 + 15 - 2), and each split costs a factor's search; a folded
    # OA(q^2) (q > v) is loose, and the q + 1 split's factor often has v constant rows
    # anyway (6^100: 48 + 66 - 6 against 46 + 59 - 6)
    splits = {q if (v >= 5 and q == v) or k >= _BALANCED_K else q + 1}
    if not nested:
        splits.add(q + 1)
    projected = 2 * q + 1 - v if q > v else 0  # no split when v is a prime power
    if projected:
        # OA(q^2) projected onto v symbols (``_projection``): v constant rows and q - v
        # more columns than folded (10^200: 120 + 145 - 10 on 13 x 16 columns, against
        # 262 rows from the other splits), and a loose start for the post-optimiser
        splits.add(projected)
    if balanced:
        splits.add(math.isqrt(k - 1) + 1)
    best: tuple[np.ndarray, np.ndarray, np.ndarray, bool] | None = None
    short: tuple[int, np.ndarray, np.ndarray, bool] | None = None
    for k1 in sorted(splits):
        k2 = math.ceil(k / k1)
        if k1 < 3 or k2 < 3 or k2 >= k:
            continue
        # the post-optimiser shrinks a product of the projection, not of a searched
        # array (6^50: 48 + 43 - 6 = 85 rows -> 80, a 46-row quasi-cyclic 6^9 gives 83
        # rows that stay 83; 6^40: 83 -> 78 against 81 -> 81)
        a = projection(v, k1) if k1 == projected and projection else base(v, k1)
        b = base(v, k2)
        if a is not None and k1 > k2 and (b is None or a.shape[0] < b.shape[0]):
            # sizes are not monotone in k (6^7: 48 rows folded from OA(7^2), 6^8: 46
            # quasi-cyclic): the wider factor's first k2 columns are a CA(2, k2, v) too
            b = a[:, :k2]
        if a is None or b is None:
            continue
        polished = False
        if polish is not None and k1 == projected:
            # the other factor is loose (a folded OA(q^2) for 6^6: 48 rows, 43 polished,
            # best known 41) and the projection is not: 6^50 from 48 + 43 - 6 = 85 rows,
            # 81 post-optimised; without this polish the split gave no row on 6^25..6^100
            b, polished = polish(b, v, False), True
        arr = _multiply(a, b, v, k)
        saved = a.shape[0] + b.shape[0] - v
        if arr.shape[0] > saved and (short is None or saved < short[0]):
            short = saved, a, b, polished
        if best is None or arr.shape[0] < best[0].shape[0]:
            best = arr, a, b, polished
    if best is None:
        return None
    if short is not None and short[0] < best[0].shape[0]:
        # a wider factor for the split whose partitioned product fell short of columns
        # and would save most
        wide = _widened(v, k, short[1], short[2])
        if wide is not None and wide.shape[0] < best[0].shape[0]:
            best = wide, *short[1:]
    arr, a, b, polished = best
    if polish is not None and not polished and arr.shape[0] < _POLISH_RATIO * below:
        # the narrower factor keeps its constant rows: with v of them (an orthogonal
        # array's, or a folded one's) the other factor needs none (``product``). Once
        # the other factor is polished the first is the projection, which polishing did
        # not shrink (10^13 in 120 rows, 1.6 s), nor a 46-row quasi-cyclic 6^9 (1.9 s)
        a = with_constant_rows(a[:, : math.ceil(k / b.shape[1])], v)
        again = _multiply(polish(a, v, True), polish(b, v, False), v, k)
        arr = again if again.shape[0] < arr.shape[0] else arr
    return arr if arr.shape[0] < below else None
