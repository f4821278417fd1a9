"""Matrix stage, regeneration: keep the jobs of the previous matrix where possible.

Stable regeneration (:func:`plan_initial` + :func:`assemble`), the default when a
matrix file exists:

1. Each old job is mapped onto the new catalog: values of removed knobs are dropped,
   cells whose value was removed from its knob are left to fill, new knobs are left
   to fill.
2. A mapped job that the new constraints make invalid is repaired with
   ``Space.repair`` (fewest changed values); only the cells the repair keeps stay
   given.
3. The mapped jobs go to ``cover(initial=...)`` so they stay first, in order, under
   their old names; the engine fills their open cells and appends only the jobs
   still needed, which get fresh numbers.
4. Redundancy rule: a job is dropped when every t-tuple it covers is covered by
   another remaining job and every pinned combination it contains is contained in
   another remaining job. New rows are tried first (last to first), then old rows
   (last to first). Dropping never renames anything because names are stored,
   not positional. The same rule runs after a fresh generation, so regenerating an
   unchanged catalog is a fixed point: nothing is dropped and nothing is added.

What changed, job by job, is reported by :mod:`generator.matrix.churn`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from generator.matrix.format import Job, Matrix, job_name

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from generator.engine import Coverage
    from generator.model import Catalog, Row

__all__ = ["SpaceLike", "assemble", "plan_initial"]


class SpaceLike(Protocol):
    """The two methods of the engine's compiled ``Space`` that regeneration uses."""

    def is_feasible(self, assignment: Mapping[str, str | None]) -> bool: ...

    def repair(self, assignment: Mapping[str, str | None]) -> dict[str, str | None]: ...


def plan_initial(old: Matrix, catalog: Catalog, space: SpaceLike) -> list[dict[str, str | None]]:
    """Map the old jobs onto ``catalog``: the given cells of each, for ``cover(initial=)``.

    A feasible mapped job keeps every cell; an infeasible one keeps only the cells
    ``space.repair`` leaves unchanged (the repair changes the fewest values).
    """
    declared = {knob.name: set(knob.value_names) for knob in catalog.knobs}
    # "Not applicable" is kept only for a knob that can be: one that now always applies
    # (its 'when' removed, or a hand-edited null) is left to fill.
    conditional = {knob.name for knob in catalog.knobs if knob.when}
    initial: list[dict[str, str | None]] = []
    for job in old.jobs:
        given = dict(job.values)
        # Catalog order, so the engine sees a canonical assignment.
        mapped = {
            name: given[name]
            for name in catalog.knob_names
            if name in given
            and (given[name] in declared[name] or (given[name] is None and name in conditional))
        }
        if not space.is_feasible(mapped):
            repaired = space.repair(mapped)
            mapped = {k: v for k, v in mapped.items() if repaired.get(k) == v}
            if not space.is_feasible(mapped):  # cannot happen: repaired completes it
                mapped = {name: repaired.get(name) for name in catalog.knob_names}
        initial.append(mapped)
    return initial


def _covers(row: Mapping[str, str | None], pairs: tuple[tuple[str, str], ...]) -> bool:
    return all(row.get(knob) == value for knob, value in pairs)


def assemble(
    catalog: Catalog,
    rows: Sequence[Row],
    *,
    old: Matrix | None,
    kept_count: int,
    coverage: Coverage,
    strength: int,
    seed: int,
    digest: str,
    first_number: int = 1,
) -> Matrix:
    """Name the engine's rows and drop redundant ones (module docstring, rule 4).

    ``rows`` are the engine's rows in catalog knob order; the first ``kept_count``
    of them continue ``old.jobs`` (in order). New rows are numbered from
    ``max(first_number, old.next_number)``. ``coverage`` counts the combinations
    the rows must keep covered (the engine's counter for this catalog and strength).
    """
    names = catalog.knob_names
    dicts = [dict(zip(names, row, strict=True)) for row in rows]
    old_jobs = old.jobs if old is not None else ()
    if kept_count != len(old_jobs):
        raise ValueError("kept_count must equal the number of old jobs")
    order = [*range(len(dicts) - 1, kept_count - 1, -1), *range(kept_count - 1, -1, -1)]
    # A pinned combination keeps the last of the rows that contain it.
    pin_rows = [
        [i for i, row in enumerate(dicts) if _covers(row, pin.assignment)] for pin in catalog.pinned
    ]
    dropped = coverage.redundant(dicts, order, pin_rows)
    number = max(first_number, old.next_number if old is not None else 1)
    jobs: list[Job] = []
    for index, row in enumerate(dicts):
        if index in dropped:
            continue
        values = tuple((name, row[name]) for name in names)
        if index < kept_count:
            jobs.append(Job(old_jobs[index].name, values))
        else:
            jobs.append(Job(job_name(catalog.repo_name, number), values))
            number += 1
    return Matrix(
        driver=catalog.driver,
        repo=catalog.repo,
        strength=strength,
        seed=seed,
        catalog_digest=digest,
        jobs=tuple(jobs),
        next_number=number,
    )
