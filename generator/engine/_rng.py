"""The engine's own PRNG: SplitMix64 on Python integers.

Output depends only on the seed (never on the platform, NumPy build or
PYTHONHASHSEED), which is what makes ``--seed`` reproducible byte for byte.
"""

from __future__ import annotations

__all__ = ["SplitMix64"]

_MASK = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea and Flood's SplitMix64 generator (as in java.util.SplittableRandom)."""

    __slots__ = ("_state",)

    def __init__(self, seed: int) -> None:
        self._state = seed & _MASK

    def next(self) -> int:
        """The next 64-bit unsigned integer."""
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """A uniform integer in ``[0, n)`` (n >= 1), by rejection (no modulo bias)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _MASK - (_MASK + 1) % n
        while True:
            x = self.next()
            if x <= limit:
                return x % n

    def random(self) -> float:
        """A float in ``[0, 1)`` built from the top 53 bits."""
        return (self.next() >> 11) / float(1 << 53)

    def fork(self, stream: int) -> SplitMix64:
        """An independent generator for sub-task ``stream`` (e.g. one per restart)."""
        return SplitMix64(self.next() ^ ((stream * 0xD1B54A32D192ED03) & _MASK))
