"""Post-optimisation (engine stage 3): remove rows from a complete covering array.

TCA-style local search (Lin et al., ASE 2015; docs/engine.md §3). Whenever every
required tuple is covered the array is saved and the row with the fewest uniquely
covered tuples is deleted; then single-cell flips repair the coverage: pick an uncovered
tuple (two at t=2), score every flip that would cover it in a row differing from it in
exactly one cell (required tuples newly covered minus uniquely covered ones lost,
vectorised over rows and target sets), skip tabu cells, keep rows valid, and now and
then take a random candidate. On unconstrained uniform targets the search starts instead
from each algebraic construction (``_construct``) smaller than the given array, one after
the other, and keeps the smallest result. The budget is a number of steps, so the result
depends only on the inputs and the seed. Works for any mix of target-set sizes and with
constraints (every change is checked with the validity oracle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from generator.engine._rng import SplitMix64

__all__ = ["DEFAULT_STEPS", "MIN_STEPS", "SMALL_TUPLES", "shrink", "step_budget"]

DEFAULT_STEPS = 5_000
"""Default post-optimisation step budget on models of up to ``SMALL_TUPLES`` target
tuples (steps, never seconds: output must not depend on the machine)."""

SMALL_TUPLES = 100_000
# Floor for big models: 4^400 at t=2 (1.27M tuples) goes 53 -> 52 rows within 2,000 steps
# (about 4 s, against 3 s for 1,000 steps); 3^60 at t=3 126 -> 125 (4.6 s). More steps
# never give a larger array: the search is the same up to the old budget.
MIN_STEPS = 2_000


def step_budget(tuples: int, floor: int = MIN_STEPS) -> int:
    """A step budget worth a few seconds: steps cost more as the tuple count grows."""
    if tuples <= SMALL_TUPLES:
        return DEFAULT_STEPS
    return max(floor, DEFAULT_STEPS * SMALL_TUPLES // tuples)


# Measured on the benchmark models (3 seeds each): tenure 3 with rare random walks and no
# tuple weighting gave the smallest arrays. TCA's weights on uncovered tuples at local
# optima swamped the scores here (4^50 at 39 rows was never repaired in 15,000 steps,
# against about 1,500 without; 6^6 at t=3 ended at 291 rows against 283-285).
_TENURE = 3  # steps a flipped cell stays tabu
_WALK = 1000  # one step in this many flips a random candidate instead of the best
# Uncovered tuples whose flips compete in one step, by largest set size: two at t=2 (4^100:
# 40-41 rows, 40-43 for one, same time), one at t>=3 (6^6: two gave 320-324, one 319-321).
_SAMPLES = {2: 2}
_REFRESH = 32  # steps between rebuilds of the cached uncovered-tuple list
# Largest rows x (set, member) id cache kept (int64 entries, 8 bytes each); beyond it ids
# are recomputed from the rows at every step (slower, no memory).
_CACHE_CAP = 40_000_000
_ROW_CHUNK = 16  # rows per (rows x sets) id block outside the cache


class _Targets(Protocol):
    """What ``shrink`` reads of the engine's ``Targets``."""

    @property
    def sets(self) -> Sequence[tuple[int, ...]]: ...
    @property
    def radix(self) -> Sequence[Sequence[int]]: ...
    @property
    def required(self) -> Sequence[np.ndarray]: ...


class _Validity(Protocol):
    """What ``shrink`` asks of the engine's ``Validity``."""

    def row_ok(self, row: np.ndarray) -> bool: ...
    def allowed(self, row: np.ndarray, col: int) -> np.ndarray: ...
    def flip_ok(self, rows: np.ndarray, col: int, value: int) -> np.ndarray: ...


