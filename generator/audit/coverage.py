"""Audit stage, counting: which knob combinations a set of jobs really covers.

Jobs come from a generated matrix file (their knob values are written down) or
from Zuul job files, whose knob values are recovered by matching each job's
effective devstack settings against the catalog (:mod:`generator.audit.recover`).
Coverage is counted against the feasible t-tuples of the catalog
(``Space.coverable``); the uncovered ones are grouped into the extra jobs that
would cover them, largest group first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from generator.audit.report import (
    AuditReport,
    JobValues,
    PairStat,
    StaleOption,
    Tuple,
    UncoveredGroup,
    UnmatchedJob,
)
from generator.errors import GeneratorError, ParameterError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from generator.constraints import Space
    from generator.model import Catalog

__all__ = ["audit_jobs", "audit_matrix", "complete"]


def _compatible(assignment: Mapping[str, str], combo: Tuple) -> bool:
    return all(assignment.get(k, v) == v for k, v in combo)


def complete(
    space: Space, catalog: Catalog, given: Mapping[str, str]
) -> tuple[tuple[str, str | None], ...]:
    """A whole valid job holding ``given`` (a feasible partial job): each other knob,
    in catalog order, takes its default when the constraints allow, else its first
    value that keeps the job valid, else "not applicable"."""
    job: dict[str, str | None] = dict(given)
    for knob in catalog.knobs:
        if knob.name in given:
            continue
        values = [knob.default, *knob.value_names] if knob.default else list(knob.value_names)
        for value in [*values, None]:
            if space.is_feasible({**job, knob.name: value}):
                job[knob.name] = value
                break
    return tuple((name, job.get(name)) for name in catalog.knob_names)


def _group(
    space: Space, catalog: Catalog, uncovered: Sequence[Tuple]
) -> tuple[UncoveredGroup, ...]:
    """Greedy: each group is a feasible partial job covering as many leftovers as it can."""
    order = {name: i for i, name in enumerate(catalog.knob_names)}
    remaining = list(uncovered)
    groups: list[UncoveredGroup] = []
    while remaining:
        assignment = dict(remaining[0])
        members = [remaining[0]]
        for combo in remaining[1:]:
            if not _compatible(assignment, combo):
                continue
            trial = {**assignment, **dict(combo)}
            if len(trial) == len(assignment) or space.is_feasible(trial):
                assignment = trial
                members.append(combo)
        taken = set(members)
        remaining = [c for c in remaining if c not in taken]
        ordered = tuple(sorted(assignment.items(), key=lambda kv: order[kv[0]]))
        groups.append(UncoveredGroup(ordered, tuple(members), complete(space, catalog, assignment)))
    groups.sort(key=lambda g: -len(g.tuples))
    return tuple(
        replace(group, zuul=_zuul(catalog, f"{catalog.repo_name}-extra-{n:02d}", group.job))
        for n, group in enumerate(groups, 1)
    )


def _zuul(catalog: Catalog, name: str, values: tuple[tuple[str, str | None], ...]) -> str:
    """The Zuul job of a suggested extra job, from the same emitter as ``generate``."""
    from generator.emit import EmitError
    from generator.emit.zuul import render_job
    from generator.matrix import Job

    try:
        return render_job(catalog, Job(name, values))
    except EmitError as exc:  # two chosen values set one option differently
        return f"# {name} cannot be rendered: {exc.message}\n"


def _known(job: JobValues) -> dict[str, str | None]:
    """A job's values as a row for the coverage counter, unresolved knobs left out."""
    blocked = {k for k, _ in job.unresolved}
    return {k: v for k, v in job.values if k not in blocked}


