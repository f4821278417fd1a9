"""Cover starters with three or more fixed symbols for strength 2 (a construction).

Lobb, Colbourn, Danziger, Stevens and Torres-Jimenez (Discrete Math. 2012) fix f
symbols and develop one starter vector of length k over Z_(v-f): (v-f)k rows, plus a
CA(2, k, f) over the fixed symbols, CA((v-f)k + CAN(2, k, f); 2, k, v). ``_construct``
tries f = 1 and 2; more fixed symbols pay when k is a little above 2v, where (v-f)k
falls faster than CAN(2, k, f) grows (10^25: f = 4 gives 150 + 31 rows, against 199
from the other families; Colbourn's table lists 178 from this family post-optimised).
The starter search is ``_qcyclic.StarterSearch`` with one vector.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from generator.engine._qcyclic import fixed_starter
from generator.engine._rng import SplitMix64

__all__ = ["FixedStarter", "Tail", "many_fixed", "with_smaller_tail"]

# Every distance d between two columns needs its k positions to show all v - f
# differences among finite pairs and each fixed symbol before and after a finite one.
# A fixed symbol appearing once would fail at the distance to another fixed entry, so
# each appears at least twice: some 4f positions per distance meet a fixed entry,
# and k >= v + 3f roughly. Starters were found at k / (v + 3f) = 1.06 (8^18, f = 3: 3 of 3
# runs within 1,000 steps), 1.11 (10^21, f = 3), 1.14 (10^25, f = 4) and 1.19 (9^25, f = 4),
# not at 1.0 (10^25, f = 5), 1.04 (9^25, f = 5: 4 runs of 6,000 steps) or 1.05 (10^20,
# f = 3: 3 runs of 4,000 steps; the two runs tried cost about 1.8 s there).
_SLACK = 1.05
_MAX_WORK = 100_000  # StarterSearch work of 10^25 with f = 4 is 90,000 (about 0.5 ms a step)

Tail = Callable[[int, int, int], "np.ndarray | None"]
"""tail(v, k, strength): a CA(strength, k, v), or None."""


class FixedStarter(NamedTuple):
    """A developed cover starter with f fixed symbols: (v - f)k rows, then its tail."""

    rows: np.ndarray
    fixed: int
    searched: bool  # the tail is ``smaller_tail``'s already


def many_fixed(
    v: int, k: int, below: int, tail_of: Tail, smaller_tail: Tail | None = None
) -> FixedStarter | None:
    """The smallest CA(2, k, v) from a starter with f >= 3 fixed symbols and fewer than
    ``below`` rows, or None: sizes are tried smallest first, the first found is kept.

    Each size's tail is ``tail_of``'s search-free array, or ``smaller_tail``'s where the
    search-free one leaves the size too large (8^20: 100 + 21 rows with 3^20 from a Bush
    array, not below the 120-row hash stack; 100 + 17 with the searched 3^20). The
    searched tail costs about a second, so a found size keeps its search-free tail until
    it has won (``with_smaller_tail``).
    """
    options: list[tuple[int, int, np.ndarray, bool]] = []  # rows, f, tail, tail searched
    for f in range(3, v - 1):
        if k < _SLACK * (v + 3 * f) or (k - 1) * (v + f + 1) * k * v > _MAX_WORK:
            continue
        # a CA(2, k, f) has at least f^2 rows: no tail can bring a size under ``below``
        if (v - f) * k + f * f >= below or (tail := tail_of(f, k, 2)) is None:
            continue
        searched = False
        if (v - f) * k + tail.shape[0] >= below and smaller_tail is not None:
            tail, searched = _smaller(tail, smaller_tail(f, k, 2)), True
        rows = (v - f) * k + tail.shape[0]
        if rows < below:
            options.append((rows, f, tail, searched))
    for _, f, tail, searched in sorted(options, key=lambda o: o[:2]):
        found = fixed_starter(v, k, f, tail.astype(np.int64), SplitMix64(0xF1C5 + f))
        if found is not None:
            return FixedStarter(found, f, searched)
    return None


def with_smaller_tail(found: FixedStarter, v: int, k: int, smaller_tail: Tail) -> np.ndarray:
    """``found``'s rows, its tail replaced by ``smaller_tail``'s CA(2, k, f) where that has
    fewer rows: any CA(2, k, f) covers the fixed-fixed pairs, so the starter does not
    depend on its tail (8^18: 90 + 21 rows -> 90 + 17)."""
    if found.searched:
        return found.rows
    f, split = found.fixed, (v - found.fixed) * k
    tail = found.rows[split:] - (v - f)  # back on the symbols 0..f-1
    better = _smaller(tail, smaller_tail(f, k, 2))
    return np.concatenate([found.rows[:split], better + (v - f)]).astype(found.rows.dtype)


def _smaller(tail: np.ndarray, other: np.ndarray | None) -> np.ndarray:
    return tail if other is None or other.shape[0] >= tail.shape[0] else other
