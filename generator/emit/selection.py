"""Emit stage: the Tempest tests a job runs, as the run-tempest role selects them.

A job runs ``tox -e all -- <tempest_test_regex> --exclude-regex <tempest_exclude_regex>``
(tempest's ``roles/run-tempest``), i.e. ``tempest run --regex``: the regex is split on
whitespace and a test runs when any part matches it, unless the exclude regex does.
The regex is the driver's baseline plus every chosen value's ``tests``; the exclude
regex joins the driver's and the values' ``exclude_tests``. Evaluated against the
committed test list (:mod:`generator.catalog.testlist`) restricted to Tempest and the
plugins the job installs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.catalog.testlist import select, test_list
from generator.emit.job_settings import EmitError

if TYPE_CHECKING:
    from generator.constraints import Space
    from generator.emit.job_settings import JobSettings
    from generator.matrix import Job
    from generator.model import Catalog, Knob, KnobValue

__all__ = ["SMOKE_REGEX", "Selection", "check_declared_tests", "check_selection", "job_selection"]

SMOKE_REGEX = r"\[.*\bsmoke\b.*\]"
"""What run-tempest runs without a regex: its default ``tox_envlist: smoke`` (tempest
tox.ini ``[testenv:smoke]``)."""


@dataclass(frozen=True, slots=True)
class Selection:
    """What a job hands to the run-tempest role, and the tests that selects."""

    regex: str
    """``tempest_test_regex``: the regexes separated by spaces."""
    exclude: str
    """``tempest_exclude_regex``: the exclusions joined with ``|`` (empty: none)."""
    tests: tuple[str, ...]


def job_selection(settings: JobSettings) -> Selection:
    """The selection of a job with these merged settings."""
    regex = " ".join(settings.tests) or SMOKE_REGEX
    exclude = "|".join(settings.exclude_tests)
    available = test_list().available(settings.tempest_plugins)
    return Selection(regex, exclude, select(available, regex, exclude))


def check_selection(catalog: Catalog, job: Job, selection: Selection) -> None:
    """Every chosen value that declares tests must have at least one of them selected
    (an exclusion or a missing tempest plugin would silently drop them)."""
    problems = []
    chosen = dict(job.values)
    for knob in catalog.knobs:
        name = chosen.get(knob.name)
        if name is None:
            continue
        value = knob.value(name)
        if value.settings.tests and not select(selection.tests, " ".join(value.settings.tests)):
            where = f" ({value.location})" if value.location else ""
            problems.append(f"{knob.name}={name}{where}")
    if not selection.tests and catalog.baseline_tests:
        raise EmitError(f"job {job.name}: its test selection runs no test")
    if problems:
        raise EmitError(
            f"job {job.name}: none of the tests declared by {', '.join(problems)} is "
            "selected (excluded, or its tempest plugin is not installed by the job)"
        )


def check_declared_tests(catalog: Catalog, space: Space, strength: int) -> None:
    """Refuse, before any build, a value whose declared tests an exclusion always removes:
    the driver's or its own ``exclude_tests``, or (at strength 2 and more, where every
    feasible pair of values meets in some job) another knob's value's. Tests are looked
    up with every plugin installed, so only certain failures of :func:`check_selection`
    are caught here; ``knobs validate`` runs this too."""
    for knob in catalog.knobs:
        for value in knob.values:
            if not value.settings.tests:
                continue
            # The value's tests once; each exclusion is then tried on that short list.
            mine = select(test_list().tests, " ".join(value.settings.tests))
            if not mine:
                continue  # a regex matching no test is the loader's to report
            own = (*catalog.exclude_tests, *value.settings.exclude_tests)
            if not _survives(mine, own):
                raise EmitError(
                    f"{_where(value)}knob {knob.name!r} value {value.name!r}: its exclude_tests "
                    "(or the driver's) remove every test its tests select; narrow the exclusion"
                )
            if strength >= 2:
                _check_excluding_partners(catalog, space, knob, value, mine=mine, own=own)


def _check_excluding_partners(
    catalog: Catalog,
    space: Space,
    knob: Knob,
    value: KnobValue,
    *,
    mine: tuple[str, ...],
    own: tuple[str, ...],
) -> None:
    for other in catalog.knobs:
        if other.name == knob.name:
            continue
        for partner in other.values:
            if not partner.settings.exclude_tests:
                continue
            excludes = (*own, *partner.settings.exclude_tests)
            if _survives(mine, excludes):
                continue
            if space.is_feasible({knob.name: value.name, other.name: partner.name}):
                raise EmitError(
                    f"{_where(value)}knob {knob.name!r} value {value.name!r}: the exclude_tests "
                    f"of {other.name}={partner.name} ({partner.location}) remove every test it "
                    "selects, and every allowed pair of values meets in some job; narrow the "
                    "exclusion or forbid the combination"
                )


def _survives(tests: tuple[str, ...], excludes: tuple[str, ...]) -> bool:
    """Whether some of ``tests`` is left once ``excludes`` apply (as run-tempest's
    ``--exclude-regex``, the alternatives joined)."""
    excluded = re.compile("|".join(excludes)) if excludes else None
    return any(excluded is None or not excluded.search(test) for test in tests)


def _where(value: KnobValue) -> str:
    return f"{value.location}: " if value.location else ""
