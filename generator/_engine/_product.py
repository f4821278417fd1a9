"""Product starts for the post-optimiser: CA(N1 + N2 - v; 2, k1 * k2, v).

Pipeline stage: post-optimisation (a start array for ``_postopt.shrink``). With A an
OA(v^2; 2, v+1, v) (v a prime power) and B a CA(N2; 2, k2, v) whose first v rows are
constant, column (i, j) of the product takes A's column i in A's rows and B's column
j in B's non-constant rows. Two columns with i != i' meet every pair in A's rows;
columns with i == i' meet every (x, y), x != y, in B's non-constant rows (j != j') and
every (x, x) in A's rows, so B's constant rows are not needed. B comes from a short
post-optimisation of the sub-model v^k2 with the constant rows frozen, which is why
this lives beside the search and not in ``_construct``: 4^50 starts from 16 + 21 = 37
rows against 40 for the hash stack (the search from the hash stack stalls at 38-39).
Deterministic: the sub-search runs on a fixed seed and a fixed step budget.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from generator._engine._construct import construct, orthogonal_array
from generator._engine._rng import SplitMix64

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["product_start"]

# v = 3 is left out: 3^13 (= 4 x 4) gained nothing and spent 0.7 s on the sub-search.
# Sub-models up to this many pair tuples (4^20: 3,040) are searched; bigger ones cost
# seconds and gave nothing (4^400 = 5 x 80: 52 rows, as from the hash stack).
_SUB_TUPLES = 4_000
_SUB_STEPS = 5_000


@dataclass(frozen=True, slots=True)
class _Pairs:
    sets: tuple[tuple[int, ...], ...]
    radix: tuple[tuple[int, ...], ...]
    required: tuple[np.ndarray, ...]


class _Free:
    """No constraints: every row is valid."""

    def __init__(self, v: int) -> None:
        self.v = v

    def row_ok(self, row: np.ndarray) -> bool:
        return True

    def allowed(self, row: np.ndarray, col: int) -> np.ndarray:
        return np.ones(self.v, dtype=bool)


def _prime_power(q: int) -> bool:
    p = next(d for d in range(2, q + 1) if q % d == 0)
    while q % p == 0:
        q //= p
    return q == 1


def product_start(domains: Sequence[int]) -> np.ndarray | None:
    """A t=2 covering array of uniform ``domains`` by the product above, or None."""
    k = len(domains)
    v = int(domains[0]) if k else 0
    if v < 4 or any(int(d) != v for d in domains) or not _prime_power(v):
        return None
    k1 = v + 1
    k2 = math.ceil(k / k1)
    if k2 < 3 or math.comb(k2, 2) * v * v > _SUB_TUPLES:
        return None
    from generator._engine._postopt import shrink

    base = construct([v] * k2, 2, search=False)
    if base is None:
        base = np.array(list(itertools.product(range(v), repeat=k2)), dtype=np.int16)
    const = np.repeat(np.arange(v, dtype=np.int16)[:, None], k2, axis=1)
    start = np.concatenate([const, base.astype(np.int16)])
    sets = tuple(itertools.combinations(range(k2), 2))
    pairs = _Pairs(sets, tuple((v, v) for _ in sets), tuple(np.ones(v * v, bool) for _ in sets))
    sub = shrink(start, pairs, _Free(v), v, SplitMix64(0), _SUB_STEPS)
    a = orthogonal_array(v, 2, k1)
    b = np.asarray(sub, dtype=np.int16)[v:]
    out = np.concatenate([np.repeat(a, k2, axis=1), np.tile(b, (1, k1))])[:, :k]
    return out.astype(np.int16)
