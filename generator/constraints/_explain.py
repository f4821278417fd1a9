"""Explanations: which constraints rule out a partial assignment.

Pipeline stage: feasibility. Works on internal codes (``(column, code)`` pairs);
:class:`~generator.constraints.space.Space` words the answers by knob name and the
engine's infeasible-tuple report asks :meth:`Explainer.infeasible` for each tuple
no valid row contains.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from generator.constraints._compile import WHEN, Compiled
from generator.constraints._solve import LocalBox, solve

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.constraints._oracle import Oracle
    from generator.model import Constraint

__all__ = ["Explainer", "Infeasible"]

Key = tuple[tuple[int, int], ...]
"""A partial assignment as ``(internal column, code)`` pairs (columns distinct)."""


@dataclass(frozen=True, slots=True)
class Infeasible:
    """A combination no valid row can contain, and the constraints that rule it out.

    ``kind`` is ``"explicit"`` when one constraint forbids it literally, else
    ``"implied"`` (several constraints together, or a knob's ``when`` condition:
    then ``constraints`` may be empty).
    """

    assignment: tuple[tuple[str, str], ...]
    constraints: tuple[Constraint, ...]
    kind: Literal["explicit", "implied"]


class Explainer:
    """Deletion-minimal sets of constraints behind infeasible partial rows (cached)."""

    def __init__(self, compiled: Compiled, oracle: Oracle) -> None:
        self.compiled = compiled
        self.oracle = oracle
        self._literals: dict[Key, tuple[Constraint, ...]] = {}
        self._cache: dict[Key, tuple[Constraint, ...]] = {}
        # Constraint boxes (not ``when`` rules) by column set, for ``literal``.
        self._by_cols: dict[tuple[int, ...], list[int]] = {}
        for b, box in enumerate(compiled.boxes):
            if box.origin != WHEN:
                self._by_cols.setdefault(box.cols, []).append(b)

    def _feasible_with(
        self,
        row: Sequence[int],
        keep: set[int],
        comps: set[int],
        whens: set[int] | None = None,
    ) -> bool:
        """Whether ``row`` completes under the constraints ``keep`` and the ``when``
        rules of the knobs (internal columns) ``whens`` (all of them when None)."""
        c = self.compiled
        comp_of = self.oracle.comp_of
        boxes = [
            b
            for b in c.boxes
            if (b.origin in keep if b.origin != WHEN else whens is None or b.knob in whens)
            and comp_of[b.cols[0]] in comps
        ]
        cols = sorted({col for b in boxes for col in b.cols})
        local = {col: j for j, col in enumerate(cols)}
        local_boxes: list[LocalBox] = [(tuple(local[x] for x in b.cols), b.masks) for b in boxes]
        dom = [(1 << c.domains[col]) - 1 if row[col] < 0 else 1 << row[col] for col in cols]
        return solve(dom, local_boxes) is not None

    def _comps(self, row: Sequence[int]) -> set[int]:
        # Only the components the assignment touches can be at fault (all of them
        # for an empty assignment, i.e. an unsatisfiable model).
        comp_of = self.oracle.comp_of
        if all(v < 0 for v in row):
            return set(range(len(self.oracle.components)))
        return {comp_of[x] for x, v in enumerate(row) if v >= 0 and comp_of[x] >= 0}

    def why(self, row: Sequence[int]) -> tuple[Constraint, ...]:
        """A deletion-minimal set of constraints making the partial ``row`` (-1 = unset)
        impossible; ``()`` when only ``when`` conditions do. An all-unset row asks why
        the model has no valid row at all."""
        return tuple(self.compiled.model.constraints[i] for i in sorted(self._why(row)))

    def _why(self, row: Sequence[int]) -> set[int]:
        comp_of = self.oracle.comp_of
        comps = self._comps(row)
        if any(self.oracle.components[ci].table is None for ci in comps):
            return self._why_by_core(row, sorted(comps))
        keep = {
            b.origin
            for b in self.compiled.boxes
            if b.origin != WHEN and comp_of[b.cols[0]] in comps
        }
        if self._feasible_with(row, keep, comps):
            return set()
        for index in sorted(keep):
            trial = keep - {index}
            if not self._feasible_with(row, trial, comps):
                keep = trial
        return keep

    def blockers(self, row: Sequence[int]) -> tuple[tuple[Constraint, ...], tuple[int, ...]]:
        """Why the infeasible partial ``row`` is: the constraints :meth:`why` names and
        the internal columns of the knobs whose ``when`` conditions are needed on top
        of them (deletion-minimal, tried in declaration order; in that order)."""
        c = self.compiled
        keep = self._why(row)
        comps = self._comps(row)
        comp_of = self.oracle.comp_of
        whens = {x for x in range(c.k) if c.conditional[x] and comp_of[x] in comps}
        ordered = sorted(whens, key=c.order.__getitem__)
        for col in ordered:
            trial = whens - {col}
            if not self._feasible_with(row, keep, comps, trial):
                whens = trial
        constraints = tuple(c.model.constraints[i] for i in sorted(keep))
        return constraints, tuple(x for x in ordered if x in whens)

    def _why_by_core(self, row: Sequence[int], comps: Sequence[int]) -> set[int]:
        """``why`` when a SAT-decided component is involved: the first component whose part
        of ``row`` is infeasible explains it (its constraints alone rule the row out)."""
        from generator.constraints._sat import SatComponent

        oracle = self.oracle
        for ci in comps:
            comp = oracle.components[ci]
            part = [int(row[c]) for c in comp.cols]
            if comp.feasible(part):
                continue
            origins = oracle.origins[ci]
            keep = {o for o in origins if o != WHEN}
            if isinstance(comp, SatComponent):
                chosen = comp.core(part, origins, keep)
            else:
                full = [-1] * self.compiled.k
                for c, x in zip(comp.cols, part, strict=True):
                    full[c] = x
                chosen = keep
                for index in sorted(keep):
                    if not self._feasible_with(full, chosen - {index}, {ci}):
                        chosen = chosen - {index}
            return chosen
        return set()

    def literal(self, key: Key) -> tuple[Constraint, ...]:
        """The first constraint that forbids ``key`` on its own, literally (or ())."""
        found = self._literals.get(key)
        if found is None:
            found = self._literal_uncached(key)
            self._literals[key] = found
        return found

    def _literal_uncached(self, key: Key) -> tuple[Constraint, ...]:
        cells = dict(key)
        have = sorted(cells)
        boxes = self.compiled.boxes
        first = -1
        # A box forbids ``key`` literally when its (sorted) columns are a subset of
        # the key's and every cell is in its masks: look up each column subset.
        for size in range(1, len(have) + 1):
            for cols in itertools.combinations(have, size):
                for b in self._by_cols.get(cols, ()):
                    if first >= 0 and b >= first:
                        break
                    if all(m >> cells[x] & 1 for x, m in zip(cols, boxes[b].masks, strict=True)):
                        first = b
                        break
        return (self.compiled.model.constraints[boxes[first].origin],) if first >= 0 else ()

    def explain(self, key: Key) -> tuple[Constraint, ...]:
        """Constraints explaining an infeasible partial assignment ``key``: one that
        forbids it literally, else the explanation of an infeasible smaller part,
        else a deletion-minimal subset."""
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        why = self.literal(key)
        if not why:
            row = [-1] * self.compiled.k
            for x, v in key:
                row[x] = v
            for drop in range(len(key)):
                sub = key[:drop] + key[drop + 1 :]
                if not sub:
                    continue
                trial = list(row)
                trial[key[drop][0]] = -1
                if not self.oracle.completable(trial):
                    why = self.explain(sub)
                    break
            else:
                why = self.why(row)
        self._cache[key] = why
        return why

    def infeasible(self, cols: Sequence[int], codes: Sequence[int]) -> Infeasible:
        """The report of one tuple (internal columns, in the order to show them) that
        no valid row contains."""
        c = self.compiled
        constrained = self.oracle.constrained
        pairs = tuple((c.names[x], c.values[x][v]) for x, v in zip(cols, codes, strict=True))
        # Free columns never matter: explain the constrained part only.
        key = tuple((x, v) for x, v in zip(cols, codes, strict=True) if constrained[x])
        why = self.explain(key)
        kind: Literal["explicit", "implied"] = "implied"
        if len(why) == 1 and self.literal(key) == why:
            kind = "explicit"
        return Infeasible(pairs, why, kind)
