"""Loader stage: read catalog files (``knobs/*.yaml``) into a :class:`Catalog`.

A catalog file declares one driver (or is a bare combinatorial model); files
named ``_*.yaml`` are shared knob files pulled in with ``include``. Every problem
of every file read is collected and raised at once as a :class:`KnobFileError`
whose lines read ``path:line:col: message`` followed by the offending stanza.
The file format is documented in ``knobs/README.md``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from generator.catalog.checks import check_written
from generator.catalog.declarations import DEFAULT_IRRELEVANT_FILES
from generator.catalog.job_checks import check_jobs
from generator.catalog.names import (
    catalog_home,
    chain_text,
    did_you_mean,
    inside_catalog,
    name_from_file,
)
from generator.catalog.names import unsafe_name_reason as _unsafe
from generator.catalog.option_data import catalog_registries
from generator.catalog.reporter import Reporter
from generator.catalog.stanzas import FileData, Ref, read_file_data
from generator.catalog.yaml_reader import Mark, YAMLFailure, YNode, read_yaml
from generator.errors import KnobFileError, Problem
from generator.model import Catalog, Constraint, Knob, KnobValue, Settings

if TYPE_CHECKING:
    from generator.catalog.optdata import OptionRegistry

__all__ = ["load_dir", "load_file"]


def load_file(path: str | Path, *, live_tempest: OptionRegistry | None = None) -> Catalog:
    """Load one driver catalog (or bare model) file, resolving its includes.

    ``live_tempest`` optionally adds a second tempest registry (an installed
    tempest's) that every tempest setting must also satisfy.
    """
    loader = _Loader(live_tempest)
    catalog = loader.catalog(str(path))
    loader.raise_problems()
    assert catalog is not None
    return catalog


def load_dir(
    directory: str | Path = "knobs", *, live_tempest: OptionRegistry | None = None
) -> tuple[Catalog, ...]:
    """Load every driver file ``*.yaml`` of ``directory`` (``_*.yaml`` are includes).

    Returns the catalogs sorted by driver name; raises one :class:`KnobFileError`
    with the problems of all files.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise KnobFileError([Problem(str(directory), 0, 0, "not a directory")])
    files = sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))
    if not files:
        raise KnobFileError(
            [Problem(str(directory), 0, 0, "no catalog files (*.yaml not starting with '_')")]
        )
    loader = _Loader(live_tempest)
    catalogs: list[Catalog] = []
    for file in files:
        catalog = loader.catalog(os.path.normpath(str(file)))
        if catalog is not None:
            catalogs.append(catalog)
    seen: dict[str, Catalog] = {}
    for catalog in catalogs:
        if catalog.driver in seen:
            loader.problems.append(
                Problem(
                    catalog.path,
                    0,
                    0,
                    f"driver {catalog.driver!r} is also declared by {seen[catalog.driver].path}",
                )
            )
        seen.setdefault(catalog.driver, catalog)
    loader.raise_problems()
    return tuple(sorted(catalogs, key=lambda c: c.driver))


