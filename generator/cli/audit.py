"""Subcommands ``audit`` (coverage of existing jobs) and ``explain`` (one combination)."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli._args import (
    add_catalog,
    add_format,
    add_matrix_dir,
    add_strength,
    path_arg,
    positive,
)
from generator.cli._progress import Progress
from generator.cli._repo import catalog_dir, layout
from generator.errors import EXIT_CHECK_FAILED, EXIT_OK, UsageError
from generator.model import condition_label

if TYPE_CHECKING:
    from generator.audit import JobValues
    from generator.model import Catalog

__all__ = ["register"]


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage, got {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected 0..100, got {text}")
    return value


def _sources(parser: argparse.ArgumentParser, *, required: bool) -> None:
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(
        "--matrix", nargs="+", type=path_arg, metavar="FILE", help="generated matrix file(s)"
    )
    group.add_argument(
        "--zuul",
        nargs="+",
        type=path_arg,
        metavar="PATH",
        help="Zuul config: a repository, zuul.d/ folder or file; the first is the audited "
        "project, later ones (devstack, tempest, plugins) only define parents and nodesets",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = subparsers.add_parser(
        "audit",
        help="t-way coverage of a matrix file or of existing Zuul jobs",
        description="Count which feasible knob-value combinations a set of jobs covers. "
        "JSON output is always a list of per-driver reports.",
    )
    add_catalog(audit)
    audit.add_argument(
        "--driver",
        metavar="D",
        help="only this driver (default: every driver whose knobs the jobs touch)",
    )
    add_strength(audit)
    _sources(audit, required=True)
    audit.add_argument(
        "--branch", default="master", metavar="B", help="branch the jobs run on (default: master)"
    )
    add_format(audit, "table", "json", "html")
    audit.add_argument(
        "--output", type=path_arg, metavar="FILE", help="write here (atomically), not stdout"
    )
    audit.add_argument(
        "--top",
        type=positive,
        default=10,
        metavar="N",
        help="show the N worst knob pairs (default: 10)",
    )
    audit.add_argument(
        "--extra-jobs",
        type=positive,
        default=3,
        metavar="N",
        help="print the N extra jobs that cover the most uncovered combinations, as Zuul "
        "jobs to paste (default: 3)",
    )
    audit.add_argument(
        "--all",
        action="store_true",
        help="show every knob pair, every extra job and the combinations each covers",
    )
    audit.add_argument(
        "--fail-under", type=_percent, metavar="PCT", help="exit 1 when coverage < PCT percent"
    )
    audit.set_defaults(handler=run_audit)

    explain = subparsers.add_parser(
        "explain",
        help="which jobs cover a combination of knob values, or why it is impossible",
        description="Name the jobs (of --matrix, --zuul, or by default the committed "
        "matrix/<driver>.yaml) that contain every KNOB=VALUE given, or the constraints "
        "and conditions that make the combination impossible.",
    )
    explain.add_argument(
        "assignment", nargs="+", metavar="KNOB=VALUE", help="the combination to explain"
    )
    add_catalog(explain)
    explain.add_argument("--driver", metavar="D", help="driver (needed when knobs are shared)")
    add_matrix_dir(explain)
    _sources(explain, required=False)
    explain.add_argument(
        "--branch", default="master", metavar="B", help="branch the jobs run on (default: master)"
    )
    add_format(explain, "table", "json")
    explain.set_defaults(handler=run_explain)


def _catalogs(given: str | None, driver: str | None) -> list[Catalog]:
    from generator.catalog.loader import load_dir

    directory = catalog_dir(given)
    catalogs = list(load_dir(directory))
    if driver is not None:
        names = [c.driver for c in catalogs]
        if driver not in names:
            hint = difflib.get_close_matches(driver, names, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise UsageError(
                f"--driver {driver!r}: no such driver in {directory}{extra}; "
                f"drivers: {', '.join(names) or '(none)'}"
            )
        catalogs = [c for c in catalogs if c.driver == driver]
    if not catalogs:
        raise UsageError(f"no driver catalog in {directory}")
    return catalogs


def _emit(text: str, output: str | None) -> None:
    if output:
        from generator.files import atomic_write

        atomic_write(Path(output), text)
    else:
        sys.stdout.write(text)


def run_audit(args: argparse.Namespace) -> int:
    from generator.audit import audit_matrix, audit_zuul
    from generator.audit.table import percent, render_table

    catalogs = _catalogs(args.catalog, args.driver)
    with Progress(args) as progress:
        phases = progress.phase if progress.enabled else None
        if args.matrix:
            reports = audit_matrix(catalogs, args.matrix, strength=args.strength, progress=phases)
        else:
            reports = audit_zuul(
                catalogs,
                args.zuul,
                driver=args.driver,
                strength=args.strength,
                branch=args.branch,
                progress=phases,
            )
    if not args.quiet:  # -q prints errors only; the reports still list what was left out
        for warning in sorted({w for r in reports for w in r.warnings}):
            sys.stderr.write(f"tempest-matrix: warning: {warning}\n")
    pairs, extra = (None, None) if args.all else (args.top, args.extra_jobs)
    if args.format == "json":
        text = json.dumps([r.to_json() for r in reports], indent=2) + "\n"
    elif args.format == "html":
        from generator.audit.html import render_html

        text = render_html(reports, pairs=pairs, extra=extra)
    else:
        text = render_table(reports, pairs=pairs, extra=extra)
    _emit(text, args.output)
    failed = False
    for report in reports:
        if report.incomplete and len(report.incomplete) == len(report.jobs):
            # Nothing was recovered for certain: the figures mean nothing.
            sys.stderr.write(
                f"tempest-matrix: {report.driver}: none of the {len(report.jobs)} jobs has its "
                "devstack set-up in the given files; pass the repositories that define their "
                "parents (e.g. devstack and tempest) after the audited project\n"
            )
            failed = True
    if args.fail_under is not None:
        for report in reports:
            if report.coverage * 100 < args.fail_under:
                sys.stderr.write(
                    f"tempest-matrix: {report.driver}: coverage {percent(report.coverage)} is "
                    f"below --fail-under {args.fail_under:g}%\n"
                )
                failed = True
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _parse_assignment(items: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        knob, sep, value = item.partition("=")
        if not sep or not knob or not value:
            raise UsageError(f"expected KNOB=VALUE, got {item!r}")
        pairs.append((knob.strip(), value.strip()))
    return pairs


def _pick_catalog(catalogs: list[Catalog], pairs: list[tuple[str, str]]) -> Catalog:
    fits = [c for c in catalogs if all(k in c.knob_names for k, _ in pairs)]
    if len(fits) == 1:
        return fits[0]
    if len(fits) > 1:
        raise UsageError(
            "these knobs exist in several drivers ("
            + ", ".join(c.driver for c in fits)
            + "); pass --driver"
        )
    every = sorted({k for c in catalogs for k in c.knob_names})
    for knob, _ in pairs:
        if not any(knob in c.knob_names for c in catalogs):
            hint = difflib.get_close_matches(knob, every, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise UsageError(f"unknown knob {knob!r}{extra}")
    raise UsageError("no single driver has all of these knobs; pass --driver")


def _check_values(catalog: Catalog, pairs: list[tuple[str, str]]) -> None:
    for knob, value in pairs:
        names = catalog.knob(knob).value_names
        if value not in names:
            hint = difflib.get_close_matches(value, names, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise UsageError(
                f"unknown value {value!r} of knob {knob!r}{extra}; values: {', '.join(names)}"
            )


def _jobs_for(args: argparse.Namespace, catalog: Catalog) -> tuple[str, list[JobValues]]:
    from generator.audit import audit_matrix, audit_zuul

    if args.zuul:
        reports = audit_zuul([catalog], args.zuul, driver=catalog.driver, branch=args.branch)
        return ", ".join(args.zuul), list(reports[0].jobs)
    paths = args.matrix or []
    if not paths:
        where = layout(args.catalog, args.matrix_dir, None)
        default = where.matrix / f"{catalog.driver}.yaml"
        if not default.is_file():
            return "", []
        paths = [str(default)]
    reports = audit_matrix([catalog], paths)
    return ", ".join(paths), [j for r in reports for j in r.jobs]


def _when_text(catalog: Catalog, name: str) -> str:
    """``path:line:col: knob K applies only when {...}``: a ``when`` ruling a combination out."""
    knob = catalog.knob(name)
    where = f"{knob.location}: " if knob.location else ""
    return f"{where}knob {name} applies only when {condition_label(knob.when)}"


def _when_json(catalog: Catalog, name: str) -> dict[str, object]:
    knob = catalog.knob(name)
    return {
        "knob": name,
        "when": {other: list(values) for other, values in knob.when},
        "location": str(knob.location) if knob.location else knob.source,
    }


def run_explain(args: argparse.Namespace) -> int:
    from generator.engine import compile_model

    pairs = _parse_assignment(args.assignment)
    knobs = [k for k, _ in pairs]
    if len(set(knobs)) != len(knobs):
        raise UsageError("a knob is given twice")
    catalog = _pick_catalog(_catalogs(args.catalog, args.driver), pairs)
    _check_values(catalog, pairs)
    space = compile_model(catalog.model)
    assignment = dict(pairs)
    shown = ", ".join(f"{k}={v}" for k, v in pairs)
    result: dict[str, object] = {
        "schema_version": 1,
        "driver": catalog.driver,
        "assignment": assignment,
    }
    lines: list[str] = []
    blockers = space.blockers(assignment)
    if blockers is not None and (args.zuul or args.matrix):
        _jobs_for(args, catalog)  # the given files are read (and refused when bad) all the same
    if blockers is not None:
        result["feasible"] = False
        result["constraints"] = [c.label() for c in blockers.constraints]
        result["when"] = [_when_json(catalog, p.name) for p in blockers.when]
        result["jobs"] = []
        named = (("constraints", blockers.constraints), ("when conditions", blockers.when))
        kinds = [word for word, found in named if found]
        lines.append(f"{shown} is impossible in driver {catalog.driver}; {' and '.join(kinds)}:")
        lines.extend(
            f"  {c.label()}" + (f"  # {c.description}" if c.description else "")
            for c in blockers.constraints
        )
        lines.extend(f"  {_when_text(catalog, p.name)}" for p in blockers.when)
    else:
        result["feasible"] = True
        source, jobs = _jobs_for(args, catalog)
        covering = [j.job for j in jobs if j.covers(tuple(pairs))]
        result["source"] = source
        result["jobs"] = covering
        if not source:
            lines.append(
                f"{shown} is feasible in driver {catalog.driver}; no jobs given "
                f"(--matrix/--zuul) and no {args.matrix_dir or 'matrix'}/{catalog.driver}.yaml"
            )
        elif covering:
            lines.append(f"{shown} is covered by {len(covering)} job(s) of {source}:")
            lines.extend(f"  {name}" for name in covering)
        else:
            lines.append(f"{shown} is feasible but no job of {source} covers it")
    if args.format == "json":
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
