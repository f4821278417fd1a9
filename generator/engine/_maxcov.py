"""Budget mode's local search: the most required tuples a fixed number of rows can cover.

Pipeline stage: generation under ``max_jobs`` (docs/engine.md §5;
in the spirit of LS-Sampling). The row count never changes: each step is one of the
post-optimiser's tuple-driven single-cell flips (``_postopt._Search.step_once``: pick
an uncovered required tuple, score every flip that would cover it in a row one cell
away by tuples newly covered minus tuples uniquely covered and lost, skip tabu cells,
keep the row valid with ``Validity.allowed``), and the array covering the most
required tuples so far is kept. Frozen rows (initial, then pinned) are never changed.
The budget is a number of steps, so the result depends only on the inputs and the seed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from generator.engine._postopt import _Layout, _Search

if TYPE_CHECKING:
    from generator.engine._postopt import _Targets, _Validity
    from generator.engine._rng import SplitMix64

__all__ = ["maximise"]


def maximise(  # noqa: PLR0917 - same positional shape as ``_postopt.shrink``
    rows: np.ndarray,
    targets: _Targets,
    validity: _Validity,
    frozen_rows: int,
    rng: SplitMix64,
    max_steps: int,
) -> np.ndarray:
    """Rows (same count, first ``frozen_rows`` unchanged) covering at least as many
    required tuples as ``rows``: the best array seen within ``max_steps`` steps.

    ``rows`` must be full (no ``-1``) and valid; every returned row is either one of
    them or was made from one by validity-checked cell changes.
    """
    arr = np.asarray(rows)
    n, k = arr.shape
    lay = _Layout(targets, k)
    if n <= frozen_rows or lay.total == 0:
        return arr.copy()
    st = _Search(arr, lay, validity, frozen_rows, rng)
    best = arr.copy()
    best_uncovered = st.uncovered
    while best_uncovered and st.step < max_steps:
        st.step_once()
        if st.uncovered < best_uncovered:
            best_uncovered = st.uncovered
            best = st.ext[:, :k].astype(arr.dtype)
    return best
