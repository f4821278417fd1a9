"""Post-optimised product factors: covering, no larger, constant rows kept when asked."""

from __future__ import annotations

import itertools

import numpy as np

from generator.engine._construct import orthogonal_array
from generator.engine._distinct import fold
from generator.engine._polish import polish


def _missing_pairs(arr: np.ndarray, v: int) -> int:
    cols = arr.T.tolist()
    return sum(v * v - len(set(zip(a, b, strict=True))) for a, b in itertools.combinations(cols, 2))


def test_a_folded_orthogonal_array_shrinks_and_keeps_its_constant_rows() -> None:
    # OA(49; 2, 7, 7) folded onto 6 symbols: loose (48 rows), with 6 constant rows
    loose = fold(orthogonal_array(7, 2, 7), [6] * 7)
    flat = (loose == loose[:, :1]).all(axis=1)
    assert loose.shape[0] == 48
    assert int(flat.sum()) == 6
    kept = polish(loose, 6, True)
    assert kept.shape[0] < loose.shape[0]
    assert _missing_pairs(kept, 6) == 0
    assert sorted(int(r[0]) for r in kept[:6]) == list(range(6))
    assert (kept[:6] == kept[:6, :1]).all()
    free = polish(loose, 6)
    assert free.shape[0] <= kept.shape[0]
    assert _missing_pairs(free, 6) == 0


def test_an_optimal_array_comes_back_unchanged() -> None:
    oa = orthogonal_array(5, 2, 6)  # 25 rows: the trivial bound
    assert polish(oa, 5).tobytes() == oa.tobytes()