def audit_jobs(
    catalog: Catalog,
    jobs: Sequence[JobValues],
    *,
    strength: int | None = None,
    source: str = "",
    unmatched: Sequence[UnmatchedJob] = (),
    stale: Sequence[StaleOption] = (),
    warnings: Sequence[str] = (),
    incomplete: Sequence[tuple[str, str]] = (),
    progress: Callable[[str, str], None] | None = None,
) -> AuditReport:
    """Count the feasible t-tuples of ``catalog`` that ``jobs`` cover.

    When some job names its pipelines, only jobs of a pipeline other than
    ``experimental`` count; the others are reported apart (:mod:`generator.audit.report`).
    ``progress(driver, phase)`` is told each phase as it starts.
    """
    from generator.engine import Coverage, compile_model

    t = catalog.strength if strength is None else strength
    if t < 1 or t > len(catalog.knobs):
        raise ParameterError(
            f"strength {t} is out of range for driver {catalog.driver} "
            f"(1..{len(catalog.knobs)} knobs)"
        )

    def phase(text: str) -> None:
        if progress is not None:
            progress(catalog.driver, text)

    phase(f"feasible {t}-way combinations")
    space = compile_model(catalog.model)
    coverage = Coverage(space.compiled, space.oracle, t, catalog.groups)
    known_pipelines = any(job.pipelines for job in jobs)
    apart = tuple(job.job for job in jobs if known_pipelines and not job.regular)
    rows = [_known(job) for job in jobs if job.job not in apart]
    total = coverage.total
    phase(f"counting {t}-way combinations of {len(jobs)} jobs")
    hit = coverage.hits(rows)
    uncovered = coverage.combinations(~hit)
    with_apart = coverage.covered([_known(job) for job in jobs]) if apart else None
    pair_counts: dict[tuple[str, str], list[int]] = {}
    if t != 2 or catalog.groups:
        phase("counting knob pairs")
        coverage = Coverage(space.compiled, space.oracle, 2)
        hit = coverage.hits(rows)
    for combo, covered in coverage.marked(hit):
        (a, _), (b, _) = combo
        slot = pair_counts.setdefault((a, b), [0, 0])
        slot[1] += 1
        slot[0] += covered
    pairs = sorted(
        (PairStat(k, c, n) for k, (c, n) in pair_counts.items()),
        key=lambda p: (p.fraction, p.covered - p.total),
    )
    phase(f"grouping {len(uncovered)} uncovered combinations into extra jobs")
    groups = _group(space, catalog, uncovered)
    return AuditReport(
        driver=catalog.driver,
        repo=catalog.repo,
        strength=t,
        source=source,
        knobs=catalog.knob_names,
        jobs=tuple(jobs),
        coverable=total,
        covered=total - len(uncovered),
        groups=groups,
        pairs=tuple(pairs),
        unmatched=tuple(unmatched),
        stale=tuple(stale),
        warnings=tuple(warnings),
        defaults=tuple((k.name, k.default) for k in catalog.knobs),
        incomplete=tuple(incomplete),
        apart=apart,
        covered_with_apart=with_apart,
    )


def audit_matrix(
    catalogs: Sequence[Catalog],
    paths: Sequence[str | Path],
    *,
    strength: int | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> list[AuditReport]:
    """Audit generated matrix files, each against the catalog of its driver."""
    from generator.matrix import read_matrix

    by_driver = {c.driver: c for c in catalogs}
    reports = []
    for path in paths:
        matrix = read_matrix(path)
        catalog = by_driver.get(matrix.driver)
        if catalog is None:
            raise GeneratorError(
                f"{path}: matrix of driver {matrix.driver!r}, but the catalog has "
                f"{', '.join(sorted(by_driver)) or 'no drivers'}"
            )
        jobs = []
        for job in matrix.jobs:
            given = dict(job.values)
            values = tuple((k, given[k]) for k in catalog.knob_names if k in given)
            missing = [k for k in catalog.knob_names if k not in dict(job.values)]
            jobs.append(
                JobValues(
                    job.name,
                    str(path),
                    values,
                    tuple((k, "not in the matrix file (older catalog?)") for k in missing),
                )
            )
        reports.append(
            audit_jobs(catalog, jobs, strength=strength, source=str(path), progress=progress)
        )
    return reports
