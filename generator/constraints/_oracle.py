"""The feasibility oracle: exact validity of partial rows, per constraint component.

Pipeline stage: feasibility. Parameters are split into connected components of
the constraint graph (a box joins all its columns; ``when`` conditions are boxes
too). A partial row can be completed to a valid row exactly when each
component's part can. Small components are enumerated with NumPy into a table
of their valid assignments; large ones are searched (``_solve``) with caches.
Columns in no box are free: every real value is allowed everywhere.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from generator.constraints._compile import Box, Compiled
from generator.constraints._solve import LocalBox, nearest, solve, watches

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Component", "Oracle"]

TABLE_CAP = 2_000_000
"""Largest intermediate table (rows) a component may enumerate before search is used."""


def _radix_ids(cols: np.ndarray, radix: Sequence[int]) -> np.ndarray:
    """Mixed-radix ids (first column most significant) of the rows of ``cols``."""
    ids = np.zeros(cols.shape[0], dtype=np.int64)
    for j, v in enumerate(radix):
        ids = ids * v + cols[:, j]
    return ids


class Component:
    """One connected component of the constraint graph."""

    def __init__(self, cols: tuple[int, ...], domains: tuple[int, ...], boxes: list[Box]) -> None:
        self.cols = cols
        self.domains = domains
        local = {c: j for j, c in enumerate(cols)}
        self.boxes: list[LocalBox] = [(tuple(local[c] for c in b.cols), b.masks) for b in boxes]
        self.full = [(1 << v) - 1 for v in domains]
        self.watch = watches(len(cols), self.boxes)
        self.table = self._enumerate(TABLE_CAP)
        self._feasible: dict[tuple[int, ...], bool] = {}
        self._allowed: dict[tuple[tuple[int, ...], int], np.ndarray] = {}
        self._solutions: list[list[int]] = []
        self._projections: dict[tuple[int, ...], np.ndarray] = {}
        self._known = np.zeros((0, len(cols)), dtype=np.int64)

    def _enumerate(self, cap: int) -> np.ndarray | None:
        by_last: dict[int, list[LocalBox]] = {}
        for box in self.boxes:
            by_last.setdefault(max(box[0]), []).append(box)
        table = np.zeros((1, 0), dtype=np.int16)
        for j, v in enumerate(self.domains):
            if table.shape[0] * v > cap:
                return None
            n = table.shape[0]
            table = np.concatenate(
                [np.repeat(table, v, axis=0), np.tile(np.arange(v, dtype=np.int16), n)[:, None]],
                axis=1,
            )
            for vars_, masks in by_last.get(j, ()):
                hit = np.ones(table.shape[0], dtype=bool)
                for var, mask in zip(vars_, masks, strict=True):
                    lut = np.array([bool(mask >> x & 1) for x in range(self.domains[var])])
                    hit &= lut[table[:, var]]
                table = table[~hit]
        return table

    # -- queries over local partial rows (-1 = unassigned) -------------------------

    def _dom(self, partial: Sequence[int]) -> list[int]:
        return [full if x < 0 else 1 << x for x, full in zip(partial, self.full, strict=True)]

    def _match(self, partial: Sequence[int]) -> np.ndarray:
        assert self.table is not None
        hit = np.ones(self.table.shape[0], dtype=bool)
        for j, x in enumerate(partial):
            if x >= 0:
                hit &= self.table[:, j] == x
        return hit

    def feasible(self, partial: Sequence[int]) -> bool:
        key = tuple(partial)
        cached = self._feasible.get(key)
        if cached is not None:
            return cached
        if self.table is not None:
            ok = bool(self._match(partial).any())
        else:
            found = solve(self._dom(partial), self.boxes, watch=self.watch)
            if found is not None:
                self._solutions.append(found)
            ok = found is not None
        self._feasible[key] = ok
        return ok

    def allowed(self, partial: Sequence[int], j: int) -> np.ndarray:
        """Bool mask over the codes of local column ``j`` that keep ``partial`` completable.

        Cached per (partial, column), read-only: the greedy asks the same question
        for many rows."""
        key = (tuple(partial), j)
        cached = self._allowed.get(key)
        if cached is None:
            cached = self._allowed_mask(partial, j)
            cached.flags.writeable = False
            self._allowed[key] = cached
        return cached

    def _allowed_mask(self, partial: Sequence[int], j: int) -> np.ndarray:
        out = np.zeros(self.domains[j], dtype=bool)
        if self.table is not None:
            rows = self.table[self._match(partial), j]
            out[rows] = True
            return out
        trial = list(partial)
        for x in range(self.domains[j]):
            trial[j] = x
            out[x] = self.feasible(trial)
        return out

    def projection(self, local: tuple[int, ...]) -> np.ndarray:
        """Bool mask over the mixed-radix product of ``local`` columns: feasible combinations."""
        cached = self._projections.get(local)
        if cached is not None:
            return cached
        radix = [self.domains[j] for j in local]
        size = int(np.prod(radix, dtype=np.int64))
        mask = np.zeros(size, dtype=bool)
        if self.table is not None:
            mask[_radix_ids(self.table[:, list(local)], radix)] = True
        else:
            have = self._known.shape[0]
            if have < len(self._solutions):
                new = np.array(self._solutions[have:], dtype=np.int64)
                self._known = np.concatenate([self._known, new])
            if self._known.shape[0]:
                mask[_radix_ids(self._known[:, list(local)], radix)] = True
            for i, combo in enumerate(itertools.product(*(range(v) for v in radix))):
                if mask[i]:
                    continue
                dom = list(self.full)
                for j, x in zip(local, combo, strict=True):
                    dom[j] = 1 << x
                found = solve(dom, self.boxes, watch=self.watch)
                if found is not None:
                    self._solutions.append(found)
                    mask[i] = True
        self._projections[local] = mask
        return mask

    def nearest(self, wanted: Sequence[int]) -> list[int] | None:
        """The valid assignment with fewest cells differing from ``wanted`` (-1 = any)."""
        if self.table is not None:
            if self.table.shape[0] == 0:
                return None
            cost = np.zeros(self.table.shape[0], dtype=np.int64)
            for j, x in enumerate(wanted):
                if x >= 0:
                    cost += self.table[:, j] != x
            return [int(x) for x in self.table[int(np.argmin(cost))]]
        return nearest(self.full, self.boxes, wanted)


class Oracle:
    """Exact completability of partial rows over internal columns (-1 = unassigned)."""

    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled
        k = compiled.k
        parent = list(range(k))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for box in compiled.boxes:
            root = find(box.cols[0])
            for c in box.cols[1:]:
                other = find(c)
                if other != root:
                    parent[max(other, root)] = min(other, root)
                    root = min(other, root)
        members: dict[int, list[int]] = {}
        boxed = {c for b in compiled.boxes for c in b.cols}
        for c in range(k):
            if c in boxed:
                members.setdefault(find(c), []).append(c)
        self.components: list[Component] = []
        self.comp_of = [-1] * k
        self.local_of = [-1] * k
        for root in sorted(members):
            cols = tuple(members[root])
            index = len(self.components)
            for j, c in enumerate(cols):
                self.comp_of[c] = index
                self.local_of[c] = j
            boxes = [b for b in compiled.boxes if find(b.cols[0]) == root]
            self.components.append(Component(cols, tuple(compiled.domains[c] for c in cols), boxes))
        self.constrained = tuple(c >= 0 for c in self.comp_of)
        self._required: dict[tuple[int, ...], np.ndarray] = {}
        self._shapes: dict[tuple[int, ...], np.ndarray] = {}

    def _part(self, row: Sequence[int] | np.ndarray, comp: Component) -> list[int]:
        return [int(row[c]) for c in comp.cols]

    def satisfiable(self) -> bool:
        return all(comp.feasible([-1] * len(comp.cols)) for comp in self.components)

    def completable(self, row: Sequence[int] | np.ndarray) -> bool:
        """Whether a partial row (over all columns) has a valid completion."""
        for comp in self.components:
            part = self._part(row, comp)
            if any(x >= 0 for x in part) and not comp.feasible(part):
                return False
        return True

    def allowed(self, row: Sequence[int] | np.ndarray, col: int) -> np.ndarray:
        """Codes of ``col`` that keep the partial ``row`` completable (ignoring ``row[col]``)."""
        ci = self.comp_of[col]
        if ci < 0:
            return np.ones(self.compiled.domains[col], dtype=bool)
        comp = self.components[ci]
        part = self._part(row, comp)
        part[self.local_of[col]] = -1
        return comp.allowed(part, self.local_of[col])

    def allowed_rows(self, rows: np.ndarray, col: int) -> np.ndarray:
        """(len(rows), domain) masks: ``allowed`` for each row, asked once per distinct
        partial row of ``col``'s component (rows share few of them)."""
        ci = self.comp_of[col]
        v = self.compiled.domains[col]
        if ci < 0 or rows.shape[0] == 0:
            return np.ones((rows.shape[0], v), dtype=bool)
        comp = self.components[ci]
        local = self.local_of[col]
        parts = np.array(rows[:, list(comp.cols)], dtype=np.int64)
        parts[:, local] = -1
        distinct, back = np.unique(parts, axis=0, return_inverse=True)
        masks = np.array([comp.allowed(p, local) for p in distinct.tolist()], dtype=bool)
        return masks.reshape(-1, v)[back.ravel()]

    def required(self, cols: tuple[int, ...]) -> np.ndarray:
        """Bool mask over the product of ``cols``: feasible and with no "not applicable".

        Cached per column tuple (read-only): the targets and the infeasible-tuple
        report both ask for every constrained set."""
        cached = self._required.get(cols)
        if cached is None:
            # The mask depends on the free members only through their domains and
            # conditional flags: sets that differ only there share it.
            domains = self.compiled.domains
            conditional = self.compiled.conditional
            shape = tuple(
                c if self.comp_of[c] >= 0 else -1 - domains[c] - (1 << 20) * conditional[c]
                for c in cols
            )
            cached = self._shapes.get(shape)
            if cached is None:
                cached = self._required_mask(cols)
                cached.flags.writeable = False
                self._shapes[shape] = cached
            self._required[cols] = cached
        return cached

    def _required_mask(self, cols: tuple[int, ...]) -> np.ndarray:
        domains = self.compiled.domains
        radix = [domains[c] for c in cols]
        full = np.ones(radix, dtype=bool)
        groups: dict[int, list[int]] = {}
        for pos, c in enumerate(cols):
            if self.comp_of[c] >= 0:
                groups.setdefault(self.comp_of[c], []).append(pos)
        for ci, positions in groups.items():
            comp = self.components[ci]
            local = tuple(self.local_of[cols[p]] for p in positions)
            proj = comp.projection(local).reshape([radix[p] for p in positions])
            shape = [radix[p] if p in positions else 1 for p in range(len(cols))]
            full &= proj.reshape(shape)
        for pos, c in enumerate(cols):
            if self.compiled.conditional[c]:
                index: list[int | slice] = [slice(None)] * len(cols)
                index[pos] = radix[pos] - 1
                full[tuple(index)] = False
        return full.ravel()
