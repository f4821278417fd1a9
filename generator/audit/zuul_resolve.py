"""Audit stage, Zuul inheritance: resolve each job's variables as Zuul and Ansible do.

Given the job variants :mod:`generator.audit.zuul_files` read, reproduces what
Zuul and Ansible do with a job's variables
(docs/zuul-and-devstack.md §1-2): the parent chain is applied root first, every variant whose
branch matcher accepts the target branch in file order, with ``vars``,
``extra-vars``, ``group-vars`` and ``host-vars`` deep-merged unless tagged
``!override``; then, per host of the job's nodeset, job vars <- ``group-vars``
of each group holding the host (by group name) <- ``host-vars`` <- ``extra-vars``,
each a shallow update. ``{{ var | default(x) }}`` templates are evaluated on the
host's variables; any other template stays opaque.

Not modelled: job variants written inline in a project's pipeline entries (they
only set attributes such as ``voting`` or ``irrelevant-files`` in Nova's files),
implied branch matchers of stable branches, semaphores, roles and playbooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator.audit.zuul_files import (
    MERGED,
    Nodeset,
    Opaque,
    Variant,
    ZDict,
    ZuulConfig,
    deep_merge,
    parse_nodeset,
)
from generator.catalog.names import chain_text
from generator.catalog.yaml_reader import YAMLFailure, YScalar, parse
from generator.errors import KnobFileError, Problem
from generator.model import is_template

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DEFAULT_NODESET",
    "Lineage",
    "ResolvedJob",
    "Resolver",
    "branch_matches",
    "resolve_job",
]


def branch_matches(spec: object, branch: str) -> bool:
    """Whether a ``branches`` matcher (regex, list, or ``{regex, negate}``) accepts ``branch``."""
    if spec is None:
        return True
    items = spec if isinstance(spec, list) else [spec]
    for item in items:
        if isinstance(item, dict):
            hit = re.match(str(item.get("regex", "")), branch) is not None
            if hit != bool(item.get("negate", False)):
                return True
        elif re.match(str(item), branch):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Lineage:
    """The variants a job applies: its parent's lineage, then its own (a linked list,
    so a job deep in a chain shares its ancestors' records instead of copying them)."""

    name: str
    own: tuple[Variant, ...]
    """The job's own variants that apply to the branch, in file order."""
    parent: Lineage | None

    def root_first(self) -> list[Lineage]:
        """This lineage and its ancestors, the root first."""
        found: list[Lineage] = []
        node: Lineage | None = self
        while node is not None:
            found.append(node)
            node = node.parent
        found.reverse()
        return found


@dataclass(frozen=True, slots=True)
class ResolvedJob:
    """A job after inheritance, with the squashed variables of each of its hosts."""

    name: str
    external: str | None
    """The first parent no given file defines, if any."""
    abstract: bool
    nodeset: Nodeset
    nodeset_known: bool
    hosts: tuple[tuple[str, Mapping[str, Any]], ...]
    lineage: Lineage

    @property
    def chain(self) -> tuple[str, ...]:
        """Job names root first, ending with the job itself (only defined jobs)."""
        return tuple(node.name for node in self.lineage.root_first())

    @property
    def variants(self) -> tuple[Variant, ...]:
        """Every applied variant, in application order (root first)."""
        return tuple(v for node in self.lineage.root_first() for v in node.own)

    @property
    def own_variants(self) -> tuple[Variant, ...]:
        """The job's own applied variants (none: no variant of it applies to the branch)."""
        return self.lineage.own

    @property
    def where(self) -> str:
        """``path:line`` of the job's first applied variant."""
        return self.lineage.own[0].where if self.lineage.own else ""

    def host(self, name: str) -> Mapping[str, Any]:
        for host, variables in self.hosts:
            if host == name:
                return variables
        raise KeyError(name)

    @property
    def compute_hosts(self) -> tuple[str, ...]:
        """Hosts of group ``compute``, else the first host (the controller)."""
        group = tuple(h for h in self.nodeset.group("compute") if h in self.nodeset.hosts)
        return group or self.nodeset.hosts[:1]

    @property
    def tempest_host(self) -> str:
        """The host of group ``tempest`` (devstack runs Tempest there), else the first host."""
        group = [h for h in self.nodeset.group("tempest") if h in self.nodeset.hosts]
        return group[0] if group else self.nodeset.hosts[0]


DEFAULT_NODESET = Nodeset("(default)", ("controller",))


@dataclass(frozen=True, slots=True)
class _State:
    """A job's inherited attributes after its whole chain."""

    merged: dict[str, dict[str, Any]]
    nodeset: object
    abstract: bool
    external: str | None
    lineage: Lineage | None


