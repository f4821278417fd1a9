"""Catalog stage, test data: the Tempest test IDs a job can select, offline.

``generator/catalog/data/tempest-tests.json`` holds every test ID that
``tempest run --list-tests`` prints in a fresh workspace with Tempest 47 and the
plugins the catalog uses installed (written by the ``optdata`` tox env), and which
module prefix each plugin's tests carry. A job can only run the tests of Tempest
itself and of the plugins it installs (``tempest_plugins``), so selections are
evaluated against that subset.

Selection follows ``tempest run``: ``--regex`` is split on whitespace and a test
is selected when any part matches it with ``re.search`` (stestr's
``filter_tests``); ``--exclude-regex`` is one regex, searched the same way.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "POSARGS_ENVS",
    "TOX_ENVS",
    "TestList",
    "is_smoke",
    "literal_prefix",
    "regex_problem",
    "select",
    "test_list",
]

_META = re.compile(r"[\\.^$*+?{}\[\]|()]")

_NOT_SLOW = r"(?!.*\[.*\bslow\b.*\])"
_API = _NOT_SLOW + r"(^tempest\.api)"
_SCENARIO = _NOT_SLOW + r"(^tempest\.scenario)|(^tempest\.serial_tests)"
TOX_ENVS: dict[str, tuple[str, ...]] = {
    "all": (),
    "all-plugin": (),
    "all-site-packages": (),
    "full": (_API, _SCENARIO),
    "integrated-full": (_API, _SCENARIO),
    "full-parallel": (
        r"(^tempest\.scenario.*)|(^tempest\.serial_tests)|" + _NOT_SLOW + r"(^tempest\.api)",
    ),
    "api-microversion-tests": (r"(^tempest\.api\.compute)|(^tempest\.api\.volume)",),
    "integrated-network": (_API, _SCENARIO),
    "integrated-compute": (_API, _SCENARIO),
    "integrated-placement": (_API, _SCENARIO),
    "integrated-storage": (_API, _SCENARIO),
    "integrated-object-storage": (_API, _SCENARIO),
    "full-serial": (_NOT_SLOW + r"(^tempest\.(api|scenario|serial_tests))",),
    "scenario": (r"(^tempest\.scenario)",),
    "smoke": (r"\[.*\bsmoke\b.*\]",),
    "smoke-serial": (r"\[.*\bsmoke\b.*\]",),
    "stestr-master": (r"\[.*\bsmoke\b.*\]",),
    "slow": (r"\[.*\bslow\b.*\]",),
    "slow-serial": (r"\[.*\bslow\b.*\]",),
    "multinode": (r"\[.*\bsmoke|multinode\b.*\]",),
    "ipv6-only": (r"\[.*\bsmoke|ipv6|test_network_v6\b.*\]",),
    "extra-tests": (),
}
"""Tempest's tox envs that run tests (tempest ``tox.ini`` at fa340b1f): the ``--regex``
of each ``tempest run`` the env makes. The run-tempest role runs ``tox -e
<tox_envlist> -- <tempest_test_regex> ... --exclude-regex <tempest_exclude_regex>``;
the envs in :data:`POSARGS_ENVS` take their regex from what follows ``--``
(``tempest run --regex {posargs}``), the others add it to their own. Exclude lists
some envs read from files in tempest's tree are not applied here; ``extra-tests``
selects from such a file only."""

POSARGS_ENVS = frozenset({"all", "all-plugin", "all-site-packages"})
"""The envs whose tests are the regex given after ``--`` (run-tempest's
``tempest_test_regex``)."""


def is_smoke(test: str) -> bool:
    """Whether a test ID carries the ``smoke`` attribute (``[id-...,smoke]``)."""
    attributes = test.partition("[")[2]
    return "smoke" in attributes.rstrip("]").split(",")


@dataclass(frozen=True, slots=True)
class TestList:
    """Test IDs (attributes such as ``[id-...,smoke]`` included) and plugin prefixes."""

    tests: tuple[str, ...]
    plugins: tuple[tuple[str, str], ...]
    """``(plugin repository, module prefix)``, e.g. ``("whitebox-tempest-plugin",
    "whitebox_tempest_plugin.")``; tests under no prefix belong to Tempest itself."""
    source: str = ""

    def available(self, tempest_plugins: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The tests a job with these tempest plugins installed can run."""
        foreign = tuple(prefix for name, prefix in self.plugins if name not in tempest_plugins)
        return tuple(test for test in self.tests if not test.startswith(foreign))

    def plugin_of(self, test: str) -> str | None:
        """The plugin repository a test belongs to (None: Tempest itself)."""
        for name, prefix in self.plugins:
            if test.startswith(prefix):
                return name
        return None


def select(tests: tuple[str, ...], regex: str, exclude: str = "") -> tuple[str, ...]:
    """The tests ``tempest run --regex REGEX --exclude-regex EXCLUDE`` runs."""
    parts = [re.compile(part) for part in regex.split()]
    if not parts:
        return ()
    excluded = re.compile(exclude) if exclude else None
    return tuple(
        test
        for test in tests
        if any(p.search(test) for p in parts) and not (excluded and excluded.search(test))
    )


def literal_prefix(regex: str) -> str:
    """The literal text a regex starts with (``^tempest\\.api`` -> ``tempest.api``)."""
    text = regex.removeprefix("^")
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and not text[index + 1].isalnum():
            out.append(text[index + 1])
            index += 2
            continue
        if _META.match(char):
            break
        out.append(char)
        index += 1
    return "".join(out)


def regex_problem(regex: str, tests: TestList) -> str | None:
    """Why a test regex is unusable (bad syntax, whitespace, matches nothing), else None."""
    if not regex or any(char.isspace() for char in regex):
        return (
            f"test regex {regex!r} is empty or contains whitespace (tempest run splits "
            "--regex on whitespace)"
        )
    try:
        compiled = re.compile(regex)
    except re.error as exc:
        return f"test regex {regex!r} is not a valid regular expression: {exc}"
    if any(compiled.search(test) for test in tests.tests):
        return None
    return f"test regex {regex!r} matches no test of {tests.source}{_nearest(regex, tests)}"


def _nearest(regex: str, tests: TestList) -> str:
    prefix = literal_prefix(regex)
    names = sorted({_strip_attrs(t) for t in tests.tests})
    # Tests sharing the longest leading text with the regex, then difflib's choice.
    best = 0
    for name in names:
        common = len(_common_prefix(prefix, name))
        best = max(best, common)
    close = [n for n in names if len(_common_prefix(prefix, n)) == best][:200] if best else names
    picks = difflib.get_close_matches(prefix, close, n=3, cutoff=0.0)
    return "; nearest tests: " + ", ".join(picks) if picks else ""


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]


def _strip_attrs(test: str) -> str:
    return test.split("[", 1)[0]


@cache
def test_list() -> TestList:
    """The committed test list (Tempest 47 and the catalog's plugins)."""
    text = (
        resources.files("generator.catalog")
        .joinpath("data", "tempest-tests.json")
        .read_text(encoding="utf-8")
    )
    data = json.loads(text)
    versions = data.get("versions", {})
    source = ", ".join(f"{k} {v}" for k, v in sorted(versions.items())) or "the test list"
    return TestList(
        tests=tuple(str(t) for t in data["tests"]),
        plugins=tuple((str(k), str(v)) for k, v in sorted(data["plugins"].items())),
        source=source,
    )
