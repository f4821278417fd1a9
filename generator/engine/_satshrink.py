"""Row elimination for SAT-sized constrained pairwise arrays (CAmpactor's scheme).

Pipeline stage: post-optimisation of ``_satcover``'s rows. As in CAmpactor (Zhao
et al., ESEC/FSE 2023): delete the row that covers the fewest pairs no other row
covers, then repair the pairs it leaves uncovered by changing other rows, each
new row a SAT model under assumptions (the missing pair's two codes) with phases
set to the row it replaces, so it stays close to it. Per missing pair every row
is tried first with the codes of its own unique pairs assumed too (a change that
loses nothing; the missing pairs it covers decide), and only when none fits
without loss, plainly: then the change gaining most (pairs covered minus unique
pairs lost, recently changed rows excluded) is made. When every pair is covered
again the array is one row smaller and the next row goes; when an attempt runs
out of its steps the last complete array stands.

Steps are solver calls (never seconds), so the result depends on the inputs
alone. Every row is a model of the whole formula, hence valid; coverage is kept
as exact pair counts and re-checked by the caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from generator.engine._rng import SplitMix64
    from generator.engine._satcover import CodeSpace

__all__ = ["eliminate"]

TABU = 2
"""Rows changed this recently are not changed again at a loss (no undoing ping-pong)."""


class _State:
    """Rows (as flattened codes), how many rows hold each required pair, and the pairs
    held once or not at all (as ids ``a * n + b``, ``a < b``), kept up to date."""

    def __init__(self, codes: np.ndarray, required: np.ndarray, column: np.ndarray) -> None:
        self.codes = codes  # (N, k) int64
        self.column = column
        self.required = required  # symmetric
        self.n = required.shape[0]
        self.count = np.zeros((self.n, self.n), dtype=np.int16)
        for row in codes:
            self.count[np.ix_(row, row)] += 1
        self.once = np.zeros(0, dtype=np.int64)
        self.never = np.zeros(0, dtype=np.int64)
        self.refresh()

    def refresh(self) -> None:
        """Recount the pairs held once and never, over the whole matrix."""
        upper = np.triu(self.required)
        self.once = np.flatnonzero((self.count == 1) & upper)
        self.never = np.flatnonzero((self.count == 0) & upper)

    def sole(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each required pair exactly one row holds (codes ``a < b``), and that row."""
        a, b = np.divmod(self.once, self.n)
        column = self.column
        # The owner is the row holding both codes.
        held = (self.codes[:, column[a]] == a) & (self.codes[:, column[b]] == b)
        return held.argmax(axis=0), a, b

    def missing(self) -> tuple[np.ndarray, np.ndarray]:
        """The required pairs no row holds (codes ``a < b``)."""
        a, b = np.divmod(self.never, self.n)
        return a, b

    def remove(self, r: int) -> None:
        row = self.codes[r]
        self.count[np.ix_(row, row)] -= 1
        self.codes = np.delete(self.codes, r, axis=0)
        self.refresh()

    def replace(self, r: int, new: np.ndarray) -> None:
        old = self.codes[r]
        changed = np.flatnonzero(old != new)
        k = old.shape[0]
        # Each pair with a changed member once: (changed i, column j) with j unchanged
        # or j > i. Only these pairs changed their count, by one.
        moved_cols = np.zeros(k, dtype=bool)
        moved_cols[changed] = True
        once = ~moved_cols[None, :] | (np.arange(k)[None, :] > changed[:, None])
        flat = self.count.ravel()
        once_ids, never_ids = [], []
        for row, step in ((old, -1), (new, 1)):
            moved = row[changed]
            lo = np.minimum(moved[:, None], row[None, :])[once]
            hi = np.maximum(moved[:, None], row[None, :])[once]
            ids = lo * self.n + hi
            flat[ids] += step
            ids = ids[self.required.ravel()[ids]]
            count = flat[ids]
            once_ids.append(ids[count == 1])
            never_ids.append(ids[count == 0])
        self.codes[r] = new
        self.once = np.concatenate([self.once[flat[self.once] == 1], *once_ids])
        self.never = np.concatenate([self.never[flat[self.never] == 0], *never_ids])