class Resolver:
    """Resolves the jobs of one configuration for one branch and project vars.

    Each job's inherited state is computed once from its parent's, so resolving
    every job of a chain thousands deep is linear in the number of variants, and
    the walk up a chain is a loop, not recursion.
    """

    def __init__(
        self,
        config: ZuulConfig,
        branch: str = "master",
        project_vars: Mapping[str, Any] | None = None,
    ) -> None:
        self.config = config
        self.branch = branch
        merged: dict[str, dict[str, Any]] = {attr: {} for attr in MERGED}
        if project_vars:
            merged["vars"] = deep_merge({}, project_vars)
        self._base = _State(merged, None, False, None, None)
        self._states: dict[str, _State] = {}
        self.applied = 0
        """How many variants were applied in all (each once, however often it is inherited)."""

    def _parent(self, name: str) -> str | None:
        for variant in self.config.jobs[name]:
            body = variant.body
            if branch_matches(body.get("branches"), self.branch) and "parent" in body:
                value = body["parent"]
                return None if value is None else str(value)
        return None

    def _state(self, name: str) -> _State:
        pending: list[str] = []
        seen: set[str] = set()
        current: str | None = name
        start = self._base
        while current is not None and current not in self._states:
            if current in seen:
                cycle = chain_text([*pending[pending.index(current) :], current])
                first = self.config.jobs[current][0]
                raise KnobFileError([Problem(first.path, first.line, 0, f"parent cycle: {cycle}")])
            if current not in self.config.jobs:
                start = replace(self._base, external=current)
                break
            seen.add(current)
            pending.append(current)
            current = self._parent(current)
        else:
            if current is not None:
                start = self._states[current]
        for job in reversed(pending):
            start = self._apply(job, start)
            self._states[job] = start
        return self._states[name]

    def _apply(self, job: str, parent: _State) -> _State:
        merged = dict(parent.merged)
        nodeset = parent.nodeset
        abstract = False
        own: list[Variant] = []
        for variant in self.config.jobs[job]:
            body = variant.body
            if not branch_matches(body.get("branches"), self.branch):
                continue
            own.append(variant)
            self.applied += 1
            for attr in MERGED:
                if isinstance(body.get(attr), dict):
                    merged[attr] = deep_merge(merged[attr], body[attr])
            if "nodeset" in body:
                nodeset = body["nodeset"]
            if "abstract" in body:
                abstract = bool(body["abstract"])
        lineage = Lineage(job, tuple(own), parent.lineage)
        return _State(merged, nodeset, abstract, parent.external, lineage)

    def resolve(self, name: str) -> ResolvedJob:
        """Apply ``name``'s parent chain and variants; squash per-host variables.

        Raises :class:`KnobFileError` on a parent cycle and ``KeyError`` for an unknown job.
        """
        if name not in self.config.jobs:
            raise KeyError(name)
        state = self._state(name)
        assert state.lineage is not None
        resolved_nodeset, known = _nodeset(self.config, state.nodeset)
        hosts = tuple(
            (host, _host_vars(state.merged, resolved_nodeset, host))
            for host in resolved_nodeset.hosts
        )
        return ResolvedJob(
            name=name,
            external=state.external,
            abstract=state.abstract,
            nodeset=resolved_nodeset,
            nodeset_known=known,
            hosts=hosts,
            lineage=state.lineage,
        )


def resolve_job(
    config: ZuulConfig,
    name: str,
    branch: str = "master",
    project_vars: Mapping[str, Any] | None = None,
) -> ResolvedJob:
    """Resolve one job (:meth:`Resolver.resolve`); use a :class:`Resolver` for many."""
    return Resolver(config, branch, project_vars).resolve(name)


def _nodeset(config: ZuulConfig, spec: object) -> tuple[Nodeset, bool]:
    if isinstance(spec, str):
        found = config.nodesets.get(spec)
        if found is None or not found.hosts:
            return Nodeset(spec, DEFAULT_NODESET.hosts), False
        return found, True
    if isinstance(spec, dict):
        alternatives = spec.get("alternatives")
        if isinstance(alternatives, list) and alternatives:
            return _nodeset(config, alternatives[0])
        inline = parse_nodeset("(inline)", spec)
        if inline.hosts:
            return inline, True
    return DEFAULT_NODESET, False


def _host_vars(merged: Mapping[str, dict[str, Any]], nodeset: Nodeset, host: str) -> dict[str, Any]:
    group_vars = merged["group-vars"]
    variables = dict(merged["vars"])
    if isinstance(group_vars.get("all"), dict):
        variables.update(group_vars["all"])
    for group in nodeset.groups_of(host):
        if group != "all" and isinstance(group_vars.get(group), dict):
            variables.update(group_vars[group])
    if isinstance(merged["host-vars"].get(host), dict):
        variables.update(merged["host-vars"][host])
    variables.update(merged["extra-vars"])
    return {key: _render(value, variables) for key, value in variables.items()}


_DEFAULT = re.compile(
    r"""^\s*\{\{\s*([A-Za-z_]\w*)\s*(?:\|\s*default\(\s*(.*?)\s*\)\s*)?\}\}\s*$"""
)


def _literal(text: str) -> object:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    try:
        node = parse(text, "")
    except YAMLFailure:
        return Opaque(text)
    value = node.value if isinstance(node, YScalar) else None
    return value if isinstance(value, str | int | float | bool) else Opaque(text)


def _render(value: object, variables: Mapping[str, Any]) -> object:
    """Evaluate ``{{ name }}`` / ``{{ name | default(x) }}``; keep other templates opaque."""
    if isinstance(value, dict):
        return ZDict({k: _render(v, variables) for k, v in value.items()})
    if isinstance(value, list):
        return [_render(v, variables) for v in value]
    if not isinstance(value, str) or isinstance(value, Opaque):
        return value
    if "{{" not in value and "{%" not in value:
        return value
    match = _DEFAULT.match(value)
    if match is None:
        return Opaque(value)
    name, default = match.group(1), match.group(2)
    if name in variables:
        bound = variables[name]
        if is_template(bound):
            return Opaque(value)
        return bound
    if default is None:
        return Opaque(value)
    return _literal(default)
