"""Strength-3 covering arrays from covering perfect hash families (engine stage 0).

Over GF(q), the q^3 coefficient vectors r give the rows of a block and a vector
P in GF(q)^3 a column (entry r . P); three columns cover all q^3 triples of
values in that block exactly when their vectors are linearly independent, i.e.
when the points they name in the projective plane PG(2, q) are not collinear.
A covering perfect hash family CPHF(n; k, q, 3) is an n x k array of points in
which every three columns are non-collinear in some row; stacking its n blocks
gives a CA(3, k, q) (Sherwood, Martirosyan and Colbourn, J. Combin. Des. 2006;
Raaphorst, Moura and Stevens's CA(2q^3 - 1; 3, q^2 + q + 1, q), Des. Codes
Cryptogr. 2014, is one with n = 2). Rows shared by the blocks are kept once:

* projective points (all q^2 + q + 1): only the zero row, n(q^3 - 1) + 1 rows;
* affine points (1, a, b), q^2 of them: the q constant rows r = (s, 0, 0) too,
  n(q^3 - q) + q rows (5^20 in 245 here, found by the search below; Colbourn's
  table, benchmarks/colbourn-best-known.csv, has 5^24 in 245).

The family is found by a local search over single cells: pick a triple that is
collinear in every row, score every point for each of its 3n cells at once
(how many triples become or stop being collinear everywhere), take the best
non-tabu move, random ties. Deterministic: the budget is in steps and the
random choices come from the engine's SplitMix64.
"""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from generator.engine._complete import complete
from generator.engine._distinct import distinct_rows
from generator.engine._gf import gf_tables
from generator.engine._rng import SplitMix64
from generator.engine._triples import column_triples

__all__ = ["CphfSearch", "cphf_array", "cphf_rows", "plane", "sequence_family", "two_stage"]

_TENURE = 2  # steps a changed cell stays tabu
_WALK = 50  # one step in this many takes a random move of the chosen triple's cells
_MAX_TRIPLES = 400_000  # C(k, 3) above this (k > 134) is not searched: memory and time
_WORK_UNIT = 100_000  # scored (triple, point) entries worth one budget step
# Steps per size: successes took 20-500 steps (4^21 projective n=2: 104, 5^40 affine
# n=3: 40, 3^20 affine n=3: 165); a size not found by then rarely is.
_MAX_STEPS = 1_500
# A search whose fewest bad triples has not dropped for this many steps gives up (of
# 1,500-step failures, most stall for good well before the end).
_STALL = 600
# Two-stage families (a CPHF one or two rows short, then completed): the fewest triples
# collinear everywhere settles within a few hundred steps (3^100, n = 4 and 5: the same
# count at 300 and 1,500 steps), and 4,000 completion steps get within a row or two of
# 16,000 (3^100 from four rows: 99 + 44 rows against 99 + 43) in about 0.4 s.
_PARTIAL_STEPS = 300
_COMPLETE_STEPS = 4_000


@functools.lru_cache(maxsize=8)
def plane(q: int, affine: bool) -> tuple[np.ndarray, np.ndarray]:
    """(points as GF(q)^3 vectors, collinear[a, b, c]) for PG(2, q) or its affine part.

    Points are normalised (first non-zero coordinate 1); ``collinear`` is True when
    the three points are dependent (two equal points count as dependent).
    """
    add, mul = gf_tables(q)
    pts: list[tuple[int, int, int]] = []
    for a, b in itertools.product(range(q), repeat=2):
        pts.append((1, a, b))
    if not affine:
        pts.extend((0, 1, b) for b in range(q))
        pts.append((0, 0, 1))
    vec = np.array(pts, dtype=np.int64)
    # every point is its own line's coordinates too (the plane is self-dual)
    lines = [(1, a, b) for a, b in itertools.product(range(q), repeat=2)]
    lines += [(0, 1, b) for b in range(q)] + [(0, 0, 1)]
    lvec = np.array(lines, dtype=np.int64)
    dot = np.zeros((lvec.shape[0], vec.shape[0]), dtype=np.int64)
    for d in range(3):
        dot = add[dot, mul[lvec[:, d][:, None], vec[:, d][None, :]]]
    on = dot == 0  # (lines, points)
    npts = vec.shape[0]
    through = np.full((npts, npts), -1, dtype=np.int64)
    for a in range(npts):
        both = on[:, a][:, None] & on  # (lines, points): lines through a and b
        through[a] = np.where(both.any(axis=0), both.argmax(axis=0), -1)
    np.fill_diagonal(through, -1)
    col = np.empty((npts, npts, npts), dtype=bool)
    for a in range(npts):
        col[a] = np.where((through[a] >= 0)[:, None], on[through[a]], True)
    return vec, col


