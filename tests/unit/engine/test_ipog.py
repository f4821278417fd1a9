"""IPOG's row cap: the greedy build gives up once it cannot end at or below it."""

from __future__ import annotations

import numpy as np

from generator.engine import Coverage
from generator.engine._ipog import ipog
from generator.model import Model, Parameter


def _uniform(v: int, k: int, strength: int) -> Coverage:
    names = tuple(Parameter(f"p{i}", tuple(str(x) for x in range(v))) for i in range(k))
    return Coverage.of(Model(names), strength)


def _build(coverage: Coverage, above: int | None) -> np.ndarray | None:
    domains = coverage.compiled.domains
    start = np.empty((0, len(domains)), dtype=np.int16)
    return ipog(coverage.targets, coverage.oracle, domains, start, above=above)


def test_a_cap_at_or_above_the_size_changes_nothing() -> None:
    coverage = _uniform(3, 12, 3)
    full = _build(coverage, None)
    assert full is not None
    for above in (full.shape[0], full.shape[0] + 5):
        capped = _build(coverage, above)
        assert capped is not None
        assert (capped == full).all()


def test_a_cap_below_the_size_gives_up() -> None:
    coverage = _uniform(3, 12, 3)
    full = _build(coverage, None)
    assert full is not None
    assert _build(coverage, full.shape[0] - 1) is None
    assert _build(coverage, 27) is None  # 3^3 rows after the third column, more later
