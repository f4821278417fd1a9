"""Validity of full rows, vectorised over the compiled forbidden partial assignments.

Pipeline stage: generation and post-optimisation. A full row is valid when it
matches no box (``when`` rules are boxes too), so checks are table lookups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from generator.constraints import Compiled

__all__ = ["Validity"]


class Validity:
    """See the interface note in ``generator.engine``."""

    def __init__(self, compiled: Compiled) -> None:
        domains = compiled.domains
        self.domains = domains
        self.boxes: list[tuple[np.ndarray, list[np.ndarray]]] = []
        self.by_col: list[list[int]] = [[] for _ in domains]
        for b, box in enumerate(compiled.boxes):
            luts = [
                np.array([bool(mask >> x & 1) for x in range(domains[col])], dtype=bool)
                for col, mask in zip(box.cols, box.masks, strict=True)
            ]
            self.boxes.append((np.array(box.cols, dtype=np.int64), luts))
            for col in box.cols:
                self.by_col[col].append(b)
        self._compiled = compiled
        self._tables: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray] | None] = {}

    def rows_ok(self, rows: np.ndarray) -> np.ndarray:
        """Bool per full row: True when it matches no forbidden assignment."""
        bad = np.zeros(rows.shape[0], dtype=bool)
        for cols, luts in self.boxes:
            hit = np.ones(rows.shape[0], dtype=bool)
            for col, lut in zip(cols, luts, strict=True):
                hit &= lut[rows[:, col]]
            bad |= hit
        return ~bad

    def row_ok(self, row: np.ndarray) -> bool:
        return bool(self.rows_ok(row.reshape(1, -1))[0])

    def _table(self, col: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The boxes holding ``col`` as arrays: their other cells' columns (padded with
        column k, read as 0) and value bitmasks (padding: bit 0), and their bitmask on
        ``col``; None when some domain is too wide for an int64 bitmask."""
        if col not in self._tables:
            boxes = [self._compiled.boxes[b] for b in self.by_col[col]]
            k = len(self.domains)
            if any(self.domains[c] > 62 for box in boxes for c in box.cols):
                self._tables[col] = None
            else:
                width = max((len(box.cols) - 1 for box in boxes), default=0) or 1
                others = np.full((len(boxes), width), k, dtype=np.int64)
                masks = np.ones((len(boxes), width), dtype=np.int64)
                own = np.zeros(len(boxes), dtype=np.int64)
                for i, box in enumerate(boxes):
                    j = 0
                    for c, m in zip(box.cols, box.masks, strict=True):
                        if c == col:
                            own[i] = m
                        else:
                            others[i, j], masks[i, j] = c, m
                            j += 1
                self._tables[col] = (others, masks, own)
        return self._tables[col]

    def flip_ok(self, rows: np.ndarray, col: int, value: int) -> np.ndarray:
        """Bool per full row of ``rows``: True when setting its ``col`` to ``value`` keeps it
        valid (``allowed(row, col)[value]`` for every row at once: the post-optimiser
        asks this of all its candidate rows in one step)."""
        if not self.by_col[col]:
            return np.ones(rows.shape[0], dtype=bool)
        table = self._table(col)
        if table is None:
            return np.array([bool(self.allowed(row, col)[value]) for row in rows], dtype=bool)
        others, masks, own = table
        padded = np.concatenate(
            [np.asarray(rows, dtype=np.int64), np.zeros((rows.shape[0], 1), dtype=np.int64)],
            axis=1,
        )
        hit = ((masks >> padded[:, others]) & 1).all(axis=2)  # (rows, boxes holding col)
        banned: np.ndarray = (hit & (((own >> value) & 1) == 1)).any(axis=1)
        return ~banned

    def allowed(self, row: np.ndarray, col: int) -> np.ndarray:
        """Values of ``col`` that keep the full ``row`` valid with its other cells fixed."""
        if not self.by_col[col]:
            return np.ones(self.domains[col], dtype=bool)
        table = self._table(col)
        if table is not None:
            others, masks, own = table
            cells = np.append(np.asarray(row, dtype=np.int64), 0)[others]
            hit = ((masks >> cells) & 1).all(axis=1)
            banned = int(np.bitwise_or.reduce(own[hit])) if hit.any() else 0
            ok: np.ndarray = ((banned >> np.arange(self.domains[col])) & 1) == 0
            return ok
        out = np.ones(self.domains[col], dtype=bool)
        for b in self.by_col[col]:
            cols, luts = self.boxes[b]
            here = None
            matched = True
            for c, lut in zip(cols, luts, strict=True):
                if c == col:
                    here = lut
                elif not lut[row[c]]:
                    matched = False
                    break
            if matched and here is not None:
                out &= ~here
        return out