def _primitive_powers(q: int) -> np.ndarray:
    """alpha^0 .. alpha^(q^3 - 2) as GF(q)^3 vectors (basis 1, alpha, alpha^2), for the
    first primitive cubic alpha^3 = c0 + c1 alpha + c2 alpha^2 in lexicographic order."""
    add, mul = gf_tables(q)
    period = q**3 - 1
    for c0, c1, c2 in itertools.product(range(q), repeat=3):
        if c0 == 0:
            continue
        seq = [(1, 0, 0)]
        while len(seq) <= period:
            a0, a1, a2 = seq[-1]
            nxt = (int(mul[a2, c0]), int(add[a0, mul[a2, c1]]), int(add[a1, mul[a2, c2]]))
            if nxt == (1, 0, 0):
                break
            seq.append(nxt)
        if len(seq) == period:
            return np.array(seq, dtype=np.int64)
    raise AssertionError(f"no primitive cubic over GF({q})")  # pragma: no cover


def sequence_family(q: int, k: int) -> np.ndarray | None:
    """A CPHF(2; k, q, 3) over projective points for k <= q^2 + q + 1, or None.

        Row 1 names column i by the point alpha^i (the columns of the linear recurring
        sequence of alpha's minimal polynomial, as in Raaphorst, Moura and Stevens's
        CA(2q^3 - 1; 3, q^2 + q + 1, q)); row 2 by alpha^(c i) for the first multiplier
        c coprime to q^3 - 1 that makes every triple collinear in row 1 non-collinear
        in row 2 (checked here, not assumed; with all q^2 + q + 1 columns: 5 for q = 3 and
    4, 19 for q = 5, 29 for q = 7).
        Points are indices into ``plane(q, affine=False)``.
    """
    tau = q * q + q + 1
    if k > tau or k < 3:
        return None
    mul = gf_tables(q)[1]
    inv = np.zeros(q, dtype=np.int64)
    for a in range(1, q):
        inv[a] = int(np.flatnonzero(mul[a] == 1)[0])
    seq = _primitive_powers(q)
    lead = seq[np.arange(seq.shape[0]), (seq != 0).argmax(axis=1)]
    normal = mul[inv[lead][:, None], seq]  # first non-zero coordinate 1
    vec, col = plane(q, affine=False)
    lookup = {tuple(p): i for i, p in enumerate(vec.tolist())}
    index = np.array([lookup[tuple(p)] for p in normal.tolist()], dtype=np.int64)
    period = q**3 - 1
    first = index[:k]
    trip = np.array(list(itertools.combinations(range(k), 3)), dtype=np.int64).reshape(-1, 3)
    flat = col[first[trip[:, 0]], first[trip[:, 1]], first[trip[:, 2]]]
    for c in range(2, period):
        if math.gcd(c, period) != 1:
            continue
        second = index[(np.arange(k) * c) % period]
        if not (flat & col[second[trip[:, 0]], second[trip[:, 1]], second[trip[:, 2]]]).any():
            return np.stack([first, second])
    return None


