"""Subcommand ``audit``: t-way coverage of a matrix file or of existing Zuul jobs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli._args import (
    add_catalog,
    add_format,
    add_job_sources,
    add_strength,
    path_arg,
    positive,
)
from generator.cli._progress import Progress
from generator.cli._repo import load_catalogs
from generator.errors import EXIT_CHECK_FAILED, EXIT_OK

if TYPE_CHECKING:
    pass

__all__ = ["register"]


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage, got {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected 0..100, got {text}")
    return value


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
    add_job_sources(audit, required=True)
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


def _emit(text: str, output: str | None) -> None:
    if output:
        from generator.files import atomic_write

        atomic_write(Path(output), text)
    else:
        sys.stdout.write(text)


def run_audit(args: argparse.Namespace) -> int:
    from generator.audit import audit_matrix, audit_zuul
    from generator.audit.table import percent, render_table

    catalogs = list(load_catalogs(args.catalog, [args.driver] if args.driver else []))
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