class _Snapshot:
    """The unique and missing pairs of one repair step, to score candidate rows fast."""

    def __init__(self, state: _State) -> None:
        self.column = state.column
        owner, a, b = state.sole()
        self.rows = state.codes.shape[0]
        order = np.argsort(owner, kind="stable")
        self.sole_a, self.sole_b = a[order], b[order]
        self.bounds = np.searchsorted(owner[order], np.arange(self.rows + 1))
        self.protect = np.zeros(state.codes.shape, dtype=bool)
        self.protect[owner, self.column[a]] = True
        self.protect[owner, self.column[b]] = True
        self.miss_a, self.miss_b = state.missing()

    def delta(self, r: int, old: np.ndarray, new: np.ndarray) -> tuple[int, int]:
        """(missing pairs ``new`` holds, unique pairs of row ``r`` it drops) if ``new``
        replaced the row ``old``."""
        column = self.column
        gain = (new[column[self.miss_a]] == self.miss_a) & (new[column[self.miss_b]] == self.miss_b)
        lo, hi = self.bounds[r], self.bounds[r + 1]
        a, b = self.sole_a[lo:hi], self.sole_b[lo:hi]
        kept = (new[column[a]] == a) & (new[column[b]] == b)
        return int(gain.sum()), int(hi - lo) - int(kept.sum())


def _pick(state: _State, snap: _Snapshot, rng: SplitMix64) -> tuple[int, int]:
    """A missing pair: the code in most missing pairs, then its partner in most."""
    n = state.count.shape[0]
    a, b = snap.miss_a, snap.miss_b
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    jitter = rng.below(n)
    key = degree.astype(np.int64) * n + (np.arange(n) + jitter) % n
    first = int(key.argmax())
    partners = np.concatenate([b[a == first], a[b == first]])
    second = int(partners[key[partners].argmax()])
    return first, second


def _repair(state: _State, space: CodeSpace, rng: SplitMix64, steps: int) -> tuple[bool, int]:
    """Cover every missing pair again by changing rows; (success, steps used)."""
    used = 0
    recent: list[int] = []
    while True:
        snap = _Snapshot(state)
        if snap.miss_a.shape[0] == 0:
            return True, used
        a, b = _pick(state, snap, rng)
        pair = [int(space.lit[a]), int(space.lit[b])]
        free = np.ones(space.k, dtype=bool)
        free[[space.column[a], space.column[b]]] = False
        best: tuple[int, int, np.ndarray] | None = None  # (score, row, new codes)
        # First without loss: each row's unique pairs assumed too.
        for r in range(state.codes.shape[0]):
            if used >= steps:
                return False, used
            old = state.codes[r]
            used += 1
            space.prefer(old - space.base)
            found = space.solve(pair + space.lit[old[snap.protect[r] & free]].tolist())
            if found is None:
                continue
            new = space.codes(found)
            gain, lost = snap.delta(r, old, new)
            if lost == 0 and (best is None or gain > best[0]):
                best = (gain, r, new)
        if best is None:  # then at the least loss, away from the rows changed last
            for r in range(state.codes.shape[0]):
                if r in recent:
                    continue
                if used >= steps:
                    return False, used
                old = state.codes[r]
                used += 1
                space.prefer(old - space.base)
                found = space.solve(pair)
                if found is None:  # pragma: no cover - the pair is required, hence feasible
                    continue
                new = space.codes(found)
                gain, lost = snap.delta(r, old, new)
                if best is None or gain - lost > best[0]:
                    best = (gain - lost, r, new)
        if best is None:
            return False, used
        _, r, new = best
        state.replace(r, new)
        recent = [*recent[-(TABU - 1) :], r]


def eliminate(
    rows: np.ndarray,
    required: np.ndarray,
    space: CodeSpace,
    rng: SplitMix64,
    steps: int,
    *,
    floor: int = 1,
) -> np.ndarray:
    """Valid rows covering every required pair ``rows`` covers, never more of them:
    rows are deleted one at a time while the repair fits in ``steps`` solver calls
    in all (no fewer than ``floor`` rows)."""
    state = _State(space.base + rows.astype(np.int64), required, space.column)
    best = rows
    left = steps
    while left > 0 and state.codes.shape[0] > max(1, floor):
        owner = state.sole()[0]
        r = int(np.argmin(np.bincount(owner, minlength=state.codes.shape[0])))
        saved = (state.codes.copy(), state.count.copy())
        state.remove(r)
        ok, used = _repair(state, space, rng, left)
        left -= used
        if not ok:
            state.codes, state.count = saved
            break
        best = (state.codes - space.base).astype(np.int16)
    return best
