"""Greedy reordering: the eager (id table) and lazy greedies pick the same rows."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.catalog.loader import load_file
from generator.engine import Coverage
from generator.engine._order import _eager, _lazy, reorder
from generator.engine._rng import SplitMix64
from generator.engine._targets import build_targets
from tests.paths import BENCH_MODELS

MODELS = BENCH_MODELS


def _plain(rows: np.ndarray, sets: tuple[tuple[int, ...], ...], frozen: int) -> list[int]:
    """The greedy by definition: largest gain in tuples of every set, ties lowest index."""
    seen: set[tuple[int, tuple[int, ...]]] = set()

    def tuples(r: int) -> set[tuple[int, tuple[int, ...]]]:
        return {(s, tuple(int(rows[r, c]) for c in cols)) for s, cols in enumerate(sets)}

    order = list(range(min(frozen, rows.shape[0])))
    for r in order:
        seen |= tuples(r)
    left = list(range(frozen, rows.shape[0]))
    while left:
        gains = [len(tuples(r) - seen) for r in left]
        best = max(gains)
        if best == 0:
            break
        r = left.pop(gains.index(best))
        seen |= tuples(r)
        order.append(r)
    return order


@pytest.mark.parametrize("frozen", [0, 2])
def test_eager_and_lazy_match_the_plain_greedy(frozen: int) -> None:
    domains = [3, 2, 4, 3, 2]
    model_rows = np.array(list(itertools.product(*(range(d) for d in domains))), dtype=np.int16)
    rng = SplitMix64(7)
    pick = [rng.below(model_rows.shape[0]) for _ in range(40)]
    rows = model_rows[pick]
    sets = tuple(itertools.combinations(range(len(domains)), 2))

    class _Free:
        constrained = (False,) * len(domains)

    targets = build_targets(_Free(), domains, sets)  # type: ignore[arg-type]
    want = _plain(rows, sets, frozen)
    eager, ecum = _eager(rows, targets, frozen, True)
    lazy, lcum = _lazy(rows, targets, frozen, True)
    assert ecum == lcum
    assert (eager == rows[want]).all()
    assert (lazy == rows[want]).all()
    assert ecum[-1] == targets.total
    # Without dropping, both keep every row (useless ones last, in index order).
    full_e, cum_e = _eager(rows, targets, frozen, False)
    full_l, cum_l = _lazy(rows, targets, frozen, False)
    assert full_e.shape[0] == rows.shape[0]
    assert (full_e == full_l).all()
    assert cum_e == cum_l


def test_reorder_on_a_constrained_model() -> None:
    model = load_file(MODELS / "ci_storage_network.yaml").model
    coverage = Coverage.of(model, 2)
    domains = coverage.compiled.domains
    targets = coverage.targets
    rng = SplitMix64(3)
    rows = np.array([[rng.below(d) for d in domains] for _ in range(60)], dtype=np.int16)
    a, acum = reorder(rows, targets, 1)
    b, bcum = _lazy(rows, targets, 1, True)
    assert acum == bcum
    assert (a == b).all()


def test_required_masks_are_shared_and_exact() -> None:
    model = load_file(MODELS / "ci_storage_network.yaml").model
    coverage = Coverage.of(model, 2)
    oracle = coverage.oracle
    for cols in coverage.sets:
        got = oracle.required(cols)
        assert not got.flags.writeable
        assert (got == oracle._required_mask(cols)).all()
