"""Quasi-cyclic covering arrays of strength 2 (engine stage 0, a construction).

CA((v-1)n + 1; 2, k, v) for k <= nB, from B starter vectors x_0..x_(B-1) of
length n over Z_(v-1) plus one fixed symbol, infinity (coded v-1). Column
(i, s) is x_i rotated by s and developed over Z_(v-1): row (r, g), r in Z_n and
g in Z_(v-1), holds x_i[r+s] + g (infinity stays infinity); one more row is all
infinity. Two columns (i, s) and (j, s+d) meet every pair of symbols iff, over the
positions m of x_i against x_j shifted by d,

* the differences x_j[m+d] - x_i[m] of the finite pairs hit all of Z_(v-1),
* some m pairs a finite x_i[m] with an infinite x_j[m+d], and some m the reverse;

(infinity, infinity) is in the last row. With B = 1 and n = k this is Meagher and
Stevens's group construction (J. Combin. Des. 13, 2005); several starters sharing
one development give nB columns for the same row count, the way cyclic and
group-invariant arrays in Colbourn's tables reach many columns (4^55 in 34 rows
from five starters of length 11).

With f fixed points instead of one infinity (symbols v-f..v-1, each staying put), the
development has (v-f)n rows and a CA(2, k, f) over the fixed points follows it; the
features of a position are then the v-f differences, which fixed point comes after a
finite symbol or before one, and (fixed, fixed), which the tail covers. One starter
with n = k is Lobb, Colbourn, Danziger, Stevens and Torres-Jimenez's "fix f symbols"
construction (``fixed_starter``).

Starters are found by a local search over single cells: every move is scored at
once (NumPy), the best non-tabu move is taken, and at a local minimum the weights
of the requirements still missing are raised (breakout; Morris, AAAI 1993), which
found CA(34; 2, 55, 4) in 5 of 6 runs of 3,000 steps where annealing needed about
a million single moves. Deterministic: the budget is in steps and the random
choices come from the engine's SplitMix64.
"""

from __future__ import annotations

import math

import numpy as np

from generator.engine._rng import SplitMix64

__all__ = ["StarterSearch", "develop", "fixed_starter", "quasi_cyclic"]

# A search step scores every (vector, position, value) move against every
# requirement it touches; above this ``work`` a step costs more than about 2 ms and
# the search is not tried (4^100 would need 8 starters of length 14: 79,000; and 40
# rows at length 13, which the post-optimiser reaches anyway).
_MAX_WORK = 60_000
_TENURE = 2  # steps a changed cell stays tabu (1: 18 of 20 runs, 2: 19, 3: 18, 6: 12)
# One run per size, no restarts: 28 of 30 runs for 4^50 in 34 rows succeeded within
# 4,000 steps (median 1,029); restarting every 1,500 steps would succeed less often.
_MAX_STEPS = 4_000
_WORK_UNIT = 22_880  # ``work`` of one step for 4^50 at n = 11 (about 0.65 ms)
_BUDGET = 2_500  # steps of that size over all sizes tried for one model (about 1.5 s)
# A starter with f fixed points (``fixed_starter``): 10^25 with f = 4 succeeded in 4 of 8
# runs of 1,500 steps (218 to 1,002 steps, about 0.5 ms each); with f = 1, 2 the starters
# the former annealing found (7^10, 8^15, 9^15, 10^20, ...) take 1 to 463 steps, and a
# failing size (6^10 with f = 2) costs about 1 s where the annealing spent 2.5 s.
_FIXED_STEPS = 1_500
_FIXED_RUNS = 2
# A run whose fewest missing features has stayed above _NEAR for _STALL steps gives up:
# successful runs reach 1 or 2 within 400 steps and may then wait up to 700 steps
# (4^50 at n = 11, 6^50 at n = 16), while hopeless sizes settle far off (4^100 at n = 10:
# 47 or 51 missing from step 100 to 2,000). Not for one starter with several fixed
# points (``fixed_starter``): 10^25 with f = 4 is found after long plateaus.
_NEAR = 3
_STALL = 300


