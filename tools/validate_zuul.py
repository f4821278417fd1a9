"""Validate emitted Zuul files offline with Zuul's own loader and schemas (``zuul`` tox env).

Usage: ``python tools/validate_zuul.py [FILE ...]`` (default: every
``output/*/zuul.d/*.yaml`` and the third-party drivers'
``output/*/third-party-zuul.d/*.yaml``, one folder deeper for ``org/name`` repos).
Needs ``zuul`` installed (the ``zuul`` tox env pins 14.3.0); Zuul is not a runtime
dependency of tempest-matrix.

Checks per file: Zuul's YAML loader (``configloader.safe_load_yaml``: duplicate
keys, syntax), the top-level shape (a list of one-key mappings with known stanza
names), the voluptuous schemas of ``job`` (``JobParser.schema``) and ``project``
(``ProjectParser(None).schema``) stanzas, and a deep parse of every job with
``JobParser.fromYaml`` under a stub parse context (regexes, nodeset forms). Not
checkable offline: that parents, nodesets and pipelines exist in a tenant.
Exit status: 0 when every file passes, 1 otherwise.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import voluptuous as vs  # type: ignore[import-not-found]
from zuul import configloader as cl  # type: ignore[import-not-found]
from zuul import model  # type: ignore[import-not-found]

KNOWN = ("job", "project", "project-template", "nodeset", "semaphore", "pragma", "secret")


def _parse_context() -> Any:
    class _Ansible:
        def requestVersion(self, version: str) -> None:
            pass

    connections = types.SimpleNamespace(connections={})
    settings = types.SimpleNamespace(max_nodes_per_job=10, default_ansible_version="9")
    return cl.ParseContext(connections, settings, None, _Ansible())


def check(path: Path) -> list[str]:
    """Every problem Zuul finds in ``path``, as ``path:line: message``."""
    schemas = {"job": cl.JobParser.schema, "project": cl.ProjectParser(None).schema}
    source = model.SourceContext(
        "example.org/openstack/project", "openstack/project", "example", "master", str(path)
    )
    try:
        data = cl.safe_load_yaml(path.read_text(encoding="utf-8"), source)
    except Exception as exc:  # Zuul raises several YAML error types
        return [f"{path}: yaml: {exc}"]
    if not isinstance(data, list):
        return [f"{path}: the top level must be a list of one-key mappings"]
    errors: list[str] = []
    context = _parse_context()
    for index, item in enumerate(data):
        if not isinstance(item, dict) or len(item) != 1:
            errors.append(f"{path}: item {index}: must be a mapping with exactly one key")
            continue
        ((kind, body),) = item.items()
        if kind not in KNOWN or not isinstance(body, dict):
            errors.append(f"{path}: item {index}: unknown stanza {kind!r} or non-mapping body")
            continue
        mark = body.get("_start_mark")
        where = f"{path}:{mark.line + 1 if mark else '?'}"
        label = f"{kind} {body.get('name', '')}".strip()
        schema = schemas.get(kind)
        if schema is not None:
            try:
                schema(body)
            except vs.MultipleInvalid as exc:
                errors.extend(f"{where}: {label}: {error}" for error in exc.errors)
                continue
        if kind == "job":
            try:
                context.job_parser.fromYaml(body, validate=False)
            except Exception as exc:  # Zuul raises several YAML error types
                errors.append(f"{where}: {label}: {type(exc).__name__}: {exc}")
    return errors


def main(argv: list[str]) -> int:
    # output/<name>/ and, for a repo named as a Zuul project, output/<org>/<name>/
    files = [Path(arg) for arg in argv] or sorted(
        path
        for folder in ("*", "*/*")
        for path in (
            *Path("output").glob(f"{folder}/zuul.d/*.yaml"),
            *Path("output").glob(f"{folder}/third-party-zuul.d/*.yaml"),
        )
    )
    if not files:
        print("no Zuul files found under output/*/zuul.d/", file=sys.stderr)
        return 1
    errors: list[str] = []
    jobs = 0
    for path in files:
        errors.extend(check(path))
        text = path.read_text(encoding="utf-8")
        jobs += sum(1 for line in text.splitlines() if line == "- job:")
    for error in errors:
        print(error)
    print(f"zuul {_version()}: {len(files)} files, {jobs} jobs, {len(errors)} errors")
    return 1 if errors else 0


def _version() -> str:
    from importlib.metadata import version

    return version("zuul")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
