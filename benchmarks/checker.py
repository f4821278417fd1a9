"""Independent coverage and validity oracle for benchmark arrays.

Shares no code with the engine: constraints and ``when`` conditions are
evaluated here from the model's plain data. Feasible t-tuples are counted
exactly: knobs linked by a constraint or a ``when`` form components; each
component's valid assignments are enumerated with itertools (components of
the benchmark models are small), and a tuple spanning several components is
feasible exactly when each part is. An array passes when every row is valid
and, for every t-set of knobs, the number of distinct applicable tuples in the
rows equals the number of feasible ones (valid rows only contain feasible
tuples, so equal counts mean complete coverage).
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.model import Condition, Model, Row

__all__ = ["Checker"]

_MAX_COMPONENT = 2_000_000
_CHUNK = 1 << 21


def _match(cond: Condition, assignment: dict[str, str | None]) -> bool:
    return all(assignment.get(knob) in values for knob, values in cond)


class Checker:
    """Feasible-tuple counts of one model at one strength, and the array check."""

    def __init__(self, model: Model, strength: int) -> None:
        self.model = model
        self.t = strength
        self.names = [p.name for p in model.parameters]
        self.index = {n: i for i, n in enumerate(self.names)}
        self.values = [list(p.values) for p in model.parameters]
        parent = list(range(len(self.names)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        links = [[k for k, _ in (*c.condition, *c.then)] for c in model.constraints]
        links += [[p.name] + [k for k, _ in p.when] for p in model.parameters if p.when]
        for group in links:
            for a, b in itertools.pairwise(group):
                parent[find(self.index[a])] = find(self.index[b])
        comps: dict[int, list[int]] = {}
        for i in range(len(self.names)):
            comps.setdefault(find(i), []).append(i)
        self.comp_of = [0] * len(self.names)
        self.members: list[list[int]] = []
        for n, cols in enumerate(comps.values()):
            self.members.append(cols)
            for c in cols:
                self.comp_of[c] = n
        self._valid: dict[int, list[tuple[str | None, ...]]] = {}
        self._proj: dict[tuple[int, tuple[int, ...]], int] = {}

    def _domain(self, col: int) -> list[str | None]:
        param = self.model.parameters[col]
        return [*param.values, None] if param.when else list(param.values)

    def row_ok(self, assignment: dict[str, str | None]) -> bool:
        """Every knob applicable exactly where its ``when`` holds; no constraint violated."""
        for param in self.model.parameters:
            value = assignment.get(param.name)
            applies = _match(param.when, assignment)
            if applies != (value is not None):
                return False
            if value is not None and value not in param.values:
                return False
        for c in self.model.constraints:
            if _match(c.condition, assignment) and (
                c.kind == "forbid" or not _match(c.then, assignment)
            ):
                return False
        return True

    def _component_rows(self, comp: int) -> list[tuple[str | None, ...]]:
        if comp not in self._valid:
            cols = self.members[comp]
            domains = [self._domain(c) for c in cols]
            if math.prod(len(d) for d in domains) > _MAX_COMPONENT:
                raise ValueError(f"component {[self.names[c] for c in cols]} too large to check")
            names = [self.names[c] for c in cols]
            params = [self.model.parameters[c] for c in cols]
            rules = [
                c
                for c in self.model.constraints
                if all(self.comp_of[self.index[k]] == comp for k, _ in c.condition)
            ]
            ok: list[tuple[str | None, ...]] = []
            for combo in itertools.product(*domains):
                a = dict(zip(names, combo, strict=True))
                if any(_match(p.when, a) != (a[p.name] is not None) for p in params):
                    continue
                if any(
                    _match(r.condition, a) and (r.kind == "forbid" or not _match(r.then, a))
                    for r in rules
                ):
                    continue
                ok.append(combo)
            self._valid[comp] = ok
        return self._valid[comp]

    def _count(self, comp: int, cols: tuple[int, ...]) -> int:
        key = (comp, cols)
        if key not in self._proj:
            members = self.members[comp]
            if len(members) == 1:
                self._proj[key] = len(self.values[cols[0]])
            else:
                pos = [members.index(c) for c in cols]
                seen = {tuple(row[p] for p in pos) for row in self._component_rows(comp)}
                self._proj[key] = sum(1 for s in seen if None not in s)
        return self._proj[key]

    def feasible(self, cols: tuple[int, ...]) -> int:
        """Number of feasible applicable tuples over the columns ``cols``."""
        total = 1
        by_comp: dict[int, list[int]] = {}
        for c in cols:
            by_comp.setdefault(self.comp_of[c], []).append(c)
        for comp, part in by_comp.items():
            total *= self._count(comp, tuple(part))
        return total

    def check(self, rows: Sequence[Row]) -> tuple[bool, str]:
        """(passed, reason): rows valid and every feasible t-tuple covered."""
        k = len(self.names)
        for n, row in enumerate(rows):
            if len(row) != k or not self.row_ok(dict(zip(self.names, row, strict=True))):
                return False, f"row {n + 1} is invalid"
        codes = np.array(
            [
                [-1 if v is None else self.values[c].index(v) for c, v in enumerate(row)]
                for row in rows
            ],
            dtype=np.int64,
        ).reshape(len(rows), k)
        radix = max(len(v) for v in self.values) + 1
        sets = np.array(list(itertools.combinations(range(k), self.t)), dtype=np.int64)
        step = max(1, _CHUNK // max(1, len(rows)))
        for lo in range(0, sets.shape[0], step):
            chunk = sets[lo : lo + step]
            keys = np.zeros((len(rows), chunk.shape[0]), dtype=np.int64)
            for j in range(self.t):
                keys = keys * radix + codes[:, chunk[:, j]] + 1
            keys = np.where((codes[:, chunk] < 0).any(axis=2), -1, keys)
            keys.sort(axis=0)
            new = np.ones_like(keys, dtype=bool)
            new[1:] = keys[1:] != keys[:-1]
            distinct = (new & (keys >= 0)).sum(axis=0)
            for i, cols in enumerate(chunk.tolist()):
                if int(distinct[i]) != self.feasible(tuple(cols)):
                    missing = self.feasible(tuple(cols)) - int(distinct[i])
                    names = ", ".join(self.names[c] for c in cols)
                    return False, f"{missing} feasible tuple(s) over ({names}) uncovered"
        return True, "ok"
