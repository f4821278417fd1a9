"""Coverage targets: the column-sets to cover and which value combinations count.

Pipeline stage: generation bookkeeping. Every target set ``S`` owns a block of
a flat bool array, indexed by the mixed-radix id of its value combination
(first member most significant); True marks a *required* combination (feasible,
no "not applicable"). The generator and the post-optimiser both work on copies
of ``flat`` (uncovered flags) or count arrays of the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from generator.constraints import Oracle

__all__ = ["Arity", "Targets", "build_targets"]

CHUNK = 1 << 22
"""Largest (rows x sets) id matrix built at once, to bound memory."""


@dataclass(frozen=True, slots=True)
class Arity:
    """All target sets of one size, as arrays (for vectorised id computation)."""

    index: np.ndarray
    """Set numbers (into ``Targets.sets``), ascending."""
    cols: np.ndarray
    """(m, a) member columns."""
    strides: np.ndarray
    """(m, a) mixed-radix strides."""
    offsets: np.ndarray
    """(m,) start of each set's block in ``flat``."""


@dataclass(frozen=True, slots=True)
class Targets:
    """See the interface note in ``generator._engine``."""

    sets: tuple[tuple[int, ...], ...]
    radix: tuple[tuple[int, ...], ...]
    required: tuple[np.ndarray, ...]
    flat: np.ndarray
    offsets: np.ndarray
    strides: tuple[tuple[int, ...], ...]
    total: int
    arities: tuple[Arity, ...]
    last: np.ndarray
    """Last member of each set (sets are sorted by it)."""

    def ids(self, rows: np.ndarray, s: int) -> np.ndarray:
        """Each row's tuple id in set ``s`` (local to the set's block), int64."""
        out = np.zeros(rows.shape[0], dtype=np.int64)
        for col, stride in zip(self.sets[s], self.strides[s], strict=True):
            out += rows[:, col].astype(np.int64) * stride
        return out

    def flat_ids(self, rows: np.ndarray) -> Iterator[np.ndarray]:
        """Chunks of global ids (into ``flat``) of every (row, set) pair, full rows only."""
        for ar in self.arities:
            m = ar.cols.shape[0]
            step = max(1, CHUNK // max(1, rows.shape[0]))
            for lo in range(0, m, step):
                hi = min(m, lo + step)
                ids = np.broadcast_to(ar.offsets[lo:hi], (rows.shape[0], hi - lo)).copy()
                for j in range(ar.cols.shape[1]):
                    ids += rows[:, ar.cols[lo:hi, j]].astype(np.int64) * ar.strides[lo:hi, j]
                yield ids

    def row_ids(self, row: np.ndarray) -> np.ndarray:
        """Global ids of one full row's tuples, over every set (arity by arity)."""
        parts = []
        for ar in self.arities:
            ids = ar.offsets.copy()
            for j in range(ar.cols.shape[1]):
                ids += row[ar.cols[:, j]].astype(np.int64) * ar.strides[:, j]
            parts.append(ids)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def covered(self, rows: np.ndarray) -> np.ndarray:
        """Bool over ``flat``: combinations (required or not) that ``rows`` contain."""
        hit = np.zeros(self.flat.shape[0], dtype=bool)
        for ids in self.flat_ids(rows):
            hit[ids.ravel()] = True
        return hit


def build_targets(
    oracle: Oracle, domains: Sequence[int], sets: tuple[tuple[int, ...], ...]
) -> Targets:
    radix = tuple(tuple(domains[c] for c in s) for s in sets)
    sizes = np.array([int(np.prod(r, dtype=np.int64)) for r in radix], dtype=np.int64)
    offsets = np.zeros(len(sets), dtype=np.int64)
    if len(sets) > 1:
        np.cumsum(sizes[:-1], out=offsets[1:])
    flat = np.ones(int(sizes.sum()), dtype=bool)
    constrained = oracle.constrained
    for s, cols in enumerate(sets):
        if any(constrained[c] for c in cols):
            flat[offsets[s] : offsets[s] + sizes[s]] = oracle.required(cols)
    strides = []
    for r in radix:
        st = [1] * len(r)
        for j in range(len(r) - 2, -1, -1):
            st[j] = st[j + 1] * r[j + 1]
        strides.append(tuple(st))
    required = tuple(flat[offsets[s] : offsets[s] + sizes[s]] for s in range(len(sets)))
    arities = []
    lengths = np.array([len(s) for s in sets], dtype=np.int64)
    for a in sorted(set(lengths.tolist())):
        index = np.flatnonzero(lengths == a)
        arities.append(
            Arity(
                index=index,
                cols=np.array([sets[i] for i in index], dtype=np.int64).reshape(-1, a),
                strides=np.array([strides[i] for i in index], dtype=np.int64).reshape(-1, a),
                offsets=offsets[index],
            )
        )
    last = np.array([s[-1] for s in sets], dtype=np.int64)
    return Targets(
        sets=sets,
        radix=radix,
        required=required,
        flat=flat,
        offsets=offsets,
        strides=tuple(strides),
        total=int(np.count_nonzero(flat)),
        arities=tuple(arities),
        last=last,
    )
