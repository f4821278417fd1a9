"""Audit stage, Zuul input: read the Zuul files of one or more repositories.

Reads the in-repo Zuul configuration of each repository (``zuul.yaml``,
``zuul.d/``, ``.zuul.yaml``, ``.zuul.d/``) and keeps every job variant, nodeset,
template and project stanza in load order.

Jobs are resolved through inheritance by :mod:`generator.audit.zuul_resolve`.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.audit.zuul_schema import NOT_PIPELINES, StanzaChecker
from generator.catalog.yaml_reader import YAMLFailure, YMap, YNode, YScalar, YSeq, read_yaml
from generator.errors import KnobFileError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "Nodeset",
    "Opaque",
    "Variant",
    "ZDict",
    "ZuulConfig",
    "config_files",
    "deep_merge",
    "load_zuul",
    "parse_nodeset",
]

CONFIG_NAMES = ("zuul.yaml", "zuul.d", ".zuul.yaml", ".zuul.d")
STANZAS = frozenset(
    {"job", "project", "project-template", "nodeset", "semaphore", "secret", "pragma", "queue"}
)
# Job attributes whose dicts Zuul deep-merges along the inheritance chain.
MERGED = ("vars", "extra-vars", "group-vars", "host-vars")


class Opaque(str):
    """A value Zuul or Ansible computes at run time (a template we cannot evaluate)."""

    __slots__ = ()


class ZDict(dict[str, Any]):
    """A YAML mapping that remembers its position, each key's line and an ``!override`` tag."""

    __slots__ = ("column", "key_lines", "line", "override")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.column = 0
        self.override = False
        self.key_lines: dict[str, int] = {}


ZUUL_TAGS = ("!override", "!inherit", "!encrypted/pkcs1-oaep")
"""The tags Zuul's loader accepts besides plain YAML (``zuul/lib/yamlutil.py``)."""
_OVERRIDE_TAGS = ("!override", "!inherit")


def to_python(node: YNode, checker: StanzaChecker, memo: dict[int, object]) -> object:
    """Plain Python data for a node: :class:`ZDict` mappings, lists, scalars.

    ``!override`` marks a mapping to replace, not merge with, what it overrides;
    an encrypted secret becomes :class:`Opaque`. Aliased nodes are converted once.
    """
    done = memo.get(id(node))
    if done is not None:
        return done
    result: object
    if node.tag == "!encrypted/pkcs1-oaep":
        if isinstance(node, YMap) or (
            isinstance(node, YSeq) and not all(isinstance(i, YScalar) for i in node.items)
        ):
            checker.error(node, "!encrypted/pkcs1-oaep needs a string or a list of strings")
        result = Opaque("<encrypted>")
    elif isinstance(node, YMap):
        mapping = ZDict()
        mapping.line, mapping.column = node.mark.line, node.mark.column
        mapping.override = node.tag == "!override"
        for key, value in node.items:
            mapping[key.value] = to_python(value, checker, memo)  # type: ignore[index]
            mapping.key_lines[str(key.value)] = key.mark.line
        result = mapping
    elif isinstance(node, YSeq):
        result = [to_python(item, checker, memo) for item in node.items]
    else:
        if node.tag in _OVERRIDE_TAGS and not isinstance(node.value, str):
            checker.error(node, f"{node.tag} on a scalar needs a string, got {node.raw}")
        result = node.value
    memo[id(node)] = result
    return result


@dataclass(frozen=True, slots=True)
class Variant:
    """One ``- job:`` stanza: a definition or a later variant of a job."""

    name: str
    body: Mapping[str, Any]
    path: str
    line: int
    repo: int
    """Index of the ``--zuul`` path the file came from (0 = the audited project)."""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Nodeset:
    """Host names and groups of a nodeset, in declaration order."""

    name: str
    hosts: tuple[str, ...]
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def groups_of(self, host: str) -> tuple[str, ...]:
        """Names of the groups holding ``host``, sorted by name (Ansible's order)."""
        return tuple(sorted(name for name, hosts in self.groups if host in hosts))

    def group(self, name: str) -> tuple[str, ...]:
        for group, hosts in self.groups:
            if group == name:
                return hosts
        return ()


