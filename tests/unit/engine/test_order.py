"""Greedy reordering: the lazy greedy picks what the greedy by definition picks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.catalog.loader import load_file
from generator.engine import Coverage
from generator.engine import _order as order
from generator.engine._order import reorder
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


@pytest.mark.parametrize("room", [0, 25, 10**9])  # lazy ids: none kept, some rows', all
@pytest.mark.parametrize("frozen", [0, 2])
def test_eager_and_lazy_match_the_plain_greedy(
    frozen: int, room: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(order, "LAZY_CACHE", room)
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
    lazy, lcum = reorder(rows, targets, frozen)
    assert (lazy == rows[want]).all()
    assert lcum[-1] == targets.total
    assert lcum == sorted(lcum)
    # Without dropping, every row is kept, the useless ones last in index order.
    full, cum = reorder(rows, targets, frozen, drop_useless=False)
    useless = [r for r in range(rows.shape[0]) if r not in want]
    assert (full == rows[want + useless]).all()
    assert cum[: len(want)] == lcum
    assert cum[len(want) :] == [lcum[-1]] * len(useless)


def test_reorder_on_a_constrained_model() -> None:
    model = load_file(MODELS / "ci_storage_network.yaml").model
    coverage = Coverage.of(model, 2)
    domains = coverage.compiled.domains
    targets = coverage.targets
    rng = SplitMix64(3)
    rows = np.array([[rng.below(d) for d in domains] for _ in range(60)], dtype=np.int16)
    out, cum = reorder(rows, targets, 1)
    assert (out[0] == rows[0]).all()  # the frozen row stays first
    # each prefix covers the required tuples counted, and each row added the most
    # new ones of all rows left at its turn
    left = [tuple(r) for r in rows[1:].tolist()]
    for i in range(out.shape[0]):
        covered = targets.flat & targets.covered(out[: i + 1])
        assert int(covered.sum()) == cum[i]
        if i:
            before = targets.flat & targets.covered(out[:i])
            gains = [
                int((targets.flat & ~before & targets.covered(np.array([r]))).sum()) for r in left
            ]
            assert cum[i] - cum[i - 1] == max(gains) > 0
            left.remove(tuple(out[i].tolist()))


def test_required_masks_are_shared_and_exact() -> None:
    model = load_file(MODELS / "ci_storage_network.yaml").model
    coverage = Coverage.of(model, 2)
    oracle = coverage.oracle
    for cols in coverage.sets:
        got = oracle.required(cols)
        assert not got.flags.writeable
        assert (got == oracle._required_mask(cols)).all()
