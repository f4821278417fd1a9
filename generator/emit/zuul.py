"""Emit stage, Zuul: ``output/<repo>/zuul.d/tempest-matrix.yaml`` for one matrix.

One job per matrix row, in matrix order, shaped like nova's ``.zuul.yaml``:
the catalog's ``parent``, the job's nodeset (the catalog's, unless a chosen value
needs another), a description listing the knob values, and the devstack
variables ``devstack_localrc``, ``devstack_services``, ``devstack_plugins``,
``tempest_plugins``, ``devstack_local_conf.post-config.<$FILE>`` and
``devstack_local_conf.test-config.$TEMPEST_CONFIG``. Every knob writes its value's
settings, defaults included, because under devstack an unset option is not
nova's default. A job's comment names its matrix row and quotes the description of
any chosen value that cites a bug (the reason a feature is off). On a multi-node
nodeset, ``devstack_localrc`` and ``devstack_services`` are repeated under
``group-vars.subnode``: the ``devstack`` job already defines those two for the
subnode group, and Ansible's group-vars beat job vars on the compute node
(docs/zuul-and-devstack.md §2).

The project-template and project stanza (:mod:`generator.emit.zuul_project`): the
K jobs that together cover the most t-way combinations (chosen greedily, ties to
the earlier job, so the choice stays right after a stable regeneration appended
jobs) run in ``check`` and ``gate``, every job in ``periodic-weekly``; K is
``check_jobs`` (the option, else the catalog's, else ``DEFAULT_CHECK_JOBS``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from generator import __version__
from generator.catalog.declarations import DEFAULT_CHECK_JOBS
from generator.catalog.testlist import test_list
from generator.emit.job_settings import JobSettings, merge_settings
from generator.emit.selection import check_selection, job_selection
from generator.emit.zuul_project import (
    nodeset_stanzas,
    playbook_path,
    project_stanzas,
    third_party_header,
)

if TYPE_CHECKING:
    from generator.engine import Coverage
    from generator.matrix import Job, Matrix
    from generator.model import Catalog

__all__ = [
    "dump_yaml",
    "job_vars",
    "most_covering",
    "render_job",
    "render_zuul",
    "required_projects",
]


class _Dumper(yaml.SafeDumper):
    """Block style, indented sequences (nova style), no anchors, literal multi-line text."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: object) -> str:
    """YAML in nova's ``.zuul.yaml`` style (block lists indented, no anchors)."""
    return _dump(data)


def _dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=False,
        sort_keys=False,
        width=1 << 20,
        allow_unicode=True,
        indent=2,
    )


