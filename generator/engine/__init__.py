"""The covering-array engine: a model in, covering rows out.

Knows nothing of YAML, Zuul or Tempest; :mod:`generator.engine.covering` is its
public face and :mod:`generator.engine.coverage` the one coverage counter every
stage counts with (both re-exported here); the private modules work on integer
arrays. The engine gets the compiled constraints and their oracle from
``generator.constraints``, never the name-based space.

Internal interface between the generator (``_ipog``, ``_budget``, ``_order``,
``_targets``) and the post-optimiser (``_postopt``) / algebraic constructions
(``_construct``). Both sides build to exactly this:

* **Arrays**: ``np.ndarray`` of dtype ``int16``, shape ``(N, k)``; columns in the
  engine's internal parameter order; values ``0 .. v_i - 1``. For a conditional
  parameter the last code ``v_i - 1`` means "not applicable". ``-1`` (don't care)
  never appears in an array handed to the optimiser: the generator fills first.

* ``_targets.Targets`` (frozen):

  - ``sets: tuple[tuple[int, ...], ...]``: the column-sets to cover, each sorted
    ascending; sets are ordered by their last (largest) member, then
    lexicographically.
  - ``radix: tuple[tuple[int, ...], ...]``: domain size of each member of each set.
  - ``required: tuple[np.ndarray, ...]``: one bool mask per set, length
    ``prod(radix[s])``; True = that value combination must be covered (it occurs
    in some valid row and contains no "not applicable" code).
  - Extras the optimiser may use: ``flat`` (all masks concatenated, bool),
    ``offsets`` (int64, start of each set in ``flat``), ``arities`` (per set
    size: member columns, mixed-radix strides with the first member most
    significant, and offsets as arrays), ``total`` (``int(flat.sum())``).

* ``_validity.Validity`` (full rows only, i.e. no ``-1``):

  - ``row_ok(row: np.ndarray) -> bool``
  - ``rows_ok(rows: np.ndarray) -> np.ndarray`` (bool per row, vectorised over the
    compiled forbidden partial assignments)
  - ``allowed(row: np.ndarray, col: int) -> np.ndarray``: bool mask over the values
    of ``col`` that keep the full row valid with its other cells fixed.
  - ``flip_ok(rows: np.ndarray, col: int, value: int) -> np.ndarray``: bool per row,
    ``allowed(row, col)[value]`` for many full rows at once.

* Optimiser, ``_postopt.shrink(rows: np.ndarray, targets: Targets, validity:
  Validity, frozen_rows: int, rng: SplitMix64, max_steps: int) -> np.ndarray``:
  returns a complete, valid array (every required tuple covered) with at most as
  many rows; the first ``frozen_rows`` rows are never changed or removed. Output
  depends only on its inputs (step budget, never wall-clock).

* Constructions, ``_construct.construct(domains: Sequence[int], strength: int) ->
  np.ndarray | None``: a known small covering array for a uniform unconstrained
  model (int16, ``(N, len(domains))``), or None when none is known.

* Budget search, ``_maxcov.maximise`` (same signature as ``shrink``): the same
  number of rows, first ``frozen_rows`` unchanged, covering at least as many
  required tuples as the given valid full rows (which need not cover everything).

"""

from __future__ import annotations

from generator.engine.coverage import Combination, Coverage
from generator.engine.covering import (
    CoverResult,
    Infeasible,
    Space,
    check_model,
    compile_model,
    cover,
)

__all__ = [
    "Combination",
    "CoverResult",
    "Coverage",
    "Infeasible",
    "Space",
    "check_model",
    "compile_model",
    "cover",
]
