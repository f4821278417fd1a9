"""Cyclotomic strength-3 covering arrays (engine stage 0, a construction without search).

For a prime q with v | q - 1 and a primitive root w mod q, the cyclotomic vector x of
length q reads x[i] = log_w(i) mod v (x[0] = 0): which of the v cosets of the index-v
subgroup of GF(q)* holds i. As in ``_cyclic3``, its q shifts developed over Z_v give the
rows x[s + j] + g (s in Z_q, g in Z_v) on the columns j in Z_q; one column more reads g
(the column at infinity), and the v constant rows follow where they are needed. The
result is a CA(vq or vq + v; 3, q + 1, v) exactly when

* for every pair of distances 0 < d1 < d2 < q, the q difference pairs
  (x[m + d1] - x[m], x[m + d2] - x[m]) over m hit every pair of Z_v (columns j1 < j2 < j3
  with values (a, b, c) are met at m = s + j1 by the pair (b - a, c - a), g = a - x[m]);
* for every distance 0 < d < q, the pairs (x[m], x[m + d]) hit every pair (columns
  j1 < j2 and infinity with values (a, b, c): (a - c, b - c), g = c);

with (0, 0) left to the constant rows when some distance misses it. Colbourn (Des. Codes
Cryptogr. 55, 2010) shows that the conditions hold once q is large against v
(character-sum bounds); here each candidate q is checked exactly, smallest first, so an
array is returned only when it covers. 4^38 in 152 rows (q = 37), 4^54 in 212 (q = 53,
no constant row needed) and 6^104 in 624 (q = 103), the sizes of Colbourn's table.
"""

from __future__ import annotations

import numpy as np

from generator.engine._cyclic3 import CyclicSearch, develop
from generator.engine._gf import prime_power

__all__ = ["cyclotomic3", "cyclotomic_vector"]

# Largest q checked: the check counts q^3 / 6 difference pairs (q = 193: about 0.1 s)
_MAX_Q = 200


def _is_prime(n: int) -> bool:
    power = prime_power(n)
    return power is not None and power[1] == 1


def _primitive_root(q: int) -> int:
    factors = [p for p in range(2, q) if (q - 1) % p == 0 and _is_prime(p)]
    return next(w for w in range(2, q) if all(pow(w, (q - 1) // p, q) != 1 for p in factors))


def cyclotomic_vector(q: int, v: int) -> np.ndarray:
    """x[i] = log_w(i) mod v for i in GF(q)*, x[0] = 0 (q prime, v | q - 1)."""
    if not _is_prime(q) or (q - 1) % v:
        raise ValueError(f"no index-{v} cyclotomy mod {q}")
    w = _primitive_root(q)
    x = np.zeros(q, dtype=np.int64)
    power = 1
    for exponent in range(q - 1):
        x[power] = exponent % v
        power = power * w % q
    return x


def _misses(x: np.ndarray, v: int, infinity: bool) -> tuple[bool, bool]:
    """(some distance misses a pair other than (0, 0), some distance misses (0, 0)).

    The pairs of distances are ``_cyclic3``'s conditions (one per column triple up to
    rotation); the column at infinity adds the pairs (x[m], x[m + d]) per distance d.
    """
    q = x.shape[0]
    counts = [CyclicSearch(v, q).counts(x)]
    if infinity:
        m = np.arange(q)
        codes = x[None, :] * v + x[(m[None, :] + m[1:, None]) % q]  # (d = 1..q-1, m)
        keys = (np.arange(q - 1)[:, None] * v * v + codes).ravel()
        counts.append(np.bincount(keys, minlength=(q - 1) * v * v).reshape(q - 1, v * v))
    hit = np.concatenate(counts) > 0
    return not hit[:, 1:].all(), not hit[:, 0].all()


def cyclotomic3(v: int, k: int, below: int) -> np.ndarray | None:
    """The smallest cyclotomic CA(3, k, v) with fewer than ``below`` rows, or None.

    Primes q = 1 mod v from k - 1 up are checked while vq < ``below`` and q <= ``_MAX_Q``;
    the first that covers ends the attempt (a larger q has more rows, v q' >= vq + 2v).
    """
    if v < 2 or k < 4:
        return None
    q = max(k - 1, v + 1)
    while v * q < below and q <= _MAX_Q:
        if (q - 1) % v == 0 and _is_prime(q):
            x = cyclotomic_vector(q, v)
            other, zero = _misses(x, v, infinity=k > q)
            if other:
                q += 1
                continue
            if v * q + (v if zero else 0) >= below:
                return None
            return develop(x, v, k, constant=zero)
        q += 1
    return None
