"""Catalog stage, Zuul-facing stanzas: plugin projects, nodesets, third-party CI, pipelines.

The top-level keys that say how the generated jobs live in Zuul rather than what
they configure: ``projects`` (plugin name -> Zuul project, for ``required-projects``),
``nodesets`` (nodesets the catalog defines), ``third_party`` (jobs for a third-party
Zuul, with the secrets they read), ``irrelevant_files`` and ``check_jobs``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.catalog.declarations import NODESET, THIRD_PARTY
from generator.catalog.names import unsafe_name_reason
from generator.catalog.yaml_reader import Mark, YMap, YNode, YScalar, YSeq
from generator.model import NodesetDecl, ThirdParty

if TYPE_CHECKING:
    from generator.catalog.reporter import Reporter

__all__ = ["read_nodesets", "read_projects", "read_third_party", "read_zuul_extras"]


def read_projects(node: YNode | None, rep: Reporter) -> list[tuple[str, str, Mark]]:
    """``projects: {plugin name: org/name}``; the short name must be the plugin name,
    because devstack and Zuul put the repository in ``/opt/stack/<short name>``."""
    found: list[tuple[str, str, Mark]] = []
    if node is None:
        return found
    if not isinstance(node, YMap):
        rep.error(node.mark, "'projects' must map plugin name -> Zuul project (org/name)")
        return found
    for key, value in node.items:
        name = key.value if isinstance(key.value, str) else None
        project = value.value if isinstance(value, YScalar) else None
        if not name or not isinstance(project, str):
            rep.error(key.mark, "'projects' must map plugin name -> Zuul project (org/name)")
            continue
        org, _, short = project.partition("/")
        if (
            not org
            or not short
            or "/" in short
            or unsafe_name_reason(org)
            or unsafe_name_reason(short)
        ):
            rep.error(value.mark, f"project {project!r} of {name!r} is not a Zuul org/name")
            continue
        if short != name:
            rep.error(
                value.mark,
                f"project {project!r} of plugin {name!r}: Zuul and devstack check the "
                f"repository out as /opt/stack/{short}, so the plugin must be named {short!r}",
            )
            continue
        found.append((name, project, key.mark))
    return found


def read_nodesets(node: YNode | None, rep: Reporter) -> list[NodesetDecl]:
    """``nodesets: {name: {nodes: [{name, label}], groups: [{name, nodes}]}}``."""
    found: list[NodesetDecl] = []
    if node is None:
        return found
    if not isinstance(node, YMap):
        rep.error(node.mark, "'nodesets' must map nodeset name -> {nodes, groups}")
        return found
    for key, body in node.items:
        name = key.value if isinstance(key.value, str) and key.value else None
        if name is None or not isinstance(body, YMap):
            rep.error(key.mark, "'nodesets' must map nodeset name -> {nodes, groups}")
            continue
        rep.unknown_keys(body, NODESET.names, NODESET.where)
        nodes: list[tuple[str, str]] = []
        nodes_node = body.get("nodes")
        for item in nodes_node.items if isinstance(nodes_node, YSeq) else []:
            pair = _two_strings(item, "name", "label")
            if pair is None:
                rep.error(item.mark, f"nodeset {name!r}: each node needs a name and a label")
            else:
                nodes.append(pair)
        if not nodes:
            rep.error(key.mark, f"nodeset {name!r} needs 'nodes': a list of {{name, label}}")
            continue
        groups: list[tuple[str, tuple[str, ...]]] = []
        groups_node = body.get("groups")
        for item in groups_node.items if isinstance(groups_node, YSeq) else []:
            group = item.get("name") if isinstance(item, YMap) else None
            members = item.get("nodes") if isinstance(item, YMap) else None
            names = [
                m.value
                for m in (members.items if isinstance(members, YSeq) else [])
                if isinstance(m, YScalar) and isinstance(m.value, str)
            ]
            known = [n for n, _ in nodes]
            if not (isinstance(group, YScalar) and isinstance(group.value, str)) or not names:
                rep.error(item.mark, f"nodeset {name!r}: each group needs a name and nodes")
            elif unknown := [n for n in names if n not in known]:
                rep.error(
                    item.mark,
                    f"nodeset {name!r}: group {group.value!r} names unknown nodes "
                    f"{', '.join(unknown)}; its nodes are {', '.join(known)}",
                )
            else:
                groups.append((group.value, tuple(names)))
        found.append(NodesetDecl(name, tuple(nodes), tuple(groups), rep.location(key.mark)))
    return found


def _two_strings(node: YNode, first: str, second: str) -> tuple[str, str] | None:
    if not isinstance(node, YMap):
        return None
    a, b = node.get(first), node.get(second)
    if not (isinstance(a, YScalar) and isinstance(b, YScalar)):
        return None
    if isinstance(a.value, str) and isinstance(b.value, str) and a.value and b.value:
        return a.value, b.value
    return None


def read_third_party(node: YNode | None, rep: Reporter) -> ThirdParty | None:
    if node is None:
        return None
    if not isinstance(node, YMap):
        rep.error(node.mark, "'third_party' must be a mapping with at least 'reason'")
        return None
    rep.unknown_keys(node, THIRD_PARTY.names, THIRD_PARTY.where)
    reason = node.get("reason")
    if not (isinstance(reason, YScalar) and isinstance(reason.value, str) and reason.value):
        rep.error(node.mark, "third_party needs 'reason': why the jobs cannot run in OpenDev")
        return None
    secrets: list[tuple[str, str]] = []
    secrets_node = node.get("secrets")
    if secrets_node is not None:
        if not isinstance(secrets_node, YMap):
            rep.error(secrets_node.mark, "third_party secrets must map variable -> secret name")
        else:
            for key, value in secrets_node.items:
                if (
                    isinstance(key.value, str)
                    and key.value.isidentifier()
                    and isinstance(value, YScalar)
                    and isinstance(value.value, str)
                    and value.value
                ):
                    secrets.append((key.value, value.value))
                else:
                    rep.error(key.mark, "a secret needs a variable name and a secret name")
    pipelines: tuple[str, ...] = ("check",)
    pipelines_node = node.get("pipelines")
    if pipelines_node is not None:
        names = [
            item.value
            for item in (pipelines_node.items if isinstance(pipelines_node, YSeq) else [])
            if isinstance(item, YScalar) and isinstance(item.value, str) and item.value
        ]
        if not names:
            rep.error(pipelines_node.mark, "third_party pipelines must list pipeline names")
        else:
            pipelines = tuple(names)
    return ThirdParty(reason.value, tuple(secrets), pipelines)


def read_zuul_extras(root: YMap, rep: Reporter) -> tuple[tuple[str, ...] | None, int | None]:
    """``irrelevant_files`` (regexes; None when not given) and ``check_jobs`` (a count)."""
    irrelevant: tuple[str, ...] | None = None
    check_jobs: int | None = None
    files = root.get("irrelevant_files")
    if files is not None:
        found: list[str] = []
        for item in files.items if isinstance(files, YSeq) else [files]:
            text = item.value if isinstance(item, YScalar) else None
            if not isinstance(text, str) or not text:
                rep.error(item.mark, "irrelevant_files must list file regexes")
                continue
            try:
                re.compile(text)
            except re.error as exc:
                rep.error(item.mark, f"irrelevant_files: {text!r} is not a regex: {exc}")
                continue
            found.append(text)
        irrelevant = tuple(found)
    count = root.get("check_jobs")
    if count is not None:
        value = count.value if isinstance(count, YScalar) else None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            rep.error(count.mark, "check_jobs must be a whole number (0: no check/gate jobs)")
        else:
            check_jobs = value
    return irrelevant, check_jobs