def cphf_rows(q: int, n: int, affine: bool) -> int:
    """Rows of the covering array from a CPHF with n rows over GF(q)."""
    return n * (q**3 - q) + q if affine else n * (q**3 - 1) + 1


def _family_sizes(q: int) -> list[tuple[int, int, bool]]:
    """(array rows, family rows n = 2..7, affine points?) over GF(q), largest first."""
    sizes = [(cphf_rows(q, n, affine), n, affine) for n in range(2, 8) for affine in (True, False)]
    return sorted(sizes, reverse=True)


class CphfSearch:
    """Local search for an n x k array of points with no triple collinear in every row."""

    def __init__(self, q: int, n: int, k: int, affine: bool) -> None:
        self.q, self.n, self.k = q, n, k
        self.vec, self.col = plane(q, affine)
        self.npts = int(self.vec.shape[0])
        self.trip, self.of = column_triples(k)
        self.closest: np.ndarray | None = None
        """After ``run``: the array with the fewest triples collinear in every row."""

    @property
    def work(self) -> int:
        """Scored (triple, point) entries of one step, at most."""
        return 3 * self.n * math.comb(self.k - 1, 2) * self.npts

    def collinear(self, x: np.ndarray) -> np.ndarray:
        """(n, triples) bool: the triple is collinear in that row."""
        t = self.trip
        out: np.ndarray = self.col[x[:, t[:, 0]], x[:, t[:, 1]], x[:, t[:, 2]]]
        return out

    def run(self, rng: SplitMix64, steps: int) -> tuple[np.ndarray | None, int]:
        """A CPHF (points as indices into ``plane``), or None; and the steps spent
        (``closest`` keeps the best array seen, for a two-stage construction).

        Scores are weighted: at a local minimum (no move lowers the weighted count)
        every triple still collinear everywhere gains weight (breakout).
        """
        n, k, npts = self.n, self.k, self.npts
        x = np.array([[rng.below(npts) for _ in range(k)] for _ in range(n)], dtype=np.int64)
        coll = self.collinear(x)
        ncol = coll.sum(axis=0)
        weight = np.ones(self.trip.shape[0], dtype=np.int64)
        tabu = np.zeros((n, k), dtype=np.int64)
        top = np.iinfo(np.int64).max
        fewest, since = self.trip.shape[0] + 1, 0
        for step in range(steps):
            bad = np.flatnonzero(ncol == n)
            if bad.size == 0:
                self.closest = x
                return x, step
            if bad.size < fewest:
                fewest, since = int(bad.size), step
                self.closest = x.copy()
            elif step - since >= _STALL:
                return None, step
            triple = self.trip[int(bad[rng.below(int(bad.size))])].tolist()
            if rng.below(_WALK) == 0:
                i, j, p = rng.below(n), triple[rng.below(3)], rng.below(npts)
            else:
                scores = np.full((3, n, npts), top, dtype=np.int64)
                for a, j in enumerate(triple):
                    idx, _, oa, ob = self.of[j]
                    for i in range(n):
                        if tabu[i, j] > step:
                            continue
                        sub = np.flatnonzero(ncol[idx] - coll[i, idx] == n - 1)
                        w = weight[idx[sub]]
                        now = int(w[coll[i, idx[sub]]].sum())
                        new = w @ self.col[x[i, oa[sub]], x[i, ob[sub]]] - now
                        new[x[i, j]] = top
                        scores[a, i] = new
                low = int(scores.min())
                if low == top:
                    continue
                if low >= 0:
                    weight[bad] += 1
                cand = np.flatnonzero(scores.ravel() == low)
                at = np.unravel_index(int(cand[rng.below(int(cand.size))]), scores.shape)
                j, i, p = triple[int(at[0])], int(at[1]), int(at[2])
            idx, _, oa, ob = self.of[j]
            x[i, j] = p
            row = self.col[x[i, oa], x[i, ob], p]
            ncol[idx] += row.astype(np.int64) - coll[i, idx]
            coll[i, idx] = row
            tabu[i, j] = step + 1 + _TENURE
        if (ncol == n).any():
            return None, steps
        self.closest = x
        return x, steps


