"""Incomplete transversal designs from quasi-difference matrices (strength 2).

Pipeline stage: construction (``_construct``), for few columns of v symbols when v is
not a prime power, so that no OA(v^2; 2, v + 1, v) exists. A TD(k, v) with a hole of
size u (k - 2 incomplete mutually orthogonal Latin squares of order v with a hole of
size u) covers every pair except those of the u hole symbols on two columns, in
v^2 - u^2 rows; CAN(2, k, u) rows over the hole symbols cover the rest:
CA(v^2 - u^2 + CAN(2, k, u); 2, k, v). Colbourn's table has 10^6 in 96 + 6 = 102 rows
this way (Brouwer's four IMOLS(10, 2)); u = 1 gives k - 2 MOLS(v), 10^4 in 100.

The design is developed from a (g, k; 1, 1; u) quasi-difference matrix over an abelian
group G of order g = v - u (Colbourn and Dinitz, Handbook of Combinatorial Designs,
2nd ed., VI.17): a k x (g + 2u) matrix over G and a blank, each row with u blanks and
each column with at most one, in which every two rows differ, over the columns where
neither is blank, by every element of G exactly once. Each column and each element x
of G give one row (the column plus x, a row's blanks read as its own hole symbols, one
per blank), so every finite pair meets once and each hole symbol meets every finite
one once.

The matrix is found by SAT (python-sat, MiniSat 2.2: on these formulas it answered
fastest of the solvers tried, 2,680 conflicts for Z_2 x Z_4 with k = 6 against 25,000
to 116,000 for Glucose 4 and CaDiCaL), each group and hole size with a conflict budget,
so the answer depends on the inputs alone. Cyclic groups are not enough: Z_8 with
k = 6 gave CaDiCaL no answer in 600 s, while Z_2 x Z_4 and Z_2^3 answer in 0.1 s; Z_5
with k = 4 and u = 1 (two MOLS(6), which do not exist) is refuted in 0.4 s.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable

import numpy as np
from pysat.card import CardEnc, EncType
from pysat.formula import IDPool
from pysat.solvers import Solver

__all__ = ["abelian_groups", "developed", "itd_array", "quasi_difference_matrix"]

SOLVER = "minisat22"
CONFLICTS = 20_000
"""Conflict budget per group and hole size, about a second at v = 10. Found within it:
Z_9 with k = 4 (u = 1) in 161 conflicts, Z_2^3 with k = 6 (u = 2) in 1,467, Z_13 with
k = 4 in 8,634, Z_11 in 10,808. Beyond it: Z_14 with k = 4 (59,619), Z_2^4 with k = 4,
u = 2 (25,785), and the refutation of Z_5 with k = 4, u = 1 (about 24,000)."""
TOTAL_CONFLICTS = 60_000
"""Conflict budget per model over all groups and hole sizes: an attempt that fails spends
the whole of its budget (three MOLS(10), for 10^5 with u = 1, are not known to exist), so
10^5 spends 40,000 before Z_2^3 with u = 2 answers, and 10^10 2 s for nothing."""
MAX_V = 16
"""Largest v tried: a conflict costs more as the formula grows (about k^2 v^3 clauses);
20,000 conflicts take 3 s at v = 22 against 1 s at v = 10."""
BLANK = -1

Hole = Callable[[int, int], "np.ndarray | None"]
"""hole(u, k): a CA(2, k, u) over symbols 0..u-1, or None."""


def abelian_groups(order: int) -> list[tuple[int, ...]]:
    """Every abelian group of ``order`` as its invariant factors (m1 | m2 | ...), those
    with more factors first. Which group has a matrix is not known in advance: Z_2^3
    answers for 10^6 where Z_8 does not, the cyclic Z_9 for 10^4 where Z_3^2 does not."""
    found: list[tuple[int, ...]] = []

    def extend(prefix: tuple[int, ...], rest: int) -> None:
        if rest == 1:
            found.append(prefix)
            return
        low = prefix[-1] if prefix else 2
        for m in range(low, rest + 1):
            if rest % m == 0 and (not prefix or m % prefix[-1] == 0):
                extend((*prefix, m), rest // m)

    extend((), order)
    return sorted(found, key=lambda g: (-len(g), g))


@functools.lru_cache(maxsize=32)
def _addition(moduli: tuple[int, ...]) -> np.ndarray:
    """The group's addition table over element indices (mixed radix, last digit fastest),
    read-only: the matrix search and its development share it."""
    elements = np.array(list(itertools.product(*(range(m) for m in moduli))), dtype=np.int64)
    mods = np.array(moduli, dtype=np.int64)
    sums = (elements[:, None, :] + elements[None, :, :]) % mods
    weights = np.array([int(np.prod(mods[i + 1 :])) for i in range(len(moduli))], dtype=np.int64)
    table: np.ndarray = (sums * weights).sum(axis=2)
    table.flags.writeable = False
    return table


def quasi_difference_matrix(
    moduli: tuple[int, ...], k: int, u: int, conflicts: int = CONFLICTS
) -> tuple[np.ndarray | None, int]:
    """(a (g, k; 1, 1; u) quasi-difference matrix over Z_m1 x Z_m2 x ... as element
    indices with ``BLANK`` for blanks, or None when refuted or not found within
    ``conflicts``; the conflicts spent)."""
    add = _addition(moduli)
    g = add.shape[0]
    width = g + 2 * u
    if k * u > width:
        return None, 0
    # Each column has at most one blank and each row u: rows and columns permute freely,
    # so row i's blanks are columns u*i .. u*i + u - 1; translating a column by an element
    # keeps every difference, so its first entry that is not blank is 0.
    blank = {(i, col) for i in range(k) for col in range(u * i, u * i + u)}
    pool = IDPool()
    clauses: list[list[int]] = []

    def cell(i: int, col: int, x: int) -> int:
        return int(pool.id(("cell", i, col, x)))

    for i, col in itertools.product(range(k), range(width)):
        if (i, col) not in blank:
            lits = [cell(i, col, x) for x in range(g)]
            clauses += CardEnc.equals(lits, 1, vpool=pool, encoding=EncType.pairwise).clauses
    for col in range(width):
        first = next(i for i in range(k) if (i, col) not in blank)
        clauses.append([cell(first, col, 0)])
    minus = np.argmin(add, axis=1)  # add[x, minus[x]] == 0, the identity
    for i, j in itertools.combinations(range(k), 2):
        common = [c for c in range(width) if (i, c) not in blank and (j, c) not in blank]
        for d in range(g):
            # meets[col]: column col has q_i - q_j = d, i.e. q_j = q_i - d
            meets = []
            for col in common:
                meet = pool.id(("meet", i, j, col, d))
                meets.append(meet)
                ways = []
                for x in range(g):
                    a, b = cell(i, col, x), cell(j, col, int(add[x, minus[d]]))
                    way = pool.id(("way", a, b))
                    clauses += [[-a, -b, meet], [-way, a], [-way, b]]
                    ways.append(way)
                clauses.append([-meet, *ways])
            clauses += CardEnc.equals(meets, 1, vpool=pool, encoding=EncType.seqcounter).clauses
    with Solver(name=SOLVER, bootstrap_with=clauses) as solver:
        solver.conf_budget(conflicts)
        answer = solver.solve_limited()
        spent = int(solver.accum_stats()["conflicts"])
        if not answer:
            return None, spent
        true = {lit for lit in solver.get_model() if lit > 0}
    out = np.full((k, width), BLANK, dtype=np.int64)
    for i, col in itertools.product(range(k), range(width)):
        if (i, col) not in blank:
            out[i, col] = next(x for x in range(g) if cell(i, col, x) in true)
    return out, spent


def developed(matrix: np.ndarray, add: np.ndarray) -> np.ndarray:
    """The incomplete transversal design of a quasi-difference matrix: one row per column
    and group element, the columns its k rows; a row's j-th blank reads as symbol g + j."""
    k, width = matrix.shape
    g = add.shape[0]
    entries = np.empty((width, g, k), dtype=np.int64)
    for i in range(k):
        blanks = 0
        for col in range(width):
            if matrix[i, col] == BLANK:
                entries[col, :, i] = g + blanks
                blanks += 1
            else:
                entries[col, :, i] = add[matrix[i, col], :]
    return entries.reshape(width * g, k)


