"""CLI: ``tempest-matrix knobs validate|list|show|schema`` (the catalog stage).

``validate`` loads catalog files or directories, checks every option setting
against the committed option data (and an installed tempest with ``--live``) and,
when the engine is available, that each model has at least one valid job.
Every problem of every path is reported in one run.
"""

from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.catalog.json_schema import catalog_json_schema
from generator.catalog.loader import load_dir, load_file
from generator.catalog.names import did_you_mean
from generator.cli._args import add_catalog, add_format
from generator.cli._repo import catalog_dir, load_catalogs
from generator.errors import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_UNSATISFIABLE,
    GeneratorError,
    KnobFileError,
    ParameterError,
    Problem,
    UnsatisfiableError,
    UsageError,
)

if TYPE_CHECKING:
    import argparse

    from generator.catalog.optdata import OptionRegistry
    from generator.model import Catalog, Condition, Knob, Settings

__all__ = ["register"]

SCHEMA_VERSION = 1


def register(subparsers: Any) -> None:
    """Add ``knobs`` and its subcommands."""
    parser = subparsers.add_parser(
        "knobs",
        help="validate, list and show the knob catalog",
        description="Validate, list and show the knob catalog (knobs/*.yaml).",
    )
    sub = parser.add_subparsers(dest="knobs_command", metavar="SUBCOMMAND")
    sub.required = True

    validate = sub.add_parser(
        "validate",
        help="check catalog files; report every problem",
        description="Check catalog files and folders against the format, the constraints "
        "and the Nova/Tempest option data, and that each model has a valid job; every "
        "problem of every path is reported in one run.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="catalog files or folders (default: knobs/ of the repository)",
    )
    validate.add_argument(
        "--live",
        action="store_true",
        help="also check tempest options against the installed tempest's registry",
    )
    add_format(validate, "table", "json")
    validate.set_defaults(handler=_validate)

    for name, helptext, description in (
        ("list", "list the knobs", "List every knob of the catalog: driver, default, values."),
        (
            "show",
            "show one knob's values",
            "Show one knob: where it is declared, when it applies, what each value sets "
            "and the Tempest tests it runs (each test regex with the test IDs it selects "
            "in the committed test list).",
        ),
    ):
        cmd = sub.add_parser(name, help=helptext, description=description)
        if name == "show":
            cmd.add_argument("knob", metavar="KNOB", help="the knob's name")
        add_catalog(cmd)
        cmd.add_argument("--driver", metavar="D", help="only this driver")
        add_format(cmd, "table", "json")
        cmd.set_defaults(handler=_list if name == "list" else _show)

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of the catalog format",
        description="Print the JSON Schema of the catalog format (docs/catalog.schema.json).",
    )
    schema.set_defaults(handler=_schema)


def _live_registry() -> OptionRegistry:
    from generator.catalog.optdata_sources import live_tempest_registry

    registry = live_tempest_registry()
    if registry is None:
        raise UsageError("--live needs tempest installed (pip install tempest and its plugins)")
    return registry


def _model_problems(catalog: Catalog) -> tuple[list[Problem], list[Problem]]:
    """What ``generate`` and ``array`` check before building: (bad input, unsatisfiable)."""
    from generator.app import check_catalog
    from generator.cli._args import FLAGS

    try:
        check_catalog(catalog)
    except UnsatisfiableError as exc:
        return [], [Problem(catalog.path, 0, 0, exc.message)]
    except GeneratorError as exc:
        message = exc.worded(FLAGS) if isinstance(exc, ParameterError) else exc.message
        return [_located(catalog, message)], []
    return [], []


_LOCATED = re.compile(
    r"^(?P<path>[^:\n]+)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: (?P<rest>.*)$", re.S
)


def _located(catalog: Catalog, message: str) -> Problem:
    """A problem at the place a message names (``file:line:col: ...``), else at the catalog."""
    found = _LOCATED.match(message)
    if found is None or found["path"] not in catalog.inputs:
        return Problem(catalog.path, 0, 0, message)
    line, column = (int(found[part] or 0) for part in ("line", "column"))
    return Problem(found["path"], line, column, found["rest"])


