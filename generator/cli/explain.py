"""Subcommand ``explain``: which jobs cover a combination of knob values, or why none can."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from generator.catalog.names import did_you_mean
from generator.cli._args import add_catalog, add_format, add_job_sources, add_matrix_dir
from generator.cli._repo import layout, load_catalogs
from generator.errors import EXIT_OK, UsageError
from generator.model import condition_label

if TYPE_CHECKING:
    from generator.audit import JobValues
    from generator.model import Catalog

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_job_sources(explain, required=False)
    explain.add_argument(
        "--branch", default="master", metavar="B", help="branch the jobs run on (default: master)"
    )
    add_format(explain, "table", "json")
    explain.set_defaults(handler=run_explain)


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
            raise UsageError(f"unknown knob {knob!r}{did_you_mean(knob, every)}")
    raise UsageError("no single driver has all of these knobs; pass --driver")


def _check_values(catalog: Catalog, pairs: list[tuple[str, str]]) -> None:
    for knob, value in pairs:
        names = catalog.knob(knob).value_names
        if value not in names:
            raise UsageError(
                f"unknown value {value!r} of knob {knob!r}{did_you_mean(value, names)}; "
                f"values: {', '.join(names)}"
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
    catalog = _pick_catalog(
        list(load_catalogs(args.catalog, [args.driver] if args.driver else [])), pairs
    )
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
