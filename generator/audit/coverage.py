"""Audit stage, counting: which knob combinations a set of jobs really covers.

Jobs come from a generated matrix file (their knob values are written down) or
from Zuul job files, whose knob values are recovered by matching each job's
effective devstack settings against the catalog (:mod:`generator.audit.recover`).
Coverage is counted against the feasible t-tuples of the catalog
(``Space.coverable``); the uncovered ones are grouped into the extra jobs that
would cover them, largest group first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.errors import GeneratorError, ParameterError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from generator.model import Catalog

__all__ = [
    "SCHEMA_VERSION",
    "AuditReport",
    "JobValues",
    "PairStat",
    "StaleOption",
    "UncoveredGroup",
    "UnmatchedJob",
    "audit_jobs",
    "audit_matrix",
]

SCHEMA_VERSION = 1
Tuple = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class JobValues:
    """One audited job and its knob values (None = not applicable or unresolved)."""

    job: str
    source: str
    values: tuple[tuple[str, str | None], ...]
    unresolved: tuple[tuple[str, str], ...] = ()
    """(knob, reason) for knobs whose value could not be recovered."""

    def value(self, knob: str) -> str | None:
        return dict(self.values).get(knob)

    def covers(self, combo: Tuple) -> bool:
        held = dict(self.values)
        blocked = {k for k, _ in self.unresolved}
        return all(k not in blocked and held.get(k) == v for k, v in combo)


@dataclass(frozen=True, slots=True)
class UnmatchedJob:
    job: str
    reason: str


@dataclass(frozen=True, slots=True)
class StaleOption:
    """An option a job sets that the option registry does not know there."""

    job: str
    file: str
    section: str
    option: str
    reason: str
    defined_in: str = ""


@dataclass(frozen=True, slots=True)
class PairStat:
    knobs: tuple[str, str]
    covered: int
    total: int

    @property
    def fraction(self) -> float:
        return self.covered / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class UncoveredGroup:
    """Uncovered tuples one extra job could cover together (its partial assignment)."""

    assignment: tuple[tuple[str, str], ...]
    tuples: tuple[Tuple, ...]


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Coverage of one driver's catalog by a set of jobs."""

    driver: str
    repo: str
    strength: int
    source: str
    knobs: tuple[str, ...]
    jobs: tuple[JobValues, ...]
    coverable: int
    covered: int
    groups: tuple[UncoveredGroup, ...]
    pairs: tuple[PairStat, ...]
    unmatched: tuple[UnmatchedJob, ...] = ()
    stale: tuple[StaleOption, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    domains: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each knob's values, in declaration order (the value heatmap's axes)."""
    value_pairs: tuple[tuple[Tuple, bool], ...] = ()
    """Every feasible value pair and whether a job covers it."""

    @property
    def coverage(self) -> float:
        return self.covered / self.coverable if self.coverable else 1.0

    @property
    def uncovered(self) -> tuple[Tuple, ...]:
        return tuple(t for group in self.groups for t in group.tuples)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object (``schema_version`` 1)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "driver": self.driver,
            "repo": self.repo,
            "source": self.source,
            "strength": self.strength,
            "jobs": len(self.jobs),
            "coverable": self.coverable,
            "covered": self.covered,
            "coverage": round(self.coverage, 6),
            "uncovered": [dict(t) for t in self.uncovered],
            "uncovered_groups": [
                {"assignment": dict(g.assignment), "tuples": len(g.tuples)} for g in self.groups
            ],
            "unmatched_jobs": [{"job": u.job, "reason": u.reason} for u in self.unmatched],
            "stale_options": [
                {
                    "job": s.job,
                    "file": s.file,
                    "section": s.section,
                    "option": s.option,
                    "reason": s.reason,
                    "defined_in": s.defined_in,
                }
                for s in self.stale
            ],
            "pairs": [
                {"knobs": list(p.knobs), "covered": p.covered, "total": p.total} for p in self.pairs
            ],
            "job_values": [
                {
                    "job": j.job,
                    "source": j.source,
                    "values": dict(j.values),
                    "unresolved": dict(j.unresolved),
                }
                for j in self.jobs
            ],
        }


def _compatible(assignment: Mapping[str, str], combo: Tuple) -> bool:
    return all(assignment.get(k, v) == v for k, v in combo)


def _group(
    space: Any, uncovered: Sequence[Tuple], order: Mapping[str, int]
) -> tuple[UncoveredGroup, ...]:
    """Greedy: each group is a feasible partial job covering as many leftovers as it can."""
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
        groups.append(UncoveredGroup(ordered, tuple(members)))
    groups.sort(key=lambda g: -len(g.tuples))
    return tuple(groups)


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
) -> AuditReport:
    """Count the feasible t-tuples of ``catalog`` that ``jobs`` cover."""
    from generator.engine import Coverage, compile_model

    t = catalog.strength if strength is None else strength
    if t < 1 or t > len(catalog.knobs):
        raise ParameterError(
            f"strength {t} is out of range for driver {catalog.driver} "
            f"(1..{len(catalog.knobs)} knobs)"
        )
    space = compile_model(catalog.model)
    coverage = Coverage(space.compiled, space.oracle, t, catalog.groups)
    rows = [_known(job) for job in jobs]
    total = coverage.total
    hit = coverage.hits(rows)
    uncovered = coverage.combinations(~hit)
    pair_counts: dict[tuple[str, str], list[int]] = {}
    if t != 2 or catalog.groups:
        coverage = Coverage(space.compiled, space.oracle, 2)
        hit = coverage.hits(rows)
    value_pairs = coverage.marked(hit)
    for combo, covered in value_pairs:
        (a, _), (b, _) = combo
        slot = pair_counts.setdefault((a, b), [0, 0])
        slot[1] += 1
        slot[0] += covered
    pairs = sorted(
        (PairStat(k, c, n) for k, (c, n) in pair_counts.items()),
        key=lambda p: (p.fraction, p.covered - p.total),
    )
    return AuditReport(
        driver=catalog.driver,
        repo=catalog.repo,
        strength=t,
        source=source,
        knobs=catalog.knob_names,
        jobs=tuple(jobs),
        coverable=total,
        covered=total - len(uncovered),
        groups=_group(space, uncovered, {n: i for i, n in enumerate(catalog.knob_names)}),
        pairs=tuple(pairs),
        unmatched=tuple(unmatched),
        stale=tuple(stale),
        warnings=tuple(warnings),
        domains=tuple((k.name, k.value_names) for k in catalog.knobs),
        value_pairs=value_pairs,
    )


def audit_matrix(
    catalogs: Sequence[Catalog], paths: Sequence[str | Path], *, strength: int | None = None
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
        reports.append(audit_jobs(catalog, jobs, strength=strength, source=str(path)))
    return reports
