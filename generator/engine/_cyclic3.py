"""Cyclic strength-3 covering arrays from one starter vector (engine stage 0).

A vector x of length n over Z_v gives the v n rows x[(s + j) mod n] + g (s in
Z_n, g in Z_v; column j < k <= n) plus the v constant rows, a CA(v(n + 1); 3, k, v)
exactly when, for every pair of distances 0 < d1 < d2 < n, the n difference pairs
(x[m + d1] - x[m], x[m + d2] - x[m]) over m in Z_n hit every pair but (0, 0):
columns j1 < j2 < j3 with values (a, b, c) are then met at m = s + j1 with
difference pair (b - a, c - a) and g = a - x[m], and (a, a, a) is a constant row.
Colbourn's tables list such "cover starters" for 3^14 (45 rows) and 3^16 (51).

The starter is found by a local search over single cells: every (position, value)
move is scored at once (NumPy) as the change of the weighted count of missing
(condition, pair) entries, the best non-tabu move is taken, and at a local
minimum the weights of the missing entries rise (breakout), as in ``_qcyclic``.
Deterministic: a step budget and the engine's SplitMix64.
"""

from __future__ import annotations

import itertools

import numpy as np

from generator.engine._rng import SplitMix64

__all__ = ["CyclicSearch", "cyclic3", "develop"]

_TENURE = 2
_MAX_STEPS = 1_000  # per length: successes for 3^14..3^22 took 10-540 steps
_BUDGET = 3_000  # steps over all lengths tried for one model
_MAX_WORK = 3_000_000  # (moves x conditions x pairs) entries of one step


