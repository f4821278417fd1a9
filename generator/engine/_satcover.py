"""Pairwise rows for SAT-sized constrained models: one row at a time, each built by SAT.

Pipeline stage: generation (strength 2, models with a constraint component too
large to enumerate). Rows are whole-model solutions of one incremental SAT
solver (``generator.constraints.SatComponent`` over every column), so every
row is valid by construction. Each row is grown greedily, in the AETG manner of
SamplingCA and CAmpactor's generator (Luo et al., ESEC/FSE 2022 and 2023):

* it starts from the uncovered required pair whose codes lie in the most
  uncovered pairs, assumed true;
* it then fixes, one code at a time, the code of a still-open column that meets
  the most uncovered pairs with the codes already fixed; when the current model
  already has that code it costs nothing, otherwise the solver is asked under
  all fixed codes as assumptions (phases set to the current model, so the
  answer stays close to it). An unsatisfiable answer bans that code for this
  row only: the question was exact, so no pair is ever wrongly given up;
* columns left open take the last model's codes.

Several candidate rows (different SplitMix64 tie-breaks) may be built per step;
the one covering the most uncovered pairs wins. Pairs are kept as a symmetric
bool matrix over the flattened codes (column ``c``'s code ``x`` is
``base[c] + x``), so a row's gain is one sub-matrix sum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from generator.constraints import SatComponent

if TYPE_CHECKING:
    from generator.constraints import Compiled
    from generator.engine._rng import SplitMix64
    from generator.engine._targets import Targets

__all__ = ["CodeSpace", "pair_matrix", "sat_rows"]

MAX_CODES = 6_000
"""Most flattened codes the pair matrix takes on (36 M cells, bool)."""


class CodeSpace:
    """Flattened codes of a model and one SAT solver over all its columns."""

    def __init__(self, compiled: Compiled) -> None:
        domains = compiled.domains
        self.domains = domains
        self.k = len(domains)
        self.base = np.concatenate([[0], np.cumsum(domains)[:-1]]).astype(np.int64)
        self.n = int(sum(domains))
        self.column = np.repeat(np.arange(self.k), domains)
        """Column of each flattened code."""
        boxes = [(box.cols, box.masks) for box in compiled.boxes]
        sat = SatComponent(tuple(range(self.k)), tuple(domains), boxes)
        self.solver = sat.solver
        # A tautology over the last variable makes the solver know every variable,
        # those of free columns included, so models list them all.
        self.solver.add_clause([sat.nvar, -sat.nvar])
        self.lit = sat.code_lit
        """Solver literal of each flattened code (true exactly when the row has it)."""
        self._var = np.abs(self.lit) - 1
        self._positive = self.lit > 0

    def codes(self, row: np.ndarray) -> np.ndarray:
        """Flattened codes of a full row."""
        return self.base + row.astype(np.int64)

    def prefer(self, row: np.ndarray) -> None:
        """Make the solver branch toward the codes of the full ``row``."""
        self.solver.set_phases(self.lit[self.codes(row)].tolist())

    def solve(self, assumed: list[int]) -> np.ndarray | None:
        """A valid full row holding the codes of the literals ``assumed``, or None."""
        if not self.solver.solve(assumptions=assumed):
            return None
        true = np.asarray(self.solver.get_model(), dtype=np.int64) > 0
        held = true[self._var] == self._positive
        return (np.flatnonzero(held) - self.base).astype(np.int16)

    def assume(self, partial: np.ndarray) -> list[int]:
        """The literals of the set cells (>= 0) of a partial row."""
        cols = np.flatnonzero(partial >= 0)
        return self.lit[self.base[cols] + partial[cols]].tolist()  # type: ignore[no-any-return]


def applicable(targets: Targets, space_codes: int) -> bool:
    """Whether the pair-matrix generator fits: strength-2 sets only, codes few enough."""
    return (
        len(targets.arities) == 1
        and targets.arities[0].cols.shape[1] == 2
        and space_codes <= MAX_CODES
    )


def pair_matrix(targets: Targets, base: np.ndarray, n: int) -> np.ndarray:
    """Symmetric (n, n) bool over flattened codes: True for each required pair."""
    out = np.zeros((n, n), dtype=bool)
    ar = targets.arities[0]
    dom = targets.domains_array
    shape = dom[ar.cols]
    for da, db in {(int(a), int(b)) for a, b in shape.tolist()}:
        sel = (shape[:, 0] == da) & (shape[:, 1] == db)
        a, b, off = ar.cols[sel, 0], ar.cols[sel, 1], ar.offsets[sel]
        xs = np.arange(da)[None, :, None]
        ys = np.arange(db)[None, None, :]
        ids = off[:, None, None] + xs * db + ys
        out[base[a][:, None, None] + xs, base[b][:, None, None] + ys] = targets.flat[ids]
    out |= out.T
    return out


NEVER = -(1 << 62)
"""Key of a code that may not be chosen (its column is fixed, or it was refused); later
gains added to it keep it far below zero."""


def _grow(
    space: CodeSpace,
    unc: np.ndarray,
    degree: np.ndarray,
    rng: SplitMix64,
) -> tuple[np.ndarray, int]:
    """One candidate row and the number of uncovered pairs it covers."""
    n = space.n
    column = space.column
    # Tie-break: a random priority per code, below one unit of score.
    priority = np.array([rng.below(n) for _ in range(n)], dtype=np.int64)
    key = degree.astype(np.int64) * n + priority
    p = int(key.argmax())
    q = int(np.where(unc[p], key, -1).argmax())
    lits = [int(space.lit[p]), int(space.lit[q])]
    model = space.solve(lits)
    assert model is not None  # a required pair occurs in some valid row
    space.prefer(model)
    # val = (uncovered pairs with the fixed codes) * n + priority; NEVER once closed.
    val = (unc[p].astype(np.int64) + unc[q]) * n + priority
    # spread = uncovered pairs with the open codes (those of open columns, not refused).
    spread = degree.astype(np.int64)

    closed = np.zeros(n, dtype=bool)

    def close(lo: int, hi: int) -> None:
        fresh = lo + np.flatnonzero(~closed[lo:hi])
        closed[fresh] = True
        val[lo:hi] = NEVER
        spread[:] -= unc[fresh].sum(axis=0)

    for c in (p, q):
        lo = int(space.base[column[c]])
        close(lo, lo + space.domains[column[c]])
    while True:
        c = int(val.argmax())
        if val[c] < n:
            # No open code meets a fixed one in an uncovered pair: start on an
            # uncovered pair of two open codes (the code in most such pairs first).
            fresh = np.where((val >= 0) & (spread > 0), spread * n + priority, NEVER)
            c = int(fresh.argmax())
            if fresh[c] == NEVER:
                break
        col = int(column[c])
        x = c - int(space.base[col])
        if int(model[col]) != x:
            found = space.solve([*lits, int(space.lit[c])])
            if found is None:
                close(c, c + 1)
                continue
            model = found
            space.prefer(model)
        lits.append(int(space.lit[c]))
        val += unc[c] * n
        lo = int(space.base[col])
        close(lo, lo + space.domains[col])
    codes = space.codes(model)
    gain = int(unc[np.ix_(codes, codes)].sum()) // 2
    return model, gain


def sat_rows(
    targets: Targets,
    space: CodeSpace,
    rng: SplitMix64,
    candidates: int,
) -> np.ndarray:
    """Valid full rows (int16) covering every required pair of ``targets``."""
    unc = pair_matrix(targets, space.base, space.n)
    rows: list[np.ndarray] = []
    while True:
        degree = unc.sum(axis=1)
        if not degree.any():
            break
        best: tuple[np.ndarray, int] | None = None
        for _ in range(candidates):
            row, gain = _grow(space, unc, degree, rng)
            if best is None or gain > best[1]:
                best = (row, gain)
        assert best is not None
        assert best[1] > 0  # the start pair at least
        codes = space.codes(best[0])
        unc[np.ix_(codes, codes)] = False
        rows.append(best[0])
    if not rows:
        return np.zeros((0, space.k), dtype=np.int16)
    return np.array(rows, dtype=np.int16)
