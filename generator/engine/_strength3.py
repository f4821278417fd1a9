"""Strength-3 constructions for uniform models beyond one orthogonal array (engine stage 0).

These, and the smaller array wins:

* Covering perfect hash families over GF(q) for the smallest prime power q >= v
  (``_cphf``), folded onto v symbols when q > v: 4^21 in 127 rows and 5^40 in 365,
  the best known sizes; and two-stage arrays, a family a row or two short of a CPHF
  completed by a search over the tuples it misses (``_complete``): 3^100 in 139.
* For v = 3, cyclic arrays from one starter vector (``_cyclic3``): 3^14 in 45
  rows and 3^16 in 51, the best known, 3^20 in 63.
* Starters developed under an affine group on the symbols (``_group3``), for small k:
  4^8 in 88 rows, 5^7 in 185, 3^6 in 33 (the best known), 5^8 in 205.
* Starters with a multiplier symmetry (``_multiplier3``), for k <= 2v: 5^10 in 185
  rows and 3^6 in 33, the best known (5^10 was 225 from a doubling).
* For v = 2 and k <= 11, the 12 rows of a Paley Hadamard matrix (the best known).
* Squaring over the affine plane AG(2, q) (``_square3``): CA(3(N - 1) + 1; 3, q^2, 2)
  from CA(N; 3, q, 2), four blocks for v > 2; 2^100 in 34 rows from the Paley array.
* Doubling (Chateauneuf and Kreher, J. Combin. Des. 2002): from CA(N3; 3, h, v) A
  and CA(N2; 2, h, v) B, the rows [A | A] and, for each shift s = 1..v-1,
  [B | B + s mod v] form a CA(N3 + (v-1) N2; 3, 2h, v). Three columns in one half
  are covered by A; columns c, d on the left and c' (c's twin) on the right need
  (a, b, a + s): s = 0 comes from A, s > 0 from B's pair (a, b) in columns c, d;
  three columns with distinct twins are A's. 5^12 in 225 rows from OA(5^3) and
  OA(5^2) (the best known); the halves come from ``base`` recursively.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from generator.engine._cphf import cphf_array, two_stage
from generator.engine._cyclic3 import cyclic3
from generator.engine._distinct import distinct_rows, fold
from generator.engine._gf import prime_power_from
from generator.engine._group3 import group3
from generator.engine._multiplier3 import multiplier3
from generator.engine._rng import SplitMix64
from generator.engine._square3 import square_from

__all__ = ["double", "paley_binary", "strength3"]

# CPHF search steps (each about ``_cphf._WORK_UNIT`` scored entries) per model: about
# a second here for the sizes tried in turn.
_CPHF_BUDGET = 8_000
_MAX_CPHF_Q = 11  # q^3 rows per block: 1,331 at q = 11

Base = Callable[[int, int, int], "np.ndarray | None"]
"""base(v, k, t): a known CA(t, k, v) (uniform), or None."""


def double(a3: np.ndarray, a2: np.ndarray, v: int, k: int) -> np.ndarray:
    """CA(3, k, v) for k <= 2h from CA(3, h, v) ``a3`` and CA(2, h, v) ``a2`` (doubling)."""
    h = a3.shape[1]
    if a2.shape[1] != h or k > 2 * h:
        raise ValueError("doubling needs halves with the same columns, k <= 2h")
    top = np.concatenate([a3, a3], axis=1)
    shifted = [np.concatenate([a2, (a2 + s) % v], axis=1) for s in range(1, v)]
    arr = np.concatenate([top, *shifted])[:, :k].astype(np.int16)
    return distinct_rows(arr)


def paley_binary(k: int) -> np.ndarray:
    """CA(12; 3, k, 2) for k <= 11: the Paley Hadamard matrix of order 12, normalised
    to a first column of +1s, that column dropped, +1 read as 1 and -1 as 0.

    The matrix is I + S, S the skew conference matrix of the quadratic residues
    mod 11; that its 11 columns cover all 8 triples of every 3 is checked in the
    tests against brute force (CAN(3, 11, 2) = 12).
    """
    if not 1 <= k <= 11:
        raise ValueError("the order-12 Paley array has 11 columns")
    p = 11
    residues = {(x * x) % p for x in range(1, p)}
    diff = (np.arange(p)[None, :] - np.arange(p)[:, None]) % p
    chi = np.where(diff == 0, 0, np.where(np.isin(diff, list(residues)), 1, -1))
    skew = np.zeros((p + 1, p + 1), dtype=np.int64)
    skew[0, 1:], skew[1:, 0], skew[1:, 1:] = 1, -1, chi
    hadamard = np.eye(p + 1, dtype=np.int64) + skew
    hadamard *= hadamard[:, [0]]
    return (hadamard[:, 1 : k + 1] > 0).astype(np.int16)


def _over_field(v: int, build: Callable[[int], np.ndarray | None]) -> np.ndarray | None:
    """``build(q)``, a CA(3, k, q) over the smallest field q >= v (a hash family's),
    folded onto v symbols; None when that field is too large or ``build`` finds none."""
    q = prime_power_from(v)
    if q > _MAX_CPHF_Q:
        return None
    arr = build(q)
    return arr if arr is None or q == v else fold(arr, v)


def strength3(
    v: int, k: int, below: int, base: Base | None, search: bool = True
) -> np.ndarray | None:
    """The smallest CA(3, k, v) here with fewer than ``below`` rows, or None.

    ``base`` supplies the halves of a doubling (None: no doubling);
    the hash family is searched first so that its size can rule a doubling out.
    ``search=False`` skips the searched families (hash family, cyclic starter): only
    the Paley array and doubling, a few milliseconds.
    """
    best = None
    if v > 2 and search:
        best = _over_field(v, lambda q: cphf_array(q, k, below, _CPHF_BUDGET))
    if v == 2 and 5 <= k <= 11 and below > 12:
        best = paley_binary(k)
    if best is not None:
        below = best.shape[0]
    if v == 3 and search:  # v = 4 starters exist only with more rows than the hash families
        found = cyclic3(v, k, below)
        if found is not None:
            best, below = found, found.shape[0]
    if search:
        found = multiplier3(v, k, below)
        if found is not None:
            best, below = found, found.shape[0]
        found = group3(v, k, below)
        if found is not None:
            best, below = found, found.shape[0]
    if base is not None:
        found = square_from(v, k, below, base)
        if found is not None:
            best, below = found, found.shape[0]
    # after the others, whose sizes it must beat, and before a doubling, which it may
    # rule out (3^100: 139 rows, so 3^50's strength-2 half is not searched); a
    # doubling's half (no ``base``) skips it: a search of about a second that did not
    # make a doubling win (3^20, 3^50)
    if v > 2 and search and base is not None:
        found = _over_field(v, lambda q: two_stage(q, k, below, SplitMix64(0x2575)))
        if found is not None:
            best, below = found, found.shape[0]
    if base is not None and k >= 8:
        h = math.ceil(k / 2)
        a3 = base(v, h, 3)
        # B has at least v^2 rows: skip the strength-2 half when even that cannot win
        if a3 is not None and a3.shape[0] + (v - 1) * v * v < below:
            a2 = base(v, h, 2)
            if a2 is not None and a3.shape[0] + (v - 1) * a2.shape[0] < below:
                best = double(a3, a2, v, k)
    return best
