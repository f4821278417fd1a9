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

import numpy as np

from generator.engine._qcyclic import fixed_starter
from generator.engine._rng import SplitMix64

__all__ = ["many_fixed"]

# Every distance d between two columns needs its k positions to show all v - f
# differences among finite pairs and each fixed symbol before and after a finite one.
# A fixed symbol appearing once would fail at the distance to another fixed entry, so
# each appears at least twice: some 4f positions per distance meet a fixed entry,
# and k >= v + 3f roughly. Starters were found at k / (v + 3f) = 1.14 (10^25, f = 4)
# and 1.19 (9^25, f = 4), not at 1.0 (10^25, f = 5) or 1.04 (9^25, f = 5: 4 runs of
# 6,000 steps).
_SLACK = 1.1
_MAX_WORK = 100_000  # StarterSearch work of 10^25 with f = 4 is 90,000 (about 0.5 ms a step)

Tail = Callable[[int, int, int], "np.ndarray | None"]
"""tail(v, k, strength): a search-free CA(strength, k, v), or None."""


def many_fixed(v: int, k: int, below: int, tail_of: Tail) -> np.ndarray | None:
    """The smallest CA(2, k, v) from a starter with f >= 3 fixed symbols and fewer than
    ``below`` rows, or None: sizes are tried smallest first, the first found is kept."""
    options: list[tuple[int, int, np.ndarray]] = []
    for f in range(3, v - 1):
        if k < _SLACK * (v + 3 * f) or (k - 1) * (v + f + 1) * k * v > _MAX_WORK:
            continue
        tail = tail_of(f, k, 2)
        if tail is None:
            continue
        rows = (v - f) * k + tail.shape[0]
        if rows < below:
            options.append((rows, f, tail))
    for _, f, tail in sorted(options, key=lambda o: o[:2]):
        found = fixed_starter(v, k, f, tail.astype(np.int64), SplitMix64(0xF1C5 + f))
        if found is not None:
            return found
    return None
