"""Completing a nearly covering array: the second stage of a two-stage construction.

A structured first stage (a covering perfect hash family one row too short, ``_cphf``)
covers every t-tuple of symbols on most column sets and most tuples on the rest. The
rows it still needs are a covering problem of its own, over the few sets and tuples left:
packed first-fit into rows (one tuple per set per row), then shrunk by the engine's
post-optimiser on exactly those targets. This is the shape of Torres-Jimenez,
Avila-George and Izquierdo-Marquez's two-stage simulated annealing behind the best known
3^k at strength 3 for k in 61..130; here 3^100 comes out in 139 rows (128 best
known) against 157 for the smallest complete hash family found.
"""

from __future__ import annotations

import math

import numpy as np

from generator.engine._postopt import shrink
from generator.engine._rng import SplitMix64
from generator.engine._unconstrained import Tuples, Unconstrained

__all__ = ["complete", "missing"]

# The post-optimiser took first-fit completions to 0.61-0.80 of their rows (3^100 and
# 3^40 from 3 to 5 family rows, 4^40 and 4^100 from 2 to 4): below 0.55 is not tried.
_SHRINK_RATIO = 0.55


def missing(arr: np.ndarray, sets: np.ndarray, v: int) -> np.ndarray:
    """(len(sets), v^t) bool: the value tuple (mixed radix, first column most significant)
    appears in no row of ``arr`` on that column set."""
    t = sets.shape[1]
    codes = np.zeros((arr.shape[0], sets.shape[0]), dtype=np.int64)
    for j in range(t):
        codes = codes * v + arr[:, sets[:, j]]
    seen = np.zeros((sets.shape[0], v**t), dtype=bool)
    seen[np.arange(sets.shape[0])[None, :], codes] = True
    return ~seen


def _first_fit(sets: np.ndarray, required: np.ndarray, v: int, k: int) -> np.ndarray:
    """Rows covering every required tuple: each tuple goes into the first row whose cells
    on its set are free or already agree (free cells end as 0)."""
    t = sets.shape[1]
    which, code = np.nonzero(required)
    values = np.stack([(code // v ** (t - 1 - j)) % v for j in range(t)], axis=1)
    rows = np.full((int(required.sum(axis=1).max(initial=0)), k), -1, dtype=np.int64)
    for s, vals in zip(which.tolist(), values, strict=True):
        cols = sets[s]
        cells = rows[:, cols]
        fits = ((cells == -1) | (cells == vals)).all(axis=1)
        if not fits.any():
            rows = np.concatenate([rows, np.full((1, k), -1, dtype=np.int64)])
            fits = np.zeros(rows.shape[0], dtype=bool)
            fits[-1] = True
        rows[int(fits.argmax()), cols] = vals
    rows[rows < 0] = 0
    return rows


def complete(
    arr: np.ndarray,
    sets: np.ndarray,
    v: int,
    rng: SplitMix64,
    steps: int,
    *,
    fewer_than: int | None = None,
) -> np.ndarray | None:
    """Rows that, below ``arr`` (values 0..v-1), cover all v^t tuples on every column
    set of ``sets`` ((m, t) column indices): first-fit, then ``steps`` steps of the
    post-optimiser over the missing tuples only. None, without the post-optimiser,
    when they are unlikely to number fewer than ``fewer_than`` (``_SHRINK_RATIO``)."""
    required = missing(arr, sets, v)
    need = required.any(axis=1)
    sets, required = sets[need], required[need]
    if not sets.size:
        return np.zeros((0, arr.shape[1]), dtype=arr.dtype)
    used, local = np.unique(sets, return_inverse=True)
    local = local.reshape(sets.shape)
    start = _first_fit(local, required, v, used.size)
    # a row covers one tuple per set: the most missing on one set is a lower bound
    likely = max(int(required.sum(axis=1).max()), math.ceil(_SHRINK_RATIO * start.shape[0]))
    if fewer_than is not None and likely >= fewer_than:
        return None
    rows = shrink(start, Tuples(local, required, v), Unconstrained(v), 0, rng, steps, known=False)
    out = np.zeros((rows.shape[0], arr.shape[1]), dtype=arr.dtype)
    out[:, used] = rows
    return out
