"""The validity oracle of a model without constraints, for post-optimising a
construction's parts (``_polish``, ``_complete``) with ``_postopt.shrink``."""

from __future__ import annotations

import numpy as np

__all__ = ["Unconstrained"]


class Unconstrained:
    """The ``_Validity`` of a model with no constraints over v values: every row is valid
    (the post-optimisation of a construction's parts, ``_polish`` and ``_complete``)."""

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
