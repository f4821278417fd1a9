"""Emit stage, churn: how the rendered Zuul job of each matrix job changed.

Compares the previous ``zuul.d/tempest-matrix.yaml`` with the new one, job by job
(by name), and names the differences a reviewer cares about: the nodeset and
parent, the devstack and tempest plugins, the selected tests, the pipeline, and
every other setting by where it lands (``localrc``, a ``post-config`` option,
a ``tempest.conf`` option, a service). The description is left out (it lists the
knob values, whose changes the matrix reports) and so are ``group-vars`` (they
repeat ``devstack_localrc`` and ``devstack_services`` for the subnode).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["rendered_changes"]

_TESTS = re.compile(r"^tempest_(test|exclude|black|white)")
_SKIPPED = frozenset({"name", "description", "group-vars", "vars"})
_MAX_SETTINGS = 6


def _parse(text: str | None) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Jobs by name and the pipeline each runs in; empty when the text is unusable
    (a hand-edited file): then no rendered difference can be named."""
    if not text:
        return {}, {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}, {}
    jobs: dict[str, dict[str, Any]] = {}
    pipelines: dict[str, list[str]] = {}
    for item in data if isinstance(data, list) else ():
        if not isinstance(item, dict):
            continue
        job = item.get("job")
        if isinstance(job, dict) and isinstance(job.get("name"), str):
            jobs[job["name"]] = job
        for kind in ("project-template", "project"):
            project = item.get(kind)
            if not isinstance(project, dict):
                continue
            for pipeline, body in project.items():
                for entry in (body or {}).get("jobs") or () if isinstance(body, dict) else ():
                    name = str(next(iter(entry)) if isinstance(entry, dict) else entry)
                    pipelines.setdefault(name, []).append(str(pipeline))
    # A job runs in every pipeline that lists it: ``check+gate+periodic-weekly``.
    return jobs, {name: "+".join(names) for name, names in pipelines.items()}


def _leaves(node: object, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    if isinstance(node, dict) and node:
        out: dict[tuple[str, ...], object] = {}
        for key, value in node.items():
            out.update(_leaves(value, (*path, str(key))))
        return out
    return {path: node}


def _where(path: tuple[str, ...]) -> str:
    """A setting's path in reviewer's terms, e.g. ``$NOVA_CPU_CONF [libvirt] images_type``."""
    head, rest = path[0], path[1:]
    if head == "devstack_localrc" and rest:
        return f"localrc {rest[0]}"
    if head == "devstack_services" and rest:
        return f"service {rest[0]}"
    if head == "devstack_local_conf" and len(rest) >= 4:
        conf = "tempest.conf" if rest[1] == "$TEMPEST_CONFIG" else rest[1]
        return f"{conf} [{rest[2]}] {'.'.join(rest[3:])}"
    return ".".join(path)


def _plus_minus(label: str, old: set[str], new: set[str]) -> list[str]:
    if old == new:
        return []
    signs = [f"+{name}" for name in sorted(new - old)] + [f"-{name}" for name in sorted(old - new)]
    return [f"{label} {' '.join(signs)}"]


def _names(value: object) -> set[str]:
    if isinstance(value, dict):
        return {str(key) for key in value}
    if isinstance(value, list):
        return {str(item) for item in value}
    return set()


def _job_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in sorted(set(old) | set(new)):
        if key not in _SKIPPED and old.get(key) != new.get(key):
            out.append(f"{key} {old.get(key, 'none')} -> {new.get(key, 'none')}")
    old_vars: dict[str, Any] = old.get("vars") or {}
    new_vars: dict[str, Any] = new.get("vars") or {}
    out += _plus_minus(
        "plugins",
        _names(old_vars.get("devstack_plugins")),
        _names(new_vars.get("devstack_plugins")),
    )
    out += _plus_minus(
        "tempest plugins",
        _names(old_vars.get("tempest_plugins")),
        _names(new_vars.get("tempest_plugins")),
    )
    tests = sorted(
        key
        for key in set(old_vars) | set(new_vars)
        if _TESTS.match(key) and old_vars.get(key) != new_vars.get(key)
    )
    if tests:
        out.append("selected tests (" + ", ".join(tests) + ")")
    rest = {"devstack_plugins", "tempest_plugins", *tests}
    before = _leaves({k: v for k, v in old_vars.items() if k not in rest and not _TESTS.match(k)})
    after = _leaves({k: v for k, v in new_vars.items() if k not in rest and not _TESTS.match(k)})
    paths = sorted(p for p in set(before) | set(after) if p and before.get(p) != after.get(p))
    if paths:
        shown = [_where(p) for p in paths[:_MAX_SETTINGS]]
        more = len(paths) - len(shown)
        out.append("settings " + ", ".join(shown) + (f" and {more} more" if more else ""))
    return out


def rendered_changes(old_text: str | None, new_text: str) -> dict[str, tuple[str, ...]]:
    """Per job of both files, the differences of its rendered Zuul job (none: omitted)."""
    old_jobs, old_pipelines = _parse(old_text)
    new_jobs, new_pipelines = _parse(new_text)
    out: dict[str, tuple[str, ...]] = {}
    for name, body in new_jobs.items():
        if name not in old_jobs:
            continue
        diffs = _job_diff(old_jobs[name], body)
        before, after = old_pipelines.get(name, "none"), new_pipelines.get(name, "none")
        if before != after:
            diffs.append(f"pipeline {before} -> {after}")
        if diffs:
            out[name] = tuple(diffs)
    return out
