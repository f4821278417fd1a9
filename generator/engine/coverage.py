"""The one coverage counter: which required combinations of a model rows cover.

Pipeline stage: engine bookkeeping. The generator builds its arrays against
these targets, and every later stage counts with the same object: regeneration
(which jobs are redundant), the Zuul emitter (which jobs cover most, for the
check pipeline) and the audit (what real jobs cover). A *required* combination
is a tuple over one target knob-set (every ``strength``-set, plus the strength
groups' sets) that some valid row contains and in which every knob applies.

Rows come in by knob name; a cell whose knob is missing, whose value is unknown
or ``None`` (not applicable) holds no combination. Counting is vectorised over
the flat tuple ids of :class:`~generator.engine._targets.Targets`; only the
reports that list combinations by name walk them one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from generator.engine._targets import (
    DEFAULT_MAX_TUPLES,
    Targets,
    build_targets,
    guard_size,
    target_sets,
)
from generator.errors import ConstraintError

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    from generator.constraints import Compiled, Infeasible, Oracle
    from generator.model import Model, StrengthGroup

__all__ = ["Combination", "Coverage"]

Combination = tuple[tuple[str, str], ...]
"""A combination by name: ``((knob, value), ...)`` in declaration order."""


def _internal_groups(
    compiled: Compiled, groups: Sequence[StrengthGroup]
) -> tuple[tuple[tuple[int, ...], int], ...]:
    out = []
    for group in groups:
        cols = []
        for name in group.knobs:
            if name not in compiled.names:
                from generator.constraints._compile import unknown_knob

                raise ConstraintError(f"strength group: {unknown_knob(name, compiled.model.names)}")
            cols.append(compiled.column(name))
        out.append((tuple(cols), group.strength))
    return tuple(out)


class Coverage:
    """The required combinations of one model at one strength, and counts over rows."""

    def __init__(
        self,
        compiled: Compiled,
        oracle: Oracle,
        strength: int,
        groups: Sequence[StrengthGroup] = (),
        max_tuples: int | None = DEFAULT_MAX_TUPLES,
    ) -> None:
        """``max_tuples`` bounds the combinations to hold (None: no bound); above it a
        ``ParameterError`` gives the estimate before anything is built."""
        self.compiled = compiled
        self.oracle = oracle
        self.strength = strength
        self.groups = tuple(groups)
        internal = _internal_groups(compiled, self.groups)
        if 1 <= strength <= min(6, compiled.k):
            guard_size(compiled.names, compiled.domains, strength, internal, max_tuples)
        self.sets = target_sets(compiled.k, strength, internal, compiled.conditional)
        """Internal target column-sets (see ``target_sets``)."""
        self._targets: Targets | None = None
        self._held: tuple[bytes, list[np.ndarray]] | None = None

    @classmethod
    def of(
        cls, model: Model, strength: int, groups: Sequence[StrengthGroup] | None = None
    ) -> Coverage:
        """The counter of ``model`` (compiled here), with the model's groups by default."""
        from generator.constraints import compile_model

        space = compile_model(model)
        return cls(
            space.compiled, space.oracle, strength, model.groups if groups is None else groups
        )

    @property
    def targets(self) -> Targets:
        """The flat target layout (built on first use)."""
        if self._targets is None:
            self._targets = build_targets(self.oracle, self.compiled.domains, self.sets)
        return self._targets

    @property
    def total(self) -> int:
        """How many combinations are required."""
        return self.targets.total

    # -- rows ---------------------------------------------------------------------

    def codes(self, rows: Sequence[Mapping[str, str | None]]) -> np.ndarray:
        """(rows, internal columns) codes; -1 where a cell holds no combination."""
        c = self.compiled
        index = [{value: code for code, value in enumerate(values)} for values in c.values]
        column = {name: col for col, name in enumerate(c.names)}
        out = np.full((len(rows), c.k), -1, dtype=np.int64)
        for r, row in enumerate(rows):
            for name, value in row.items():
                col = column.get(name)
                if col is None or value is None:
                    continue
                code = index[col].get(value)
                if code is not None:
                    out[r, col] = code
        return out

    def held(self, codes: np.ndarray) -> list[np.ndarray]:
        """Per row of ``codes``: the flat ids of the required combinations it contains.

        The answer for the last rows asked is kept: regeneration, the check-job choice
        and the coverage count ask about the same rows in turn."""
        key = codes.tobytes() + repr(codes.shape).encode()
        if self._held is not None and self._held[0] == key:
            return self._held[1]
        targets = self.targets
        flat = targets.flat
        dtype = np.int32 if flat.shape[0] < 2**31 else np.int64
        out: list[np.ndarray] = []
        # Full rows through the vectorised id table, in blocks; partial rows one by one.
        block = max(1, (1 << 24) // max(1, len(self.sets)))
        for lo in range(0, codes.shape[0], block):
            chunk = codes[lo : lo + block]
            full: np.ndarray = np.all(chunk >= 0, axis=1)
            table = targets.set_ids(np.maximum(chunk, 0), dtype) if full.any() else None
            for i in range(chunk.shape[0]):
                ids = table[:, i] if table is not None and full[i] else targets.known_ids(chunk[i])
                out.append(ids[flat[ids]])
        self._held = (key, out)
        return out

    def hits(self, rows: Sequence[Mapping[str, str | None]]) -> np.ndarray:
        """Bool over the flat ids: the required combinations some row contains."""
        hit = np.zeros(self.targets.flat.shape[0], dtype=bool)
        for ids in self.held(self.codes(rows)):
            hit[ids] = True
        return hit

    def covered(self, rows: Sequence[Mapping[str, str | None]]) -> int:
        """How many required combinations the rows contain."""
        return int(np.count_nonzero(self.hits(rows)))

    def redundant(
        self,
        rows: Sequence[Mapping[str, str | None]],
        order: Sequence[int],
        extra: Sequence[Collection[int]] = (),
    ) -> set[int]:
        """Rows that can go, tried one by one in ``order``: a row goes when every
        required combination it contains is in another remaining row and each of
        ``extra``'s requirements (the indices of the rows meeting it) keeps a row."""
        held = self.held(self.codes(rows))
        count = np.zeros(self.targets.flat.shape[0], dtype=np.int32)
        for ids in held:
            count[ids] += 1
        holders = [set(h) for h in extra]
        dropped: set[int] = set()
        for index in order:
            ids = held[index]
            if ids.size and int(count[ids].min()) < 2:
                continue
            if any(index in h and len(h) < 2 for h in holders):
                continue
            dropped.add(index)
            count[ids] -= 1
            for h in holders:
                h.discard(index)
        return dropped

    def most_covering(self, rows: Sequence[Mapping[str, str | None]], count: int) -> list[int]:
        """Indices of ``count`` rows that together contain the most required
        combinations: greedy, each pick adding the most (ties: the earlier row)."""
        held = self.held(self.codes(rows))
        open_ = self.targets.flat.copy()
        picked: list[int] = []
        for _ in range(min(count, len(held))):
            gains = [
                -1 if i in picked else int(np.count_nonzero(open_[ids]))
                for i, ids in enumerate(held)
            ]
            best = int(np.argmax(gains))
            picked.append(best)
            open_[held[best]] = False
        return picked

    # -- reports by name -------------------------------------------------------------

    def _declared(self, ids: np.ndarray) -> list[tuple[tuple[int, ...], tuple[int, ...], int]]:
        """(columns, codes, id) of flat ids, columns and codes in declaration order, sorted
        the way the reports list them: by knob-set in declaration order, then by codes."""
        targets = self.targets
        order = np.asarray(self.compiled.order, dtype=np.int64)
        owner = np.searchsorted(targets.offsets, ids, side="right") - 1
        out: list[tuple[tuple[int, ...], tuple[int, ...], int]] = []
        keys: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        for ar in targets.arities:
            # ``ar.index`` is ascending, so a set's position in it is found by search.
            pos = np.searchsorted(ar.index, owner)
            pos = np.minimum(pos, ar.index.shape[0] - 1)
            mine = ar.index[pos] == owner
            if not mine.any():
                continue
            sel_ids = ids[mine]
            sel = pos[mine]
            cols = ar.cols[sel]
            local = sel_ids - ar.offsets[sel]
            codes = (local[:, None] // ar.strides[sel]) % targets.domains_array[cols]
            perm = np.argsort(order[cols], axis=1, kind="stable")
            dcols = np.take_along_axis(cols, perm, axis=1)
            dcodes = np.take_along_axis(codes, perm, axis=1)
            for c_row, v_row, tid in zip(
                dcols.tolist(), dcodes.tolist(), sel_ids.tolist(), strict=True
            ):
                keys.append((tuple(int(order[c]) for c in c_row), tuple(v_row)))
                out.append((tuple(c_row), tuple(v_row), tid))
        ranked = sorted(range(len(out)), key=keys.__getitem__)
        return [out[i] for i in ranked]

    def _named(self, cols: tuple[int, ...], codes: tuple[int, ...]) -> Combination:
        c = self.compiled
        return tuple((c.names[x], c.values[x][v]) for x, v in zip(cols, codes, strict=True))

    def combinations(self, which: np.ndarray | None = None) -> tuple[Combination, ...]:
        """The required combinations (those also marked in ``which``, a bool over the
        flat ids, when given) by name, knob-sets in declaration order."""
        mask = self.targets.flat if which is None else self.targets.flat & which
        return tuple(self._named(c, v) for c, v, _ in self._declared(np.flatnonzero(mask)))

    def marked(self, which: np.ndarray) -> tuple[tuple[Combination, bool], ...]:
        """Every required combination by name (as ``combinations``) with its flag in
        ``which`` (a bool over the flat ids, e.g. ``hits``)."""
        ids = np.flatnonzero(self.targets.flat)
        return tuple((self._named(c, v), bool(which[tid])) for c, v, tid in self._declared(ids))

    def knob_sets(self) -> tuple[tuple[str, ...], ...]:
        """The knob-sets whose value combinations must be covered, in declaration order."""
        c = self.compiled
        decl = [tuple(sorted(s, key=lambda x: c.order[x])) for s in self.sets]
        decl.sort(key=lambda s: tuple(c.order[x] for x in s))
        return tuple(tuple(c.names[x] for x in s) for s in decl)

    def _infeasible_ids(self) -> np.ndarray:
        """Flat ids of the combinations over applicable values no valid row contains."""
        targets = self.targets
        if not self.compiled.boxes:
            return np.zeros(0, dtype=np.int64)
        ids = np.flatnonzero(~targets.flat)
        owner = np.searchsorted(targets.offsets, ids, side="right") - 1
        applicable = np.ones(ids.shape[0], dtype=bool)
        conditional = np.array(self.compiled.conditional, dtype=bool)
        for ar in targets.arities:
            pos = np.minimum(np.searchsorted(ar.index, owner), ar.index.shape[0] - 1)
            mine = ar.index[pos] == owner
            sel = pos[mine]
            cols = ar.cols[sel]
            codes = ((ids[mine] - ar.offsets[sel])[:, None] // ar.strides[sel]) % (
                targets.domains_array[cols]
            )
            na = conditional[cols] & (codes == targets.domains_array[cols] - 1)
            applicable[np.flatnonzero(mine)[na.any(axis=1)]] = False
        return ids[applicable]

    def infeasible_count(self) -> int:
        """How many combinations over applicable values no valid row contains."""
        return int(self._infeasible_ids().shape[0])

    def infeasible(self) -> tuple[Infeasible, ...]:
        """Every combination over applicable values that no valid row contains, with
        the constraints that rule it out (declaration order)."""
        from generator.constraints import Explainer

        explainer = Explainer(self.compiled, self.oracle)
        return tuple(
            explainer.infeasible(cols, codes)
            for cols, codes, _ in self._declared(self._infeasible_ids())
        )
