"""Post-optimiser: results checked with plain itertools against local test doubles."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from generator.engine import _postopt as postopt
from generator.engine._postopt import shrink
from generator.engine._rng import SplitMix64


@dataclass(frozen=True)
class _Targets:
    sets: tuple[tuple[int, ...], ...]
    radix: tuple[tuple[int, ...], ...]
    required: tuple[np.ndarray, ...]


_Box = tuple[tuple[int, int], ...]


class _Validity:
    """Rows are invalid when they contain one of the forbidden (col, value) pairs of pairs."""

    def __init__(self, domains: list[int], forbidden: Sequence[_Box]) -> None:
        self.domains = domains
        self.forbidden = forbidden

    def row_ok(self, row: np.ndarray) -> bool:
        return not any(all(int(row[c]) == v for c, v in f) for f in self.forbidden)

    def flip_ok(self, rows: np.ndarray, col: int, value: int) -> np.ndarray:
        return np.array([self.allowed(row, col)[value] for row in rows], dtype=bool)

    def allowed(self, row: np.ndarray, col: int) -> np.ndarray:
        out = np.zeros(self.domains[col], dtype=bool)
        for x in range(self.domains[col]):
            trial = row.copy()
            trial[col] = x
            out[x] = self.row_ok(trial)
        return out


def _feasible(
    domains: list[int], validity: _Validity, cols: tuple[int, ...]
) -> set[tuple[int, ...]]:
    if not validity.forbidden:
        return set(itertools.product(*(range(domains[c]) for c in cols)))
    rows = itertools.product(*(range(d) for d in domains))
    return {tuple(r[c] for c in cols) for r in rows if validity.row_ok(np.array(r))}


def _targets(
    domains: list[int],
    sets: list[tuple[int, ...]],
    validity: _Validity,
    na: frozenset[int] = frozenset(),
) -> _Targets:
    """Required = feasible (brute force) and free of the "not applicable" code of ``na`` columns."""
    required = []
    for s in sets:
        radix = [domains[c] for c in s]
        ok = _feasible(domains, validity, s)
        mask = np.zeros(math.prod(radix), dtype=bool)
        for i, combo in enumerate(itertools.product(*(range(r) for r in radix))):
            pairs = zip(s, combo, strict=True)
            applicable = all(not (c in na and x == domains[c] - 1) for c, x in pairs)
            mask[i] = combo in ok and applicable
        required.append(mask)
    return _Targets(tuple(sets), tuple(tuple(domains[c] for c in s) for s in sets), tuple(required))


def _missing(rows: np.ndarray, targets: _Targets) -> int:
    """Required tuples the rows do not contain (independent itertools count)."""
    missing = 0
    for s, radix, req in zip(targets.sets, targets.radix, targets.required, strict=True):
        seen = {tuple(int(r[c]) for c in s) for r in rows}
        for i, combo in enumerate(itertools.product(*(range(x) for x in radix))):
            if req[i] and combo not in seen:
                missing += 1
    return missing


def _initial(domains: list[int], targets: _Targets, validity: _Validity, seed: int) -> np.ndarray:
    """A deliberately wasteful valid covering array: random valid rows, then one row per gap."""
    gen = np.random.default_rng(seed)
    rows: list[np.ndarray] = []
    while len(rows) < 3 * max(domains) ** 2:
        row = gen.integers(0, domains).astype(np.int16)
        if validity.row_ok(row):
            rows.append(row)
    for s, radix, req in zip(targets.sets, targets.radix, targets.required, strict=True):
        for i, combo in enumerate(itertools.product(*(range(x) for x in radix))):
            if req[i] and not any(np.array_equal(r[list(s)], combo) for r in rows):
                while True:
                    row = gen.integers(0, domains).astype(np.int16)
                    row[list(s)] = combo
                    if validity.row_ok(row):
                        rows.append(row)
                        break
    return np.array(rows, dtype=np.int16)


def _pairs(k: int) -> list[tuple[int, ...]]:
    return list(itertools.combinations(range(k), 2))


def test_reaches_best_known_on_3_to_the_13() -> None:
    domains = [3] * 13
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(13), validity)
    start = _initial(domains, targets, validity, 1)
    out = shrink(start, targets, validity, 0, SplitMix64(0), 20000)
    assert _missing(out, targets) == 0
    assert out.dtype == np.int16
    assert out.shape[0] <= 16  # CAN(2,13,3) = 15; the start has more than 27 rows


def test_constraints_respected_and_feasible_tuples_covered() -> None:
    domains = [3, 3, 2, 4, 3, 2]
    forbidden = [((0, 0), (1, 1)), ((2, 1), (3, 3)), ((0, 2), (4, 0)), ((1, 2), (3, 0), (5, 1))]
    validity = _Validity(domains, forbidden)
    targets = _targets(domains, _pairs(6), validity)
    start = _initial(domains, targets, validity, 2)
    out = shrink(start, targets, validity, 0, SplitMix64(7), 5000)
    assert _missing(out, targets) == 0
    assert all(validity.row_ok(r) for r in out)
    assert out.shape[0] < start.shape[0]
    assert out.shape[0] >= 12  # the 3x4 sets with no forbidden pair need 12 rows


def test_frozen_rows_kept_first_and_unchanged() -> None:
    domains = [3, 3, 3, 3, 3]
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(5), validity)
    start = _initial(domains, targets, validity, 3)
    frozen = np.array([[0, 0, 0, 0, 0], [2, 2, 2, 2, 2], [0, 0, 0, 0, 0]], dtype=np.int16)
    rows = np.concatenate([frozen, start])
    out = shrink(rows, targets, validity, 3, SplitMix64(1), 3000)
    assert np.array_equal(out[:3], frozen)
    assert _missing(out, targets) == 0
    assert out.shape[0] <= 13  # CAN(2,5,3) = 11, plus the duplicate frozen row


def test_mixed_strength_sets() -> None:
    domains = [2, 2, 3, 2, 3, 2]
    validity = _Validity(domains, [((0, 1), (2, 2))])
    sets = sorted({*_pairs(6), (0, 1, 2), (1, 2, 3), (0, 2, 3), (0, 1, 3)})
    targets = _targets(domains, sets, validity)
    start = _initial(domains, targets, validity, 4)
    out = shrink(start, targets, validity, 0, SplitMix64(2), 5000)
    assert _missing(out, targets) == 0
    assert all(validity.row_ok(r) for r in out)
    assert out.shape[0] <= 14


def test_not_applicable_tuples_are_not_required() -> None:
    # column 3 has two real values and a "not applicable" code 2, forced when column 0 is 0
    domains = [3, 3, 3, 3]
    forbidden = [((0, 0), (3, 0)), ((0, 0), (3, 1)), ((0, 1), (3, 2)), ((0, 2), (3, 2))]
    validity = _Validity(domains, forbidden)
    targets = _targets(domains, _pairs(4), validity, na=frozenset({3}))
    start = _initial(domains, targets, validity, 5)
    out = shrink(start, targets, validity, 0, SplitMix64(3), 3000)
    assert _missing(out, targets) == 0
    assert all(validity.row_ok(r) for r in out)
    assert out.shape[0] <= 10  # 9 is optimal


def test_deterministic_for_a_seed() -> None:
    domains = [4] * 6
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(6), validity)
    start = _initial(domains, targets, validity, 6)
    a = shrink(start, targets, validity, 0, SplitMix64(42), 2000)
    b = shrink(start, targets, validity, 0, SplitMix64(42), 2000)
    assert a.tobytes() == b.tobytes()


def test_stops_at_the_trivial_lower_bound() -> None:
    domains = [3, 3]
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(2), validity)
    full = np.array(list(itertools.product(range(3), repeat=2)), dtype=np.int16)
    out = shrink(full, targets, validity, 0, SplitMix64(0), 10**9)  # would hang otherwise
    assert np.array_equal(out, full)


def test_zero_steps_still_drops_redundant_rows() -> None:
    domains = [2, 2, 2]
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(3), validity)
    rows = np.array(list(itertools.product(range(2), repeat=3)), dtype=np.int16)
    out = shrink(rows, targets, validity, 0, SplitMix64(0), 0)
    assert _missing(out, targets) == 0
    assert 4 <= out.shape[0] < 8


def test_incomplete_input_rejected() -> None:
    domains = [2, 2]
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(2), validity)
    with pytest.raises(ValueError, match="complete covering array"):
        shrink(np.zeros((2, 2), dtype=np.int16), targets, validity, 0, SplitMix64(0), 10)


def test_starts_from_a_smaller_construction_when_unconstrained() -> None:
    domains = [3] * 4
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(4), validity)
    start = _initial(domains, targets, validity, 8)
    out = shrink(start, targets, validity, 0, SplitMix64(0), 0)
    assert out.shape[0] == 9  # the Bush OA(9; 2, 4, 3), with no search step at all
    assert _missing(out, targets) == 0


def test_construction_not_used_when_a_row_would_be_invalid() -> None:
    domains = [3] * 4
    validity = _Validity(domains, [((0, 0), (1, 0), (2, 0), (3, 0))])  # kills no pair
    targets = _targets(domains, _pairs(4), validity)
    assert all(bool(r.all()) for r in targets.required)
    start = _initial(domains, targets, validity, 9)
    out = shrink(start, targets, validity, 0, SplitMix64(0), 2000)
    assert all(validity.row_ok(r) for r in out)
    assert _missing(out, targets) == 0


def test_without_the_id_cache_the_search_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    domains = [3, 3, 2, 4, 3, 2]
    forbidden = [((0, 0), (1, 1)), ((2, 1), (3, 3))]
    validity = _Validity(domains, forbidden)
    sets = sorted({*_pairs(6), (0, 1, 3)})
    targets = _targets(domains, sets, validity)
    start = _initial(domains, targets, validity, 10)
    cached = shrink(start, targets, validity, 2, SplitMix64(5), 1500)
    monkeypatch.setattr(postopt, "_CACHE_CAP", 0)
    uncached = shrink(start, targets, validity, 2, SplitMix64(5), 1500)
    assert cached.tobytes() == uncached.tobytes()
    assert _missing(uncached, targets) == 0
    assert np.array_equal(uncached[:2], start[:2])


@pytest.mark.parametrize("smallest_first", [True, False])
def test_each_construction_start_is_searched_and_the_smallest_result_kept(
    monkeypatch: pytest.MonkeyPatch, smallest_first: bool
) -> None:
    """Beside a product the search runs from two constructions (``construct_starts``):
    which one shrinks further is not known in advance, so both run and the smaller wins."""
    from generator.engine import _construct
    from generator.engine._construct import orthogonal_array

    domains = [3] * 4
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(4), validity)
    wasteful = _initial(domains, targets, validity, 3)
    # without search steps only redundant rows go: a start stuck above the OA's 9 rows
    stuck = shrink(wasteful, targets, validity, 0, SplitMix64(0), 0, known=False)
    assert stuck.shape[0] > 10
    oa = np.concatenate([orthogonal_array(3, 2, 4), stuck[:1]])  # 10 rows, one redundant
    starts = [oa, stuck] if smallest_first else [stuck, oa]
    monkeypatch.setattr(_construct, "construct_starts", lambda d, t: [s.copy() for s in starts])
    runs: list[int] = []
    descend = postopt._descend

    def counted(*args: object) -> np.ndarray:
        runs.append(1)
        return descend(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(postopt, "_descend", counted)
    out = shrink(wasteful, targets, validity, 0, SplitMix64(0), 0)
    assert len(runs) == 2
    assert out.shape[0] == 9
    assert _missing(out, targets) == 0


def test_a_construction_failing_the_guard_leaves_the_given_rows_searched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A start that does not cover everything is skipped; the given rows are searched."""
    from generator.engine import _construct

    domains = [3] * 4
    validity = _Validity(domains, [])
    targets = _targets(domains, _pairs(4), validity)
    wasteful = _initial(domains, targets, validity, 3)
    broken = np.zeros((5, 4), dtype=np.int16)  # smaller, and covers almost nothing
    monkeypatch.setattr(_construct, "construct_starts", lambda d, t: [broken.copy()])
    out = shrink(wasteful, targets, validity, 0, SplitMix64(0), 2000)
    assert _missing(out, targets) == 0
    assert out.shape[0] < wasteful.shape[0]
