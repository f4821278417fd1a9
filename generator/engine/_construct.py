"""Algebraic constructions for uniform, unconstrained models (engine stage 0).

Some best-known covering-array sizes come from constructions that greedy and
local search do not reach (docs/engine.md §4). ``construct`` returns such an
array when one is known to be small, or ``None`` so that the caller runs the
greedy build instead:

* Bush orthogonal arrays OA(q^t; t, q+1, q) over GF(q) for a prime power q
  (rows = all coefficient vectors, columns = points of an arc in PG(t-1, q)),
  with the q+2 hyperoval column at t=3 when q is even. Columns beyond the
  model's are dropped; symbols above a column's domain are folded onto it
  (a covering array stays covering when symbols are merged). At t=2 a larger
  field's array is projected onto v symbols instead (``_projection``, Colbourn
  2008): q^2 - c rows and q + 1 + c columns for c = q - v; 10^13 -> 120 rows.
* The parity array OA(v^t; t, t+1, v) for any v (last column = sum mod v).
* Kleitman-Spencer / Katona for v=2, t=2: the optimal CA(N; 2, k, 2), whose
  columns are the weight-ceil(N/2) subsets of N-1 rows plus an all-zero row.
* Hash stacks for t=2 and prime-power v (Sherwood, Martirosyan, Colbourn's
  covering perfect hash families at t=2): one Bush block per letter of a
  word over PG(1, q) naming each column; 4^100 -> 46 rows, 4^400 -> 58.
* Cover starters for t=2 and any v (Lobb, Colbourn, Danziger, Stevens,
  Torres-Jimenez 2012): the cyclic shifts of one vector over Z_(v-f) plus f
  fixed symbols, developed over Z_(v-f), plus CAN(2, k, f) rows for the fixed
  symbols; the starter is found by ``_qcyclic``'s search with one vector.
  10^20 -> 168 rows (f = 2).
* Cover starters with f >= 3 fixed symbols (``_fixstarter``), their CAN(2, k, f) tail
  searched and post-optimised: 10^25 -> 180 rows (f = 4), 8^18 -> 107 (f = 3).
* Incomplete transversal designs for t=2, few columns and v not a prime power
  (``_itd``): k - 2 incomplete MOLS of order v with a hole of size u, developed from
  a quasi-difference matrix found by SAT, plus CAN(2, k, u) rows over the hole,
  CA(v^2 - u^2 + CAN(2, k, u); 2, k, v): 10^6 -> 102 rows (u = 2), 10^4 -> 100,
  14^4 -> 196.
* Quasi-cyclic arrays for t=2 and v >= 3 (``_qcyclic``): several starters over
  Z_(v-1) plus infinity sharing one cyclic development, CA((v-1)n + 1; 2, nB, v);
  4^50 -> 34 rows (five starters of length 11).
* Products for t=2 (``_product``): CA(N1 + N2 - min(v, m1 + m2); 2, k1 k2, v)
  from factors with m1, m2 constant rows; 4^200 -> 46, 7^100 -> 122, 9^200 -> 214;
  the projection is a factor when v is not a prime power (6^50 -> 85 rows, 81 once
  post-optimised); factors with v rows apart on only some columns are multiplied as
  partitioned arrays (``_pca``), saving v rows on fewer columns (4^500 -> 52 rows).
* For t=3 and any v (``_strength3``): covering perfect hash families over the
  smallest prime power q >= v (4^21 -> 127 rows, 5^40 -> 365), short families
  completed by a search (3^100 -> 139), starters developed
  under an affine group on the symbols for few columns (4^8 -> 88), squares over
  the affine plane AG(2, q) (2^100 -> 34), and one level of Chateauneuf-Kreher
  doubling (5^12 -> 225 from OA(5^3) and OA(5^2)).
* Cyclotomic arrays for t=3 (``_cyclotomy``): the cyclotomic vector of a prime
  q = 1 mod v developed as a cyclic starter, checked rather than searched (4^30 -> 152
  rows, 6^40 -> 624).

Sizes are not monotone in k (6^11 at t=3: 678 rows from the direct constructions,
6^16 in 582 by doubling a folded OA(7^3)), and any CA(N; t, k', v) with k' > k
gives a CA(N; t, k, v) by dropping columns: the search-free constructions at a
few wider column counts (``_landing_points``) are cut to k columns and win when
smaller, and a product takes its wider factor's first columns for the narrower
one when that is smaller.

The post-optimiser starts from these arrays too (they are often far from
tight: 4^100 goes from 46 to about 40); beside a product within 10% of the rest,
larger or smaller, it starts from both, as either may shrink further
(``construct_starts``).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

import numpy as np

from generator.engine._cyclotomy import cyclotomic3
from generator.engine._distinct import distinct_rows, fold
from generator.engine._fixstarter import FixedStarter, many_fixed, with_smaller_tail
from generator.engine._gf import MAX_Q, gf_tables, prime_power, prime_power_from
from generator.engine._itd import itd_array
from generator.engine._polish import polish
from generator.engine._product import product_array
from generator.engine._projection import projected_array
from generator.engine._qcyclic import fixed_starter, quasi_cyclic
from generator.engine._rng import SplitMix64
from generator.engine._strength3 import strength3

__all__ = ["construct", "construct_starts", "gf_tables", "orthogonal_array"]

# A folded orthogonal array (q > v) is offered only when it is at most this
# factor above the trivial lower bound prod(largest t domains): greedy builds
# are 1.3-1.7x above that bound at t >= 3 and more at t=2 with many columns.
# Folded arrays are loose, so they are good starts for the post-optimiser:
# 6^6 at t=3 goes 342 -> 290 from OA(7^3) against 352 -> 320 from IPOG-F.
_FOLD_RATIO_T2 = 1.25
_FOLD_RATIO_T3 = 1.70
_MAX_ROWS = 20000
# cover starters are tried when (v-2)k + CAN(2,k,2) is at most this factor above v^2
_STARTER_RATIO = 1.7
_BALANCED_K = 150
_MAX_LANDINGS = 3  # wider column counts tried per model (``_landing_points``)
_PRODUCT_START = 1.1


def _bush_width(q: int, strength: int) -> int:
    """Columns of Bush's OA(q^t; t, k, q): q + 1, and q + 2 at t=3 for even q (hyperoval)."""
    return q + 2 if (strength == 3 and q % 2 == 0) else q + 1


