"""Audit stage, Zuul input: read the Zuul files of one or more repositories.

Reads the in-repo Zuul configuration of each repository (``zuul.yaml``,
``zuul.d/``, ``.zuul.yaml``, ``.zuul.d/``) and keeps every job variant, nodeset,
template and project stanza in load order.

Jobs are resolved through inheritance by :mod:`generator.audit.zuul_resolve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

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
    """A YAML mapping that remembers its position and an ``!override`` tag."""

    __slots__ = ("column", "line", "override")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.column = 0
        self.override = False


class _Loader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and understands Zuul's tags."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - yaml guards this
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {type(node).__name__}", node.start_mark
            )
        seen: set[object] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        self.flatten_mapping(node)
        result = ZDict(super().construct_mapping(node, deep=deep))
        result.line = node.start_mark.line + 1
        result.column = node.start_mark.column + 1
        return result


def _construct_tagged(loader: _Loader, node: yaml.Node, override: bool) -> object:
    if isinstance(node, yaml.MappingNode):
        mapping = loader.construct_mapping(node, deep=True)
        assert isinstance(mapping, ZDict)
        mapping.override = override
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _override(loader: _Loader, node: yaml.Node) -> object:
    return _construct_tagged(loader, node, True)


def _inherit(loader: _Loader, node: yaml.Node) -> object:
    return _construct_tagged(loader, node, False)


def _secret(loader: _Loader, node: yaml.Node) -> object:
    return Opaque("<encrypted>")


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("!override", _override)
_Loader.add_constructor("!inherit", _inherit)
_Loader.add_constructor("!encrypted/pkcs1-oaep", _secret)


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
        names: dict[str, None] = {}
        project_vars: dict[str, Any] = {}
        for index, body in self.projects:
            if index != repo:
                continue
            sources: list[Mapping[str, Any]] = [body]
            for template in body.get("templates") or ():
                sources.extend(self.templates.get(str(template), ()))
            for source in sources:
                for name in _pipeline_jobs(source):
                    names.setdefault(name, None)
            if isinstance(body.get("vars"), dict):
                project_vars = deep_merge(project_vars, body["vars"])
        return tuple(names), project_vars


_PROJECT_KEYS = frozenset(
    {"name", "templates", "vars", "queue", "default-branch", "merge-mode", "description"}
)


def _pipeline_jobs(body: Mapping[str, Any]) -> Iterable[str]:
    for key, value in body.items():
        if key in _PROJECT_KEYS or not isinstance(value, dict):
            continue
        for entry in value.get("jobs") or ():
            if isinstance(entry, str):
                yield entry
            elif isinstance(entry, dict) and len(entry) == 1:
                yield str(next(iter(entry)))


def config_files(path: str | Path) -> list[Path]:
    """The Zuul config files under ``path``, in Zuul's load order.

    ``path`` is a file, a repository (holding any of ``zuul.yaml``, ``zuul.d/``,
    ``.zuul.yaml``, ``.zuul.d/``) or a ``zuul.d``-style folder of YAML files.
    """
    root = Path(path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise KnobFileError([Problem(str(root), 0, 0, "no such file or directory")])
    found: list[Path] = []
    for name in CONFIG_NAMES:
        candidate = root / name
        if candidate.is_file():
            found.append(candidate)
        elif candidate.is_dir():
            found.extend(_yaml_files(candidate))
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
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".yaml", ".yml"})


def _read(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnobFileError([Problem(str(path), 0, 0, f"cannot read: {exc}")]) from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise KnobFileError([Problem(str(path), line, column, reason)]) from exc
    except yaml.YAMLError as exc:
        raise KnobFileError([Problem(str(path), 0, 0, str(exc))]) from exc


def _node_hosts(node: Mapping[str, Any]) -> list[str]:
    name = node.get("name")
    if isinstance(name, list):
        return [str(n) for n in name]
    return [str(name)]


def parse_nodeset(name: str, body: Mapping[str, Any]) -> Nodeset:
    hosts: list[str] = []
    for node in body.get("nodes") or ():
        if isinstance(node, dict):
            hosts.extend(_node_hosts(node))
    groups = tuple(
        (str(g["name"]), tuple(str(n) for n in g.get("nodes") or ()))
        for g in body.get("groups") or ()
        if isinstance(g, dict) and "name" in g
    )
    return Nodeset(name, tuple(hosts), groups)


def load_zuul(paths: Sequence[str | Path]) -> ZuulConfig:
    """Read every Zuul config file under ``paths`` (the first is the audited project).

    Raises :class:`KnobFileError` for unreadable or malformed files, stanzas that
    are not one-key mappings, or jobs and nodesets without a name.
    """
    config = ZuulConfig()
    problems: list[Problem] = []
    for repo, path in enumerate(paths):
        for file in config_files(path):
            config.files.append(str(file))
            try:
                data = _read(file)
            except KnobFileError as exc:
                problems.extend(exc.problems)
                continue
            problems.extend(_index(config, repo, str(file), data))
    if problems:
        raise KnobFileError(problems)
    return config


def _index(config: ZuulConfig, repo: int, path: str, data: object) -> list[Problem]:
    if data is None:
        return []
    if not isinstance(data, list):
        return [Problem(path, 1, 1, "a Zuul config file must be a list of stanzas")]
    problems: list[Problem] = []
    for item in data:
        line = item.line if isinstance(item, ZDict) else 0
        if not isinstance(item, dict) or len(item) != 1:
            problems.append(Problem(path, line, 0, "each stanza must be a mapping with one key"))
            continue
        ((kind, body),) = item.items()
        if kind not in STANZAS:
            problems.append(
                Problem(
                    path,
                    line,
                    0,
                    f"unknown stanza {kind!r} (expected one of " + ", ".join(sorted(STANZAS)) + ")",
                )
            )
            continue
        if not isinstance(body, dict):
            problems.append(Problem(path, line, 0, f"the {kind} stanza must be a mapping"))
            continue
        name = body.get("name")
        if kind in {"job", "nodeset", "project-template"} and not isinstance(name, str):
            problems.append(Problem(path, line, 0, f"{kind} without a name"))
            continue
        if kind == "job":
            assert isinstance(name, str)
            where = body.line if isinstance(body, ZDict) else line
            problems.extend(
                Problem(path, where, 0, f"job {name}: {attr} must be a mapping")
                for attr in MERGED
                if attr in body and not isinstance(body[attr], dict | type(None))
            )
            config.jobs.setdefault(name, []).append(Variant(name, body, path, where, repo))
        elif kind == "nodeset":
            assert isinstance(name, str)
            config.nodesets[name] = parse_nodeset(name, body)
        elif kind == "project-template":
            assert isinstance(name, str)
            config.templates.setdefault(name, []).append(body)
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