class _Layout:
    """Flat tuple ids: id = offset[s] + sum(row[c_i] * stride_i), first member most significant."""

    def __init__(self, targets: _Targets, k: int) -> None:
        sets = [tuple(int(c) for c in s) for s in targets.sets]
        width = max((len(s) for s in sets), default=1)
        nsets = len(sets)
        self.cols = np.full((nsets, width), k, dtype=np.int64)  # padding reads a zero column
        self.strides = np.zeros((nsets, width), dtype=np.int64)
        sizes = np.zeros(nsets, dtype=np.int64)
        for i, (s, rad) in enumerate(zip(sets, targets.radix, strict=True)):
            stride = 1
            for j in range(len(s) - 1, -1, -1):
                self.cols[i, j] = s[j]
                self.strides[i, j] = stride
                stride *= int(rad[j])
            sizes[i] = stride
        self.offsets = np.zeros(nsets, dtype=np.int64)
        if nsets:
            self.offsets[1:] = np.cumsum(sizes)[:-1]
        self.total = int(sizes.sum())
        self.sizes = sizes
        self.sets = sets
        self.radix = [tuple(int(x) for x in r) for r in targets.radix]
        req = [np.asarray(r, dtype=bool).ravel() for r in targets.required]
        self.required = np.concatenate(req) if req else np.zeros(0, dtype=bool)
        # a row covers at most one tuple of each set
        self.lower_bound = max((int(np.count_nonzero(r)) for r in req), default=0)
        member_of: list[list[int]] = [[] for _ in range(k)]
        for i, s in enumerate(sets):
            for c in s:
                member_of[c].append(i)
        blocks = [np.array(members, dtype=np.int64) for members in member_of]
        # per column: the sets containing it, their other members, strides and offsets
        self.by_col: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for c in range(k):
            idx = blocks[c]
            others = self.cols[idx].copy()
            ostr = self.strides[idx].copy()
            hit = others == c
            cstr = (ostr * hit).sum(axis=1)
            others[hit] = k
            ostr[hit] = 0
            self.by_col.append((others, ostr, cstr, self.offsets[idx]))
        # The id cache holds, per column c, the ids of the sets containing c (one block
        # per column, so scoring flips of c reads one contiguous slice per row).
        self.block_start = np.zeros(k + 1, dtype=np.int64)
        self.block_start[1:] = np.cumsum([b.size for b in blocks])
        self.cache_set = np.concatenate(blocks) if k else np.zeros(0, dtype=np.int64)
        where: list[list[int]] = [[] for _ in sets]  # cache positions of each set
        for at, si in enumerate(self.cache_set.tolist()):
            where[si].append(at)
        self.first_pos = np.array([w[0] for w in where], dtype=np.int64)
        self.update_pos: list[np.ndarray] = []
        self.update_src: list[np.ndarray] = []
        for block in blocks:
            spots = [where[si] for si in block.tolist()]
            self.update_pos.append(np.array([x for p in spots for x in p], dtype=np.int64))
            self.update_src.append(np.repeat(np.arange(block.size), [len(p) for p in spots]))

    def ids(self, ext: np.ndarray) -> np.ndarray:
        """(n, S) tuple ids of rows ``ext`` (extended with the zero column)."""
        out: np.ndarray = ext[:, self.cols[:, 0]] * self.strides[:, 0] + self.offsets
        for j in range(1, self.cols.shape[1]):
            out += ext[:, self.cols[:, j]] * self.strides[:, j]
        return out

    def decode(self, tid: int) -> tuple[tuple[int, ...], list[int]]:
        s = int(np.searchsorted(self.offsets, tid, side="right")) - 1
        local = tid - int(self.offsets[s])
        vals: list[int] = []
        for r in reversed(self.radix[s]):
            vals.append(local % r)
            local //= r
        return self.sets[s], vals[::-1]


