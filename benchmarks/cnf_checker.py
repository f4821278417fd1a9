"""Independent SAT-based check of a pairwise array for a DIMACS CNF model.

Shares no code with the engine: the file is parsed here, and a different SAT solver
(Glucose 4, from python-sat) answers feasibility. An array passes when every row
satisfies every clause and every pair of option values that some satisfying
assignment contains appears in some row. Rows only contain feasible pairs, so it is
enough to prove each pair the rows miss infeasible: unit propagation settles most,
one solver call under the two assumptions settles the rest.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pysat.solvers import Solver

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CnfChecker", "parse_dimacs"]


def parse_dimacs(path: str | Path) -> tuple[int, list[list[int]]]:
    """(variables, clauses) of a DIMACS CNF file."""
    nvars = 0
    clauses: list[list[int]] = []
    current: list[int] = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("c"):
            continue
        if line.startswith("p"):
            nvars = int(line.split()[2])
            continue
        for token in line.split():
            lit = int(token)
            if lit == 0:
                clauses.append(current)
                current = []
            else:
                current.append(lit)
    if current:
        clauses.append(current)
    return nvars, clauses


class CnfChecker:
    """Pairwise coverage and validity of arrays over one CNF formula."""

    def __init__(self, path: str | Path) -> None:
        self.nvars, self.clauses = parse_dimacs(path)
        self.solver = Solver(name="glucose4", bootstrap_with=self.clauses)

    def close(self) -> None:
        self.solver.delete()

    def row_ok(self, values: Sequence[int]) -> bool:
        """Whether a full 0/1 assignment (variable i at index i-1) satisfies every clause."""
        return all(any((lit > 0) == bool(values[abs(lit) - 1]) for lit in c) for c in self.clauses)

    def _feasible(self, a: int, b: int) -> bool:
        ok, forced = self.solver.propagate(assumptions=[a])
        if not ok or -b in forced:
            return False
        return bool(self.solver.solve(assumptions=[a, b]))

    def check(self, rows: Sequence[Sequence[str]]) -> tuple[bool, str]:
        """(passed, reason) for rows of '0'/'1' strings, one column per variable in order."""
        n = self.nvars
        codes = np.array([[int(v) for v in row] for row in rows], dtype=np.int8).reshape(-1, n)
        for r, row in enumerate(codes.tolist()):
            if len(row) != n or not self.row_ok(row):
                return False, f"row {r + 1} violates a clause"
        # seen[i, a, j, b]: some row has variable i+1 = a and j+1 = b
        ones = codes.astype(np.float32)
        zeros = 1.0 - ones
        seen = {
            (1, 1): (ones.T @ ones) > 0,
            (1, 0): (ones.T @ zeros) > 0,
            (0, 1): (zeros.T @ ones) > 0,
            (0, 0): (zeros.T @ zeros) > 0,
        }
        for (a, b), hit in seen.items():
            for i, j in np.argwhere(~np.triu(hit, 1) & np.triu(np.ones_like(hit), 1)).tolist():
                la = (i + 1) if a else -(i + 1)
                lb = (j + 1) if b else -(j + 1)
                if self._feasible(la, lb):
                    return False, f"feasible pair x{i + 1}={a}, x{j + 1}={b} uncovered"
        return True, "ok"

    def feasible_pairs(self) -> int:
        """How many (variable pair, value pair) combinations some satisfying assignment has
        (slow: one question per pair; for small formulas and tests)."""
        count = 0
        for i, j in itertools.combinations(range(1, self.nvars + 1), 2):
            for la, lb in ((i, j), (i, -j), (-i, j), (-i, -j)):
                count += self._feasible(la, lb)
        return count
