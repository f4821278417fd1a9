"""Coverage targets: the column-sets to cover and which value combinations count.

Pipeline stage: generation bookkeeping. Every target set ``S`` owns a block of
a flat bool array, indexed by the mixed-radix id of its value combination
(first member most significant); True marks a *required* combination (feasible,
no "not applicable"). The generator and the post-optimiser both work on copies
of ``flat`` (uncovered flags) or count arrays of the same shape.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from generator.errors import ParameterError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from generator.constraints import Oracle

__all__ = ["Arity", "Targets", "build_targets", "target_sets"]

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


class Targets:
    """See the interface note in ``generator.engine``.

    ``radix`` and ``required`` are built on first use: the greedy path alone never
    needs the per-set Python tuples on very large models.
    """

    __slots__ = (
        "_lazy",
        "arities",
        "domains",
        "domains_array",
        "flat",
        "last",
        "offsets",
        "sets",
        "sizes",
        "total",
    )

    def __init__(
        self,
        *,
        sets: tuple[tuple[int, ...], ...],
        domains: tuple[int, ...],
        flat: np.ndarray,
        offsets: np.ndarray,
        sizes: np.ndarray,
        arities: tuple[Arity, ...],
    ) -> None:
        self.sets = sets
        self.domains = domains
        self.domains_array = np.array(domains, dtype=np.int64)
        self.flat = flat
        self.offsets = offsets
        self.sizes = sizes
        self.arities = arities
        self.total = int(np.count_nonzero(flat))
        self.last = np.array([s[-1] for s in sets], dtype=np.int64)
        """Last member of each set (sets are sorted by it)."""
        self._lazy: dict[str, object] = {}

    @property
    def radix(self) -> tuple[tuple[int, ...], ...]:
        if "radix" not in self._lazy:
            d = self.domains
            self._lazy["radix"] = tuple(tuple(d[c] for c in s) for s in self.sets)
        return self._lazy["radix"]  # type: ignore[return-value]

    @property
    def required(self) -> tuple[np.ndarray, ...]:
        if "required" not in self._lazy:
            flat = self.flat
            self._lazy["required"] = tuple(
                flat[o : o + n]
                for o, n in zip(self.offsets.tolist(), self.sizes.tolist(), strict=True)
            )
        return self._lazy["required"]  # type: ignore[return-value]

    def flat_ids(self, rows: np.ndarray) -> Iterator[np.ndarray]:
        """Chunks of global ids (into ``flat``) of every (row, set) pair, full rows only."""
        # int32 where the ids fit: half the memory traffic of int64 (4^100 at t=3, 304
        # rows: 0.95 s to mark what they cover, against about 0.4 s)
        dtype = np.int32 if self.flat.shape[0] < 2**31 else np.int64
        # Column-major work: gathering whole columns of the transposed rows is
        # far faster than fancy-indexing the columns of a row-major array.
        tall = np.ascontiguousarray(rows.T, dtype=dtype)
        for ar in self.arities:
            m = ar.cols.shape[0]
            step = max(1, CHUNK // max(1, rows.shape[0]))
            strides, offsets = ar.strides.astype(dtype), ar.offsets.astype(dtype)
            for lo in range(0, m, step):
                hi = min(m, lo + step)
                ids = tall[ar.cols[lo:hi, 0]] * strides[lo:hi, 0, None]
                for j in range(1, ar.cols.shape[1]):
                    ids += tall[ar.cols[lo:hi, j]] * strides[lo:hi, j, None]
                ids += offsets[lo:hi, None]
                yield ids.T

    def set_ids(self, rows: np.ndarray, dtype: type[np.integer[Any]] = np.int64) -> np.ndarray:
        """(sets, rows) global ids of every (set, row) pair, full rows only; set
        rows arity by arity (the order of ``flat_ids``'s columns)."""
        out = np.empty((len(self.sets), rows.shape[0]), dtype=dtype)
        tall = np.ascontiguousarray(rows.T, dtype=dtype)
        at = 0
        for ar in self.arities:
            m = ar.cols.shape[0]
            step = max(1, CHUNK // max(1, rows.shape[0]))
            for lo in range(0, m, step):
                hi = min(m, lo + step)
                part = out[at : at + hi - lo]
                np.multiply(
                    tall[ar.cols[lo:hi, 0]], ar.strides[lo:hi, 0, None].astype(dtype), out=part
                )
                for j in range(1, ar.cols.shape[1]):
                    part += tall[ar.cols[lo:hi, j]] * ar.strides[lo:hi, j, None].astype(dtype)
                part += ar.offsets[lo:hi, None].astype(dtype)
                at += hi - lo
        return out

    def row_ids(self, row: np.ndarray) -> np.ndarray:
        """Global ids of one full row's tuples, over every set (arity by arity)."""
        parts = []
        for ar in self.arities:
            ids = ar.offsets.copy()
            for j in range(ar.cols.shape[1]):
                ids += row[ar.cols[:, j]].astype(np.int64) * ar.strides[:, j]
            parts.append(ids)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def known_ids(self, row: np.ndarray) -> np.ndarray:
        """Global ids of the tuples one row holds, over the sets whose members all have
        a code (cells of -1 hold nothing), arity by arity."""
        parts = []
        for ar in self.arities:
            cells = row[ar.cols].astype(np.int64)
            ids = ar.offsets + (cells * ar.strides).sum(axis=1)
            parts.append(ids[(cells >= 0).all(axis=1)])
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
    dom = np.array(domains, dtype=np.int64)
    constrained = np.array(oracle.constrained, dtype=bool)
    nsets = len(sets)
    lengths = np.array([len(s) for s in sets], dtype=np.int64)
    sizes = np.zeros(nsets, dtype=np.int64)
    touched = np.zeros(nsets, dtype=bool)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for a in sorted(set(lengths.tolist())):
        index = np.flatnonzero(lengths == a)
        cols = np.array([sets[i] for i in index], dtype=np.int64).reshape(-1, a)
        rad = dom[cols]
        strides = np.ones_like(rad)
        for j in range(a - 2, -1, -1):
            strides[:, j] = strides[:, j + 1] * rad[:, j + 1]
        sizes[index] = strides[:, 0] * rad[:, 0]
        touched[index] = constrained[cols].any(axis=1)
        parts.append((index, cols, strides))
    offsets = np.zeros(nsets, dtype=np.int64)
    if nsets > 1:
        np.cumsum(sizes[:-1], out=offsets[1:])
    flat = np.ones(int(sizes.sum()), dtype=bool)
    pairs = lengths == 2
    # Constrained pairs in bulk, grouped by shape (the bulk of any strength-2 model).
    for all_index, all_cols, _ in parts:
        if all_cols.shape[1] != 2:
            continue
        hit = touched[all_index]
        index, cols = all_index[hit], all_cols[hit]
        shape = dom[cols]
        keys = shape[:, 0] * (int(dom.max()) + 1) + shape[:, 1]
        for key in np.unique(keys).tolist():
            sel = keys == key
            va, vb = (int(x) for x in shape[sel][0])
            ids = offsets[index[sel]][:, None] + np.arange(va * vb)
            flat[ids] = oracle.pair_required(cols[sel, 0], cols[sel, 1])
    for s in np.flatnonzero(touched & ~pairs).tolist():
        flat[offsets[s] : offsets[s] + sizes[s]] = oracle.required(sets[s])
    arities = tuple(
        Arity(index=index, cols=cols, strides=strides, offsets=offsets[index])
        for index, cols, strides in parts
    )
    return Targets(
        sets=sets,
        domains=tuple(domains),
        flat=flat,
        offsets=offsets,
        sizes=sizes,
        arities=arities,
    )


DEFAULT_MAX_TUPLES = 50_000_000
"""Largest number of combinations a build takes on without being told to."""
BYTES_PER_TUPLE = 40
"""What one target combination costs a build with post-optimisation (flags, counts and
id caches), measured: 4.5 M combinations of 1,000 three-value knobs peak near 200 MiB."""


def count_tuples(
    domains: Sequence[int], strength: int, groups: Sequence[tuple[tuple[int, ...], int]] = ()
) -> int:
    """How many value combinations the target sets hold (every ``strength``-set plus each
    group's sets, overlaps counted twice), without listing the sets: the elementary
    symmetric polynomial of the domain sizes, by dynamic programming."""

    def symmetric(sizes: Sequence[int], t: int) -> int:
        e = [1] + [0] * t
        for v in sizes:
            for j in range(t, 0, -1):
                e[j] += e[j - 1] * v
        return e[t]

    total = symmetric(domains, strength) if strength <= len(domains) else 0
    for cols, t in groups:
        if t > strength and t <= len(cols):
            total += symmetric([domains[c] for c in cols], t)
    return total


def guard_size(
    names: Sequence[str],
    domains: Sequence[int],
    strength: int,
    groups: Sequence[tuple[tuple[int, ...], int]],
    max_tuples: int | None,
) -> None:
    """Refuse, before any work, a build whose combinations exceed ``max_tuples``."""
    if max_tuples is None:
        return
    total = count_tuples(domains, strength, groups)
    if total > max_tuples:
        gib = total * BYTES_PER_TUPLE / 2**30
        raise ParameterError(
            f"strength {strength} over {len(names)} knobs means {total:,} combinations to "
            f"cover (about {gib:,.1f} GiB to build), above the limit of {max_tuples:,}; "
            "lower the strength or raise {max_tuples} to build it anyway",
            "max_tuples",
        )


def target_sets(
    k: int,
    strength: int,
    groups: Sequence[tuple[tuple[int, ...], int]],
    conditional: Sequence[bool] = (),
) -> tuple[tuple[int, ...], ...]:
    """Column-sets to cover: every ``strength``-set, plus each group's sets, sorted
    by last member, then lexicographically.

    A set is dropped when a larger target set contains it and every extra member
    always applies: covering the larger set's feasible tuples then covers the
    smaller one's. (With a conditional extra member, a feasible small tuple may
    only occur with that member not applicable, so it stays a target.)
    """
    if not 1 <= strength <= 6:
        raise ParameterError(f"strength must be between 1 and 6, not {strength}")
    if strength > k:
        raise ParameterError(f"strength {strength} is larger than the number of parameters ({k})")
    cond = list(conditional) or [False] * k
    bigger: list[tuple[frozenset[int], int]] = []
    for members, t in groups:
        if not 1 <= t <= 6:
            raise ParameterError(f"group strength must be between 1 and 6, not {t}")
        if t > len(members):
            raise ParameterError(
                f"group strength {t} is larger than its number of knobs ({len(members)})"
            )
        if t > strength:
            bigger.append((frozenset(members), t))

    def implied(s: tuple[int, ...]) -> bool:
        members = set(s)
        for cols, t in bigger:
            if t > len(s) and members <= cols:
                spare = sum(1 for c in cols - members if not cond[c])
                if spare >= t - len(s):
                    return True
        return False

    if not bigger:
        return tuple(
            (*head, last)
            for last in range(strength - 1, k)
            for head in itertools.combinations(range(last), strength - 1)
        )
    chosen: dict[tuple[int, ...], None] = {}
    for cols, t in bigger:
        for s in itertools.combinations(sorted(cols), t):
            if s not in chosen and not implied(s):
                chosen[s] = None
    for s in itertools.combinations(range(k), strength):
        if not implied(s):
            chosen[s] = None
    return tuple(sorted(chosen, key=lambda s: (s[-1], s)))
