"""Strength-3 covering arrays invariant under an affine group on the symbols (engine stage 0).

For v = q a prime power and H a subgroup of GF(q)* of order h, the maps
u -> a u + b (a in H, b in GF(q)) form a group G of order q h. An m x k
"starter" M over GF(q) gives the q h m rows g(M) (g in G) plus the q constant
rows, a CA(q h m + q; 3, k, q) exactly when every three columns of M show every
orbit of G on the non-constant triples (Chateauneuf, Colbourn and Kreher,
Des. Codes Cryptogr. 1999, develop starters under groups acting on the
symbols). A triple (x, y, z) with x != y lies in the orbit named by the coset
of y - x in GF(q)*/H and by lambda = (z - x) / (y - x), which G preserves; a
triple (x, x, z), z != x, in the orbit named by the coset of z - x. So there are
(q - 1)/h (q + 1) orbits, and g(u) = a u + b with a = (beta - alpha)/(y - x)
in H and b = alpha - a x maps a starter row (x, y, z) onto any (alpha, beta,
gamma) of its orbit. For any v, the translations of Z_v (h = 1, v^2 - 1 orbits
named by (y - x, z - x)) give CA(v m + v; 3, k, v). The fewer the orbits, the
fewer starter rows: the whole affine group (h = q - 1, q + 1 orbits) needs the
fewest.

Two ways to find a starter, for a few columns (the family that fits small k:
its size grows with m, and m with k):

* Cyclic starters: the n shifts of one vector over Z_n columns, plus columns
  fixed by the shift, found by enumerating every vector up to the action of G
  (exact: none is missed, ``_ENUM_LIMIT`` bounds the count), smallest size
  first. 4^8 in 88 rows (n = 7 and one fixed column) and 3^6 in 33 (n = 5),
  the sizes of Colbourn's table.
* Otherwise a local search over whole starters, as in ``_cphf``: pick an orbit
  missing from some column triple, score every (row, value) of its three
  columns at once (weighted count of orbits gained minus orbits lost over the
  triples through that column), take the best non-tabu move, and raise the
  weights of the missing (triple, orbit) entries at a local minimum
  (breakout). Once a starter is found, the row whose loss uncovers least is
  dropped and the search goes on with one row fewer, until a size fails within
  its steps: 5^7 in 185 rows (m = 9, Colbourn's size) and 5^8 in 205 (m = 10),
  where the enumerated lengths have no cyclic starter.

Deterministic: a step budget and the engine's SplitMix64.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from generator.engine._distinct import distinct_rows
from generator.engine._gf import gf_power, gf_tables, prime_power, primitive_element
from generator.engine._rng import SplitMix64
from generator.engine._triples import column_triples

__all__ = ["OrbitSearch", "cyclic_starter", "develop", "group3", "orbit_labels"]

_TENURE = 2
_MAX_STEPS = 300  # per starter size: successes took 30-100 steps (5^8 in 205 rows)
_WORK_UNIT = 20_000  # scored (move, triple) entries worth one budget step
_BUDGET = 40_000  # budget steps for one model over all groups and sizes
_SEARCH_TRIPLES = 1_140  # C(k, 3) for the search over whole starters: k <= 20
_START_ROWS = 3  # starter rows per orbit the search over whole starters starts from
_MAX_TRIPLES = 20_000  # C(k, 3): k <= 50
_ENUM_LIMIT = 200_000  # cyclic starter vectors enumerated per (group, length): 5^9 is 156,250
_MAX_FIXED = 1  # fixed columns of a cyclic starter
_MAX_EXTRA = 2  # cyclic starters up to this many columns longer than k (cut to k)


def orbit_labels(v: int, h: int) -> tuple[np.ndarray, int]:
    """(label[x, y, z] of the orbit of each triple, -1 for constant triples; orbit count).

    Over GF(v) with H of order h (v a prime power, h | v - 1), or over Z_v when h = 1
    and v is not a prime power (see the module docstring).
    """
    lab = np.full((v, v, v), -1, dtype=np.int64)
    if prime_power(v) is None:
        if h != 1:
            raise ValueError("multipliers need a field")
        for x, y, z in itertools.product(range(v), repeat=3):
            if (x, y, z) != (x, x, x):
                lab[x, y, z] = ((y - x) % v) * v + (z - x) % v - 1
        return lab, v * v - 1
    if (v - 1) % h:
        raise ValueError("h must divide v - 1")
    add, mul = gf_tables(v)
    neg = np.array([int(np.flatnonzero(add[a] == 0)[0]) for a in range(v)])
    inv = np.zeros(v, dtype=np.int64)
    for a in range(1, v):
        inv[a] = int(np.flatnonzero(mul[a] == 1)[0])
    g = primitive_element(v)
    powers = [gf_power(mul, g, e) for e in range(v - 1)]
    log = np.zeros(v, dtype=np.int64)
    for e, p in enumerate(powers):
        log[p] = e
    cosets = (v - 1) // h
    for x, y, z in itertools.product(range(v), repeat=3):
        dy, dz = int(add[y, neg[x]]), int(add[z, neg[x]])
        if dy:
            lam = int(mul[dz, inv[dy]])
            lab[x, y, z] = (log[dy] % cosets) * v + lam
        elif dz:
            lab[x, y, z] = cosets * v + log[dz] % cosets
    return lab, cosets * (v + 1)


def develop(starter: np.ndarray, v: int, h: int) -> np.ndarray:
    """The rows a M + b (a in H, b in the symbols) of starter M, then the v constant rows."""
    k = starter.shape[1]
    const = np.repeat(np.arange(v)[:, None], k, axis=1)
    if prime_power(v) is None:
        blocks = [(starter + b) % v for b in range(v)]
    else:
        add, mul = gf_tables(v)
        g, step = primitive_element(v), (v - 1) // h
        mults = [gf_power(mul, g, step * i) for i in range(h)]
        blocks = [add[mul[a, starter], b] for a in mults for b in range(v)]
    arr = np.concatenate([*blocks, const]).astype(np.int16)
    return distinct_rows(arr)


class OrbitSearch:
    """Local search for a starter with m rows and k columns (see the module docstring)."""

    def __init__(self, v: int, h: int, k: int) -> None:
        self.v, self.h, self.k = v, h, k
        lab, self.nlab = orbit_labels(v, h)
        lab = np.where(lab < 0, self.nlab, lab)  # constant triples: a label never missing
        # lab_at[p][a, y, z]: the label with value a at position p of the triple
        self.lab_at = np.stack([lab, lab.transpose(1, 0, 2), lab.transpose(2, 0, 1)])
        self.trip, self.of = column_triples(k)

    def labels(self, x: np.ndarray) -> np.ndarray:
        """(m, triples) orbit label of each starter row on each column triple."""
        t = self.trip
        out: np.ndarray = self.lab_at[0][x[:, t[:, 0]], x[:, t[:, 1]], x[:, t[:, 2]]]
        return out

    def counts(self, lab: np.ndarray) -> np.ndarray:
        """(triples, labels + 1): how many rows show each orbit (last: constant)."""
        nt, width = self.trip.shape[0], self.nlab + 1
        keys = (np.arange(nt)[None, :] * width + lab).ravel()
        return np.bincount(keys, minlength=nt * width).reshape(nt, width)

    def work(self, m: int) -> int:
        """Scored (move, triple) entries of one step."""
        return 3 * m * self.v * math.comb(self.k - 1, 2)

    def run(self, x: np.ndarray, rng: SplitMix64, steps: int) -> tuple[np.ndarray | None, int]:
        """Repair starter ``x`` (changed in place) until every triple shows every orbit;
        (the starter or None, steps spent)."""
        m, v = x.shape[0], self.v
        lab = self.labels(x)
        cnt = self.counts(lab)
        weight = np.ones(cnt.shape, dtype=np.int64)
        weight[:, -1] = 0
        tabu = np.zeros(x.shape, dtype=np.int64)
        rows = np.arange(m)[:, None, None]
        vals = np.arange(v)[None, :, None]
        for step in range(steps):
            missing = cnt[:, :-1] == 0
            bad = np.flatnonzero(missing.any(axis=1))
            if bad.size == 0:
                return x, step
            tri = self.trip[int(bad[rng.below(int(bad.size))])]
            best, first = 0, True
            moves: list[tuple[int, int, int]] = []
            for j in tri.tolist():
                idx, pos, oa, ob = self.of[j]
                old = lab[:, idx]  # (m, P)
                ya, yb = x[:, oa][:, None, :], x[:, ob][:, None, :]
                new = self.lab_at[pos[None, None, :], vals, ya, yb]  # (m, v, P)
                oldb = np.broadcast_to(old[:, None, :], new.shape)
                changed = new != oldb
                gain_new = weight[idx, new] * (cnt[idx, new] == 0)
                loss_old = weight[idx, oldb] * (cnt[idx, oldb] == 1)
                gain = ((gain_new - loss_old) * changed).sum(axis=2)  # (m, v)
                gain[rows[:, 0, 0], x[:, j]] = np.iinfo(np.int64).min
                gain[tabu[:, j] > step] = np.iinfo(np.int64).min
                top = int(gain.max())
                if top == np.iinfo(np.int64).min:
                    continue
                if first or top > best:
                    best, moves, first = top, [], False
                if top == best:
                    at_r, at_a = np.nonzero(gain == top)
                    moves.extend((int(r), int(a), j) for r, a in zip(at_r, at_a, strict=True))
            if not moves:
                continue
            if best <= 0:
                weight[:, :-1] += missing
            r, a, j = moves[rng.below(len(moves))]
            idx, pos, oa, ob = self.of[j]
            x[r, j] = a
            row = self.lab_at[pos, a, x[r, oa], x[r, ob]]
            np.subtract.at(cnt, (idx, lab[r, idx]), 1)
            np.add.at(cnt, (idx, row), 1)
            lab[r, idx] = row
            tabu[r, j] = step + 1 + _TENURE
        return None, steps

    def drop_row(self, x: np.ndarray) -> np.ndarray:
        """``x`` without the row whose loss leaves the fewest (triple, orbit) entries missing."""
        lab = self.labels(x)
        cnt = self.counts(lab)
        nt = self.trip.shape[0]
        sole = (cnt[np.arange(nt)[None, :], lab] == 1) & (lab < self.nlab)
        keep = np.arange(x.shape[0]) != int(sole.sum(axis=1).argmin())
        out: np.ndarray = x[keep].copy()
        return out


def _groups(v: int) -> list[int]:
    """Multiplier subgroup orders h to try, largest first: every divisor of v - 1 over a
    field (the larger the group, the fewer starter rows to find), else 1."""
    if prime_power(v) is None:
        return [1]
    return [h for h in range(v - 1, 0, -1) if (v - 1) % h == 0]


def _reps(lab: np.ndarray, v: int) -> list[int]:
    """0 and one value per coset of H: a starter row can be moved by G to start (0, rep)."""
    reps, seen = [0], set()
    for y in range(1, v):
        coset = int(lab[0, y, 0]) // v
        if coset not in seen:
            seen.add(coset)
            reps.append(y)
    return reps


def cyclic_starter(v: int, h: int, n: int, fixed: int) -> np.ndarray | None:
    """The first starter (lexicographic) whose n cyclic shifts form an orbit-complete
    n x (n + fixed) starter, or None; found by enumeration (``_ENUM_LIMIT``).

    Row s of the starter is x[(s + j) mod n] in column j < n and x[n + i] in the
    fixed column n + i. Columns j1 < j2 < j3 < n show the orbits of
    (x[m], x[m + d1], x[m + d2]) over m (d1 = j2 - j1, d2 = j3 - j1), so one
    condition per (d1, d2) and per (d, fixed column) suffices. Vectors are taken
    with x[0] = 0 and x[1] a coset representative (any row can be so moved by G).
    """
    lab, nlab = orbit_labels(v, h)
    lab = np.where(lab < 0, nlab, lab)
    reps = _reps(lab, v)
    width = n + fixed
    if len(reps) * v ** (width - 2) > _ENUM_LIMIT or n < 3:
        return None
    m = np.arange(n)
    conds = [(m, (m + d1) % n, (m + d2) % n) for d1, d2 in itertools.combinations(range(1, n), 2)]
    for i in range(fixed):
        inf = np.full(n, n + i)
        conds += [(m, (m + d) % n, inf) for d in range(1, n)]
        conds += [(m, inf, np.full(n, n + i2)) for i2 in range(i + 1, fixed)]
    # x[2:] runs over every vector of base-v digits, x[1] over the representatives
    free = v ** (width - 2)
    code = np.arange(len(reps) * free, dtype=np.int64)
    cand = np.zeros((code.size, width), dtype=np.int8)
    cand[:, 1] = np.array(reps, dtype=np.int8)[code // free]
    code %= free
    for j in range(width - 1, 1, -1):
        cand[:, j] = code % v
        code //= v
    # each condition keeps only the vectors that pass it, so later ones see few
    for a, b, c in conds:
        shown = np.zeros((cand.shape[0], nlab + 1), dtype=bool)
        shown[np.arange(cand.shape[0])[:, None], lab[cand[:, a], cand[:, b], cand[:, c]]] = True
        cand = cand[shown[:, :nlab].all(axis=1)]
        if cand.shape[0] == 0:
            return None
    x = cand[0]
    shifts = x[(m[:, None] + m[None, :]) % n]
    return np.concatenate([shifts, np.repeat(x[None, n:], n, axis=0)], axis=1)


def group3(v: int, k: int, below: int) -> np.ndarray | None:
    """The smallest group-developed CA(3, k, v) found with fewer than ``below`` rows, or None.

    Cyclic starters first (exact enumeration, smallest size first; columns beyond k are
    dropped); only if none is found and v is a prime power, the local search over whole
    starters under the affine group (h = v - 1), which was not seen to beat a cyclic
    starter (4^8: 88 rows cyclic, 100 searched) and costs up to a second.
    """
    if math.comb(k, 3) > _MAX_TRIPLES or k < 4:
        return None
    best: np.ndarray | None = None
    best_rows = below
    plans = sorted(
        (v * h * n + v, h, n, fixed)
        for h in _groups(v)
        for fixed in range(_MAX_FIXED + 1)
        for n in range(max(k - fixed, 3), k + _MAX_EXTRA + 1)
        # a condition sees n rows, so at most n of the (v - 1)/h (v + 1) orbits
        if v * h * n + v < below and n >= (v - 1) // h * (v + 1)
    )
    for _rows, h, n, fixed in plans:
        starter = cyclic_starter(v, h, n, fixed)
        if starter is not None:
            best = develop(starter, v, h)[:, :k]
            return distinct_rows(best)
    # binary: the Paley and doubling arrays are smaller; many columns: the starter needs
    # more rows per orbit than the search finds (3^50 with 12 rows failed, 1.1 s)
    if prime_power(v) is None or v == 2 or math.comb(k, 3) > _SEARCH_TRIPLES:
        return None
    rng = SplitMix64(0x6A3)
    budget = _BUDGET
    # the whole affine group only: smaller groups need several times the starter rows,
    # which the search did not find (and a rigid array found there can be a worse start
    # for the post-optimiser than a folded orthogonal array: 6^6, 336 rows -> 320
    # against 342 -> 284)
    for h in [v - 1]:
        size = v * h
        search = OrbitSearch(v, h, k)
        # the largest m with size * m + v < best_rows, but a start of a few rows per
        # orbit: successes needed about 1.7 per orbit (5^8: 10 rows, 6 orbits), and
        # each dropped row costs a search
        m = min((best_rows - v - 1) // size, _START_ROWS * search.nlab)
        if m < search.nlab:
            continue
        cost = max(1, search.work(m) // _WORK_UNIT)
        sub = rng.fork(h)
        x = np.array([[sub.below(v) for _ in range(k)] for _ in range(m)], dtype=np.int64)
        while m >= search.nlab and budget >= cost:
            found, spent = search.run(x, sub, min(_MAX_STEPS, budget // cost))
            budget -= spent * cost
            if found is None:
                break
            rows = size * m + v
            if rows < best_rows:
                best, best_rows = develop(found, v, h), rows
            x = search.drop_row(found)
            m -= 1
    return best
