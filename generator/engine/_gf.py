"""Finite-field arithmetic for the algebraic constructions: GF(q) tables for q <= 64."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

__all__ = ["MAX_Q", "gf_power", "gf_tables", "prime_power", "prime_power_from", "primitive_element"]

# Largest field we build tables for; q^2 table entries.
MAX_Q = 64


def prime_power(q: int) -> tuple[int, int] | None:
    """(p, m) with q = p**m and p prime, or None."""
    if q < 2:
        return None
    for p in range(2, q + 1):
        if q % p == 0:
            m, r = 0, q
            while r % p == 0:
                r //= p
                m += 1
            return (p, m) if r == 1 else None
    return None  # pragma: no cover - the loop always returns for q >= 2


def prime_power_from(n: int) -> int:
    """The smallest prime power q >= n (below 2n, by Bertrand's postulate)."""
    return next(q for q in range(max(n, 2), 2 * max(n, 2) + 1) if prime_power(q) is not None)


def _poly_mulmod(a: int, b: int, p: int, m: int, modulus: Sequence[int]) -> int:
    """Product of two field elements (base-p digit vectors) modulo a monic polynomial."""
    da = [(a // p**i) % p for i in range(m)]
    db = [(b // p**i) % p for i in range(m)]
    prod = [0] * (2 * m - 1)
    for i, x in enumerate(da):
        if x:
            for j, y in enumerate(db):
                prod[i + j] = (prod[i + j] + x * y) % p
    # reduce: x^m = -(modulus[0] + modulus[1] x + ... + modulus[m-1] x^(m-1))
    for d in range(2 * m - 2, m - 1, -1):
        c = prod[d]
        if c:
            prod[d] = 0
            for i in range(m):
                prod[d - m + i] = (prod[d - m + i] - c * modulus[i]) % p
    return sum(prod[i] * p**i for i in range(m))


def gf_tables(q: int) -> tuple[np.ndarray, np.ndarray]:
    """Addition and multiplication tables of GF(q), elements coded 0..q-1 (0 and 1 as usual)."""
    pm = prime_power(q)
    if pm is None or q > MAX_Q:
        raise ValueError(f"no field table for q={q}")
    p, m = pm
    idx = np.arange(q)
    if m == 1:
        return (idx[:, None] + idx[None, :]) % q, (idx[:, None] * idx[None, :]) % q
    digits = np.array([[(e // p**i) % p for i in range(m)] for e in range(q)])
    weights = p ** np.arange(m)
    add = (((digits[:, None, :] + digits[None, :, :]) % p) * weights).sum(-1)
    # first monic modulus (lexicographic in its low coefficients) that makes a field
    for low in itertools.product(range(p), repeat=m):
        if low[0] == 0:
            continue  # divisible by x
        mul = np.array(
            [[_poly_mulmod(a, b, p, m, low) for b in range(q)] for a in range(q)], dtype=np.int64
        )
        if all(bool((mul[a, 1:] == 1).any()) for a in range(1, q)):
            return add, mul
    raise AssertionError(f"no irreducible polynomial found for q={q}")  # pragma: no cover


def gf_power(mul: np.ndarray, g: int, e: int) -> int:
    """g**e in the field whose multiplication table is ``mul``."""
    out = 1
    for _ in range(e):
        out = int(mul[out, g])
    return out


def primitive_element(q: int) -> int:
    """The smallest element of GF(q) (coded as in ``gf_tables``) whose powers are all of GF(q)*."""
    mul = gf_tables(q)[1]
    for g in range(1, q):
        if len({gf_power(mul, g, e) for e in range(q - 1)}) == q - 1:
            return g
    raise AssertionError("no primitive element")  # pragma: no cover
