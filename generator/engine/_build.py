"""The whole generation pipeline on integer arrays.

Pipeline stage: generation. Frozen rows (initial, then pinned) -> IPOG-F ->
don't-care fill -> optional post-optimisation (``_postopt.shrink``) or a known
construction (``_construct.construct``) -> greedy reordering. Under ``max_jobs``:
the best of the budget cut and the one-row-at-a-time greedy, improved by a
fixed-size local search for coverage (``_maxcov.maximise``; not under ``--fast``)
and reordered by marginal gain. Every result is re-checked (validity and
coverage) before it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from generator.engine._budget import greedy_rows
from generator.engine._construct import construct
from generator.engine._ipog import fill, ipog
from generator.engine._maxcov import maximise
from generator.engine._order import reorder
from generator.engine._postopt import DEFAULT_STEPS, MIN_STEPS, SMALL_TUPLES, shrink, step_budget
from generator.engine._rng import SplitMix64
from generator.engine._satcover import CodeSpace, applicable, pair_matrix, sat_rows
from generator.engine._satshrink import eliminate
from generator.engine._targets import Targets
from generator.engine._validity import Validity

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.constraints import Oracle
    from generator.engine.coverage import Coverage

__all__ = ["DEFAULT_STEPS", "MIN_STEPS", "SMALL_TUPLES", "Built", "build"]


POSTOPT_WORK = 40_000_000
"""Largest (target sets x columns) the post-optimiser takes on: its per-column layout and
id cache grow with it (1,000 three-value knobs at t=2, 500 M, lifted a build from 0.95
to 6.6 GiB), and a few thousand steps barely move arrays that large (a 565-option CNF
model kept its 20 rows after 2,000 steps and 200 s)."""


POSTOPT_TUPLES = 2_500_000
"""Most target tuples the post-optimiser takes on: a step's cost and its layout's build
grow with them, and beyond this the default budget stops fitting in a few seconds
(3^100 at t=3, 4.4 M tuples: 66 s with post-optimisation, 6 s without)."""


SAT_STEPS = 20_000
"""Most row-elimination steps (solver calls) by default on SAT-sized constrained models:
a 565-option CNF model goes from 22 to 16 rows within them."""

SAT_WORK = 20_000_000
"""Default row-elimination budget as steps x columns (a step costs about as much as a
row is wide): about 16,000 steps on a 1,244-option CNF model (58 -> 52 rows, some 10 s);
a 998-option one gets 20,000 and goes from 35 to 26 rows (27 with 12,000)."""

SAT_CANDIDATES = 1
"""Candidate rows built per greedy step on SAT-sized constrained models."""


def _sat_build(
    coverage: Coverage, rng: SplitMix64, optimise: bool, max_steps: int | None
) -> np.ndarray:
    """Rows of the SAT-driven greedy (``_satcover``), then row elimination
    (``_satshrink``) unless ``optimise`` is off."""
    targets = coverage.targets
    space = CodeSpace(coverage.compiled)
    rows = sat_rows(targets, space, rng.fork(5), SAT_CANDIDATES)
    steps = min(SAT_STEPS, SAT_WORK // space.k) if max_steps is None else max_steps
    if optimise and steps > 0 and rows.shape[0] > lower_bound(targets):
        required = pair_matrix(targets, space.base, space.n)
        rows = eliminate(rows, required, space, rng.fork(6), steps, floor=lower_bound(targets))
    return rows


def default_steps(targets: Targets) -> int:
    """A step budget worth a few seconds: steps cost more as the tuple count grows."""
    return step_budget(int(targets.flat.shape[0]))


@dataclass(frozen=True, slots=True)
class Built:
    rows: np.ndarray
    targets: Targets
    cumulative: tuple[int, ...]


def lower_bound(targets: Targets) -> int:
    """No array covering every required tuple has fewer rows than this."""
    return max((int(np.count_nonzero(r)) for r in targets.required), default=0)


def _check(rows: np.ndarray, targets: Targets, validity: Validity, full: bool) -> None:
    """Safety net: a bug here must never reach a user as a wrong matrix."""
    if rows.size and (rows.min() < 0 or (rows.max(axis=0) >= targets.domains).any()):
        raise RuntimeError("internal error: the engine produced an out-of-range cell")
    if rows.size and not validity.rows_ok(rows).all():
        raise RuntimeError("internal error: the engine produced an invalid row")
    if full:
        missing = targets.flat & ~targets.covered(rows)
        if missing.any():
            raise RuntimeError("internal error: the engine left a required tuple uncovered")


def _best_start(
    candidates: list[tuple[np.ndarray, list[int]]],
) -> tuple[np.ndarray, list[int]]:
    """The candidate covering most (ties: the earliest)."""
    best = candidates[0]
    for cand in candidates[1:]:
        if cand[1] and cand[1][-1] > (best[1][-1] if best[1] else 0):
            best = cand
    return best


def _budget(
    rows: np.ndarray,
    cumulative: list[int],
    *,
    ipog_rows: np.ndarray | None,
    targets: Targets,
    validity: Validity,
    oracle: Oracle,
    nfrozen: int,
    max_jobs: int,
    seed: int,
    steps: int,
) -> tuple[np.ndarray, list[int]]:
    """At most ``max_jobs`` rows covering as much as possible (frozen rows first, unchanged).

    Starts: the first rows of the full cover (and, after post-optimisation, of the
    greedy IPOG-F array, which is what ``--fast`` cuts) and the one-row-at-a-time
    greedy; the one covering most is improved by a local search at fixed row count
    (``_maxcov.maximise``, ``steps`` steps; none under ``--fast``) and reordered by
    marginal gain. The greedy's generator is forked from the seed alone, so the
    result never covers less than ``--fast`` does on the same model and seed.
    """
    domains = targets.domains
    rng = SplitMix64(seed)
    candidates = [(rows[:max_jobs], cumulative[:max_jobs])]
    greedy = greedy_rows(
        targets,
        oracle=oracle,
        domains=domains,
        start=rows[:nfrozen],
        count=max_jobs - nfrozen,
        rng=rng.fork(2),
    )
    if ipog_rows is not None:
        cut, ccum = reorder(ipog_rows, targets, nfrozen)
        candidates.insert(0, (cut[:max_jobs], ccum[:max_jobs]))
    candidates.append(reorder(greedy, targets, nfrozen))
    start, scum = _best_start(candidates)
    if steps > 0 and (scum[-1] if scum else 0) < targets.total:
        full = start
        if full.shape[0] < max_jobs:  # room left: search with the spare rows too
            spare = greedy_rows(
                targets,
                oracle=oracle,
                domains=domains,
                start=start,
                count=max_jobs - start.shape[0],
                rng=rng.fork(3),
            )
            full = spare
        found = maximise(full, targets, validity, nfrozen, rng.fork(4), steps)
        found = np.asarray(found, dtype=np.int16)
        _check(found, targets, validity, full=False)
        frows, fcum = reorder(found, targets, nfrozen)
        if fcum and fcum[-1] > (scum[-1] if scum else 0):
            start, scum = frows, fcum
    _check(start, targets, validity, full=False)
    return start, scum


def build(
    coverage: Coverage,
    frozen: np.ndarray,
    *,
    seed: int,
    max_jobs: int | None,
    optimise: bool,
    max_steps: int | None,
    progress: Callable[[str, int, int], None] | None,
) -> Built:
    """Rows in internal column order (frozen rows first), with cumulative coverage."""
    compiled = coverage.compiled
    oracle = coverage.oracle
    domains = compiled.domains
    targets = coverage.targets
    strength = coverage.strength
    validity = Validity(compiled)
    rng = SplitMix64(seed)
    nfrozen = frozen.shape[0]
    # Models with a constraint component too large to enumerate, at strength 2: rows
    # are whole SAT models (far fewer than IPOG's column-by-column rows there).
    by_sat = nfrozen == 0 and any(oracle.solved) and applicable(targets, sum(domains))
    affordable = (
        len(targets.sets) * len(domains) <= POSTOPT_WORK and targets.flat.shape[0] <= POSTOPT_TUPLES
    )
    # Constructions may search too (cover starters), so ``optimise=False`` (--fast)
    # means the greedy build alone.
    # A construction covers strength-t sets only: none when a strength group asks for more.
    plain = all(len(s) <= strength for s in targets.sets)
    uniform = optimise and plain and len(set(domains)) == 1 and not compiled.boxes and nfrozen == 0
    known = construct(domains, strength) if uniform else None
    if known is not None:
        known = np.asarray(known, dtype=np.int16)
        _check(known, targets, validity, full=False)  # reorder recounts coverage below
    if by_sat:
        rows = _sat_build(coverage, rng, optimise, max_steps)
        _check(rows, targets, validity, full=True)
    else:
        # With nothing to post-optimise and no budget to cut to, a greedy array larger
        # than the construction is never used: its build stops there (4^100 at t=3,
        # 304 rows constructed: 8.2 s in all, against 4.6 s).
        cap = None if known is None or affordable or max_jobs is not None else known.shape[0]
        greedy = ipog(targets, oracle, domains, frozen, progress, above=cap)
        if greedy is None:
            assert known is not None
            rows = known
        else:
            rows = greedy
            fill(rows, oracle, domains)
            _check(rows, targets, validity, full=False)
    ipog_rows: np.ndarray | None = None  # the greedy array, once something replaced it
    if optimise and affordable and not by_sat and rows.shape[0] > lower_bound(targets):
        steps = default_steps(targets) if max_steps is None else max_steps
        if progress is not None:
            progress("optimise", 0, steps)
        shrunk = shrink(rows, targets, validity, nfrozen, rng.fork(1), steps)
        shrunk = np.asarray(shrunk, dtype=np.int16)
        _check(shrunk, targets, validity, full=False)  # reorder recounts coverage below
        if shrunk.shape[0] <= rows.shape[0]:
            ipog_rows, rows = rows, shrunk
    if known is not None and known.shape[0] < rows.shape[0]:
        ipog_rows = rows if ipog_rows is None else ipog_rows
        rows = known
    rows, cumulative = reorder(rows, targets, nfrozen)
    # The reordering recounts coverage from the rows alone: the coverage check.
    if (cumulative[-1] if cumulative else 0) != targets.total:
        raise RuntimeError("internal error: the engine left a required tuple uncovered")
    if rows.shape[0] == 0:
        # Nothing to cover (every combination needs a knob that never applies):
        # one valid row still shows the model is usable.
        rows = np.full((1, len(domains)), -1, dtype=np.int16)
        fill(rows, oracle, domains)
        cumulative = [0]
    if max_jobs is not None and rows.shape[0] > max_jobs:
        rows, cumulative = _budget(
            rows,
            cumulative,
            ipog_rows=ipog_rows,
            targets=targets,
            validity=validity,
            oracle=oracle,
            nfrozen=nfrozen,
            max_jobs=max_jobs,
            seed=seed,
            steps=(default_steps(targets) if max_steps is None else max_steps)
            if optimise and affordable
            else 0,
        )
    return Built(rows, targets, tuple(cumulative))
