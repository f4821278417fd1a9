"""Subcommand ``generate``: write matrix/ and output/ from the catalog, and report the churn."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cli._args import (
    add_catalog,
    add_format,
    add_matrix_dir,
    add_seed,
    add_strength,
    natural,
    path_arg,
    positive,
)
from generator.cli._progress import Progress
from generator.cli._repo import layout, shown
from generator.errors import EXIT_OK

if TYPE_CHECKING:
    from generator.app import DriverResult, Layout, Options

__all__ = [
    "SCHEMA_VERSION",
    "add_generation_options",
    "regenerate_command",
    "register",
    "report_lines",
    "results_in_memory",
]

SCHEMA_VERSION = 1
"""Of the ``--format json`` documents of ``generate`` and ``check`` (docs/json.md)."""


def add_generation_options(parser: argparse.ArgumentParser) -> None:
    add_catalog(parser)
    add_matrix_dir(parser)
    parser.add_argument(
        "--output-dir",
        type=path_arg,
        metavar="DIR",
        help="folder of the rendered files (default: output/ of the repository)",
    )
    parser.add_argument(
        "--driver",
        action="append",
        default=[],
        metavar="D",
        help="only this driver (repeatable; default: every driver of the catalog)",
    )
    add_strength(parser, "the catalog's; recorded in the matrix and reused")
    parser.add_argument(
        "--max-jobs",
        type=natural,
        metavar="N",
        help="at most N jobs, the best coverage they can give (0: no limit; recorded in "
        "the matrix and reused)",
    )
    add_seed(parser, "the matrix's, else 0; recorded in the matrix and reused")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="ignore the existing matrix's jobs (numbers still continue after its last one)",
    )
    parser.add_argument(
        "--check-jobs",
        type=natural,
        metavar="K",
        help="run the K jobs covering the most in check and gate, every job in "
        "periodic-weekly (default: the catalog's check_jobs, else 3; 0: none in check "
        "and gate; recorded in the matrix and reused)",
    )
    parser.add_argument(
        "--fast",
        action=argparse.BooleanOptionalAction,
        help="skip the engine's post-optimisation, giving more jobs (recorded in the matrix "
        "and reused; --no-fast to optimise again)",
    )
    parser.add_argument(
        "--max-tuples",
        type=positive,
        metavar="N",
        help="refuse a build with more combinations to cover than N (default: 50 million)",
    )
    add_format(parser, "table", "json")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``generate``."""
    generate = subparsers.add_parser(
        "generate",
        help="write matrix/<driver>.yaml and output/<repo>/ from the catalog",
        description=(
            "For each driver: build the covering array (keeping the existing matrix's "
            "jobs unless --fresh), then write the matrix, the Zuul jobs and one "
            "tempest.conf per job. Prints per driver a summary and the churn on stdout."
        ),
    )
    add_generation_options(generate)
    generate.set_defaults(handler=_generate)


def _options(args: argparse.Namespace) -> Options:
    from generator.app import Options

    return Options(
        strength=args.strength,
        seed=args.seed,
        max_jobs=args.max_jobs,
        fresh=args.fresh,
        check_jobs=args.check_jobs,
        fast=args.fast,
        max_tuples=args.max_tuples,
    )


def results_in_memory(
    args: argparse.Namespace, *, compare_fresh: bool = False, where: Layout | None = None
) -> tuple[tuple[DriverResult, ...], Path, Path]:
    from generator.app import run

    if where is None:
        where = layout(args.catalog, args.matrix_dir, args.output_dir)
    with Progress(args) as progress:
        results = run(
            where.catalog,
            where.matrix,
            where.output,
            args.driver,
            _options(args),
            progress=progress.steps,
            compare_fresh=compare_fresh,
            root=where.root,
        )
    return results, where.matrix, where.output


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
    from generator.files import Transaction

    where = layout(args.catalog, args.matrix_dir, args.output_dir)
    # Locked before the old matrices are read: a second run starts from this one's result.
    with Transaction([where.matrix, where.output], root=where.root) as transaction:
        results, matrix_dir, output_dir = results_in_memory(args, compare_fresh=True, where=where)
        files: dict[Path, str] = {}
        for result in results:
            files.update(result.files)
        before = managed_files(matrix_dir, output_dir, results, everything=not args.driver)
        # Files of jobs (or drivers) that no longer exist go with the new files, all at once.
        removed = [path for path in before if path not in files]
        transaction.commit(files, removed)
    if args.format == "json":
        document = {
            "schema_version": SCHEMA_VERSION,
            "drivers": [result.to_json() for result in results],
            "removed_files": [shown(path) for path in removed],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif not args.quiet:
        for result in results:
            command = regenerate_command(args, [result.catalog.driver])
            sys.stdout.write("\n".join(report_lines(result, command)) + "\n")
    return EXIT_OK


def regenerate_command(args: argparse.Namespace, drivers: list[str]) -> str:
    """The ``generate`` command that rewrites the files of ``drivers`` (all: empty),
    with the options given to this one (the others are recorded in the matrices)."""
    parts = ["tempest-matrix", "generate"]
    for flag, value in (
        ("--catalog", args.catalog),
        ("--matrix-dir", args.matrix_dir),
        ("--output-dir", args.output_dir),
    ):
        if value is not None:
            parts += [flag, value]
    for driver in drivers:
        parts += ["--driver", driver]
    for flag, number in (
        ("--strength", args.strength),
        ("--max-jobs", args.max_jobs),
        ("--check-jobs", args.check_jobs),
        ("--seed", args.seed),
        ("--max-tuples", args.max_tuples),
    ):
        if number is not None:
            parts += [flag, str(number)]
    if args.fast is not None:
        parts.append("--fast" if args.fast else "--no-fast")
    return " ".join(parts)