class _Loader:
    """Parses each file once and assembles catalogs, collecting problems."""

    def __init__(self, live_tempest: OptionRegistry | None) -> None:
        self.live_tempest = live_tempest
        self.problems: list[Problem] = []
        self._parsed: dict[str, tuple[YNode | None, list[str]] | None] = {}
        self._data: dict[tuple[str, bool], FileData | None] = {}

    def raise_problems(self) -> None:
        unique: dict[str, Problem] = {}
        for problem in self.problems:
            unique.setdefault(problem.render(), problem)
        if unique:
            raise KnobFileError(list(unique.values()))

    def _parse(self, path: str) -> tuple[YNode | None, list[str]] | None:
        if path in self._parsed:
            return self._parsed[path]
        result: tuple[YNode | None, list[str]] | None = None
        try:
            result = read_yaml(path)
        except YAMLFailure as failure:
            self.problems.extend(failure.problems)
        self._parsed[path] = result
        return result

    def _file(self, path: str, *, include: bool) -> FileData | None:
        key = (path, include)
        if key not in self._data:
            parsed = self._parse(path)
            data = None
            if parsed is not None:
                root, lines = parsed
                data = read_file_data(root, Reporter(path, lines, self.problems), include=include)
            self._data[key] = data
        return self._data[key]

    def _includes(self, top: FileData) -> list[FileData]:
        """Included files in depth-first order, each once; reports cycles, missing
        files and includes outside the catalog's directory (never read: a catalog
        must not make the tool read or echo a file of the user's elsewhere)."""
        ordered: list[FileData] = []
        done: set[str] = {top.path}
        home = catalog_home(top.path)
        chain = [top.path]
        pending = [(Reporter(top.path, top.lines, self.problems), iter(top.includes))]
        while pending:
            rep, names = pending[-1]
            step = next(names, None)
            if step is None:
                pending.pop()
                chain.pop()
                continue
            name, mark = step
            target = inside_catalog(name, chain[-1], home)
            if target is None:
                rep.error(
                    mark,
                    f"included file {name!r} is outside the catalog's directory; "
                    "include only files next to the catalog (or below it)",
                )
                continue
            if target in chain:
                cycle = " -> ".join([*chain[chain.index(target) :], target])
                rep.error(mark, f"include cycle: {cycle}")
                continue
            if target in done:
                continue
            if not os.path.lexists(target):
                rep.error(mark, f"included file {name!r} not found (looked for {target})")
                continue
            done.add(target)
            included = self._file(target, include=True)
            if included is None:
                continue
            ordered.append(included)
            chain.append(target)
            pending.append(
                (Reporter(included.path, included.lines, self.problems), iter(included.includes))
            )
        return ordered

    def catalog(self, path: str) -> Catalog | None:
        top = self._file(path, include=False)
        if top is None:
            return None
        files = [top, *self._includes(top)]
        rep = {data.path: Reporter(data.path, data.lines, self.problems) for data in files}
        knobs: dict[str, Knob] = {}
        for data in files:
            for knob in data.knobs:
                if knob.name in knobs:
                    first = knobs[knob.name].location
                    rep[data.path].error(
                        _mark(knob),
                        f"knob {knob.name!r} is already declared at {first}",
                    )
                    continue
                knobs[knob.name] = knob
        for data in files:
            for ref in data.refs:
                self._resolve(ref, knobs, rep[data.path])
        self._check_when_cycles(knobs, rep)
        written = [(entry, rep[data.path]) for data in files for entry in data.written]
        registries = catalog_registries(
            top.option_data, rep[path], catalog_home(path), self.live_tempest
        )
        check_written(written, registries)
        constraints: list[Constraint] = []
        for data in files:
            for constraint, stanza in zip(data.constraints, data.constraint_stanzas, strict=True):
                self._check_forbids_all(constraint, stanza, knobs, rep[data.path])
                constraints.append(constraint)
        driver_entry = top.scalars.get("driver")
        stem = Path(path).stem
        driver = str(driver_entry[0]) if driver_entry else name_from_file(stem)
        if driver_entry is None and (reason := _unsafe(driver)):
            rep[path].error(
                Mark(1, 0),
                f"driver {driver!r} (from the file name {stem!r}) is not a safe name: "
                f"{reason}; set 'driver:' in the file",
            )
        repo_entry = top.scalars.get("repo")
        strength = top.scalars.get("strength")
        if strength is not None and knobs and int(str(strength[0])) > len(knobs):
            rep[path].error(
                strength[1],
                f"strength {strength[0]} is larger than the number of knobs ({len(knobs)})",
            )
        projects = self._projects(files, rep)
        resolved = {
            name: self._plugins_resolved(
                knob, projects, rep[knob.source], Path(path).parent, tested=bool(top.baseline_tests)
            )
            for name, knob in knobs.items()
            if knob.source in rep
        }
        catalog = Catalog(
            driver=driver,
            repo=str(repo_entry[0]) if repo_entry else driver,
            knobs=tuple(resolved.get(name, knob) for name, knob in knobs.items()),
            constraints=tuple(constraints),
            pinned=tuple(top.pins),
            groups=tuple(top.groups),
            nodeset_combinations=tuple(top.nodeset_combinations),
            strength=int(str(strength[0])) if strength else 2,
            parent=_text(top, "parent", "devstack-tempest"),
            nodeset=_text(top, "nodeset", "openstack-single-node-noble"),
            description=_text(top, "description", ""),
            path=path,
            inputs=tuple(data.path for data in files),
            projects=tuple(projects.items()),
            baseline_tests=top.baseline_tests,
            exclude_tests=top.exclude_tests,
            nodesets=tuple(top.nodesets),
            third_party=top.third_party,
            irrelevant_files=(
                DEFAULT_IRRELEVANT_FILES if top.irrelevant_files is None else top.irrelevant_files
            ),
            check_jobs=top.check_jobs,
        )
        if not any(problem.path in catalog.inputs for problem in self.problems):
            check_jobs(catalog, written, registries.tempest)
        return catalog

    @staticmethod
    def _projects(files: list[FileData], rep: dict[str, Reporter]) -> dict[str, str]:
        """Plugin name -> Zuul project over the file and its includes (one entry each)."""
        projects: dict[str, str] = {}
        for data in files:
            for name, project, mark in data.projects:
                if projects.get(name, project) != project:
                    rep[data.path].error(
                        mark, f"plugin {name!r} is already the project {projects[name]!r}"
                    )
                    continue
                projects[name] = project
        return projects

    def _plugins_resolved(
        self, knob: Knob, projects: dict[str, str], rep: Reporter, folder: Path, *, tested: bool
    ) -> Knob:
        """The knob with every plugin's git URL filled in from ``projects``; a plugin
        without a project, a URL naming another project or a missing playbook is an error."""
        from dataclasses import replace

        values: list[KnobValue] = []
        for value in knob.values:
            where = f"knob {knob.name!r} value {value.name!r}"
            mark = (
                Mark(value.location.line, value.location.column) if value.location else Mark(0, 0)
            )
            bare = value.settings.is_empty() and not value.description
            if tested and not bare and not value.settings.tests and not value.untested:
                rep.error(
                    mark,
                    f"{where}: name the Tempest tests that exercise it ('tests') or say why "
                    "no test can ('untested'); the driver declares baseline_tests",
                )
            settings = self._settings_resolved(value.settings, projects, rep, mark, where)
            for playbook in settings.pre_run:
                if not (folder / playbook).is_file():
                    rep.error(mark, f"{where}: pre_run playbook {playbook!r} not found in {folder}")
            values.append(replace(value, settings=settings))
        return replace(knob, values=tuple(values))

    def _settings_resolved(
        self, settings: Settings, projects: dict[str, str], rep: Reporter, mark: Mark, where: str
    ) -> Settings:
        from dataclasses import replace

        plugins: list[tuple[str, str]] = []
        for name in (*(p for p, _ in settings.plugins), *settings.tempest_plugins):
            if name not in projects:
                hint = did_you_mean(name, list(projects))
                rep.error(
                    mark,
                    f"{where}: plugin {name!r} has no Zuul project; add it to 'projects' "
                    f"(e.g. {name}: openstack/{name}){hint}",
                )
        for name, written in settings.plugins:
            project = projects.get(name)
            if project is None:
                continue
            url = written or f"https://opendev.org/{project}"
            if url.rstrip("/").removesuffix(".git").split("/")[-2:] != project.split("/"):
                rep.error(mark, f"{where}: plugin {name!r} URL {url} is not project {project}")
            plugins.append((name, url))
        subnode = settings.subnode
        if subnode is not None:
            subnode = self._settings_resolved(subnode, projects, rep, mark, f"{where}: subnode")
        return replace(settings, plugins=tuple(plugins), subnode=subnode)

    @staticmethod
    def _resolve(ref: Ref, knobs: dict[str, Knob], rep: Reporter) -> None:
        start, end = ref.stanza
        knob = knobs.get(ref.knob)
        if knob is None:
            hint = did_you_mean(ref.knob, list(knobs))
            rep.error(ref.mark, f"unknown knob {ref.knob!r} in {ref.where}{hint}", start, end)
            return
        if ref.where == f"when of knob {ref.knob!r}":
            rep.error(
                ref.mark, f"knob {ref.knob!r}: 'when' cannot name the knob itself", start, end
            )
            return
        names = knob.value_names
        for value, mark in ref.values:
            if value not in names:
                hint = did_you_mean(value, names)
                rep.error(
                    mark,
                    f"knob {ref.knob!r}: value {value!r} in {ref.where} is not declared{hint}",
                    start,
                    end,
                )

    def _check_when_cycles(self, knobs: dict[str, Knob], rep: dict[str, Reporter]) -> None:
        """Report each cycle of ``when`` references (a depth-first walk, iterative:
        a chain of thousands of knobs must not exhaust Python's recursion limit)."""
        done: set[str] = set()
        for start, first in knobs.items():
            if start in done:
                continue
            path = [start]
            position = {start: 0}
            pending = [iter(first.when)]
            while pending:
                step = next(pending[-1], None)
                if step is None:
                    pending.pop()
                    done.add(path[-1])
                    del position[path.pop()]
                    continue
                other = step[0]
                if other not in knobs or other == path[-1] or other in done:
                    continue
                if other in position:
                    cycle = chain_text([*path[position[other] :], other])
                    knob = knobs[other]
                    reporter = rep.get(knob.source)
                    if reporter is not None:
                        reporter.error(_mark(knob), f"'when' conditions form a cycle: {cycle}")
                    continue
                position[other] = len(path)
                path.append(other)
                pending.append(iter(knobs[other].when))

    @staticmethod
    def _check_forbids_all(
        constraint: Constraint, stanza: tuple[Mark, Mark], knobs: dict[str, Knob], rep: Reporter
    ) -> None:
        """A forbid whose every pair lists all values of its knob rules out that knob."""
        if constraint.kind != "forbid" or not constraint.condition:
            return
        for knob_name, values in constraint.condition:
            knob = knobs.get(knob_name)
            if knob is None or not set(knob.value_names) <= set(values):
                return
        first = constraint.condition[0][0]
        others = [k for k, _ in constraint.condition[1:]]
        extra = f" together with every value of {', '.join(map(repr, others))}" if others else ""
        rep.error(
            stanza[0],
            f"constraint forbids every value of knob {first!r}{extra}: no job could be "
            "generated; narrow it or remove it",
            stanza[0],
            stanza[1],
        )


def _mark(knob: Knob) -> Mark:
    loc = knob.location
    return Mark(loc.line, loc.column) if loc else Mark(0, 0)


def _text(data: FileData, key: str, default: str) -> str:
    entry = data.scalars.get(key)
    return str(entry[0]) if entry else default
