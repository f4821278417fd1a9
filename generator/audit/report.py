"""Audit stage, the report: what one audit found for one driver, and its JSON form.

:func:`generator.audit.coverage.audit_jobs` builds an :class:`AuditReport`; the
table (:mod:`generator.audit.table`), HTML (:mod:`generator.audit.html`) and JSON
(:meth:`AuditReport.to_json`, keys in docs/json.md) render it.

Which jobs count: jobs that run in a pipeline other than ``experimental`` (check,
gate, periodic, ...), or every job when the audited project names no pipelines (a
matrix file, or Zuul files without a project stanza). The others (experimental
only, or in no pipeline of the project) are counted apart: ``covered_with_apart``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "AuditReport",
    "JobValues",
    "PairStat",
    "StaleOption",
    "Tuple",
    "UncoveredGroup",
    "UnmatchedJob",
]

SCHEMA_VERSION = 1
Tuple = tuple[tuple[str, str], ...]
EXPERIMENTAL = "experimental"


@dataclass(frozen=True, slots=True)
class JobValues:
    """One audited job and its knob values (None = not applicable or unresolved)."""

    job: str
    source: str
    values: tuple[tuple[str, str | None], ...]
    unresolved: tuple[tuple[str, str], ...] = ()
    """(knob, reason) for knobs whose value could not be recovered."""
    pipelines: tuple[str, ...] = ()
    """The audited project's pipelines that run the job (empty: none, or unknown)."""

    def value(self, knob: str) -> str | None:
        return dict(self.values).get(knob)

    def covers(self, combo: Tuple) -> bool:
        held = dict(self.values)
        blocked = {k for k, _ in self.unresolved}
        return all(k not in blocked and held.get(k) == v for k, v in combo)

    @property
    def regular(self) -> bool:
        """Whether the job runs in a pipeline other than experimental."""
        return any(p != EXPERIMENTAL for p in self.pipelines)


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
    """Uncovered tuples one extra job could cover together: the values the tuples
    need (``assignment``) and a whole valid job with them, the other knobs at their
    defaults where the constraints allow (``job``)."""

    assignment: tuple[tuple[str, str], ...]
    tuples: tuple[Tuple, ...]
    job: tuple[tuple[str, str | None], ...] = ()
    zuul: str = ""
    """``job`` as a Zuul job a reviewer can paste (rendered by the Zuul emitter)."""


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
    defaults: tuple[tuple[str, str | None], ...] = ()
    """Each knob's declared default (the values a job is shown against)."""
    incomplete: tuple[tuple[str, str], ...] = ()
    """(job, parent): jobs whose devstack set-up comes from a parent no given file
    defines; their values are partly unknown, so the coverage is a lower bound."""
    apart: tuple[str, ...] = ()
    """Jobs not counted (experimental only, or in no pipeline of the project)."""
    covered_with_apart: int | None = None
    """Tuples covered when the jobs counted apart are counted too (None: none apart)."""

    @property
    def coverage(self) -> float:
        return self.covered / self.coverable if self.coverable else 1.0

    @property
    def uncovered(self) -> tuple[Tuple, ...]:
        return tuple(t for group in self.groups for t in group.tuples)

    @property
    def counted(self) -> tuple[JobValues, ...]:
        """The jobs the coverage counts."""
        return tuple(j for j in self.jobs if j.job not in self.apart)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object (``schema_version`` 1, keys in docs/json.md)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "driver": self.driver,
            "repo": self.repo,
            "source": self.source,
            "strength": self.strength,
            "jobs": len(self.counted),
            "jobs_apart": list(self.apart),
            "complete": not self.incomplete,
            "unresolved_parents": [{"job": j, "parent": p} for j, p in self.incomplete],
            "coverable": self.coverable,
            "covered": self.covered,
            "coverage": round(self.coverage, 6),
            "covered_with_apart": self.covered_with_apart,
            "uncovered": [dict(t) for t in self.uncovered],
            "uncovered_groups": [
                {
                    "assignment": dict(g.assignment),
                    "tuples": len(g.tuples),
                    "job": dict(g.job),
                    "zuul": g.zuul,
                }
                for g in self.groups
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
                    "pipelines": list(j.pipelines),
                    "values": dict(j.values),
                    "unresolved": dict(j.unresolved),
                }
                for j in self.jobs
            ],
        }