def orthogonal_array(q: int, strength: int, columns: int) -> np.ndarray:
    """OA(q^t; t, columns, q) from an arc of GF(q)^t (Bush), columns <= q+1 (q+2 at t=3, q even).

    Row i is the coefficient vector a (base-q digits of i, most significant
    first); column j holds the dot product of a with the j-th arc point. Row 0
    is all zeros and, with the q-column prefix at t=2, rows a=(c, 0) are the
    constant rows c.
    """
    add, mul = gf_tables(q)
    t = strength
    if not 1 <= t <= q or columns > _bush_width(q, t):
        raise ValueError(f"no OA with q={q}, t={t}, k={columns}")
    points: list[list[int]] = []
    for x in range(q):
        pt = [1]
        for _ in range(t - 1):
            pt.append(int(mul[pt[-1], x]))
        points.append(pt)
    points.append([0] * (t - 1) + [1])
    if t == 3:
        points.append([0, 1, 0])
    pts = np.array(points[:columns], dtype=np.int64)  # (k, t)
    rows = np.array(list(itertools.product(range(q), repeat=t)), dtype=np.int64)  # (q^t, t)
    out = np.zeros((rows.shape[0], columns), dtype=np.int64)
    for i in range(t):
        out = add[out, mul[rows[:, i][:, None], pts[None, :, i]]]
    return out.astype(np.int16)