def develop(q: int, family: np.ndarray) -> np.ndarray:
    """The covering array of a CPHF (n x k point vectors over GF(q)), shared rows once."""
    add, mul = gf_tables(q)
    coeffs = np.array(list(itertools.product(range(q), repeat=3)), dtype=np.int64)
    blocks = []
    for pts in family:  # (k, 3)
        out = np.zeros((coeffs.shape[0], pts.shape[0]), dtype=np.int64)
        for d in range(3):
            out = add[out, mul[coeffs[:, d][:, None], pts[None, :, d]]]
        blocks.append(out)
    arr = np.concatenate(blocks)
    return distinct_rows(arr).astype(np.int16)


def cphf_array(q: int, k: int, below: int, budget: int) -> np.ndarray | None:
    """The smallest CA(3, k, q) from a CPHF found with fewer than ``below`` rows, or None.

    Sizes (affine and projective points, n = 2 .. 7 rows of the family) are tried
    from the largest below ``below`` down, each for at most ``_MAX_STEPS`` steps:
    large families are found in a few steps, and two sizes failing in a row end
    the attempt. A step costs ``work // _WORK_UNIT`` (at least 1) of ``budget``.
    """
    if math.comb(k, 3) > _MAX_TRIPLES or k < 4:
        return None
    sizes = _family_sizes(q)
    rng = SplitMix64(0xC9F)
    best: np.ndarray | None = None
    best_vec = plane(q, affine=False)[0]
    if cphf_rows(q, 2, affine=False) < below:
        best = sequence_family(q, k)
        if best is not None:
            below = cphf_rows(q, 2, affine=False)
    failures = 0
    for rows, n, affine in sizes:
        if rows >= below:
            continue
        search = CphfSearch(q, n, k, affine)
        cost = max(1, search.work // _WORK_UNIT)
        steps = min(_MAX_STEPS, budget // cost)
        if steps < 1:
            break
        found, spent = search.run(rng.fork(rows), steps)
        budget -= spent * cost
        if found is None:
            failures += 1
            if failures == 2:
                break
            continue
        failures = 0
        best, best_vec = found, search.vec
    return None if best is None else develop(q, best_vec[best])


def two_stage(q: int, k: int, below: int, rng: SplitMix64) -> np.ndarray | None:
    """A CA(3, k, q) with fewer than ``below`` rows from a family with too few rows to
    be a CPHF, completed (``_complete``), or None.

    Family sizes are tried from the largest whose rows plus q^3 - q^2 (what a triple
    collinear in every row under one linear relation misses) are below ``below``; the
    first size that does not improve on ``below`` (or the one before) ends the attempt:
    completions grow as the family shrinks (3^100: 131 + 17, 123 + 23, 105 + 35, 99 + 45).
    """
    if math.comb(k, 3) > _MAX_TRIPLES or k < 4:
        return None
    best: np.ndarray | None = None
    for rows, n, affine in _family_sizes(q):
        if rows + q**3 - q**2 >= below:
            continue
        search = CphfSearch(q, n, k, affine)
        search.run(rng.fork(rows), _PARTIAL_STEPS)
        family = search.closest
        if family is None:  # only a run of no steps leaves none
            continue
        first = develop(q, search.vec[family])
        left = search.trip[search.collinear(family).all(axis=0)]
        gap = below - first.shape[0]
        extra = complete(first, left, q, rng.fork(rows + 1), _COMPLETE_STEPS, fewer_than=gap)
        if extra is None or first.shape[0] + extra.shape[0] >= below:
            break
        best = np.concatenate([first, extra]).astype(np.int16)
        below = best.shape[0]
    return best
