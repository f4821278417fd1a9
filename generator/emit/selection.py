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

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.catalog.testlist import select, test_list
from generator.emit.job_settings import EmitError

if TYPE_CHECKING:
    from generator.emit.job_settings import JobSettings
    from generator.matrix import Job
    from generator.model import Catalog

__all__ = ["SMOKE_REGEX", "Selection", "check_selection", "job_selection"]

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