class CyclicSearch:
    """Local search for a starter of length n over Z_v (see the module docstring)."""

    def __init__(self, v: int, n: int) -> None:
        self.v, self.n = v, n

        # one condition per column triple up to rotation: {0, d1, d2} read from its other
        # members is {0, d2 - d1, n - d1} and {0, n - d2, n - d2 + d1}, whose difference
        # pairs are a bijective image of these (same coverage), so the smallest stands
        # for all three
        def canonical(d1: int, d2: int) -> tuple[int, int]:
            return min((d1, d2), (d2 - d1, n - d1), (n - d2, n - d2 + d1))

        pairs = np.array(
            [p for p in itertools.combinations(range(1, n), 2) if canonical(*p) == p],
            dtype=np.int64,
        ).reshape(-1, 2)
        self.d1, self.d2 = pairs[:, 0], pairs[:, 1]
        self.ncond = int(pairs.shape[0])
        pos = np.arange(n)
        # the three positions of entry (condition, m): m, m + d1, m + d2
        self.at0 = np.broadcast_to(pos, (self.ncond, n))
        self.at1 = (pos[None, :] + self.d1[:, None]) % n
        self.at2 = (pos[None, :] + self.d2[:, None]) % n
        # for a move at p: the m of each role (p = m, p = m + d1, p = m + d2)
        self.m_of = np.stack([np.broadcast_to(pos, (self.ncond, n))] * 3, axis=0).copy()
        self.m_of[1] = (pos[None, :] - self.d1[:, None]) % n
        self.m_of[2] = (pos[None, :] - self.d2[:, None]) % n

    @property
    def work(self) -> int:
        """Entries scored in one step."""
        return self.n * self.v * self.ncond * self.v * self.v

    def ids(self, x: np.ndarray) -> np.ndarray:
        """(conditions, n) pair id of each entry: (x1 - x0) * v + (x2 - x0), mod v each."""
        v = self.v
        base = x[self.at0]
        out: np.ndarray = ((x[self.at1] - base) % v) * v + (x[self.at2] - base) % v
        return out

    def counts(self, x: np.ndarray) -> np.ndarray:
        """(conditions, v^2): how many m give each pair."""
        vv = self.v * self.v
        keys = (np.arange(self.ncond)[:, None] * vv + self.ids(x)).ravel()
        return np.bincount(keys, minlength=self.ncond * vv).reshape(self.ncond, vv)

    def _scores(self, x: np.ndarray, cnt: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """(n, v): weighted missing count after each move (position p := value a)."""
        v, n, nc = self.v, self.n, self.ncond
        ids = self.ids(x)  # (C, n)
        rows = np.arange(nc)[:, None]
        old = np.stack([ids[rows, self.m_of[r]] for r in range(3)])  # (3, C, p)
        # the other two cells of each affected entry, to recompute its pair with value a
        m = self.m_of
        cell0 = [x[m[r]] for r in range(3)]
        cell1 = [x[(m[r] + self.d1[:, None]) % n] for r in range(3)]
        cell2 = [x[(m[r] + self.d2[:, None]) % n] for r in range(3)]
        a = np.arange(v)[None, None, :]
        new = np.empty((3, nc, n, v), dtype=np.int64)
        new[0] = ((cell1[0][..., None] - a) % v) * v + (cell2[0][..., None] - a) % v
        new[1] = ((a - cell0[1][..., None]) % v) * v + (
            cell2[1][..., None] - cell0[1][..., None]
        ) % v
        new[2] = ((cell1[2][..., None] - cell0[2][..., None]) % v) * v + (
            a - cell0[2][..., None]
        ) % v
        oldb = np.broadcast_to(old[..., None], new.shape)
        slots = np.concatenate([oldb, new])  # (6, C, n, v): every pair id whose count moves
        cidx = np.arange(nc)[:, None, None]
        have = cnt[cidx, slots]
        moved = (slots[:, None] == new[None]).sum(axis=1) - (slots[:, None] == oldb[None]).sum(
            axis=1
        )
        # count each distinct pair id of an entry once: only its first slot
        first = np.ones(slots.shape, dtype=bool)
        for i in range(1, 6):
            first[i] = ~(slots[:i] == slots[i]).any(axis=0)
        w = weight[cidx, slots]
        change = ((have + moved) == 0).astype(np.int64) - (have == 0)
        now = int((weight * (cnt == 0)).sum())
        out: np.ndarray = now + (first * w * change).sum(axis=(0, 1))
        return out

    def run(self, rng: SplitMix64, steps: int) -> tuple[np.ndarray | None, int]:
        """A starter, or None; and the steps spent."""
        v, n = self.v, self.n
        x = np.array([rng.below(v) for _ in range(n)], dtype=np.int64)
        weight = np.ones((self.ncond, v * v), dtype=np.int64)
        weight[:, 0] = 0  # (0, 0) is the constant rows'
        tabu = np.zeros(n, dtype=np.int64)
        top = np.iinfo(np.int64).max
        for step in range(steps):
            cnt = self.counts(x)
            missing = (cnt == 0) & (weight > 0)
            if not missing.any():
                return x, step
            now = int((weight * missing).sum())
            score = self._scores(x, cnt, weight)
            score[np.arange(n), x] = top
            score[tabu > step] = top
            best = int(score.min())
            if best == top:
                continue
            if best >= now:
                weight += missing
            cand = np.flatnonzero(score.ravel() == best)
            p, a = np.unravel_index(int(cand[rng.below(int(cand.size))]), score.shape)
            x[int(p)] = int(a)
            tabu[int(p)] = step + 1 + _TENURE
        return None, steps


def develop(x: np.ndarray, v: int, k: int, *, constant: bool = True) -> np.ndarray:
    """The vn rows x[s + j] + g of the cyclic array of starter ``x`` (first k columns),
    then the v constant rows unless ``constant`` is False. With k = n + 1 the last column
    reads g, the column at infinity of a cyclotomic array (``_cyclotomy``)."""
    n = x.shape[0]
    r = np.arange(n)
    shifts = x[(r[:, None] + r[None, : min(k, n)]) % n]  # (n, k) or (n, n)
    blocks = [(shifts + g) % v for g in range(v)]
    if k > n:
        blocks = [np.concatenate([b, np.full((n, 1), g)], axis=1) for g, b in enumerate(blocks)]
    if constant:
        blocks.append(np.repeat(np.arange(v)[:, None], k, axis=1))
    return np.concatenate(blocks).astype(np.int16)


def cyclic3(v: int, k: int, below: int) -> np.ndarray | None:
    """The smallest cyclic CA(3, k, v) found with fewer than ``below`` rows, or None.

    Lengths n = max(k, v^2 + v + 2) upwards are tried while v(n + 1) < ``below``;
    the first found ends the attempt (longer ones only have more rows). Shorter
    starters were never found (for v = 3, n = 13 would give 3^13 in 42 rows, below
    the best known 45), so they are not searched.
    """
    n = max(k, v * v + v + 2)
    left = _BUDGET
    rng = SplitMix64(0xC3C)
    while v * (n + 1) < below and left > 0:
        search = CyclicSearch(v, n)
        if search.work > _MAX_WORK:
            return None
        found, spent = search.run(rng.fork(n), min(_MAX_STEPS, left))
        left -= spent
        if found is not None:
            return develop(found, v, k)
        n += 1
    return None
