"""Squaring a strength-3 covering array over the affine plane AG(2, q) (engine stage 0).

From a CA(N; 3, q, v) ``A`` (q a prime power) this builds a CA(d(N - 1) + 1; 3, q^2, v):
the new columns are the points (a, b) of AG(2, q), and each of d blocks reads ``A``
through one linear map of the plane onto GF(q), h(a, b) = a + m b for a slope m, or
h(a, b) = b. Two points share h's value exactly when the line through them has h's
direction, so distinct maps merge distinct pairs of points.

Why d maps suffice, for three points P1, P2, P3:

* On a line: every pair has that line's direction, so at most one block merges
  them (all three); the others separate them and cover every triple of symbols.
* Not on a line: the three pairs have three directions and each block merges at
  most one pair. With d = 4 some block merges none and covers every triple. With
  d = 3 and v = 2 a binary triple (x1, x2, x3) always repeats a symbol in some
  pair (i, j); a block that merges nothing, or merges exactly (i, j), covers it,
  and if all three blocks merge a pair they merge all three pairs, (i, j) among
  them.

Every block's rows come from ``A`` after relabelling each column's symbols so that
its first row is constant: that row is the same in every block and is kept once.
The binary case is the power construction behind the best known 2^121 in 33 rows:
the Paley CA(12; 3, 11, 2) gives 2^100 and 2^121 in 34 rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from generator.engine._distinct import distinct_rows
from generator.engine._gf import MAX_Q, gf_tables, prime_power

__all__ = ["square3", "square_from", "squared_rows"]

Base = Callable[[int, int, int], "np.ndarray | None"]


def _maps(v: int) -> int:
    """How many linear maps the square needs: three for binary symbols, else four."""
    return 3 if v == 2 else 4


def squared_rows(inner_rows: int, v: int) -> int:
    """Rows of the square of a CA(inner_rows; 3, q, v), before duplicates are dropped."""
    return _maps(v) * (inner_rows - 1) + 1


def square3(inner: np.ndarray, v: int, k: int) -> np.ndarray:
    """CA(3, k, v) for k <= q^2 from a CA(3, q, v) ``inner`` with q a prime power."""
    q = inner.shape[1]
    if prime_power(q) is None or q > MAX_Q or not 3 <= k <= q * q or q + 1 < _maps(v):
        raise ValueError("squaring needs a prime-power column count q >= 3 and k <= q^2")
    add, mul = gf_tables(q)
    a = np.arange(k) // q  # point i of the plane is (i // q, i % q)
    b = np.arange(k) % q
    maps = [b] + [add[a, mul[m, b]] for m in range(_maps(v) - 1)]
    normal = (inner.astype(np.int64) - inner[0]) % v  # first row constant 0
    blocks = [normal[:, h] for h in maps]
    arr = np.concatenate([blocks[0], *(block[1:] for block in blocks[1:])]).astype(np.int16)
    return distinct_rows(arr)


def square_from(v: int, k: int, below: int, base: Base) -> np.ndarray | None:
    """The square of ``base``'s CA(3, q, v) for the smallest prime power q with q^2 >= k,
    when it has fewer than ``below`` rows, or None.

    The inner array is asked for only when even v^3 rows would let the square win.
    """
    q = next((q for q in range(3, MAX_Q + 1) if q * q >= k and prime_power(q)), None)
    if q is None or k <= q or squared_rows(v**3, v) >= below:
        return None
    inner = base(v, q, 3)
    if inner is None or squared_rows(inner.shape[0], v) >= below:
        return None
    found = square3(inner, v, k)
    return found if found.shape[0] < below else None
