"""Large constraint components decided by an incremental SAT solver (python-sat).

Pipeline stage: feasibility. A component too large to enumerate is encoded in
CNF: a two-value column is one variable (code 1 = true), a wider column one
variable per code with exactly one true; a box (a forbidden partial assignment)
is the clause "some cell lies outside its mask". Questions about partial rows are
answered by solving under assumptions (the literals of the assigned cells), as
SamplingCA and CAmpactor do, so answers are exact and the solver keeps what it
learnt between calls. Every answer is cached by the partial row.

Which pairs of values can meet in a valid row (the strength-2 targets) is found in
bulk: random-phase solutions mark the pairs they contain, unit propagation of each
single value marks pairs that cannot meet, and each pair left undecided costs one
call under the two assumptions (its solution, when there is one, marks more).

Explanations (which constraints rule a partial row out) use a second solver whose
clauses each carry a selector literal per constraint: the unsatisfiable core names
a few constraints, which deletion then makes minimal (Yamada et al., "Greedy
combinatorial test case generation using unsatisfiable cores", ASE 2016).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from pysat.solvers import Solver

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.constraints._solve import LocalBox

__all__ = ["SatComponent"]

SOLVER = "minisat22"
"""A MiniSat-like solver: the only kind whose ``propagate`` python-sat supports."""
POOL = 256
"""Random-phase solutions drawn to mark feasible pairs before any pair is asked."""
BATCH = 64
"""Solutions found by pair questions collected before they mark pairs in bulk."""
CACHE = 20_000
"""Answers kept per kind of question (oldest dropped first): long partial rows are
rarely asked twice, and each key costs a byte per column."""


class _Mix:
    """SplitMix64 (the engine's generator, repeated here: constraints sit below it)."""

    def __init__(self, seed: int) -> None:
        self.state = seed & (2**64 - 1)

    def bits(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & (2**64 - 1)
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        return z ^ (z >> 31)


class SatComponent:
    """One constraint component decided by SAT; the same questions as a table component."""

    table = None
    """No enumerated table (the oracle and repair test for one)."""

    def __init__(
        self, cols: tuple[int, ...], domains: tuple[int, ...], boxes: list[LocalBox]
    ) -> None:
        self.cols = cols
        self.domains = domains
        self.boxes = boxes
        self.full = [(1 << v) - 1 for v in domains]
        # Literal of each (column, code), flattened: code_lit[base[j] + x].
        lits: list[int] = []
        self.base: list[int] = []
        clauses: list[list[int]] = []
        nvar = 0
        for v in domains:
            self.base.append(len(lits))
            if v == 2:
                nvar += 1
                lits.extend((-nvar, nvar))
            else:
                first = nvar + 1
                nvar += v
                own = list(range(first, nvar + 1))
                lits.extend(own)
                clauses.append(own)
                clauses.extend([-a, -b] for i, a in enumerate(own) for b in own[i + 1 :])
        self.nvar = nvar
        self.code_lit = np.array(lits, dtype=np.int64)
        self._base = np.array(self.base, dtype=np.int64)
        self._var_index = np.abs(self.code_lit) - 1
        self._positive = self.code_lit > 0
        self.box_clauses = [self._clause(box) for box in boxes]
        clauses.extend(self.box_clauses)
        self.solver = Solver(name=SOLVER, bootstrap_with=clauses)
        self._structural = [c for c in clauses if c not in self.box_clauses]
        self._feasible: dict[bytes, bool] = {}
        self._allowed: dict[tuple[bytes, int], np.ndarray] = {}
        self._projections: dict[tuple[int, ...], np.ndarray] = {}
        self._pairs: tuple[np.ndarray, np.ndarray] | None = None
        self._explainer: Solver | None = None
        self._selectors: dict[int, int] = {}

    def _clause(self, box: LocalBox) -> list[int]:
        """Some cell of ``box`` outside its mask: the clause forbidding the box."""
        out: list[int] = []
        for j, mask in zip(*box, strict=True):
            for x in range(self.domains[j]):
                if not mask >> x & 1:
                    out.append(int(self.code_lit[self.base[j] + x]))
        return out

    def _assumptions(self, partial: Sequence[int]) -> list[int]:
        cells = np.asarray(partial, dtype=np.int64)
        set_ = cells >= 0
        return self.code_lit[self._base[set_] + cells[set_]].tolist()  # type: ignore[no-any-return]

    def _code_in(self, model: Sequence[int], j: int) -> int:
        """The code of local column ``j`` in a solver model (variables in order)."""
        if self.domains[j] == 2:
            var = int(self.code_lit[self.base[j] + 1])
            return int(model[var - 1] > 0)
        own = self.code_lit[self.base[j] : self.base[j] + self.domains[j]]
        return next(x for x, var in enumerate(own.tolist()) if model[var - 1] > 0)

    def _decode(self, model: Sequence[int]) -> list[int]:
        """A full local assignment (a code per column) from a solver model."""
        codes = self._solution_codes(model)
        # Exactly one code of each column is set: its offset within the column.
        return (np.flatnonzero(codes) - self._base).tolist()  # type: ignore[no-any-return]

    # -- questions over local partial rows (-1 = unassigned) -------------------------

    def _key(self, partial: Sequence[int]) -> bytes:
        return np.asarray(partial, dtype=np.int16).tobytes()

    def _remember(self, cache: dict[Any, Any], key: Any, value: Any) -> None:
        if len(cache) >= CACHE:
            del cache[next(iter(cache))]
        cache[key] = value

    def feasible(self, partial: Sequence[int]) -> bool:
        key = self._key(partial)
        cached = self._feasible.get(key)
        if cached is None:
            cached = bool(self.solver.solve(assumptions=self._assumptions(partial)))
            self._remember(self._feasible, key, cached)
        return cached

    def allowed(self, partial: Sequence[int], j: int) -> np.ndarray:
        """Bool mask over the codes of local column ``j`` that keep ``partial`` completable
        (cached per (partial, column), read-only)."""
        key = (self._key(partial), j)
        cached = self._allowed.get(key)
        if cached is not None:
            return cached
        out = np.zeros(self.domains[j], dtype=bool)
        trial = list(partial)
        if trial[j] >= 0:  # a given cell: only its own code can be allowed
            out[trial[j]] = self.feasible(trial)
            out.flags.writeable = False
            return out
        if self.solver.solve(assumptions=self._assumptions(trial)):
            self._remember(self._feasible, self._key(trial), True)
            # The witness row already allows one code: only the others need a call.
            seen = self._code_in(self.solver.get_model(), j)
            out[seen] = True
            for x in range(self.domains[j]):
                if x != seen:
                    trial[j] = x
                    out[x] = self.feasible(trial)
        else:
            self._remember(self._feasible, self._key(trial), False)
        out.flags.writeable = False
        self._remember(self._allowed, key, out)
        return out

    def solution(self, partial: Sequence[int]) -> list[int] | None:
        """A valid full local assignment extending ``partial``, or None."""
        if not self.solver.solve(assumptions=self._assumptions(partial)):
            return None
        return self._decode(self.solver.get_model())

    def projection(self, local: tuple[int, ...]) -> np.ndarray:
        """Bool mask over the mixed-radix product of ``local`` columns: feasible combinations."""
        cached = self._projections.get(local)
        if cached is not None:
            return cached
        radix = [self.domains[j] for j in local]
        if len(local) == 2:
            feasible, _ = self.pairs()
            a, b = (self.base[j] for j in local)
            mask = feasible[a : a + radix[0], b : b + radix[1]].ravel().copy()
        else:
            mask = np.zeros(int(np.prod(radix, dtype=np.int64)), dtype=bool)
            partial = [-1] * len(self.cols)
            for i in range(mask.shape[0]):
                rest = i
                for j, r in zip(reversed(local), reversed(radix), strict=True):
                    rest, partial[j] = divmod(rest, r)
                mask[i] = self.feasible(partial)
        mask.flags.writeable = False
        self._projections[local] = mask
        return mask

    def nearest(self, wanted: Sequence[int]) -> list[int] | None:
        """The valid assignment with fewest cells differing from ``wanted`` (-1 = any)."""
        from generator.constraints._solve import nearest

        return nearest(self.full, self.boxes, wanted)

    # -- pairs in bulk ----------------------------------------------------------------

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(codes x codes) bool: which two codes (flattened, ``base[j] + x``) meet in some
        valid row; and per code whether it occurs in one at all. Exact, computed once."""
        if self._pairs is None:
            self._pairs = self._compute_pairs()
        return self._pairs

    def _solution_codes(self, model: Sequence[int]) -> np.ndarray:
        """Bool over the flattened codes: which codes a solver model sets."""
        # A model lists every variable in order, signed: variable i is model[i - 1].
        true = np.asarray(model, dtype=np.int64) > 0
        codes: np.ndarray = true[self._var_index] == self._positive
        return codes

    def _compute_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.code_lit.shape[0]
        column = np.repeat(np.arange(len(self.domains)), self.domains)
        same = column[:, None] == column[None, :]
        solver = self.solver
        rng = _Mix(len(self.cols) * 0x9E37 + n)
        pool = []
        for _ in range(POOL):
            solver.set_phases([v if rng.bits() >> 63 else -v for v in range(1, self.nvar + 1)])
            if not solver.solve():
                break
            pool.append(self._solution_codes(solver.get_model()))
        solver.set_phases([])
        if not pool:
            return np.zeros((n, n), dtype=bool), np.zeros(n, dtype=bool)
        seen = np.array(pool, dtype=np.float32)
        feasible = (seen.T @ seen) > 0
        # Unit propagation of each code: a conflict rules the code out, and every
        # literal it forces rules out the codes with the opposite literal.
        ruled = same.copy()
        np.fill_diagonal(ruled, False)
        index: dict[int, list[int]] = {}
        for i, lit in enumerate(self.code_lit.tolist()):
            index.setdefault(lit, []).append(i)
        unary = np.diag(feasible).copy()
        for i in range(n):
            if unary[i]:
                continue
            ok = solver.solve(assumptions=[int(self.code_lit[i])])
            if ok:
                codes = self._solution_codes(solver.get_model())
                feasible[i] |= codes
                feasible[:, i] |= codes
                unary[i] = True
            else:
                ruled[i, :] = True
                ruled[:, i] = True
        for i in np.flatnonzero(unary).tolist():
            ok, forced = solver.propagate(assumptions=[int(self.code_lit[i])])
            if not ok:  # pragma: no cover - a feasible code propagates without conflict
                continue
            for lit in forced:
                for other in index.get(-lit, ()):
                    ruled[i, other] = True
                    ruled[other, i] = True
        open_ = np.triu(~feasible & ~ruled, 1)
        recent: list[np.ndarray] = []
        for i, k in np.argwhere(open_).tolist():
            if not open_[i, k]:
                continue
            if any(r[i] and r[k] for r in recent):
                continue
            lits = [int(self.code_lit[i]), int(self.code_lit[k])]
            if solver.solve(assumptions=lits):
                recent.append(self._solution_codes(solver.get_model()))
                if len(recent) >= BATCH:
                    batch = np.array(recent, dtype=np.float32)
                    hit = (batch.T @ batch) > 0
                    feasible |= hit
                    open_ &= ~hit
                    recent = []
            else:
                ruled[i, k] = ruled[k, i] = True
        if recent:
            batch = np.array(recent, dtype=np.float32)
            feasible |= (batch.T @ batch) > 0
        feasible &= ~ruled | np.eye(n, dtype=bool)
        feasible = feasible | feasible.T
        np.fill_diagonal(feasible, unary)
        feasible.flags.writeable = False
        unary.flags.writeable = False
        return feasible, unary

    # -- explanations ----------------------------------------------------------------

    def core(self, partial: Sequence[int], origins: Sequence[int], keep: set[int]) -> set[int]:
        """A deletion-minimal subset of the constraints ``keep`` (box origins, parallel to
        ``origins``) that makes ``partial`` infeasible, boxes of origin < 0 always on;
        the empty set when the always-on boxes alone do."""
        if self._explainer is None:
            top = self.nvar
            clauses = list(self._structural)
            for clause, origin in zip(self.box_clauses, origins, strict=True):
                if origin < 0:
                    clauses.append(clause)
                    continue
                if origin not in self._selectors:
                    top += 1
                    self._selectors[origin] = top
                clauses.append([*clause, -self._selectors[origin]])
            self._explainer = Solver(name=SOLVER, bootstrap_with=clauses)
        solver = self._explainer
        base = self._assumptions(partial)
        chosen = {o for o in keep if o in self._selectors}
        if solver.solve(assumptions=base + [self._selectors[o] for o in sorted(chosen)]):
            raise ValueError("the partial row is feasible under these constraints")
        back = {self._selectors[o]: o for o in chosen}
        chosen = {back[lit] for lit in solver.get_core() or () if lit in back}
        for o in sorted(chosen):
            trial = chosen - {o}
            if not solver.solve(assumptions=base + [self._selectors[x] for x in sorted(trial)]):
                chosen = trial
        return chosen