@dataclass(slots=True)
class ZuulConfig:
    """Every stanza of the given files, in load order."""

    files: list[str] = field(default_factory=list)
    jobs: dict[str, list[Variant]] = field(default_factory=dict)
    nodesets: dict[str, Nodeset] = field(default_factory=dict)
    templates: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    projects: list[tuple[int, Mapping[str, Any]]] = field(default_factory=list)

    def defined_in(self, repo: int) -> tuple[str, ...]:
        """Names of the jobs first defined in the files of path number ``repo``."""
        return tuple(name for name, variants in self.jobs.items() if variants[0].repo == repo)

    def project_jobs(self, repo: int) -> tuple[tuple[str, ...], Mapping[str, Any]]:
        """Job names the project stanzas of ``repo`` run (templates included), and its vars."""
        project_vars: dict[str, Any] = {}
        for index, body in self.projects:
            if index == repo and isinstance(body.get("vars"), dict):
                project_vars = deep_merge(project_vars, body["vars"])
        return tuple(self.project_pipelines(repo)), project_vars

    def project_pipelines(self, repo: int) -> dict[str, tuple[str, ...]]:
        """Each job the project stanzas of ``repo`` run (templates included): its pipelines."""
        pipelines: dict[str, dict[str, None]] = {}
        for index, body in self.projects:
            if index != repo:
                continue
            sources: list[Mapping[str, Any]] = [body]
            for template in body.get("templates") or ():
                sources.extend(self.templates.get(str(template), ()))
            for source in sources:
                for pipeline, name in _pipeline_jobs(source):
                    pipelines.setdefault(name, {}).setdefault(pipeline, None)
        return {name: tuple(found) for name, found in pipelines.items()}


def _pipeline_jobs(body: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    for key, value in body.items():
        if key in NOT_PIPELINES or not isinstance(value, dict):
            continue
        for entry in value.get("jobs") or ():
            if isinstance(entry, str):
                yield str(key), entry
            elif isinstance(entry, dict) and len(entry) == 1:
                yield str(key), str(next(iter(entry)))


def _is_dir(path: Path) -> bool:
    """Whether ``path`` is a directory; False when absent; unreadable is a problem."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise KnobFileError([Problem(str(path), 0, 0, f"cannot read: {exc.strerror}")]) from None


def config_files(path: str | Path) -> list[Path]:
    """The Zuul config files under ``path``, in Zuul's load order.

    ``path`` is a file, a repository (holding any of ``zuul.yaml``, ``zuul.d/``,
    ``.zuul.yaml``, ``.zuul.d/``) or a ``zuul.d``-style folder of YAML files.
    """
    root = Path(path)
    if not _is_dir(root):
        if not root.exists() and not root.is_symlink():
            raise KnobFileError([Problem(str(root), 0, 0, "no such file or directory")])
        return [root]  # the reader says what else it is (a FIFO, a device, ...)
    found: list[Path] = []
    for name in CONFIG_NAMES:
        candidate = root / name
        if _is_dir(candidate):
            found.extend(_yaml_files(candidate))
        elif candidate.exists() or candidate.is_symlink():
            found.append(candidate)
    if not found:
        found = _yaml_files(root)
    if not found:
        raise KnobFileError(
            [
                Problem(
                    str(root),
                    0,
                    0,
                    "no Zuul configuration here (expected zuul.yaml, zuul.d/, .zuul.yaml "
                    "or .zuul.d/)",
                )
            ]
        )
    return found


def _yaml_files(folder: Path) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` entries under ``folder`` (not directories), sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix in {".yaml", ".yml"} and not _is_dir(p))


def _strings(value: object) -> list[str]:
    """Zuul's ``as_list`` of names: one string or a list of them."""
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if item is not None]


