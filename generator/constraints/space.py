"""The public constraint space: feasibility, explanations and repair by knob name.

Pipeline stage: feasibility. Wraps the compiled boxes and the per-component
oracle with the name-based API the other stages use (``compile_model`` returns
a :class:`Space`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from generator.constraints._compile import WHEN, Compiled, compile_boxes, unknown_knob
from generator.constraints._oracle import Oracle, target_sets
from generator.constraints._solve import LocalBox, solve
from generator.errors import ConstraintError, UnsatisfiableError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from generator.model import Constraint, Model, StrengthGroup

__all__ = ["Infeasible", "Space", "compile_model"]


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


class Space:
    """The valid rows of a model, queried by knob name (``None`` = not applicable)."""

    def __init__(self, compiled: Compiled, oracle: Oracle) -> None:
        self.compiled = compiled
        self.oracle = oracle
        self.model = compiled.model
        self._sets: dict[
            tuple[int, tuple[tuple[tuple[int, ...], int], ...]], tuple[tuple[int, ...], ...]
        ] = {}
        self._gaps: dict[tuple[int, tuple[int, ...]], bool] = {}
        self._literals: dict[tuple[tuple[int, int], ...], tuple[Constraint, ...]] = {}
        # Constraint boxes (not ``when`` rules) by column set, for ``_literal``.
        self._by_cols: dict[tuple[int, ...], list[int]] = {}
        for b, box in enumerate(compiled.boxes):
            if box.origin != WHEN:
                self._by_cols.setdefault(box.cols, []).append(b)

    # -- conversions --------------------------------------------------------------

    def partial(self, assignment: Mapping[str, str | None]) -> list[int]:
        """Internal codes of an assignment by name (-1 where a knob is missing)."""
        c = self.compiled
        row = [-1] * c.k
        for name in sorted(assignment, key=lambda n: c.names.index(n) if n in c.names else -1):
            if name not in c.names:
                raise ConstraintError(unknown_knob(name, self.model.names))
            col = c.column(name)
            row[col] = c.code(col, assignment[name])
        return row

    def named(self, row: Sequence[int] | np.ndarray) -> dict[str, str | None]:
        """A full internal row as ``{name: value}`` in declaration order."""
        c = self.compiled
        out: dict[str, str | None] = {}
        for name in self.model.names:
            col = c.column(name)
            out[name] = c.value(col, int(row[col]))
        return out

    def internal_groups(self, groups: Sequence[StrengthGroup]) -> list[tuple[tuple[int, ...], int]]:
        out = []
        for group in groups:
            cols = []
            for name in group.knobs:
                if name not in self.compiled.names:
                    raise UsageError(f"strength group: {unknown_knob(name, self.model.names)}")
                cols.append(self.compiled.column(name))
            out.append((tuple(cols), group.strength))
        return out

    def sets(
        self, strength: int, groups: Sequence[StrengthGroup] = ()
    ) -> tuple[tuple[int, ...], ...]:
        """Internal target column-sets (see ``target_sets``)."""
        internal = tuple(self.internal_groups(groups))
        key = (strength, internal)
        if key not in self._sets:
            self._sets[key] = target_sets(
                self.compiled.k, strength, internal, self.compiled.conditional
            )
        return self._sets[key]

    def _declared(self, cols: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(cols, key=lambda c: self.compiled.order[c]))

    # -- feasibility ----------------------------------------------------------------

    def is_feasible(self, assignment: Mapping[str, str | None]) -> bool:
        """Whether a partial assignment has a valid completion."""
        return self.oracle.completable(self.partial(assignment))

    def _feasible_with(self, row: list[int], keep: set[int], comps: set[int]) -> bool:
        c = self.compiled
        comp_of = self.oracle.comp_of
        boxes = [
            b
            for b in c.boxes
            if (b.origin == WHEN or b.origin in keep) and comp_of[b.cols[0]] in comps
        ]
        cols = sorted({col for b in boxes for col in b.cols})
        local = {col: j for j, col in enumerate(cols)}
        local_boxes: list[LocalBox] = [(tuple(local[x] for x in b.cols), b.masks) for b in boxes]
        dom = [(1 << c.domains[col]) - 1 if row[col] < 0 else 1 << row[col] for col in cols]
        return solve(dom, local_boxes) is not None

    def _why(self, row: list[int]) -> tuple[Constraint, ...]:
        # Only the components the assignment touches can be at fault (all of them
        # for an empty assignment, i.e. an unsatisfiable model).
        comp_of = self.oracle.comp_of
        comps = {comp_of[x] for x, v in enumerate(row) if v >= 0 and comp_of[x] >= 0}
        if all(v < 0 for v in row):
            comps = set(range(len(self.oracle.components)))
        keep = {
            b.origin
            for b in self.compiled.boxes
            if b.origin != WHEN and comp_of[b.cols[0]] in comps
        }
        if self._feasible_with(row, keep, comps):
            return ()
        for index in sorted(keep):
            trial = keep - {index}
            if not self._feasible_with(row, trial, comps):
                keep = trial
        return tuple(self.model.constraints[i] for i in sorted(keep))

    def why_infeasible(self, assignment: Mapping[str, str | None]) -> tuple[Constraint, ...]:
        """A small set of constraints that together make ``assignment`` impossible
        (deletion-minimal); ``()`` when it is feasible (or only ``when`` rules it out)."""
        row = self.partial(assignment)
        if self.oracle.completable(row):
            return ()
        return self._why(row)

    # -- targets --------------------------------------------------------------------

    def targets(
        self, strength: int, groups: Sequence[StrengthGroup] = ()
    ) -> tuple[tuple[str, ...], ...]:
        """The knob-sets whose value combinations must be covered, in declaration order."""
        names = self.compiled.names
        decl = sorted(self._declared(s) for s in self.sets(strength, groups))
        order = self.compiled.order
        decl.sort(key=lambda s: tuple(order[c] for c in s))
        return tuple(tuple(names[c] for c in s) for s in decl)

    def _walk(
        self, strength: int, groups: Sequence[StrengthGroup], feasible: bool
    ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        """(declared cols, codes) for every feasible (or infeasible) applicable tuple."""
        c = self.compiled
        out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        order = c.order
        constrained = self.oracle.constrained
        sets = self.sets(strength, groups)
        if not feasible:
            sets = tuple(s for s in sets if self._has_gap(s))
        pairs = sorted(
            ((self._declared(s), s) for s in sets),
            key=lambda p: tuple(order[x] for x in p[0]),
        )
        for cols, internal in pairs:
            touched = any(constrained[x] for x in cols)
            if not touched and not feasible:
                continue
            real = [len(c.values[x]) for x in cols]
            if touched:
                # The oracle caches masks by internal set (the targets asked first):
                # transpose that one into declared order.
                radix = [c.domains[x] for x in internal]
                perm = [internal.index(x) for x in cols]
                full = self.oracle.required(internal).reshape(radix).transpose(perm)
                mask = full[tuple(slice(0, r) for r in real)]
                if not feasible and mask.all():
                    continue
            else:
                mask = np.ones(real, dtype=bool)
            picked = np.argwhere(mask if feasible else ~mask)
            out.extend((cols, tuple(int(x) for x in codes)) for codes in picked.tolist())
        return out

    def _has_gap(self, internal: tuple[int, ...]) -> bool:
        """Whether an internal set has an infeasible tuple over applicable values."""
        c = self.compiled
        if not any(self.oracle.constrained[x] for x in internal):
            return False
        mask = self.oracle.required(internal)
        real = tuple(len(c.values[x]) for x in internal)
        # Sets share the oracle's (cached, never freed) mask when only their free
        # members differ: the answer depends on that mask and the real sizes alone.
        key = (id(mask), real)
        gap = self._gaps.get(key)
        if gap is None:
            radix = [c.domains[x] for x in internal]
            gap = not bool(mask.reshape(radix)[tuple(slice(0, r) for r in real)].all())
            self._gaps[key] = gap
        return gap

    def _pairs(self, cols: tuple[int, ...], codes: tuple[int, ...]) -> tuple[tuple[str, str], ...]:
        c = self.compiled
        return tuple((c.names[x], c.values[x][v]) for x, v in zip(cols, codes, strict=True))

    def coverable(
        self, strength: int, groups: Sequence[StrengthGroup] = ()
    ) -> tuple[tuple[tuple[str, str], ...], ...]:
        """Every feasible tuple over applicable values, as ((knob, value), ...)."""
        return tuple(self._pairs(cols, codes) for cols, codes in self._walk(strength, groups, True))

    def infeasible(
        self, strength: int, groups: Sequence[StrengthGroup] = ()
    ) -> tuple[Infeasible, ...]:
        """Every tuple over applicable values that no valid row contains, explained."""
        self.sets(strength, groups)  # validates strength and groups
        if not self.compiled.boxes:
            return ()
        out = []
        cache: dict[tuple[tuple[int, int], ...], tuple[Constraint, ...]] = {}
        constrained = self.oracle.constrained
        for cols, codes in self._walk(strength, groups, False):
            # Free columns never matter: explain the constrained part only.
            key = tuple((x, v) for x, v in zip(cols, codes, strict=True) if constrained[x])
            why = self._explain(key, cache)
            kind: Literal["explicit", "implied"] = "implied"
            if len(why) == 1 and self._literal(key) == why:
                kind = "explicit"
            out.append(Infeasible(self._pairs(cols, codes), why, kind))
        return tuple(out)

    def _literal(self, key: tuple[tuple[int, int], ...]) -> tuple[Constraint, ...]:
        """The first constraint that forbids ``key`` on its own, literally (or ())."""
        found = self._literals.get(key)
        if found is None:
            found = self._literal_uncached(key)
            self._literals[key] = found
        return found

    def _literal_uncached(self, key: tuple[tuple[int, int], ...]) -> tuple[Constraint, ...]:
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
        return (self.model.constraints[boxes[first].origin],) if first >= 0 else ()

    def _explain(
        self,
        key: tuple[tuple[int, int], ...],
        cache: dict[tuple[tuple[int, int], ...], tuple[Constraint, ...]],
    ) -> tuple[Constraint, ...]:
        """Constraints explaining an infeasible partial assignment ``key``: one that
        forbids it literally, else the explanation of an infeasible smaller part,
        else a deletion-minimal subset."""
        if key in cache:
            return cache[key]
        why = self._literal(key)
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
                    why = self._explain(sub, cache)
                    break
            else:
                why = self._why(row)
        cache[key] = why
        return why

    # -- repair ---------------------------------------------------------------------

    def repair(self, assignment: Mapping[str, str | None]) -> dict[str, str | None]:
        """The valid full row with the fewest changed values; missing knobs are filled
        (first values preferred, ties broken towards earlier values)."""
        row = self.partial(assignment)
        full = list(row)
        for comp in self.oracle.components:
            wanted = [row[x] for x in comp.cols]
            best = comp.nearest(wanted)
            if best is None:  # pragma: no cover - compile_model rejects unsatisfiable models
                raise UnsatisfiableError("no valid row exists")
            for x, v in zip(comp.cols, best, strict=True):
                full[x] = v
        for x in range(self.compiled.k):
            full[x] = max(full[x], 0)
        return self.named(full)


def compile_model(model: Model) -> Space:
    """Compile a model's constraints; see ``generator.engine`` for the contract."""
    compiled = compile_boxes(model)
    oracle = Oracle(compiled)
    space = Space(compiled, oracle)
    if not oracle.satisfiable():
        why = space._why([-1] * compiled.k)
        names = "; ".join(c.label() for c in why) or "the knobs' when conditions"
        raise UnsatisfiableError(f"no valid row exists: these constraints conflict: {names}")
    return space