def _kind(path: Path) -> str:
    """``dir``, ``file`` or ``missing``; a path that cannot be examined is a problem."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "file" if path.is_symlink() else "missing"
    except OSError as exc:
        raise KnobFileError([Problem(str(path), 0, 0, f"cannot read: {exc.strerror}")]) from None
    return "dir" if stat.S_ISDIR(mode) else "file"


def _validate(args: argparse.Namespace) -> int:
    live = _live_registry() if args.live else None
    paths = args.paths or [str(catalog_dir(None))]
    problems: list[Problem] = []
    catalogs: list[Catalog] = []
    for raw in paths:
        path = Path(raw)
        try:
            kind = _kind(path)
            if kind == "dir":
                catalogs.extend(load_dir(path, live_tempest=live))
            elif kind == "file":
                catalogs.append(load_file(path, live_tempest=live))
            else:
                problems.append(Problem(raw, 0, 0, "no such file or directory"))
        except KnobFileError as exc:
            problems.extend(exc.problems)
    unsatisfiable: list[Problem] = []
    for catalog in catalogs:
        bad, unsat = _model_problems(catalog)
        problems.extend(bad)
        unsatisfiable.extend(unsat)
    if args.format == "json":
        return _validate_json(catalogs, problems, unsatisfiable)
    if problems or len(unsatisfiable) > 1:
        # Bad input anywhere is exit 2, reported together with any unsatisfiable model.
        raise KnobFileError(problems + unsatisfiable)
    if unsatisfiable:
        # The same exit status as every other command: 3 for a model with no valid job.
        raise UnsatisfiableError(unsatisfiable[0].render())
    if not getattr(args, "quiet", False):
        knobs = sum(len(c.knobs) for c in catalogs)
        drivers = len(catalogs)
        sys.stdout.write(f"ok: {drivers} driver{'s' * (drivers != 1)}, {knobs} knobs\n")
    return 0


def _problem_json(problem: Problem) -> dict[str, object]:
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "message": problem.message,
    }


def _validate_json(
    catalogs: list[Catalog], problems: list[Problem], unsatisfiable: list[Problem]
) -> int:
    """``knobs validate --format json``: every problem on stdout, the usual exit status."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "ok": not (problems or unsatisfiable),
        "drivers": [{"driver": c.driver, "path": c.path, "knobs": len(c.knobs)} for c in catalogs],
        "problems": [_problem_json(p) for p in problems],
        "unsatisfiable": [_problem_json(p) for p in unsatisfiable],
    }
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
    if problems or len(unsatisfiable) > 1:
        return EXIT_BAD_INPUT
    return EXIT_UNSATISFIABLE if unsatisfiable else EXIT_OK


def _when(condition: Condition) -> dict[str, list[str]]:
    return {knob: list(values) for knob, values in condition}


def _where(knob: Knob) -> str:
    return str(knob.location) if knob.location else knob.source


def _knob_json(catalog: Catalog, knob: Knob, values: list[Any]) -> dict[str, Any]:
    """One knob in ``knobs list|show --format json``: ``values`` as names or in full."""
    return {
        "driver": catalog.driver,
        "knob": knob.name,
        "values": values,
        "default": knob.default,
        "description": knob.description,
        "when": _when(knob.when),
        "source": knob.source,
    }


