"""Strength-3 starters with a multiplier symmetry: CA(q + (2q - 1) q (q - 1); 3, 2q, q).

Over GF(q) with a primitive element w and n = 2(q - 1), take columns A, B and
C_0 .. C_(n-1), and for one vector x (with x[A] = 0, x[B] in {0, 1}) the 2q - 1
starter rows

    R   = (0, 0, 1, w, w^2, ..., w^(n-1))          (R[C_j] = w^j),
    S_s = w^s (x[A], x[B], x[C_(-s)], ..., x[C_(n-1-s)])    for s in Z_n.

The map sigma: C_j -> C_(j+1) on the columns, u -> w u on the symbols, carries R
onto itself and S_s onto S_(s+1). Developed under the affine group u -> a u + b of
GF(q) (``_group3.develop``, h = q - 1) with the q constant rows, the starter gives
q + (2q - 1) q (q - 1) rows; they form a CA(3, 2q, q) exactly when every three
columns show each of the group's q + 1 orbits on the non-constant triples in some
starter row. sigma keeps the orbit labels (the group has every multiplier), so one
triple of columns per sigma-orbit is checked, and S_s on a triple T reads x on
sigma^(-s) T.

This is the shape of Chateauneuf and Kreher's 185-row 5^10 ("On the state of
strength-three covering arrays", J. Combin. Des. 10, 2002, Theorem 3.4, the starter
of Kreher and Radziszowski; its rows are of this form up to the affine group) and of
the 33-row 3^6 of Chateauneuf, Colbourn and Kreher (1999); both sizes are the best
known. x is found by enumerating all 2 q^n vectors (exact, none missed): 162 for
q = 3, 781,250 for q = 5. q = 4 has none; q = 7 has 2 * 7^12 vectors, beyond
enumeration, and a SAT encoding of the same conditions was not answered in ten
minutes.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from generator.engine._distinct import distinct_rows
from generator.engine._gf import gf_power, gf_tables, prime_power, primitive_element
from generator.engine._group3 import develop, orbit_labels

__all__ = ["multiplier3", "multiplier_rows", "multiplier_starter", "passing", "starter_of"]

_ENUM_LIMIT = 1_000_000  # vectors x enumerated: q = 5 needs 781,250
_CHUNK = 200_000  # vectors checked at once (about 30 MB of labels)


def multiplier_rows(q: int) -> int:
    """Rows of the developed array: q constant rows plus (2q - 1) orbits of q (q - 1)."""
    return q + (2 * q - 1) * q * (q - 1)


def _shift(c: int, s: int, n: int) -> int:
    """sigma^s on column c (A = 0 and B = 1 fixed, C_j = 2 + j)."""
    return c if c < 2 else 2 + (c - 2 + s) % n


def _orbit_reps(k: int, n: int) -> list[tuple[int, int, int]]:
    """One column triple per orbit of sigma, the smallest of each."""
    seen: set[tuple[int, ...]] = set()
    reps = []
    for t in itertools.combinations(range(k), 3):
        if t not in seen:
            reps.append(t)
            seen.update(tuple(sorted(_shift(c, s, n) for c in t)) for s in range(n))
    return reps


def starter_of(q: int, x: np.ndarray) -> np.ndarray:
    """The starter rows R, S_0 .. S_(n-1) of vector x (length 2q, columns A, B, C_j)."""
    n, k = 2 * (q - 1), 2 * q
    mul = gf_tables(q)[1]
    powers = _powers(q)
    rows = [np.concatenate([[0, 0], powers])]
    rows += [mul[powers[s], x[[_shift(c, -s, n) for c in range(k)]]] for s in range(n)]
    return np.array(rows, dtype=np.int64)


def _powers(q: int) -> np.ndarray:
    """w^0 .. w^(n-1), n = 2(q - 1): the powers of GF(q)'s primitive element, twice over."""
    mul, w = gf_tables(q)[1], primitive_element(q)
    return np.array([gf_power(mul, w, s) for s in range(2 * (q - 1))])


def passing(q: int, cand: np.ndarray) -> np.ndarray:
    """Indices of the vectors (rows of ``cand``) whose starters satisfy every condition."""
    n, k = 2 * (q - 1), 2 * q
    lab, nlab = orbit_labels(q, q - 1)
    bit = np.where(lab < 0, 0, 1 << np.maximum(lab, 0)).astype(np.int64)
    full = (1 << nlab) - 1
    r = np.concatenate([[0, 0], _powers(q)])
    keep = np.arange(cand.shape[0])
    # each condition keeps only the vectors that pass it, so later ones see few
    for a, b, c in _orbit_reps(k, n):
        # S_s reads x on sigma^(-s) of the triple, in order; R's orbit is fixed
        cols = np.array([[_shift(col, -s, n) for col in (a, b, c)] for s in range(n)])
        sub = cand[keep]
        shown = np.bitwise_or.reduce(
            bit[sub[:, cols[:, 0]], sub[:, cols[:, 1]], sub[:, cols[:, 2]]], axis=1
        )
        keep = keep[((shown | int(bit[r[a], r[b], r[c]])) & full) == full]
        if keep.size == 0:
            break
    return keep


def multiplier_starter(q: int) -> np.ndarray | None:
    """The (2q - 1) x 2q starter of the first vector x (lexicographic) that works, or None.

    None also when q is not a prime power or 2 q^n vectors exceed ``_ENUM_LIMIT``.
    """
    found = _first_starter(q)
    return None if found is None else found.copy()


@functools.lru_cache(maxsize=8)
def _first_starter(q: int) -> np.ndarray | None:
    """``multiplier_starter``, cached: the enumeration for q = 5 takes a third of a second."""
    if q < 3 or prime_power(q) is None:
        return None
    n, k = 2 * (q - 1), 2 * q
    total = 2 * q**n  # x[A] = 0 (a translation), x[B] in {0, 1} (a multiplier)
    if total > _ENUM_LIMIT:
        return None
    for start in range(0, total, _CHUNK):
        code = np.arange(start, min(start + _CHUNK, total), dtype=np.int64)
        cand = np.zeros((code.size, k), dtype=np.int64)
        cand[:, 1] = code // q**n
        code %= q**n
        for j in range(k - 1, 1, -1):
            cand[:, j] = code % q
            code //= q
        keep = passing(q, cand)
        if keep.size:
            return starter_of(q, cand[keep[0]])
    return None


def multiplier3(v: int, k: int, below: int) -> np.ndarray | None:
    """CA(q + (2q - 1) q (q - 1); 3, k, v) for v = q and 4 <= k <= 2q, if it has fewer
    than ``below`` rows and a starter exists; else None."""
    if not 4 <= k <= 2 * v or multiplier_rows(v) >= below:
        return None
    starter = multiplier_starter(v)
    if starter is None:
        return None
    return distinct_rows(develop(starter, v, v - 1)[:, :k])