class _Search:
    """Mutable search state: the array (with a trailing zero column) and cover counts."""

    def __init__(
        self, rows: np.ndarray, lay: _Layout, validity: _Validity, frozen: int, rng: SplitMix64
    ) -> None:
        n, k = rows.shape
        self.k = k
        self.ext = np.zeros((n, k + 1), dtype=np.int64)
        self.ext[:, :k] = rows
        self.lay = lay
        self.validity = validity
        self.frozen = frozen
        self.rng = rng
        self.cnt = np.zeros(lay.total, dtype=np.int64)
        for lo in range(0, n, _ROW_CHUNK):  # bounded memory on very large target lists
            self.cnt += np.bincount(
                lay.ids(self.ext[lo : lo + _ROW_CHUNK]).ravel(), minlength=lay.total
            )
        self.weight = lay.required.astype(np.int32)  # 1 for required tuples, else 0
        # weight where the count is 0 (gain if covered) and where it is 1 (loss if uncovered),
        # kept in step with cnt so that scoring a flip is two gathers
        self.w0 = self.weight * (self.cnt == 0)
        self.w1 = self.weight * (self.cnt == 1)
        self.uncovered = int(np.count_nonzero(lay.required & (self.cnt == 0)))
        self.tabu = np.zeros((n, k), dtype=np.int64)
        self.cache = np.zeros(0, dtype=np.int64)
        self.step = 0
        self.samples = _SAMPLES.get(int(lay.cols.shape[1]), 1)
        self.idcache: np.ndarray | None = None
        if n * lay.cache_set.size <= _CACHE_CAP:
            self.idcache = lay.ids(self.ext)[:, lay.cache_set]

    # -- bookkeeping -------------------------------------------------------------------
    def refresh(self) -> None:
        self.cache = np.flatnonzero(self.lay.required & (self.cnt == 0))

    def pick_uncovered(self) -> int:
        for _ in range(2):
            if self.cache.size:
                tid = int(self.cache[self.rng.below(int(self.cache.size))])
                if self.cnt[tid] == 0:
                    return tid
            self.refresh()
        return int(self.cache[self.rng.below(int(self.cache.size))])

    def _sync(self, ids: np.ndarray) -> None:
        c = self.cnt[ids]
        w = self.weight[ids]
        self.w0[ids] = w * (c == 0)
        self.w1[ids] = w * (c == 1)

    def _add_row_ids(self, ids: np.ndarray, sign: int) -> None:
        req = self.lay.required[ids]
        if sign < 0:
            self.cnt[ids] -= 1
            self.uncovered += int(np.count_nonzero(req & (self.cnt[ids] == 0)))
        else:
            self.uncovered -= int(np.count_nonzero(req & (self.cnt[ids] == 0)))
            self.cnt[ids] += 1
        self._sync(ids)

    def set_row(self, r: int, new: np.ndarray) -> None:
        self._add_row_ids(self.lay.ids(self.ext[r : r + 1])[0], -1)
        self.ext[r, : self.k] = new
        ids = self.lay.ids(self.ext[r : r + 1])[0]
        self._add_row_ids(ids, +1)
        if self.idcache is not None:
            self.idcache[r] = ids[self.lay.cache_set]

    def remove_row(self) -> None:
        """Delete the free row that covers the fewest required tuples alone (random ties)."""
        n = self.ext.shape[0]
        loss = np.zeros(n - self.frozen, dtype=np.int64)
        for lo in range(self.frozen, n, _ROW_CHUNK):
            hi = min(n, lo + _ROW_CHUNK)
            if self.idcache is not None:
                ids = self.idcache[lo:hi, self.lay.first_pos]
            else:
                ids = self.lay.ids(self.ext[lo:hi])
            loss[lo - self.frozen : hi - self.frozen] = self.w1[ids].sum(axis=1)
        r = self.frozen + self._argbest(-loss)
        self._add_row_ids(self.lay.ids(self.ext[r : r + 1])[0], -1)
        self.ext = np.delete(self.ext, r, axis=0)
        self.tabu = np.delete(self.tabu, r, axis=0)
        if self.idcache is not None:
            self.idcache = np.delete(self.idcache, r, axis=0)
        self.refresh()

    def _argbest(self, score: np.ndarray) -> int:
        top = np.flatnonzero(score == score.max())
        return int(top[self.rng.below(int(top.size))])

    # -- one local-search step ---------------------------------------------------------
    def flip_gain(self, rows: np.ndarray, c: int, value: int) -> tuple[np.ndarray, ...]:
        others, ostr, cstr, offs = self.lay.by_col[c]
        if self.idcache is not None:
            lo, hi = self.lay.block_start[c], self.lay.block_start[c + 1]
            old = self.idcache[rows, lo:hi]
            new = old + (value - self.ext[rows, c])[:, None] * cstr
            return self.w0[new].sum(axis=1) - self.w1[old].sum(axis=1), old, new
        sub = self.ext[rows]
        base = sub[:, others[:, 0]] * ostr[:, 0] + offs
        for j in range(1, others.shape[1]):
            base += sub[:, others[:, j]] * ostr[:, j]
        old = base + sub[:, c][:, None] * cstr
        new = base + value * cstr
        gain = self.w0[new].sum(axis=1) - self.w1[old].sum(axis=1)
        return gain, old, new

    def apply_flip(self, r: int, c: int, value: int, old: np.ndarray, new: np.ndarray) -> None:
        req = self.lay.required
        self.uncovered -= int(np.count_nonzero(req[new] & (self.cnt[new] == 0)))
        self.cnt[new] += 1
        self.cnt[old] -= 1
        self.uncovered += int(np.count_nonzero(req[old] & (self.cnt[old] == 0)))
        self._sync(new)
        self._sync(old)
        self.ext[r, c] = value
        self.tabu[r, c] = self.step + _TENURE
        if self.idcache is not None:
            self.idcache[r, self.lay.update_pos[c]] = new[self.lay.update_src[c]]

    def step_once(self) -> None:
        """Flip the best cell among those that would cover one of a few uncovered tuples."""
        self.step += 1
        groups: list[tuple[int, int, np.ndarray]] = []  # (column, value, candidate rows)
        first: tuple[tuple[int, ...], list[int]] | None = None
        for _ in range(self.samples):
            cols, vals = self.lay.decode(self.pick_uncovered())
            first = first or (cols, vals)
            diff = self.ext[self.frozen :, list(cols)] != np.array(vals, dtype=np.int64)
            one = np.flatnonzero(diff.sum(axis=1) == 1)
            if one.size == 0:
                continue
            pos = diff[one].argmax(axis=1)
            for p in np.unique(pos).tolist():
                groups.append((cols[p], vals[p], one[pos == p] + self.frozen))
        if not groups:
            assert first is not None
            self._multi_cell(*first)
            return
        scored = [self.flip_gain(rows, c, value) for c, value, rows in groups]
        scores = np.concatenate([g[0] for g in scored])
        sizes = [g[2].size for g in groups]
        group_of = np.repeat(np.arange(len(groups)), sizes)
        index_in = np.concatenate([np.arange(n) for n in sizes])
        cand_rows = np.concatenate([g[2] for g in groups])
        cand_cols = np.repeat(np.array([g[0] for g in groups], dtype=np.int64), sizes)
        free = self.tabu[cand_rows, cand_cols] <= self.step
        walk = self.rng.below(_WALK) == 0
        # Validity of a group's flips, asked for all its rows at once when one is first
        # tried: under long ``when`` chains most candidates are invalid, and one call per
        # candidate made a 100-knob chain spend 50 s here.
        valid: dict[int, np.ndarray] = {}
        for i in self._order(scores, free, walk):
            g, j = int(group_of[i]), int(index_in[i])
            c, value, rows = groups[g]
            if g not in valid:
                valid[g] = self.validity.flip_ok(self.ext[rows, : self.k], c, value)
            if not bool(valid[g][j]):
                continue
            r = int(rows[j])
            self.apply_flip(r, c, value, scored[g][1][j], scored[g][2][j])
            return

    def _order(self, scores: np.ndarray, free: np.ndarray, walk: bool) -> Iterator[int]:
        """Candidates to try: best non-tabu first (random ties), or a random one on a walk step.

        Usually the first candidate is valid, so the full order is only sorted on demand.
        """
        n = int(scores.size)
        if walk:
            start = self.rng.below(n)
            yield from ((start + i) % n for i in range(n))
            return
        key = np.where(free, scores, scores - (1 << 40))
        top = np.flatnonzero(key == key.max())
        first = int(top[self.rng.below(int(top.size))])
        yield first
        tie = (np.arange(n) + self.rng.below(n)) % n  # a random rotation breaks ties
        yield from (int(i) for i in np.lexsort((tie, -key)) if i != first)

    def _multi_cell(self, cols: tuple[int, ...], vals: list[int]) -> None:
        """No row is one flip away: overwrite a random free row's cells, repairing validity."""
        nfree = self.ext.shape[0] - self.frozen
        for _ in range(4):
            r = self.frozen + self.rng.below(nfree)
            row = self.ext[r, : self.k].copy()
            row[list(cols)] = vals
            if not self.validity.row_ok(row):
                for c in range(self.k):
                    if c in cols:
                        continue
                    mask = np.asarray(self.validity.allowed(row, c), dtype=bool)
                    if mask.any() and not mask[row[c]]:
                        row[c] = int(np.flatnonzero(mask)[0])
                        if self.validity.row_ok(row):
                            break
                if not self.validity.row_ok(row):
                    continue
            self.set_row(r, row)
            self.tabu[r, list(cols)] = self.step + _TENURE
            return