def _list(args: argparse.Namespace) -> int:
    rows = [
        (c, k)
        for c in load_catalogs(args.catalog, [args.driver] if args.driver else [])
        for k in c.knobs
    ]
    if args.format == "json":
        document = {
            "schema_version": SCHEMA_VERSION,
            "knobs": [_knob_json(c, k, list(k.value_names)) for c, k in rows],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return 0
    table = [("DRIVER", "KNOB", "DEFAULT", "VALUES")]
    table += [(c.driver, k.name, k.default or "-", ", ".join(k.value_names)) for c, k in rows]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        sys.stdout.write("  ".join([*cells, row[3]]) + "\n")
    return 0


def _selected(regexes: tuple[str, ...]) -> list[str]:
    """The test IDs (attributes dropped) the regexes select in the committed test list."""
    from generator.catalog.testlist import select, test_list

    picked = select(test_list().tests, " ".join(regexes)) if regexes else ()
    return sorted({test.split("[", 1)[0] for test in picked})


def _settings_json(settings: Settings) -> dict[str, object]:
    post: dict[str, dict[str, dict[str, object]]] = {}
    for filevar, section, option, value in settings.post_config:
        post.setdefault(filevar, {}).setdefault(section, {})[option] = value
    tempest: dict[str, dict[str, object]] = {}
    for section, option, value in settings.tempest:
        tempest.setdefault(section, {})[option] = value
    return {
        "localrc": dict(settings.localrc),
        "services": dict(settings.services),
        "plugins": dict(settings.plugins),
        "tempest_plugins": list(settings.tempest_plugins),
        "post_config": post,
        "tempest": tempest,
        "nodeset": settings.nodeset,
        "tests": list(settings.tests),
        "exclude_tests": list(settings.exclude_tests),
        "pre_run": list(settings.pre_run),
        "subnode": _settings_json(settings.subnode) if settings.subnode else None,
    }


def _settings_lines(settings: Settings, *, tests: bool = True) -> list[str]:
    lines = [f"localrc {name}={_ini(value)}" for name, value in settings.localrc]
    lines += [f"service {name}: {'on' if on else 'off'}" for name, on in settings.services]
    lines += [f"plugin {name} {url}" for name, url in settings.plugins]
    lines += [f"tempest plugin {name}" for name in settings.tempest_plugins]
    lines += [
        f"{filevar} [{section}] {option} = {_ini(value)}"
        for filevar, section, option, value in settings.post_config
    ]
    lines += [
        f"tempest.conf [{section}] {option} = {_ini(value)}"
        for section, option, value in settings.tempest
    ]
    if settings.nodeset:
        lines.append(f"nodeset {settings.nodeset}")
    lines += [f"pre-run {playbook}" for playbook in settings.pre_run]
    if settings.subnode:
        lines.append("on a subnode:")
        lines += [f"  {line}" for line in _settings_lines(settings.subnode, tests=False)]
    if tests:
        for regex in settings.tests:
            found = _selected((regex,))
            lines.append(f"tests {regex} ({len(found)} test{'s' * (len(found) != 1)}):")
            lines += [f"  {test}" for test in found]
        lines += [f"excludes tests {regex}" for regex in settings.exclude_tests]
    return lines or ["(sets nothing)"]


def _ini(value: object) -> str:
    return str(value)


def _show(args: argparse.Namespace) -> int:
    catalogs = load_catalogs(args.catalog, [args.driver] if args.driver else [])
    found = [(c, k) for c in catalogs for k in c.knobs if k.name == args.knob]
    if not found:
        names = sorted({k.name for c in catalogs for k in c.knobs})
        raise UsageError(f"unknown knob {args.knob!r}{did_you_mean(args.knob, names)}")
    if args.format == "json":
        document = {
            "schema_version": SCHEMA_VERSION,
            "knobs": [
                _knob_json(
                    c,
                    k,
                    [
                        {
                            "name": v.name,
                            "description": v.description,
                            "settings": _settings_json(v.settings),
                            "untested": v.untested or None,
                            "test_ids": _selected(v.settings.tests),
                        }
                        for v in k.values
                    ],
                )
                for c, k in found
            ],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return 0
    out: list[str] = []
    for catalog, knob in found:
        if out:
            out.append("")
        out.append(f"{knob.name} (driver {catalog.driver}, {_where(knob)})")
        if knob.description:
            out.append(f"  {knob.description}")
        out.append(f"  default: {knob.default or '-'}")
        if knob.when:
            cond = " and ".join(f"{k} in [{', '.join(v)}]" for k, v in knob.when)
            out.append(f"  applies when: {cond}")
        for value in knob.values:
            mark = " (default)" if value.name == knob.default else ""
            out.append(
                f"  - {value.name}{mark}" + (f": {value.description}" if value.description else "")
            )
            out.extend(f"      {line}" for line in _settings_lines(value.settings))
            if value.untested:
                out.append(f"      untested: {value.untested}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _schema(args: argparse.Namespace) -> int:
    del args
    sys.stdout.write(json.dumps(catalog_json_schema(), indent=2) + "\n")
    return 0