def parse_nodeset(name: str, body: Mapping[str, Any]) -> Nodeset:
    """The hosts and groups of a nodeset body (a stanza or an inline nodeset)."""
    nodes = body.get("nodes")
    hosts: list[str] = []
    for node in nodes if isinstance(nodes, list) else [nodes]:
        if isinstance(node, dict):
            hosts.extend(_strings(node.get("name")))
    groups_value = body.get("groups")
    groups = tuple(
        (str(g["name"]), tuple(_strings(g.get("nodes"))))
        for g in (groups_value if isinstance(groups_value, list) else [groups_value])
        if isinstance(g, dict) and "name" in g
    )
    return Nodeset(name, tuple(hosts), groups)


def load_zuul(paths: Sequence[str | Path]) -> ZuulConfig:
    """Read every Zuul config file under ``paths`` (the first is the audited project).

    Raises :class:`KnobFileError` for unreadable or malformed files, stanzas that
    are not one-key mappings, jobs and nodesets without a name, and attributes of
    the wrong type (:mod:`generator.audit.zuul_schema`).
    """
    config = ZuulConfig()
    problems: list[Problem] = []
    for repo, path in enumerate(paths):
        for file in config_files(path):
            config.files.append(str(file))
            try:
                root, _ = read_yaml(str(file), tags=ZUUL_TAGS)
            except YAMLFailure as failure:
                problems.extend(failure.problems)
                continue
            problems.extend(_index(config, repo, str(file), root))
    if problems:
        raise KnobFileError(problems)
    return config


def _index(config: ZuulConfig, repo: int, path: str, root: YNode | None) -> list[Problem]:
    if root is None:
        return []
    if not isinstance(root, YSeq):
        return [Problem(path, 1, 1, "a Zuul config file must be a list of stanzas")]
    problems: list[Problem] = []
    checker = StanzaChecker(path, problems)
    memo: dict[int, object] = {}
    for item in root.items:
        if not isinstance(item, YMap) or len(item.items) != 1:
            checker.error(item, "each stanza must be a mapping with one key")
            continue
        ((kind_node, body_node),) = item.items
        kind = kind_node.value
        if kind not in STANZAS:
            expected = ", ".join(sorted(STANZAS))
            checker.error(
                kind_node, f"unknown stanza {kind_node.raw!r} (expected one of {expected})"
            )
            continue
        if not isinstance(body_node, YMap):
            checker.error(item, f"the {kind} stanza must be a mapping")
            continue
        name_node = body_node.get("name")
        name = name_node.value if isinstance(name_node, YScalar) else None
        if kind in {"job", "nodeset", "project-template"} and not isinstance(name, str):
            checker.error(item, f"{kind} without a name")
            continue
        before = len(problems)
        if kind == "job":
            checker.job(body_node, str(name))
        elif kind == "nodeset":
            checker.nodeset(body_node, f"nodeset {name}")
        elif kind in {"project", "project-template"}:
            checker.project(body_node, kind)
        body = to_python(body_node, checker, memo)
        if len(problems) != before:
            continue
        assert isinstance(body, ZDict)
        if kind == "job":
            config.jobs.setdefault(str(name), []).append(
                Variant(str(name), body, path, body.line, repo)
            )
        elif kind == "nodeset":
            config.nodesets[str(name)] = parse_nodeset(str(name), body)
        elif kind == "project-template":
            config.templates.setdefault(str(name), []).append(body)
        elif kind == "project":
            config.projects.append((repo, body))
    return problems


def deep_merge(base: Mapping[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """Zuul's variable merge: dicts merge recursively, anything else (or ``!override``) replaces."""
    if isinstance(update, ZDict) and update.override:
        return dict(update)
    merged = dict(base)
    for key, value in update.items():
        old = merged.get(key)
        if (
            isinstance(value, dict)
            and isinstance(old, dict)
            and not (isinstance(value, ZDict) and value.override)
        ):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value
    return merged
