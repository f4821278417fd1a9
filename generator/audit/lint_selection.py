"""Audit stage, lint rule on test selection: what run-tempest would run.

run-tempest runs ``tox -e <tox_envlist>`` (default ``smoke``) with
``tempest_test_regex`` after ``--`` and ``--exclude-regex <tempest_exclude_regex>``;
tempest's tox envs select tests as :data:`~generator.catalog.testlist.TOX_ENVS` says
(tempest roles/run-tempest and tox.ini at fa340b1f). The selection is evaluated
against the committed test list, restricted to Tempest and the plugins the tempest
host installs; a regex naming tests of a plugin not in that list is not judged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.audit.lint_view import Finding, JobView, installed_tempest_plugins
from generator.catalog.testlist import (
    POSARGS_ENVS,
    TOX_ENVS,
    TestList,
    is_smoke,
    literal_prefix,
    regex_problem,
    select,
    test_list,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["selection_findings"]

_NOTHING = re.compile(r"[\^$]+")
"""``$^``: the idiom for an exclude regex that excludes nothing."""


def selection_findings(view: JobView) -> Iterator[Finding]:
    """Smoke-only, empty or unknown test selections and regexes matching no test."""
    if not view.runs_tempest():
        return
    host = view.job.tempest_host
    variables = view.vars(host)
    env = variables.get("tox_envlist", "smoke")
    regex = variables.get("tempest_test_regex", "")
    exclude = variables.get("tempest_exclude_regex", "")
    if not all(isinstance(v, str) and "{{" not in v for v in (env, regex, exclude)):
        return  # a template: rendered at run time
    if env not in TOX_ENVS:
        yield view.finding(
            "tox-env",
            host,
            ("tox_envlist",),
            f"tox_envlist {env!r} is not one of tempest's tox envs that run tests "
            f"({', '.join(sorted(TOX_ENVS))})",
        )
        return
    listed = test_list()
    installed, _ = installed_tempest_plugins(variables)
    known = {name for name, _ in listed.plugins}
    unknown = [p for p in installed if p not in known]
    tests = TestList(listed.available(installed), listed.plugins, listed.source)
    prefixes = ("tempest.", *(prefix for _, prefix in listed.plugins))

    def checkable(pattern: str) -> bool:
        return not unknown or literal_prefix(pattern).startswith(prefixes)

    valid = True
    if env in POSARGS_ENVS:
        for part in regex.split():
            reason = regex_problem(part, tests) if checkable(part) else _compiles(part)
            if reason:
                valid = valid and "matches no test" in reason
                yield view.finding("test-regex", host, ("tempest_test_regex",), _hint(reason, part))
    if exclude:
        reason = _compiles(exclude)
        if reason is None and checkable(exclude) and not _NOTHING.fullmatch(exclude):
            compiled = re.compile(exclude)
            if not any(compiled.search(test) for test in tests.tests):
                reason = (
                    f"tempest_exclude_regex {exclude!r} matches no test of {tests.source} the "
                    "job can run (a stale exclusion?)"
                )
        if reason:
            valid = valid and "matches no test" in reason
            yield view.finding("test-regex", host, ("tempest_exclude_regex",), reason)
    if not valid or env == "extra-tests":
        return
    keys = ("tempest_test_regex",) if env in POSARGS_ENVS else ("tox_envlist",)
    if env in POSARGS_ENVS and not regex.strip():
        yield view.finding(
            "empty-selection",
            host,
            keys,
            f"tox_envlist {env!r} takes its tests from tempest_test_regex, which is empty "
            "(run-tempest then passes no regex to tempest run --regex)",
        )
        return
    runs = (regex,) if env in POSARGS_ENVS else TOX_ENVS[env]
    chosen: dict[str, None] = {}
    for run in runs:
        chosen.update(dict.fromkeys(select(tests.tests, run, exclude)))
    if not chosen and not unknown:
        yield view.finding(
            "empty-selection",
            host,
            keys,
            f"the test selection (tox_envlist {env!r}) runs no test of {tests.source} the "
            "job can run",
        )
    elif chosen and all(is_smoke(t) for t in chosen) and (not unknown or env not in POSARGS_ENVS):
        if env in POSARGS_ENVS:
            why = f"tempest_test_regex selects only smoke-tagged tests ({len(chosen)})"
        else:
            unset = "" if "tox_envlist" in variables else " (unset: run-tempest's default)"
            why = f"tox_envlist {env!r}{unset} runs only smoke tests ({len(chosen)})"
        yield view.finding(
            "smoke-only",
            host,
            keys,
            f"{why}, which exercise no feature the job configures; use tox_envlist: all "
            "and a tempest_test_regex naming the tests of what it configures",
        )


def _compiles(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"test regex {pattern!r} is not a valid regular expression: {exc}"
    return None


def _hint(reason: str, part: str) -> str:
    """Say when a regex only misses because the job lacks the plugin whose tests it names."""
    listed = test_list()
    owners = sorted({p for t in listed.tests if re.search(part, t) if (p := listed.plugin_of(t))})
    if owners and "matches no test" in reason:
        return (
            f"test regex {part!r} names tests of {', '.join(owners)}, which the job does not "
            "install (tempest_plugins)"
        )
    return reason