class StarterSearch:
    """Local search for B starters of length n over g = v - 1 finite symbols plus infinity.

    Condition i is (``ca[i]``, ``cb[i]``, ``cd[i]``) = (a, b, d) with a <= b: some pair
    of the k columns used is (a, s), (b, s + d). Only those conditions are required.
    """

    def __init__(self, v: int, n: int, k: int, fixed: int = 1) -> None:
        self.v = v
        self.fixed = fixed
        self.g = v - fixed
        self.n = n
        self.k = k
        self.nvec = math.ceil(k / n)
        nvec = self.nvec
        used = [list(range(n))] * (nvec - 1) + [list(range(k - (nvec - 1) * n))]
        conds: list[tuple[int, int, int]] = []
        for a in range(nvec):
            for b in range(a, nvec):
                diffs = {(u - s) % n for s in used[a] for u in used[b]}
                if a == b:
                    diffs.discard(0)
                conds.extend((a, b, d) for d in sorted(diffs))
        arr = np.array(conds, dtype=np.int64).reshape(-1, 3)
        self.ca, self.cb, self.cd = arr[:, 0], arr[:, 1], arr[:, 2]
        g, f = self.g, fixed
        # g differences, (finite, fixed point a), (fixed point a, finite), (fixed, fixed)
        self.nfeat = g + 2 * f + 1
        sym = np.arange(v)
        fin_x = sym[:, None] < g
        fin_y = sym[None, :] < g
        # feature of the pair (x, y): its difference, or which member is which fixed point
        self.table = np.where(
            fin_x & fin_y,
            (sym[None, :] - sym[:, None]) % max(g, 1),
            # (finite, point y) is feature y (g..g+f-1), (point x, finite) is x + f
            np.where(fin_x, sym[None, :], np.where(fin_y, sym[:, None] + f, g + 2 * f)),
        ).astype(np.intp)
        pos = np.arange(n)
        val = np.arange(v)
        cross = np.flatnonzero(self.ca != self.cb)
        self.cross = cross
        d = self.cd[cross][:, None]
        # a move of vector i changes condition (i, b, d) at m = p (role 1: the first member)
        # and condition (a, i, d) at m = p - d (role 2: the second member)
        self.r1 = (cross, self.ca[cross][:, None], self.cb[cross][:, None], (pos + d) % n)
        self.r2 = (cross, self.cb[cross][:, None], self.ca[cross][:, None], (pos - d) % n)
        self.k1 = ((self.ca[cross][:, None, None] * n + pos[None, :, None]) * v + val).ravel()
        self.k2 = ((self.cb[cross][:, None, None] * n + pos[None, :, None]) * v + val).ravel()
        selfc = np.flatnonzero(self.ca == self.cb)
        self.selfc = selfc
        svec = self.ca[selfc][:, None]
        ds = self.cd[selfc][:, None]
        self.s_vec = svec
        self.s_ahead = (pos + ds) % n
        self.s_behind = (pos - ds) % n
        self.ks = ((svec[:, :, None] * n + pos[None, :, None]) * v + val).ravel()
        self.cond_keys = np.arange(self.ca.size)[:, None] * self.nfeat
        self.m_second = (pos[None, :] + self.cd[:, None]) % n

    @property
    def work(self) -> int:
        """Entries scored in one step, counting each self condition once per feature (the
        cost model the budgets were measured with; the self part now costs less)."""
        per_move = 2 * int(self.cross.size) + int(self.selfc.size) * self.nfeat
        return per_move * self.n * self.v

    def counts(self, x: np.ndarray) -> np.ndarray:
        """(conditions, features): how many positions give each feature."""
        f = self.table[x[self.ca], x[self.cb[:, None], self.m_second]]
        keys = (self.cond_keys + f).ravel()
        return np.bincount(keys, minlength=self.ca.size * self.nfeat).reshape(-1, self.nfeat)

    def run(
        self, rng: SplitMix64, steps: int, stall: bool = False
    ) -> tuple[np.ndarray | None, int]:
        """Starters covering every condition, or None; and the steps spent. With ``stall``
        a run that has settled far from a solution gives up early (``_STALL``)."""
        n, v, g, nf = self.n, self.v, self.g, self.nfeat
        nvec = self.nvec
        x = np.array([[rng.below(v) for _ in range(n)] for _ in range(nvec)], dtype=np.intp)
        weight = np.ones((self.ca.size, nf), dtype=np.int64)
        weight[:, g + 2 * self.fixed] = 0  # (fixed, fixed) is the tail's
        real = weight > 0
        tabu = np.zeros((nvec, n), dtype=np.int64)
        pos = np.arange(n)
        top_score = np.iinfo(np.int64).max
        fewest, since = real.size + 1, 0
        for step in range(steps):
            cnt = self.counts(x)
            missing = real & (cnt == 0)
            if not missing.any():
                return x, step
            left = int(missing.sum())
            if left < fewest:
                fewest, since = left, step
            elif stall and fewest > _NEAR and step - since >= _STALL:
                return None, step
            score = self._scores(x, cnt, weight)
            score[np.arange(nvec)[:, None], pos[None, :], x] = top_score
            score[tabu > step] = top_score
            best = score.min()
            if best >= 0:
                weight += missing
            top = np.flatnonzero(score.ravel() == best)
            i, p, a = np.unravel_index(int(top[rng.below(int(top.size))]), score.shape)
            x[i, p] = a
            tabu[i, p] = step + _TENURE
        return None, steps

    def _scores(self, x: np.ndarray, cnt: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """(vector, position, value): change of the weighted missing count for each move."""
        n, v, nf = self.n, self.v, self.nfeat
        size = self.nvec * n * v
        wmiss = (weight * (cnt == 0)).ravel()  # gained when a count leaves zero
        wlone = (weight * (cnt == 1)).ravel()  # lost when the last position goes
        table = self.table
        out = np.zeros(size, dtype=np.float64)
        if self.cross.size:
            for (c, mine_vec, other_vec, other_pos), keys, first in (
                (self.r1, self.k1, True),
                (self.r2, self.k2, False),
            ):
                mine = x[mine_vec, np.arange(n)[None, :]]  # (C, n)
                other = x[other_vec, other_pos]  # (C, n)
                if first:
                    fo = table[mine, other]
                    fn = table.T[other]  # (C, n, v): feature of (value, other)
                else:
                    fo = table[other, mine]
                    fn = table[other]  # feature of (other, value)
                base = (c * nf)[:, None]
                lose = wlone[base + fo][:, :, None]
                gain = wmiss[base[:, :, None] + fn]
                delta = np.where(fn == fo[:, :, None], 0, lose - gain)
                out += np.bincount(keys, weights=delta.ravel(), minlength=size)
        if self.selfc.size:
            c = self.selfc
            a = self.s_vec
            mine = x[a, np.arange(n)[None, :]]  # (S, n): the cell that changes, at m = p
            ahead = x[a, self.s_ahead]  # role 1 partner x[p + d]
            behind = x[a, self.s_behind]  # role 2 partner x[p - d]
            # a move changes two pairs of its condition: features o1, o2 leave, n1, n2
            # come; only those (at most four) features' counts change, each counted once
            shape = (*mine.shape, v)
            slots = [
                np.broadcast_to(table[mine, ahead][:, :, None], shape),
                np.broadcast_to(table[behind, mine][:, :, None], shape),
                np.broadcast_to(table.T[ahead], shape),
                np.broadcast_to(table[behind], shape),
            ]
            row = np.arange(c.size)[:, None, None]
            cnt_c, w_c = cnt[c], weight[c]
            delta = np.zeros(shape, dtype=np.int64)
            for j, feat in enumerate(slots):
                now = cnt_c[row, feat]
                after = now - (slots[0] == feat) - (slots[1] == feat)
                after += (slots[2] == feat) + (slots[3] == feat)
                term = w_c[row, feat] * ((after == 0).astype(np.int64) - (now == 0))
                for earlier in slots[:j]:
                    term[earlier == feat] = 0
                delta += term
            out += np.bincount(self.ks, weights=delta.ravel(), minlength=size)
        return out.astype(np.int64).reshape(self.nvec, n, v)


def develop(x: np.ndarray, v: int, k: int, tail: np.ndarray | None = None) -> np.ndarray:
    """The (v-f)n rows of the development of starters ``x`` (first k columns), then the
    ``tail``: a CA(2, k, f) over the f fixed points 0..f-1 (default: one row, f = 1)."""
    tail = np.zeros((1, k), dtype=np.int64) if tail is None else tail
    g = v - (int(tail.max()) + 1)
    nvec, n = x.shape
    r = np.arange(n)
    # cols[i * n + s] = x_i rotated by s: rows indexed by r
    cols = np.concatenate([x[i][(r[:, None] + r[None, :]) % n] for i in range(nvec)], axis=1)
    cols = cols[:, :k]
    blocks = [np.where(cols < g, (cols + s) % g, cols) for s in range(g)]
    rows = np.stack(blocks, axis=1).reshape(n * g, k)
    return np.concatenate([rows, tail[:, :k] + g]).astype(np.int16)


def quasi_cyclic(v: int, k: int, below: int) -> np.ndarray | None:
    """The smallest quasi-cyclic CA(2, k, v) found with fewer than ``below`` rows, or None.

    Sizes are tried from the largest starter length n <= 2k with (v-1)n + 1 < ``below``
    down to n = v + 1 (v^2 rows, the trivial bound); the first size whose search
    fails ends the attempt. All sizes share one budget of scored entries, so a
    model costs at most about ``_BUDGET`` steps of 4^50's size (about 1.5 s here).
    """
    if v < 3 or k < 3:
        return None
    g = v - 1
    # (v-1)n + 1 <= below - 1, and at most twice the columns: with nothing to beat,
    # ``below`` is huge (10^15 would start at n = 2,222, past the work limit, and stop
    # there), while a starter somewhat longer than k helps (8^10 from n = 11: 78 rows)
    n = min((below - 2) // g, 2 * k)
    best: np.ndarray | None = None
    left = _BUDGET * _WORK_UNIT
    rng = SplitMix64(0x5EED)
    while n >= v + 1:
        nvec = math.ceil(k / n)
        # ``work`` without building the search (its conditions grow as nvec^2 n)
        rough = (nvec * (nvec - 1) * n + nvec * (n - 1) * (v + 2)) * n * v
        if rough > 2 * _MAX_WORK and best is None:
            n = n * 7 // 8
            continue
        search = StarterSearch(v, n, k)
        if search.work > _MAX_WORK and best is None:
            # too long to score: shorter starters are cheaper (and have fewer rows); a
            # geometric descent bounds the tries when no length is affordable (large k)
            n = n * 7 // 8
            continue
        steps = min(_MAX_STEPS, left // search.work)
        if search.work > _MAX_WORK or steps < 1:
            break
        found, spent = search.run(rng.fork(n), steps, stall=True)
        left -= spent * search.work
        if found is None:
            break
        best = develop(found, v, k)
        n -= 1
    return best


def fixed_starter(
    v: int, k: int, fixed: int, tail: np.ndarray, rng: SplitMix64
) -> np.ndarray | None:
    """CA((v-f)k + len(tail); 2, k, v) from one cover starter of length k with f = ``fixed``
    fixed points (Lobb, Colbourn, Danziger, Stevens, Torres-Jimenez, "fix f symbols"):
    the one-vector case of :class:`StarterSearch`; None when ``_FIXED_RUNS`` runs of
    ``_FIXED_STEPS`` steps find none. ``tail`` is a CA(2, k, f) over 0..f-1."""
    search = StarterSearch(v, k, k, fixed)
    for run in range(_FIXED_RUNS):
        found, _ = search.run(rng.fork(run), _FIXED_STEPS)
        if found is not None:
            return develop(found, v, k, tail)
    return None
