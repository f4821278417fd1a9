"""Plain targets and the validity oracle of a model without constraints, for
post-optimising a construction's parts (``_polish``, ``_complete``) with
``_postopt.shrink``."""

from __future__ import annotations

import numpy as np

__all__ = ["Tuples", "Unconstrained"]


class Tuples:
    """The ``_Targets`` of v-value columns: on each column set (a row of ``sets``), the
    value tuples marked in its row of ``required`` (mixed radix, first member most
    significant)."""

    def __init__(self, sets: np.ndarray, required: np.ndarray, v: int) -> None:
        self.sets = [tuple(s) for s in sets.tolist()]
        self.radix = [(v,) * sets.shape[1]] * len(self.sets)
        self.required = list(required)


class Unconstrained:
    """The ``_Validity`` of a model with no constraints over v values: every row is valid."""

    def __init__(self, v: int) -> None:
        self.v = v

    def row_ok(self, row: np.ndarray) -> bool:
        """Every row is valid."""
        return True

    def allowed(self, row: np.ndarray, col: int) -> np.ndarray:
        """Every value is allowed in every cell."""
        return np.ones(self.v, dtype=bool)

    def flip_ok(self, rows: np.ndarray, col: int, value: int) -> np.ndarray:
        """Every change of a cell keeps its row valid."""
        return np.ones(rows.shape[0], dtype=bool)
