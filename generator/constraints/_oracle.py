"""The feasibility oracle: exact validity of partial rows, per constraint component.

Pipeline stage: feasibility. Parameters are split into connected components of
the constraint graph (a box joins all its columns; ``when`` conditions are boxes
too). A partial row can be completed to a valid row exactly when each
component's part can. Small components are enumerated with NumPy into a table
of their valid assignments; larger ones are decided by an incremental SAT solver
(``_sat``), both with caches. Columns in no box are free: every real value is
allowed everywhere.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from generator.constraints._compile import Box, Compiled
from generator.constraints._sat import SatComponent
from generator.constraints._solve import LocalBox

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Component", "Oracle"]

TABLE_CAP = 2_000_000
"""Largest intermediate table (rows) a component may enumerate; above it, SAT decides."""
WORK_CAP = 8_000_000
"""Largest number of table rows built over all the columns of one component."""


def _radix_ids(cols: np.ndarray, radix: Sequence[int]) -> np.ndarray:
    """Mixed-radix ids (first column most significant) of the rows of ``cols``."""
    ids = np.zeros(cols.shape[0], dtype=np.int64)
    for j, v in enumerate(radix):
        ids = ids * v + cols[:, j]
    return ids


class Component:
    """One small connected component of the constraint graph, as a table of its valid
    assignments (``table``: int16, one row per valid assignment)."""

    def __init__(
        self,
        cols: tuple[int, ...],
        domains: tuple[int, ...],
        boxes: list[LocalBox],
        table: np.ndarray,
    ) -> None:
        self.cols = cols
        self.domains = domains
        self.boxes = boxes
        self.full = [(1 << v) - 1 for v in domains]
        self.table = table
        self.base = [0, *itertools.accumulate(domains)][:-1]
        """Where each column's codes start in the flattened codes of ``pairs``."""
        self._feasible: dict[tuple[int, ...], bool] = {}
        self._allowed: dict[tuple[tuple[int, ...], int], np.ndarray] = {}
        self._projections: dict[tuple[int, ...], np.ndarray] = {}

    # -- queries over local partial rows (-1 = unassigned) -------------------------

    def _match(self, partial: Sequence[int]) -> np.ndarray:
        """Bool per table row: it agrees with every assigned cell of ``partial``."""
        # One comparison over the assigned columns, not one per column: a long ``when``
        # chain is one component of hundreds of columns (200 knobs: 27 s -> 2 s here).
        given = np.asarray(partial, dtype=np.int64)
        assigned = np.flatnonzero(given >= 0)
        if assigned.size == 0:
            return np.ones(self.table.shape[0], dtype=bool)
        hit: np.ndarray = (self.table[:, assigned] == given[assigned]).all(axis=1)
        return hit

    def feasible(self, partial: Sequence[int]) -> bool:
        key = tuple(partial)
        cached = self._feasible.get(key)
        if cached is None:
            cached = bool(self._match(partial).any())
            self._feasible[key] = cached
        return cached

    def allowed(self, partial: Sequence[int], j: int) -> np.ndarray:
        """Bool mask over the codes of local column ``j`` that keep ``partial`` completable.

        Cached per (partial, column), read-only: the greedy asks the same question
        for many rows."""
        key = (tuple(partial), j)
        cached = self._allowed.get(key)
        if cached is None:
            cached = np.zeros(self.domains[j], dtype=bool)
            cached[self.table[self._match(partial), j]] = True
            cached.flags.writeable = False
            self._allowed[key] = cached
        return cached

    def projection(self, local: tuple[int, ...]) -> np.ndarray:
        """Bool mask over the mixed-radix product of ``local`` columns: feasible combinations."""
        cached = self._projections.get(local)
        if cached is None:
            radix = [self.domains[j] for j in local]
            cached = np.zeros(int(np.prod(radix, dtype=np.int64)), dtype=bool)
            cached[_radix_ids(self.table[:, list(local)], radix)] = True
            cached.flags.writeable = False
            self._projections[local] = cached
        return cached

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(codes x codes) bool over the flattened codes (column by column): which two
        codes meet in some valid row; and per code whether it occurs in one."""
        sizes = list(self.domains)
        base = self.base
        n = sum(sizes)
        out = np.zeros((n, n), dtype=bool)
        for a, b in itertools.combinations(range(len(sizes)), 2):
            block = self.projection((a, b)).reshape(sizes[a], sizes[b])
            out[base[a] : base[a] + sizes[a], base[b] : base[b] + sizes[b]] = block
        out |= out.T
        unary = np.zeros(n, dtype=bool)
        for j in range(len(sizes)):
            unary[base[j] + np.unique(self.table[:, j])] = True
        np.fill_diagonal(out, unary)
        return out, unary

    def solution(self, partial: Sequence[int]) -> list[int] | None:
        """A valid full local assignment extending ``partial``, or None."""
        hit = np.flatnonzero(self._match(partial))
        return [int(x) for x in self.table[hit[0]]] if hit.shape[0] else None

    def nearest(self, wanted: Sequence[int]) -> list[int] | None:
        """The valid assignment with fewest cells differing from ``wanted`` (-1 = any)."""
        if self.table.shape[0] == 0:
            return None
        cost = np.zeros(self.table.shape[0], dtype=np.int64)
        for j, x in enumerate(wanted):
            if x >= 0:
                cost += self.table[:, j] != x
        return [int(x) for x in self.table[int(np.argmin(cost))]]


def enumerate_valid(domains: Sequence[int], boxes: list[LocalBox], cap: int) -> np.ndarray | None:
    """Every valid assignment of a component (int16 rows), or None when an intermediate
    table would exceed ``cap`` rows or all of them together ``WORK_CAP`` rows."""
    by_last: dict[int, list[LocalBox]] = {}
    for box in boxes:
        by_last.setdefault(max(box[0]), []).append(box)
    table = np.zeros((1, 0), dtype=np.int16)
    work = 0
    for j, v in enumerate(domains):
        work += table.shape[0] * v
        if table.shape[0] * v > cap or work > WORK_CAP:
            return None
        n = table.shape[0]
        table = np.concatenate(
            [np.repeat(table, v, axis=0), np.tile(np.arange(v, dtype=np.int16), n)[:, None]],
            axis=1,
        )
        for vars_, masks in by_last.get(j, ()):
            hit = np.ones(table.shape[0], dtype=bool)
            for var, mask in zip(vars_, masks, strict=True):
                lut = np.array([bool(mask >> x & 1) for x in range(domains[var])])
                hit &= lut[table[:, var]]
            table = table[~hit]
    return table


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
        boxes_of: dict[int, list[Box]] = {}
        for b in compiled.boxes:
            boxes_of.setdefault(find(b.cols[0]), []).append(b)
        self.components: list[Component | SatComponent] = []
        self.comp_of = [-1] * k
        self.local_of = [-1] * k
        self.origins: list[tuple[int, ...]] = []
        """Per component: the ``Box.origin`` of each of its boxes, in order."""
        for root in sorted(members):
            cols = tuple(members[root])
            index = len(self.components)
            for j, c in enumerate(cols):
                self.comp_of[c] = index
                self.local_of[c] = j
            local = {c: j for j, c in enumerate(cols)}
            boxes: list[LocalBox] = [
                (tuple(local[c] for c in b.cols), b.masks) for b in boxes_of[root]
            ]
            self.origins.append(tuple(b.origin for b in boxes_of[root]))
            domains = tuple(compiled.domains[c] for c in cols)
            table = enumerate_valid(domains, boxes, TABLE_CAP)
            self.components.append(
                SatComponent(cols, domains, boxes)
                if table is None
                else Component(cols, domains, boxes, table)
            )
        self.constrained = tuple(c >= 0 for c in self.comp_of)
        self.solved = tuple(c >= 0 and self.components[c].table is None for c in self.comp_of)
        """Per column: whether a SAT-decided component holds it."""
        self._cols = [np.array(comp.cols, dtype=np.int64) for comp in self.components]
        self._constrained = np.array(self.constrained, dtype=bool)
        self._required: dict[tuple[int, ...], np.ndarray] = {}
        self._shapes: dict[tuple[int, ...], np.ndarray] = {}

    def _part(self, row: Sequence[int] | np.ndarray, ci: int) -> list[int]:
        """Component ``ci``'s cells of ``row``."""
        return np.asarray(row)[self._cols[ci]].tolist()  # type: ignore[no-any-return]

    def completion(
        self,
        row: Sequence[int] | np.ndarray,
        cols: Sequence[int] | None = None,
        base: np.ndarray | None = None,
    ) -> np.ndarray | None:
        """A valid extension of the partial ``row`` on every constrained column (free
        columns as given), int64; None when ``row`` is not completable. With ``cols``
        and ``base`` (a completion of the row before ``cols`` changed), only the
        components holding ``cols`` are solved again."""
        cells = np.asarray(row, dtype=np.int64)
        touched: Sequence[int] = range(len(self.components))
        if cols is not None and base is not None:
            touched = sorted({self.comp_of[c] for c in cols if self.comp_of[c] >= 0})
            out = base.copy()  # untouched components keep the base's (valid) values
            free = ~self._constrained
            out[free] = cells[free]
        else:
            out = cells.copy()
        for ci in touched:
            cols_ = self._cols[ci]
            found = self.components[ci].solution(cells[cols_].tolist())
            if found is None:
                return None
            out[cols_] = found
        return out

    def satisfiable(self) -> bool:
        return all(comp.feasible([-1] * len(comp.cols)) for comp in self.components)

    def completable(self, row: Sequence[int] | np.ndarray) -> bool:
        """Whether a partial row (over all columns) has a valid completion."""
        for ci, comp in enumerate(self.components):
            part = self._part(row, ci)
            if any(x >= 0 for x in part) and not comp.feasible(part):
                return False
        return True

    def allowed(self, row: Sequence[int] | np.ndarray, col: int) -> np.ndarray:
        """Codes of ``col`` that keep the partial ``row`` completable (ignoring ``row[col]``)."""
        ci = self.comp_of[col]
        if ci < 0:
            return np.ones(self.compiled.domains[col], dtype=bool)
        comp = self.components[ci]
        part = self._part(row, ci)
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
        # Distinct partial rows by their bytes (np.unique over wide rows sorts them all).
        first: dict[bytes, int] = {}
        back = np.array([first.setdefault(p.tobytes(), len(first)) for p in parts], dtype=np.int64)
        sample = np.zeros(len(first), dtype=np.int64)
        sample[back] = np.arange(back.shape[0])  # a row holding each distinct partial row
        masks = np.array(
            [comp.allowed(parts[r].tolist(), local) for r in sample.tolist()], dtype=bool
        )
        return masks.reshape(-1, v)[back]

    def pair_required(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """(m, va * vb) bool: ``required`` for the 2-sets (a[i], b[i]), all of one shape
        (va, vb), vectorised over the components' pair tables (``pairs``)."""
        domains = self.compiled.domains
        m = a.shape[0]
        if m == 0:
            return np.zeros((0, 0), dtype=bool)
        va, vb = domains[int(a[0])], domains[int(b[0])]
        comp_of = np.array(self.comp_of, dtype=np.int64)
        base = np.array(self._code_base(), dtype=np.int64)
        out = np.ones((m, va, vb), dtype=bool)
        for cols, v, axis in ((a, va, 1), (b, vb, 2)):
            for ci in np.unique(comp_of[cols]).tolist():
                if ci < 0:
                    continue
                sel = comp_of[cols] == ci
                _, unary = self.components[ci].pairs()
                ok = unary[base[cols[sel]][:, None] + np.arange(v)]
                out[sel] &= ok[:, :, None] if axis == 1 else ok[:, None, :]
        same = (comp_of[a] == comp_of[b]) & (comp_of[a] >= 0)
        for ci in np.unique(comp_of[a][same]).tolist():
            sel = same & (comp_of[a] == ci)
            pairs, _ = self.components[ci].pairs()
            rows = base[a[sel]][:, None, None] + np.arange(va)[None, :, None]
            cols_ = base[b[sel]][:, None, None] + np.arange(vb)[None, None, :]
            out[sel] &= pairs[rows, cols_]
        conditional = np.array(self.compiled.conditional, dtype=bool)
        out[conditional[a], va - 1, :] = False
        out[conditional[b], :, vb - 1] = False
        return out.reshape(m, va * vb)

    def _code_base(self) -> list[int]:
        """Per column: where its codes start in its component's ``pairs`` (0 if free)."""
        out = [0] * self.compiled.k
        for comp in self.components:
            for c, start in zip(comp.cols, comp.base, strict=True):
                out[c] = start
        return out

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