def _katona(k: int) -> np.ndarray:
    """Optimal binary CA(N; 2, k, 2): smallest N with C(N-1, ceil(N/2)) >= k."""
    n = 4
    while math.comb(n - 1, (n + 1) // 2) < k:
        n += 1
    w = (n + 1) // 2
    cols = list(itertools.islice(itertools.combinations(range(1, n), w), k))
    arr = np.zeros((n, k), dtype=np.int16)
    for j, ones in enumerate(cols):
        arr[list(ones), j] = 1
    return arr


def _hash_plan(q: int, k: int) -> tuple[int, int, int] | None:
    """(blocks, blocks using the point at infinity, rows) of the smallest stack with k columns."""
    best: tuple[int, int, int] | None = None
    for n in range(1, 12):
        for a in range(n + 1):
            if (q + 1) ** a * q ** (n - a) < k:
                continue
            affine = n - a
            rows = (affine * (q * q - q) + q if affine else 1) + a * (q * q - 1)
            if best is None or rows < best[2]:
                best = (n, a, rows)
    return best


def hash_stack(q: int, k: int) -> np.ndarray:
    """CA(2, k, q) from Bush OA blocks indexed by a perfect hash family (Sherwood et al.).

    Column j is a distinct word over the projective line PG(1, q); in block i it
    is the OA(q^2; 2, q+1, q) column of its i-th letter (x + a*y for a in GF(q),
    y for the point at infinity). Two columns differ in some letter, and the block
    of that letter covers all their pairs. Blocks without the point at infinity
    share their q constant rows (y = 0); duplicate rows are dropped.
    """
    plan = _hash_plan(q, k)
    if plan is None:
        raise ValueError(f"no hash stack for q={q}, k={k}")
    n, a, _ = plan
    add, mul = gf_tables(q)
    alphabets = [q + 1] * a + [q] * (n - a)
    words = np.array(list(itertools.islice(itertools.product(*map(range, alphabets)), k)))
    xy = np.array(list(itertools.product(range(q), repeat=2)), dtype=np.int64)
    x, y = xy[:, 0][:, None], xy[:, 1][:, None]
    blocks = []
    for i in range(n):
        letter = words[:, i][None, :]
        finite = add[x, mul[np.minimum(letter, q - 1), y]]
        blocks.append(np.where(letter == q, y, finite))
    arr = np.concatenate(blocks).astype(np.int16)
    return distinct_rows(arr)


def cover_starter(v: int, k: int, fixed: int) -> np.ndarray | None:
    """CA((v-f)k + CAN(2,k,f); 2, k, v) from a cover starter (Lobb, Colbourn, Danziger,
    Stevens, Torres-Jimenez, Discrete Math. 2012), f = ``fixed`` in {1, 2}; None if no
    starter is found within the search budget (``_qcyclic.fixed_starter``).
    """
    tail = np.zeros((1, k), dtype=np.int64) if fixed == 1 else _katona(k).astype(np.int64)
    return fixed_starter(v, k, fixed, tail, SplitMix64(fixed))


def _trivial_bound(domains: Sequence[int], strength: int) -> int:
    return math.prod(sorted(domains, reverse=True)[:strength])


def construct(domains: Sequence[int], strength: int) -> np.ndarray | None:
    """A covering array of the given strength over ``domains`` from a construction, or None.

    Only for models without constraints. Returns None when no construction
    here is expected to beat the greedy build (the caller may still compare
    sizes). The array is int16 of shape (N, len(domains)) with values in
    ``0..domains[j]-1``; every t-tuple of values appears in some row. Results
    are cached per (domains, strength) (the post-optimiser asks too); each call
    returns a fresh copy.
    """
    known = _construct_cached(tuple(int(d) for d in domains), int(strength))[0]
    return None if known is None else known.copy()


def construct_starts(domains: Sequence[int], strength: int) -> list[np.ndarray]:
    """The constructions the post-optimiser should start from, each run kept if smallest:
    :func:`construct`'s array, and beside it a product or the rest when the two are
    within 10% of each other. Which one shrinks further is not known in advance: a
    product's rigid blocks can shrink worse (4^100: 43 rows -> 42, against 40 from a
    46-row hash stack) or a tight search result not at all (6^50: 86 quasi-cyclic rows
    stay 86, an 85-row product goes to 81)."""
    return [a.copy() for a in _construct_cached(tuple(int(d) for d in domains), int(strength))[1]]


@functools.lru_cache(maxsize=32)
def _construct_cached(
    domains: tuple[int, ...], strength: int, nested: bool = False
) -> tuple[np.ndarray | None, tuple[np.ndarray, ...]]:
    """(the smallest construction, the post-optimiser's starts)."""
    start = _unfactored(domains, strength, nested)
    k, v = len(domains), max(domains, default=0)
    if len(set(domains)) == 1:
        wider = _truncated(v, k, strength)
        if wider is not None and (start is None or wider.shape[0] < start.shape[0]):
            start = wider
    if strength == 2 and len(set(domains)) == 1 and v >= 3 and k > 2 * (v + 1):
        have = _MAX_ROWS if start is None else start.shape[0]
        # a balanced split costs two more factor searches: only where the orthogonal
        # array chain is missing (v not a prime power) or k is large
        balanced = not nested and (k >= _BALANCED_K or prime_power(v) is None)
        # a product of the projection (v not a prime power) shrinks well (``_product``):
        # one up to 10% larger than the rest is a second start (6^40: 83 rows -> 77, the
        # 80-row quasi-cyclic array stays 80; 6^30 76 -> 73, 6^75 89 -> 86, 6^90 94 ->
        # 91); for prime powers that gave no row on the sweep and cost up to 2.6x time
        second = not nested and start is not None and prime_power(v) is None
        below = math.ceil(have * _PRODUCT_START) if second else have
        found = product_array(
            v, k, below, _uniform2, balanced, nested, None if nested else polish, _projected
        )
        if found is not None:
            # a much smaller product is the better start for the post-optimiser too
            # (8^100: 148 rows -> 141, against 148 from the 176-row hash stack)
            if start is None or found.shape[0] * _PRODUCT_START < start.shape[0]:
                return found, (found,)
            return min(start, found, key=len), (start, found)
    if strength == 3 and len(set(domains)) == 1:
        return _with_cyclotomy(start, max(domains, default=0), len(domains))
    return start, () if start is None else (start,)


def _with_cyclotomy(
    start: np.ndarray | None, v: int, k: int
) -> tuple[np.ndarray | None, tuple[np.ndarray, ...]]:
    """(the smaller of ``start`` and a cyclotomic CA(3, k, v), the post-optimiser's one
    start). One start, not both as for products: a second post-optimisation doubled the
    time (6^40: 15 s against 7) for one row in a hundred (6^20: 678 rows from the folded
    hash family go to 618, 624 from q = 103 stay 624)."""
    found = cyclotomic3(v, k, _MAX_ROWS if start is None else start.shape[0])
    best = start if found is None else found
    return best, () if best is None else (best,)


def _landing_points(v: int, k: int, strength: int) -> list[int]:
    """Column counts in (k, 2k] where a search-free construction lands exactly.

    Sizes are not monotone in k: a family fits some column counts exactly and the
    next family up may be larger (6^11 at t=3: 678 rows from the direct constructions,
    while doubling OA(7^3; 3, 8, 7) folded gives 6^16 in 582). At t=3 these are the doublings of
    the Bush and parity arrays, 2(t+1), 2(q+1) and 2(q+2) for even q; at t=2 the
    search-free families (Bush arrays, hash stacks, Katona) already take the
    smallest count that fits, and products reuse a wider factor (``_product``).
    """
    if strength != 3:
        return []
    ends = {strength + 1}
    # only the fields whose arrays the direct search would fold onto v symbols: a wider
    # one is too large, and each landing costs a recursive doubling (6^100: 0.4 s)
    for q in range(v, MAX_Q + 1):
        if prime_power(q) is not None and q**3 <= _FOLD_RATIO_T3 * v**3:
            ends.add(q + 1)
            if q % 2 == 0:
                ends.add(q + 2)
    return sorted(2 * e for e in ends if k < 2 * e <= 2 * k)[:_MAX_LANDINGS]


def _truncated(v: int, k: int, strength: int) -> np.ndarray | None:
    """The smallest search-free v^k' construction at a landing point k' > k, cut to its
    first k columns (dropping columns keeps an array covering), or None."""
    best: np.ndarray | None = None
    for wide in _landing_points(v, k, strength):
        arr = _plain((v,) * wide, strength)
        if arr is not None and (best is None or arr.shape[0] < best.shape[0]):
            best = arr
    if best is None:
        return None
    cut = best[:, :k]
    return distinct_rows(cut)


@functools.lru_cache(maxsize=32)
def _plain(domains: tuple[int, ...], strength: int) -> np.ndarray | None:
    """The smallest construction without a search (milliseconds), for ``_truncated``."""
    return _unfactored(domains, strength, nested=True, search=False)


def _hole(u: int, k: int) -> np.ndarray | None:
    """The search-free CA(2, k, u) over an incomplete transversal design's hole (``_itd``)."""
    return _plain((u,) * k, 2)


def _plain_uniform(v: int, k: int, strength: int) -> np.ndarray | None:
    """``_plain`` for v^k: the halves of a search-free doubling."""
    return _plain((v,) * k, strength)


def _unfactored(
    domains: tuple[int, ...], strength: int, nested: bool, search: bool = True
) -> np.ndarray | None:
    """The smallest construction other than a product (``nested``: a product's factor
    or a doubling's half, searched with a smaller budget; ``search=False``: only the
    families that need no search)."""
    k = len(domains)
    t = strength
    if t < 1 or k < t or min(domains, default=0) < 1:
        return None
    vmax = max(domains)
    bound = _trivial_bound(domains, t)
    if bound > _MAX_ROWS:
        return None
    if k == t:  # full factorial; greedy also finds it, but this is exact
        grid = itertools.product(*(range(d) for d in domains))
        return np.array(list(grid), dtype=np.int16).reshape(-1, k)
    if k == t + 1 and len(set(domains)) == 1:
        base = np.array(list(itertools.product(range(vmax), repeat=t)), dtype=np.int16)
        parity = (base.sum(axis=1) % vmax).astype(np.int16)
        return np.concatenate([base, parity[:, None]], axis=1)
    if t == 2 and vmax == 2:
        return fold(_katona(k), domains)  # a 1-value column folds onto its one value
    candidates: list[np.ndarray] = []
    fixed: FixedStarter | None = None  # a cover starter's, for its tail (below)
    ratio = _FOLD_RATIO_T2 if t == 2 else _FOLD_RATIO_T3
    if nested and t == 2:
        ratio = _MAX_ROWS  # a product's factor: a folded OA still multiplies the columns
    for q in range(vmax, MAX_Q + 1):
        if prime_power(q) is None or t > q:
            continue
        limit = _bush_width(q, t)
        # at t=2 a larger field projected onto vmax symbols has q - vmax more columns
        # and as many rows fewer than folded
        extra = q - vmax if t == 2 and 2 <= vmax < q else 0
        rows = q**t if k <= limit else q**t - extra
        if k <= limit + extra and rows <= min(_MAX_ROWS, ratio * bound):
            candidates.append(_orthogonal_on(q, t, domains))
            break
    if search and not nested and t == 2 and len(set(domains)) == 1 and prime_power(vmax) is None:
        # no OA(v^2) for such v: k - 2 incomplete MOLS found by SAT (a second or two)
        have = min((c.shape[0] for c in candidates), default=_MAX_ROWS)
        found = itd_array(vmax, k, have, _hole)
        if found is not None:
            candidates.append(found)
    if t == 2 and len(set(domains)) == 1 and prime_power(vmax) is not None and k > vmax + 1:
        plan = _hash_plan(vmax, k)
        if plan is not None and plan[2] <= _MAX_ROWS:
            candidates.append(hash_stack(vmax, k))
    # a starter needs v-f distinct differences among about k-2f pairs per distance
    if search and t == 2 and len(set(domains)) == 1 and vmax >= 4 and k >= vmax + 2:
        n_f2 = (vmax - 2) * k + _katona(k).shape[0]
        have = min((c.shape[0] for c in candidates), default=_MAX_ROWS)
        if vmax * vmax <= n_f2 < have and n_f2 <= _STARTER_RATIO * vmax * vmax:
            found = cover_starter(vmax, k, 2)
            if found is None and (vmax - 1) * k + 1 <= _STARTER_RATIO * vmax * vmax:
                found = cover_starter(vmax, k, 1)
            if found is not None:
                candidates.append(found)
    if search and t == 2 and len(set(domains)) == 1 and k >= 2 * vmax:
        below = min((c.shape[0] for c in candidates), default=_MAX_ROWS)
        fixed = many_fixed(vmax, k, below, _plain_uniform, None if nested else _searched_tail)
        candidates += [] if fixed is None else [fixed.rows]
    if search and t == 2 and len(set(domains)) == 1 and vmax >= 3 and k > vmax + 1:
        have = min((c.shape[0] for c in candidates), default=_MAX_ROWS)
        found = quasi_cyclic(vmax, k, have)
        if found is not None:
            candidates.append(found)
    if t == 3 and len(set(domains)) == 1 and k >= 4:
        have = min((c.shape[0] for c in candidates), default=_MAX_ROWS)
        halves = (None if nested else _uniform) if search else _plain_uniform
        found = strength3(vmax, k, have, halves, search)
        if found is not None:
            candidates.append(found)
    if not candidates:
        return None
    best = min(candidates, key=lambda a: a.shape[0])
    if fixed is not None and best is fixed.rows and not nested:
        # the winner ends in a search-free tail: only now is the searched one worth it
        best = with_smaller_tail(fixed, vmax, k, _searched_tail)
    return best


def _orthogonal_on(q: int, strength: int, domains: tuple[int, ...]) -> np.ndarray:
    """Bush's OA over GF(q) folded onto ``domains``, or at t=2, for more columns than it
    has, projected onto max(domains) symbols first (``_projection``). Where both fit the
    folded array is the better start for the post-optimiser (10^10: 116 rows from OA(11^2)
    folded, 118 from the projection), and a product factor at the projection's full
    width is projected."""
    k = len(domains)
    if k <= _bush_width(q, strength):
        return fold(orthogonal_array(q, strength, k), domains)
    projected = projected_array(orthogonal_array(q, 2, q + 1), q, q - max(domains))
    return fold(projected[:, :k], domains)


def _projected(v: int, k: int) -> np.ndarray:
    """OA(q^2) of the smallest field q > v projected onto v symbols, its first k
    columns (k <= 2q + 1 - v), for a product's factor."""
    return _orthogonal_on(prime_power_from(v + 1), 2, (v,) * k)


def _searched_tail(v: int, k: int, strength: int) -> np.ndarray | None:
    """The post-optimised strength-2 construction for v^k: a cover starter's tail, whose
    rows count one for one in the array it ends (``_fixstarter.many_fixed``)."""
    found = _construct_cached((v,) * k, strength, nested=True)[0]
    return None if found is None else polish(found, v)


def _uniform2(v: int, k: int) -> np.ndarray | None:
    """The strength-2 construction for v^k as a factor of a product: fewer starter
    restarts, and only products with an orthogonal array (each balanced split
    costs two more searches of about a second)."""
    return _construct_cached((v,) * k, 2, nested=True)[0]


def _uniform(v: int, k: int, strength: int) -> np.ndarray | None:
    """The construction for v^k at ``strength`` (the halves of a doubling).

    One level of doubling only (v > 2): each level's strength-2 half is a search of
    about a second, and nested doublings were not smaller than the hash families they
    beat. Binary halves are Katona's arrays, so v = 2 doubles at every level (2^40 in
    25 rows from the 12-row Paley array: 12 + 6 for 2^20, + 7).
    """
    return _construct_cached((v,) * k, strength, nested=strength == 3 and v > 2)[0]