def _known_starts(
    arr: np.ndarray, lay: _Layout, validity: _Validity, frozen: int
) -> list[np.ndarray]:
    """Smaller arrays from algebraic constructions, to post-optimise instead of ``arr``.

    Only when nothing is pinned, every tuple of every target set is required and
    all sets have one size t (so a strength-t construction covers them); every
    row of a construction must pass the validity oracle.
    """
    from generator.engine._construct import construct_starts

    sizes = {len(s) for s in lay.sets}
    if frozen or len(sizes) != 1 or not lay.required.all():
        return []
    pairs = (zip(s, rs, strict=True) for s, rs in zip(lay.sets, lay.radix, strict=True))
    radix = {c: r for members in pairs for c, r in members}
    if len(radix) < arr.shape[1]:
        return []
    return [
        known.astype(arr.dtype)
        for known in construct_starts([radix[c] for c in range(arr.shape[1])], sizes.pop())
        if known.shape[0] < arr.shape[0] and all(validity.row_ok(row) for row in known)
    ]


def shrink(  # noqa: PLR0917 - the engine's binding internal signature is positional
    rows: np.ndarray,
    targets: _Targets,
    validity: _Validity,
    frozen_rows: int,
    rng: SplitMix64,
    max_steps: int,
    *,
    known: bool = True,
) -> np.ndarray:
    """The smallest complete covering array found within ``max_steps`` local-search steps.

    ``rows`` must be a complete, valid covering array of ``targets``; its first
    ``frozen_rows`` rows are returned unchanged, in front. Every returned row passed the
    validity oracle: it was in ``rows`` or in a smaller algebraic construction the search
    started from (unconstrained uniform targets), or validity-checked changes made it.
    """
    arr = np.asarray(rows)
    n, k = arr.shape
    lay = _Layout(targets, k)
    if n <= frozen_rows or lay.total == 0:
        return arr.copy()
    if (st := _Search(arr, lay, validity, frozen_rows, rng)).uncovered:
        raise ValueError("shrink needs a complete covering array")
    # ``known=False``: a construction's own factor, which must not ask for itself
    starts = _known_starts(arr, lay, validity, frozen_rows) if known else []
    if not starts:
        return _descend(st, lay, frozen_rows, max_steps, k).astype(arr.dtype)
    del st  # one search at a time: each holds a (rows x sets) id cache of up to 320 MB
    best: np.ndarray | None = None
    for start in starts:
        search = _Search(start, lay, validity, frozen_rows, rng)
        if search.uncovered == 0:  # constructions are verified; this guards the guard
            found = _descend(search, lay, frozen_rows, max_steps, k)
            best = found if best is None or found.shape[0] < best.shape[0] else best
        del search
    if best is None:  # no construction passed the guard: search the given rows
        st = _Search(arr, lay, validity, frozen_rows, rng)
        best = _descend(st, lay, frozen_rows, max_steps, k)
    return best.astype(arr.dtype)


def _descend(st: _Search, lay: _Layout, frozen_rows: int, max_steps: int, k: int) -> np.ndarray:
    """The smallest complete array (k columns) the complete ``st`` reaches in max_steps."""
    while True:
        if st.uncovered == 0:
            best = st.ext[:, :k].copy()
            nfree = st.ext.shape[0] - frozen_rows
            if nfree == 0 or st.ext.shape[0] <= lay.lower_bound:
                break
            st.remove_row()
            if nfree == 1:  # no free row left to repair with
                if st.uncovered == 0:
                    best = st.ext[:, :k].copy()
                break
            continue
        if st.step >= max_steps:
            break
        st.step_once()
    return best
