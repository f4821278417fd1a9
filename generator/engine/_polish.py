"""Post-optimisation of a product's factors (strength 2, uniform, unconstrained).

A product CA(N1 + N2 - v; 2, k1 k2, v) (``_product``) is as small as its factors, and
its rigid blocks shrink badly once multiplied (``_construct.construct_start``), so the
wider factor is post-optimised on its own first: ``_postopt.shrink`` over all pairs of
v^k2 with no constraints (3^125 as a factor of 3^500, 4^40 of 4^200). The budget is
in steps, the engine's default budget (``_postopt.step_budget``) with a lower floor.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from generator.engine._postopt import shrink, step_budget
from generator.engine._rng import SplitMix64
from generator.engine._unconstrained import Tuples, Unconstrained

__all__ = ["polish"]

_MIN_STEPS = 1_000  # a factor is one of several searches of a construction: a lower floor


def _all_pairs(v: int, k: int) -> Tuples:
    """Every pair of values on every pair of the k columns."""
    pairs = np.array(list(itertools.combinations(range(k), 2)), dtype=np.int64).reshape(-1, 2)
    return Tuples(pairs, np.ones((pairs.shape[0], v * v), dtype=bool), v)


def polish(arr: np.ndarray, v: int, keep_constant: bool = False) -> np.ndarray:
    """A CA(2, k, v) no larger than ``arr`` (itself one): ``arr`` post-optimised; with
    ``keep_constant`` its constant rows are frozen (first, unchanged), so that a
    product can still drop them (``_product``)."""
    if keep_constant:
        flat = (arr == arr[:, :1]).all(axis=1)
        arr, frozen = np.concatenate([arr[flat], arr[~flat]]), int(flat.sum())
    else:
        frozen = 0
    return _polished(arr.tobytes(), arr.shape, v, frozen).copy()


@functools.lru_cache(maxsize=16)
def _polished(data: bytes, shape: tuple[int, int], v: int, frozen: int) -> np.ndarray:
    arr = np.frombuffer(data, dtype=np.int16).reshape(shape)
    k = shape[1]
    steps = step_budget(k * (k - 1) // 2 * v * v, floor=_MIN_STEPS)
    rng = SplitMix64(0x9011)
    out = shrink(arr, _all_pairs(v, k), Unconstrained(v), frozen, rng, steps, known=False)
    return np.asarray(out, dtype=np.int16)
