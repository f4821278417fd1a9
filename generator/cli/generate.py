"""Subcommands ``generate`` (write matrix/ and output/) and ``check`` (fail when stale)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli._args import natural, positive
from generator.errors import EXIT_CHECK_FAILED, EXIT_OK, UsageError

if TYPE_CHECKING:
    from generator.app import DriverResult, Options

__all__ = ["SCHEMA_VERSION", "register", "report_lines"]

SCHEMA_VERSION = 1
"""Of the ``--format json`` documents of ``generate`` and ``check`` (docs/json.md)."""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", default="knobs", metavar="DIR", help="default: knobs")
    parser.add_argument("--matrix-dir", default="matrix", metavar="DIR", help="default: matrix")
    parser.add_argument("--output-dir", default="output", metavar="DIR", help="default: output")
    parser.add_argument(
        "--driver",
        action="append",
        default=[],
        metavar="D",
        help="only this driver (repeatable; default: every driver of the catalog)",
    )
    parser.add_argument(
        "--strength", type=positive, metavar="T", help="t-way strength (default: catalog's)"
    )
    parser.add_argument("--max-jobs", type=positive, metavar="N", help="at most N jobs")
    parser.add_argument("--seed", type=natural, default=0, metavar="S", help="default: 0")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="ignore the existing matrix's jobs (numbers still continue after its last one)",
    )
    parser.add_argument(
        "--check-jobs",
        type=natural,
        metavar="K",
        help="put the first K jobs (non-voting) in check, the rest in periodic-weekly "
        "(default: all in periodic-weekly)",
    )
    parser.add_argument(
        "--fast", action="store_true", help="skip the engine's post-optimisation (more jobs)"
    )
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="report format (default: table; json: docs/json.md)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``generate`` and ``check``."""
    generate = subparsers.add_parser(
        "generate",
        help="write matrix/<driver>.yaml and output/<repo>/ from the catalog",
        description=(
            "For each driver: build the covering array (keeping the existing matrix's "
            "jobs unless --fresh), then write the matrix, the Zuul jobs and one "
            "tempest.conf per job. Prints a summary per driver on stderr."
        ),
    )
    _add_common(generate)
    generate.set_defaults(handler=_generate)
    check = subparsers.add_parser(
        "check",
        help="fail (exit 1) when matrix/ or output/ differ from what generate would write",
        description="Regenerate in memory and compare with the files on disk.",
    )
    _add_common(check)
    check.set_defaults(handler=_check)


def _options(args: argparse.Namespace) -> Options:
    from generator.app import Options

    return Options(
        strength=args.strength,
        seed=args.seed,
        max_jobs=args.max_jobs,
        fresh=args.fresh,
        check_jobs=args.check_jobs,
        fast=args.fast,
    )


def _results(
    args: argparse.Namespace, *, compare_fresh: bool = False
) -> tuple[tuple[DriverResult, ...], Path, Path]:
    from generator.app import run

    catalog = Path(args.catalog)
    if not catalog.is_dir():
        raise UsageError(f"catalog directory {args.catalog!r} does not exist")
    matrix_dir = Path(args.matrix_dir)
    output_dir = Path(args.output_dir)
    progress = _progress if sys.stderr.isatty() and not getattr(args, "quiet", False) else None
    try:
        results = run(
            catalog,
            matrix_dir,
            output_dir,
            args.driver,
            _options(args),
            progress=progress,
            compare_fresh=compare_fresh,
        )
    finally:
        if progress is not None:
            sys.stderr.write("\r\033[K")
    return results, matrix_dir, output_dir


def _progress(stage: str, done: int, total: int) -> None:
    """One overwritten status line; only on a terminal, so logs stay clean."""
    sys.stderr.write(f"\r\033[K{stage} {done}/{total}")
    sys.stderr.flush()


def report_lines(result: DriverResult, command: str) -> list[str]:
    """The churn report of one driver: the summary line, then what changed per job."""
    lines = [result.summary()]
    churn = result.churn
    lines += [f"  changed {change.name}: {change}" for change in churn.changed]
    if churn.added:
        lines.append(f"  added {len(churn.added)}: " + ", ".join(churn.added))
    if churn.removed:
        lines.append(f"  removed {len(churn.removed)}: " + ", ".join(churn.removed))
    if churn.fresh_jobs is not None:
        lines.append(
            f"  keeping the existing jobs needs {len(result.matrix.jobs)} jobs, a fresh build "
            f"{churn.fresh_jobs}; to start over with new job names run: {command} --fresh"
        )
    return lines


def _generate(args: argparse.Namespace) -> int:
    from generator.app import managed_files
    from generator.files import write_files

    results, matrix_dir, output_dir = _results(args, compare_fresh=True)
    files: dict[Path, str] = {}
    for result in results:
        files.update(result.files)
    before = managed_files(matrix_dir, output_dir, results, everything=not args.driver)
    write_files(files)
    # Files of jobs (or drivers) that no longer exist; removed only after every
    # new file is in place.
    removed = [path for path in before if path not in files]
    for path in removed:
        path.unlink()
    if args.format == "json":
        document = {
            "schema_version": SCHEMA_VERSION,
            "drivers": [result.to_json() for result in results],
            "removed_files": [str(path) for path in removed],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif not args.quiet:
        for result in results:
            command = _command(args, [result.catalog.driver])
            sys.stdout.write("\n".join(report_lines(result, command)) + "\n")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from generator.app import managed_files

    results, matrix_dir, output_dir = _results(args)
    expected: dict[Path, str] = {}
    for result in results:
        expected.update(result.files)
    stale: list[Path] = []
    missing: list[Path] = []
    for path in sorted(expected):
        if not path.is_file():
            missing.append(path)
        elif path.read_text(encoding="utf-8") != expected[path]:
            stale.append(path)
    on_disk = managed_files(matrix_dir, output_dir, results, everything=not args.driver)
    extra = [path for path in on_disk if path not in expected]
    fresh = not (stale or missing or extra)
    if args.format == "json":
        document = {
            "schema_version": SCHEMA_VERSION,
            "up_to_date": fresh,
            "files": len(expected),
            "stale": [str(path) for path in stale],
            "missing": [str(path) for path in missing],
            "extra": [str(path) for path in extra],
            "command": None if fresh else _command(args, args.driver),
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif fresh:
        if not args.quiet:
            sys.stdout.write(f"{len(expected)} generated files are up to date\n")
    else:
        lines = ["generated files are out of date:"]
        lines += [f"  stale: {path}" for path in stale]
        lines += [f"  missing: {path}" for path in missing]
        lines += [f"  extra: {path}" for path in extra]
        lines.append("run: " + _command(args, args.driver))
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK if fresh else EXIT_CHECK_FAILED


def _command(args: argparse.Namespace, drivers: list[str]) -> str:
    """The ``generate`` command that rewrites the files of ``drivers`` (all: empty)."""
    parts = ["tempest-matrix", "generate"]
    for flag, value, default in (
        ("--catalog", args.catalog, "knobs"),
        ("--matrix-dir", args.matrix_dir, "matrix"),
        ("--output-dir", args.output_dir, "output"),
    ):
        if value != default:
            parts += [flag, value]
    for driver in drivers:
        parts += ["--driver", driver]
    for flag, value in (
        ("--strength", args.strength),
        ("--max-jobs", args.max_jobs),
        ("--check-jobs", args.check_jobs),
    ):
        if value is not None:
            parts += [flag, str(value)]
    if args.seed:
        parts += ["--seed", str(args.seed)]
    if args.fast:
        parts.append("--fast")
    return " ".join(parts)