def _nested(entries: tuple[tuple[str, str, str, Any], ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for conf, section, option, value in entries:
        out.setdefault(conf, {}).setdefault(section, {})[option] = value
    return out


def job_vars(settings: JobSettings) -> tuple[dict[str, Any], dict[str, Any]]:
    """The job's ``vars`` and ``group-vars`` (empty unless multi-node)."""
    variables: dict[str, Any] = {}
    if settings.tests:
        # run-tempest's own selection variables, as nova's jobs use them.
        variables["tox_envlist"] = "all"
        variables["tempest_test_regex"] = " ".join(settings.tests)
    if settings.exclude_tests:
        variables["tempest_exclude_regex"] = "|".join(settings.exclude_tests)
    if settings.localrc:
        variables["devstack_localrc"] = dict(settings.localrc)
    if settings.services:
        variables["devstack_services"] = dict(settings.services)
    if settings.plugins:
        variables["devstack_plugins"] = dict(settings.plugins)
    if settings.tempest_plugins:
        variables["tempest_plugins"] = list(settings.tempest_plugins)
    local_conf: dict[str, Any] = {}
    if settings.post_config:
        local_conf["post-config"] = _nested(settings.post_config)
    if settings.tempest:
        tempest = _nested(tuple(("$TEMPEST_CONFIG", *entry) for entry in settings.tempest))
        local_conf["test-config"] = tempest
    if local_conf:
        variables["devstack_local_conf"] = local_conf
    group_vars: dict[str, Any] = {}
    if settings.multinode:
        # group-vars replace job vars key by key on the subnode: it gets every devstack
        # variable, only compute-side services, only the plugins its values name.
        subnode: dict[str, Any] = {}
        if settings.subnode_localrc:
            subnode["devstack_localrc"] = dict(settings.subnode_localrc)
        if settings.subnode_services:
            subnode["devstack_services"] = dict(settings.subnode_services)
        if settings.plugins or settings.subnode_plugins:
            subnode["devstack_plugins"] = dict(settings.subnode_plugins)
        if settings.subnode_post_config:
            subnode["devstack_local_conf"] = {"post-config": _nested(settings.subnode_post_config)}
        if subnode:
            group_vars["subnode"] = subnode
    return variables, group_vars


def required_projects(catalog: Catalog, settings: JobSettings) -> list[str]:
    """The Zuul projects of every devstack and tempest plugin the job uses, and the
    driver's own repository when the catalog names it as a Zuul project (``org/name``,
    so the job also runs from another project's pipeline, nova's say), sorted."""
    names = [name for name, _ in (*settings.plugins, *settings.subnode_plugins)]
    names.extend(settings.tempest_plugins)
    found = {catalog.project(name) for name in names}
    if "/" in catalog.repo:
        found.add(catalog.repo)
    return sorted(project for project in found if project is not None)


_BUG = re.compile(r"\bbugs?\b|launchpad\.net|storyboard", re.IGNORECASE)


def _bug_notes(catalog: Catalog, job: Job) -> list[str]:
    """Comment lines for the chosen values whose description cites a bug (why a
    feature is disabled in this job)."""
    notes = []
    for knob, value in job.values:
        if value is None:
            continue
        description = " ".join(catalog.knob(knob).value(value).description.split())
        if _BUG.search(description):
            notes.append(f"# {knob}={value}: {description}\n")
    return notes


def _description(catalog: Catalog, job: Job, selected: int, smoke: bool) -> str:
    lines = [f"Generated by tempest-matrix for {catalog.driver}; knob values:"]
    lines.extend(f"{knob}={value}" for knob, value in job.values if value is not None)
    what = "run-tempest's default smoke set" if smoke else "its test selection"
    lines.append(f"Runs {what}: {selected} tests of {test_list().source}.")
    return "\n".join(lines) + "\n"


def most_covering(matrix: Matrix, count: int, coverage: Coverage) -> tuple[str, ...]:
    """Names of ``count`` jobs that together cover the most required combinations of
    ``coverage`` (the engine's counter for the matrix's catalog and strength).

    Greedy maximum coverage (each pick adds the most combinations not yet
    covered; ties go to the earlier job), in the order picked.
    """
    rows = [job.as_dict() for job in matrix.jobs]
    return tuple(matrix.jobs[index].name for index in coverage.most_covering(rows, count))


def render_job(catalog: Catalog, job: Job) -> str:
    """One Zuul job stanza for ``job``'s knob values (a YAML list of one ``job``), with
    a comment line for each chosen value whose description cites a bug."""
    settings = merge_settings(catalog, job)
    selection = job_selection(settings)
    check_selection(catalog, job, selection)
    body: dict[str, Any] = {
        "name": job.name,
        "parent": catalog.parent,
        "description": _description(catalog, job, len(selection.tests), smoke=not settings.tests),
        "nodeset": settings.nodeset,
    }
    projects = required_projects(catalog, settings)
    if projects:
        body["required-projects"] = projects
    if settings.pre_run:
        body["pre-run"] = [playbook_path(p) for p in settings.pre_run]
    if catalog.irrelevant_files:
        body["irrelevant-files"] = list(catalog.irrelevant_files)
    third = catalog.third_party
    if third is not None and third.secrets:
        body["secrets"] = [
            {"name": variable, "secret": secret, "pass-to-parent": True}
            for variable, secret in third.secrets
        ]
    variables, group_vars = job_vars(settings)
    if variables:
        body["vars"] = variables
    if group_vars:
        body["group-vars"] = group_vars
    return "".join(_bug_notes(catalog, job)) + _dump([{"job": body}])


def render_zuul(
    catalog: Catalog,
    matrix: Matrix,
    *,
    command: str,
    matrix_path: str,
    check_jobs: int | None = None,
    coverage: Coverage | None = None,
) -> str:
    """The Zuul file text for ``matrix``; raises ``EmitError`` on conflicting settings
    or a job whose selection misses the tests of one of its values.

    ``coverage`` picks the check jobs (built from ``catalog`` when not given)."""
    third = catalog.third_party
    parts = [
        f"# Generated by tempest-matrix {__version__} from {matrix_path}; do not edit by hand.\n"
        f"# Strength {matrix.strength}, seed {matrix.seed}, catalog {matrix.catalog_digest}.\n"
        f"# Regenerate with: {command}\n"
    ]
    if third is not None:
        parts.append(third_party_header(catalog, third))
    nodesets = nodeset_stanzas(catalog)
    if nodesets:
        parts.append("\n" + _dump(nodesets))
    for row, job in enumerate(matrix.jobs, start=1):
        parts.append(f"\n# {matrix_path} row {row}: {job.name}\n" + render_job(catalog, job))
    count = check_jobs if check_jobs is not None else catalog.check_jobs
    count = DEFAULT_CHECK_JOBS if count is None else count
    chosen: tuple[str, ...] = ()
    if count:
        if coverage is None:
            from generator.engine import Coverage, compile_model

            space = compile_model(catalog.model)
            coverage = Coverage(space.compiled, space.oracle, matrix.strength, catalog.groups)
        chosen = most_covering(matrix, count, coverage)
    parts.append("\n" + _dump(project_stanzas(catalog, matrix, chosen)))
    return "".join(parts)
