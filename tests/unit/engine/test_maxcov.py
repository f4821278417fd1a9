"""Budget-mode local search: coverage at a fixed row count, checked with plain itertools."""

from __future__ import annotations

import numpy as np

from generator.engine import cover
from generator.engine._maxcov import maximise
from generator.engine._rng import SplitMix64
from generator.model import Model, Parameter
from tests.unit.engine.test_postopt import _missing, _pairs, _targets, _Validity


def _uniform(v: int, k: int) -> Model:
    return Model(tuple(Parameter(f"k{i}", tuple(str(x) for x in range(v))) for i in range(k)))


def test_search_reaches_the_orthogonal_array_where_greedy_stops_short() -> None:
    # 3^4 at 9 rows: an OA(9; 2, 4, 3) covers all 54 pairs; the greedy starts do not.
    model = _uniform(3, 4)
    greedy = cover(model, max_jobs=9, optimise=False)
    searched = cover(model, max_jobs=9)
    assert greedy.covered < greedy.coverable
    assert len(searched.rows) == 9
    assert searched.covered == searched.coverable == 54


def test_search_improves_a_poor_start_and_keeps_frozen_rows() -> None:
    domains = [3] * 6
    validity = _Validity(domains, [((0, 0), (1, 1)), ((2, 2), (3, 0))])
    targets = _targets(domains, _pairs(6), validity)
    start = np.zeros((10, 6), dtype=np.int16)
    start[0] = [1, 2, 0, 1, 2, 0]
    start[1] = [2, 0, 1, 2, 0, 1]
    for r in range(2, 10):
        start[r] = r % 3  # constant rows: few pairs each
    assert all(validity.row_ok(row) for row in start)
    out = maximise(start, targets, validity, 2, SplitMix64(7), 2000)
    assert out.shape == start.shape
    assert out.dtype == np.int16
    assert (out[:2] == start[:2]).all()
    assert all(validity.row_ok(row) for row in out)
    assert _missing(out, targets) < _missing(start, targets)
    assert (maximise(start, targets, validity, 2, SplitMix64(7), 2000) == out).all()


def test_no_steps_or_nothing_free_returns_the_start() -> None:
    domains = [2] * 3
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(3), validity)
    start = np.array([[0, 0, 0], [1, 1, 1]], dtype=np.int16)
    assert (maximise(start, targets, validity, 0, SplitMix64(0), 0) == start).all()
    assert (maximise(start, targets, validity, 2, SplitMix64(0), 100) == start).all()
