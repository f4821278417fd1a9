"""Audit stage, Zuul types: check every attribute of a Zuul stanza that the audit reads.

The types are Zuul's own (its configloader's voluptuous schemas): a ``job``'s
``parent`` is a string or null, ``abstract`` a boolean, ``branches`` one or a list
of regexes (strings or ``{regex, negate}``), ``nodeset`` a name or an inline
nodeset, ``vars`` and ``extra-vars`` mappings, ``group-vars`` and ``host-vars``
mappings of mappings; a ``nodeset``'s ``nodes`` and ``groups`` are one or a list
of ``{name, ...}``; a project's ``templates`` is a list of names and each pipeline
a mapping whose ``jobs`` lists names or one-key mappings. Attributes the audit
does not read are left to Zuul. Each problem is located at its node.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.catalog.reporter import node_kind
from generator.catalog.yaml_reader import YMap, YNode, YScalar, YSeq
from generator.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["NOT_PIPELINES", "StanzaChecker"]

NOT_PIPELINES = frozenset(
    {"name", "description", "templates", "merge-mode", "default-branch", "vars", "queue"}
    | {"branches"}
)
"""Keys of a project stanza that are not pipelines (Zuul's ``not_pipelines``)."""
_MERGED = ("vars", "extra-vars")
_PER_NAME = ("group-vars", "host-vars")


def _as_list(node: YNode) -> list[YNode]:
    """Zuul's ``to_list``: a list's items, or the one node."""
    return node.items if isinstance(node, YSeq) else [node]


def _is_null(node: YNode) -> bool:
    return isinstance(node, YScalar) and node.value is None and not node.quoted


class StanzaChecker:
    """Collects type problems of the stanzas of one Zuul file."""

    def __init__(self, path: str, out: list[Problem]) -> None:
        self.path = path
        self.out = out

    def error(self, node: YNode, message: str) -> None:
        """Record a problem at ``node``."""
        self.out.append(Problem(self.path, node.mark.line, node.mark.column, message))

    def string(self, node: YNode, what: str) -> bool:
        """Whether ``node`` is a string; reports it otherwise."""
        if isinstance(node, YScalar) and isinstance(node.value, str):
            return True
        shown = node.raw if isinstance(node, YScalar) else f"a {node_kind(node)}"
        self.error(node, f"{what} must be a string, got {shown}")
        return False

    def mapping(self, node: YNode, what: str) -> YMap | None:
        """``node`` if it is a mapping with string keys; reports it otherwise."""
        if not isinstance(node, YMap):
            self.error(node, f"{what} must be a mapping, got a {node_kind(node)}")
            return None
        for key, _ in node.items:
            if not isinstance(key.value, str):
                self.error(key, f"{what}: key {key.raw} must be a string")
        return node

    def strings(self, node: YNode, what: str, *, single: bool = True) -> None:
        """One string or a list of strings (``single=False``: a list only)."""
        if not single and not isinstance(node, YSeq):
            self.error(node, f"{what} must be a list, got a {node_kind(node)}")
            return
        for item in _as_list(node):
            self.string(item, what)

    def entries(self, node: YNode, what: str) -> Iterator[YMap]:
        """One mapping or a list of mappings that have a ``name``."""
        for item in _as_list(node):
            entry = self.mapping(item, what)
            if entry is None:
                continue
            name = entry.get("name")
            if name is None:
                self.error(entry, f"{what} needs a 'name'")
                continue
            yield entry

    def regex(self, node: YNode, what: str) -> None:
        if not self.string(node, what):
            return
        assert isinstance(node, YScalar)
        try:
            re.compile(str(node.value))
        except re.error as exc:
            self.error(node, f"{what} {node.raw!r} is not a valid regular expression: {exc}")

    def job(self, body: YMap, name: str) -> None:
        """The attributes of a ``job`` stanza the audit reads."""
        what = f"job {name}"
        parent = body.get("parent")
        if parent is not None and not _is_null(parent):
            self.string(parent, f"{what}: parent")
        abstract = body.get("abstract")
        if abstract is not None and not (
            isinstance(abstract, YScalar) and isinstance(abstract.value, bool)
        ):
            self.error(abstract, f"{what}: abstract must be true or false")
        branches = body.get("branches")
        if branches is not None:
            for item in _as_list(branches):
                if isinstance(item, YMap):
                    self.mapping(item, f"{what}: branches")
                    regex = item.get("regex")
                    if regex is None:
                        self.error(item, f"{what}: a branches matcher needs a 'regex'")
                    else:
                        self.regex(regex, f"{what}: branches regex")
                    negate = item.get("negate")
                    if negate is not None and not (
                        isinstance(negate, YScalar) and isinstance(negate.value, bool)
                    ):
                        self.error(negate, f"{what}: branches negate must be true or false")
                else:
                    self.regex(item, f"{what}: branches")
        nodeset = body.get("nodeset")
        if nodeset is not None and not (
            isinstance(nodeset, YScalar) and isinstance(nodeset.value, str)
        ):
            if isinstance(nodeset, YMap):
                self.nodeset(nodeset, f"{what}: nodeset")
            else:
                self.error(nodeset, f"{what}: nodeset must be a name or a mapping")
        for attr in _MERGED:
            node = body.get(attr)
            if node is not None and not _is_null(node):
                self.mapping(node, f"{what}: {attr}")
        for attr in _PER_NAME:
            node = body.get(attr)
            if node is None or _is_null(node):
                continue
            table = self.mapping(node, f"{what}: {attr}")
            for key, value in table.items if table else ():
                if not _is_null(value):
                    self.mapping(value, f"{what}: {attr} of {key.raw}")

    def nodeset(self, body: YMap, what: str) -> None:
        """A ``nodeset`` stanza or an inline nodeset (``alternatives`` or nodes and groups)."""
        alternatives = body.get("alternatives")
        if alternatives is not None:
            if not isinstance(alternatives, YSeq):
                self.error(alternatives, f"{what}: alternatives must be a list")
                return
            for item in alternatives.items:
                if isinstance(item, YMap):
                    self.nodeset(item, what)
                else:
                    self.string(item, f"{what}: an alternative")
            return
        nodes = body.get("nodes")
        if nodes is not None and not _is_null(nodes):
            for node in self.entries(nodes, f"{what}: nodes"):
                self.strings(node.get("name") or node, f"{what}: node name")
        groups = body.get("groups")
        if groups is not None and not _is_null(groups):
            for group in self.entries(groups, f"{what}: groups"):
                self.string(group.get("name") or group, f"{what}: group name")
                members = group.get("nodes")
                if members is not None:
                    self.strings(members, f"{what}: group nodes")

    def project(self, body: YMap, kind: str) -> None:
        """A ``project`` or ``project-template``: templates, vars and pipeline job lists."""
        templates = body.get("templates")
        if templates is not None:
            self.strings(templates, f"{kind}: templates", single=False)
        variables = body.get("vars")
        if variables is not None and not _is_null(variables):
            self.mapping(variables, f"{kind}: vars")
        for key, value in body.items:
            if key.value in NOT_PIPELINES or _is_null(value):
                continue
            pipeline = self.mapping(value, f"{kind}: pipeline {key.raw}")
            jobs = pipeline.get("jobs") if pipeline else None
            if jobs is None or _is_null(jobs):
                continue
            if not isinstance(jobs, YSeq):
                self.error(jobs, f"{kind}: {key.raw} jobs must be a list")
                continue
            for entry in jobs.items:
                if isinstance(entry, YMap) and len(entry.items) == 1:
                    self.string(entry.items[0][0], f"{kind}: {key.raw} job name")
                elif not (isinstance(entry, YScalar) and isinstance(entry.value, str)):
                    self.error(
                        entry,
                        f"{kind}: each {key.raw} job must be a name or a one-key mapping",
                    )