def itd_array(v: int, k: int, below: int, hole: Hole) -> np.ndarray | None:
    """A CA(v^2 - u^2 + CAN(2, k, u); 2, k, v) with fewer than ``below`` rows from an
    incomplete transversal design, hole sizes u tried smallest array first, or None.
    (``_construct`` caches its constructions, so each model asks once.)"""
    if k < 4 or v > MAX_V:
        return None
    plans: list[tuple[int, int, np.ndarray]] = []
    # k - 2 incomplete MOLS of order v with a hole of size u need v >= (k - 1) u
    for u in range(1, v // (k - 1) + 1):
        tail = np.zeros((1, k), dtype=np.int16) if u == 1 else hole(u, k)
        if tail is not None and v * v - u * u + tail.shape[0] < below:
            plans.append((v * v - u * u + tail.shape[0], u, tail))
    left = TOTAL_CONFLICTS
    for _, u, tail in sorted(plans, key=lambda p: (p[0], p[1])):
        for moduli in abelian_groups(v - u):
            if left <= 0:
                return None
            matrix, spent = quasi_difference_matrix(moduli, k, u, min(CONFLICTS, left))
            left -= spent
            if matrix is not None:
                design = developed(matrix, _addition(moduli))
                rows = np.concatenate([design, tail.astype(np.int64) + (v - u)])
                return rows.astype(np.int16)
    return None
