"""Matrix stage, churn: what a regeneration changed, job by job.

Jobs are matched by name (names are stored in the matrix, never positional). A
job of both matrices is *changed* when any knob value differs, when it gained a
knob (a new knob filled), lost one (a knob removed from the catalog), or when its
rendered files differ (``rendered``: filled in by the caller, which sees the files;
a changed value setting alters the files without altering any job value). It is
*kept* otherwise. Jobs only in the new matrix are *added*, only in the old one
*removed*.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.matrix.format import Job, Matrix

__all__ = ["Churn", "JobChange", "ValueChange", "churn", "value_changes"]


@dataclass(frozen=True, slots=True)
class ValueChange:
    """One knob of one job: ``kind`` is ``changed``, ``added`` (a new knob, filled with
    ``new``) or ``removed`` (a knob no longer in the catalog, that had ``old``).
    ``None`` as a value means "not applicable"."""

    knob: str
    kind: str
    old: str | None = None
    new: str | None = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"new knob {self.knob}={_shown(self.new)}"
        if self.kind == "removed":
            return f"knob {self.knob} removed (was {_shown(self.old)})"
        return f"{self.knob} {_shown(self.old)} -> {_shown(self.new)}"

    def to_json(self) -> dict[str, Any]:
        return {"knob": self.knob, "kind": self.kind, "old": self.old, "new": self.new}


def _shown(value: str | None) -> str:
    return "n/a" if value is None else value


@dataclass(frozen=True, slots=True)
class JobChange:
    """A job of both matrices whose values or rendered files differ."""

    name: str
    values: tuple[ValueChange, ...] = ()
    rendered: tuple[str, ...] = ()
    """Differences in the job's rendered files, e.g. ``plugins +devstack-plugin-ceph``."""

    @property
    def rendered_only(self) -> bool:
        """True when no knob value changed: the catalog changed what a value sets."""
        return not self.values

    def __str__(self) -> str:
        if self.rendered_only:
            return "same knob values, rendered files changed: " + "; ".join(self.rendered)
        return "; ".join([*(str(change) for change in self.values), *self.rendered])

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.name,
            "values": [change.to_json() for change in self.values],
            "rendered": list(self.rendered),
            "rendered_only": self.rendered_only,
        }


@dataclass(frozen=True, slots=True)
class Churn:
    """What a regeneration changed compared with the previous matrix."""

    kept: tuple[str, ...] = ()
    changed: tuple[JobChange, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    fresh_jobs: int | None = field(default=None)
    """Jobs a fresh build (``--fresh``) would need, when it needs clearly fewer."""

    def __str__(self) -> str:
        return (
            f"{len(self.kept)} kept, {len(self.changed)} changed, "
            f"{len(self.added)} added, {len(self.removed)} removed"
        )

    def with_rendered(self, rendered: Mapping[str, tuple[str, ...]]) -> Churn:
        """This churn with the rendered-file differences of each job added: a kept job
        whose files differ becomes changed."""
        changes = {change.name: change for change in self.changed}
        kept: list[str] = []
        for name in self.kept:
            if rendered.get(name):
                changes[name] = JobChange(name)
            else:
                kept.append(name)
        ordered = [
            replace(changes[name], rendered=rendered.get(name, ()))
            for name in sorted(changes, key=self._order)
        ]
        return replace(self, kept=tuple(kept), changed=tuple(ordered))

    def _order(self, name: str) -> tuple[int, str]:
        from generator.matrix.format import job_number

        number = job_number(name)
        return (number if number is not None else -1, name)

    def to_json(self) -> dict[str, Any]:
        return {
            "kept": list(self.kept),
            "changed": [change.to_json() for change in self.changed],
            "added": list(self.added),
            "removed": list(self.removed),
            "fresh_jobs": self.fresh_jobs,
        }


def value_changes(old: Job, new: Job) -> tuple[ValueChange, ...]:
    """The knob-value differences between two versions of one job, in new-catalog
    order (removed knobs last, in old order)."""
    before = dict(old.values)
    after = dict(new.values)
    changes: list[ValueChange] = []
    for knob, value in new.values:
        if knob not in before:
            changes.append(ValueChange(knob, "added", new=value))
        elif before[knob] != value:
            changes.append(ValueChange(knob, "changed", before[knob], value))
    changes.extend(
        ValueChange(knob, "removed", old=value) for knob, value in old.values if knob not in after
    )
    return tuple(changes)


def churn(old: Matrix | None, new: Matrix) -> Churn:
    """Compare two matrices of one driver job by job (by name)."""
    previous = {job.name: job for job in old.jobs} if old is not None else {}
    current = {job.name for job in new.jobs}
    kept: list[str] = []
    changed: list[JobChange] = []
    added: list[str] = []
    for job in new.jobs:
        before = previous.get(job.name)
        if before is None:
            added.append(job.name)
            continue
        changes = value_changes(before, job)
        if changes:
            changed.append(JobChange(job.name, changes))
        else:
            kept.append(job.name)
    removed = tuple(name for name in previous if name not in current)
    return Churn(tuple(kept), tuple(changed), tuple(added), removed)
