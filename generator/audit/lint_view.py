"""Audit stage, lint: a resolved job as the rules see it, and what they report.

:class:`JobView` adds to a :class:`~generator.audit.zuul_resolve.ResolvedJob` what
its whole chain declares (required projects, secrets) and finds the file and line
of any variable a host gets; :class:`Finding` is one located problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.audit.zuul_files import ZDict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.audit.zuul_files import ZuulConfig
    from generator.audit.zuul_resolve import ResolvedJob

__all__ = [
    "CONTROLLER",
    "TEMPEST_FILE",
    "Finding",
    "JobView",
    "as_dict",
    "devstack_plugins",
    "installed_tempest_plugins",
    "short_name",
]

CONTROLLER = "controller"
TEMPEST_FILE = "$TEMPEST_CONFIG"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem of one job, at the file and line that causes it."""

    rule: str
    job: str
    path: str
    line: int
    message: str

    @property
    def location(self) -> str:
        """``path:line`` (the path alone when the line is unknown)."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def render(self) -> str:
        """``path:line: job: message [rule]``."""
        return f"{self.location}: {self.job}: {self.message} [{self.rule}]"

    def to_json(self) -> dict[str, object]:
        """This finding in ``lint --format json`` (docs/json.md)."""
        return {
            "rule": self.rule,
            "job": self.job,
            "path": self.path,
            "line": self.line,
            "message": self.message,
        }


def short_name(project: object) -> str:
    """The last component of a Zuul project name or path (``opendev.org/openstack/nova``
    -> ``nova``): the folder Zuul and devstack check it out into."""
    return str(project).rstrip("/").rsplit("/", 1)[-1]


@dataclass(slots=True)
class JobView:
    """A resolved job plus what its whole chain declares (required projects, secrets)."""

    job: ResolvedJob
    config: ZuulConfig
    project: str
    """The short name of the project under test (Zuul always checks it out)."""
    required: set[str] = field(default_factory=set)
    passed_secrets: set[str] = field(default_factory=set)
    bound_secrets: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.required.add(short_name(self.project))
        for variant in self.job.variants:
            projects = variant.body.get("required-projects") or []
            for entry in projects if isinstance(projects, list) else [projects]:
                name = entry.get("name") if isinstance(entry, dict) else entry
                if name:
                    self.required.add(short_name(name))
            secrets = variant.body.get("secrets") or []
            for entry in secrets if isinstance(secrets, list) else [secrets]:
                if isinstance(entry, dict):
                    passed = entry.get("pass-to-parent") is True
                    name = entry.get("name")
                else:
                    passed, name = False, entry
                if name:
                    (self.passed_secrets if passed else self.bound_secrets).add(str(name))

    def locate(self, host: str, keys: tuple[str, ...]) -> tuple[str, int]:
        """``(path, line)`` of what gives ``host`` the variable at ``keys``: the
        highest-precedence attribute (extra-vars, host-vars, group-vars, vars) of the
        latest variant setting it, at the deepest key found."""
        groups = self.job.nodeset.groups_of(host)
        levels: list[tuple[str, str | None]] = [("extra-vars", None), ("host-vars", host)]
        levels += [("group-vars", g) for g in reversed(groups)]
        levels += [("group-vars", "all"), ("vars", None)]
        for size in range(len(keys), 0, -1):
            for attr, sub in levels:
                for variant in reversed(self.job.variants):
                    table = variant.body.get(attr)
                    if sub is not None:
                        table = table.get(sub) if isinstance(table, dict) else None
                    line = _dig(table, keys[:size])
                    if line:
                        return variant.path, line
        variant = self.job.own_variants[0]
        return variant.path, variant.line

    def finding(self, rule: str, host: str, keys: tuple[str, ...], message: str) -> Finding:
        """A finding located where ``host`` gets the variable at ``keys``."""
        path, line = self.locate(host, keys)
        return Finding(rule, self.job.name, path, line, message)

    def runs_tempest(self) -> bool:
        """Whether devstack installs Tempest on the tempest host (service ``tempest``)."""
        services = self.vars(self.job.tempest_host).get("devstack_services")
        return isinstance(services, dict) and services.get("tempest") is True

    def vars(self, host: str) -> Mapping[str, Any]:
        """The squashed variables of ``host``."""
        return self.job.host(host)


def _dig(table: object, keys: tuple[str, ...]) -> int:
    line = 0
    node = table
    for key in keys:
        if not isinstance(node, ZDict) or key not in node:
            return 0
        line = node.key_lines.get(key, node.line)
        node = node[key]
    return line


def as_dict(value: object) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (Ansible variables may be anything)."""
    return value if isinstance(value, dict) else {}


def devstack_plugins(variables: Mapping[str, Any]) -> list[str]:
    """The devstack plugins a host enables (devstack skips a plugin with an empty URL)."""
    return [str(k) for k, v in as_dict(variables.get("devstack_plugins")).items() if v]


def installed_tempest_plugins(variables: Mapping[str, Any]) -> tuple[tuple[str, ...], bool]:
    """The tempest plugins a host installs and whether they come from ``TEMPEST_PLUGINS``
    in ``devstack_localrc`` (which wins over ``tempest_plugins``)."""
    localrc = as_dict(variables.get("devstack_localrc"))
    if isinstance(localrc.get("TEMPEST_PLUGINS"), str):
        return tuple(short_name(p) for p in localrc["TEMPEST_PLUGINS"].split()), True
    listed = variables.get("tempest_plugins")
    return tuple(str(p) for p in listed if p) if isinstance(listed, list) else (), False
