"""Subcommand ``check``: fail when matrix/ or output/ are stale, or lint finds a problem."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from generator.cli._repo import shown
from generator.cli.generate import (
    SCHEMA_VERSION,
    add_generation_options,
    regenerate_command,
    results_in_memory,
)
from generator.errors import EXIT_CHECK_FAILED, EXIT_OK

if TYPE_CHECKING:
    from pathlib import Path

    from generator.app import DriverResult
    from generator.audit.lint import LintReport

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``check`` (the same options as ``generate``)."""
    check = subparsers.add_parser(
        "check",
        help="fail (exit 1) when matrix/ or output/ differ from what generate would write, "
        "or lint finds a problem in the generated jobs",
        description="Regenerate in memory and compare with the files on disk; then run "
        "lint --upstream on each generated Zuul folder.",
    )
    add_generation_options(check)
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from generator.app import managed_files
    from generator.files import pending_journal

    results, matrix_dir, output_dir = results_in_memory(args)
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
    journal = pending_journal(matrix_dir)
    if journal is not None:  # an interrupted generate: the next one completes it
        stale.append(journal)
    fresh = not (stale or missing or extra)
    linted = _lint(results)
    findings = [f for _, report in linted for f in report.findings]
    if args.format == "json":
        document = {
            "schema_version": SCHEMA_VERSION,
            "up_to_date": fresh,
            "files": len(expected),
            "stale": [shown(path) for path in stale],
            "missing": [shown(path) for path in missing],
            "extra": [shown(path) for path in extra],
            "command": None if fresh else regenerate_command(args, args.driver),
            "lint_jobs": sum(len(report.linted) for _, report in linted),
            "lint_findings": [f.to_json() for f in findings],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return EXIT_OK if fresh and not findings else EXIT_CHECK_FAILED
    for folder, report in linted:
        if report.findings:
            sys.stdout.write(report.render())
            sys.stdout.write(f"run: tempest-matrix lint {folder} --upstream\n")
    if fresh:
        if not args.quiet:
            jobs = sum(len(report.linted) for _, report in linted)
            sys.stdout.write(
                f"{len(expected)} generated files are up to date; lint: {jobs} jobs, "
                f"{len(findings)} finding{'' if len(findings) == 1 else 's'}\n"
            )
    else:
        lines = ["generated files are out of date:"]
        lines += [f"  stale: {shown(path)}" for path in stale]
        lines += [f"  missing: {shown(path)}" for path in missing]
        lines += [f"  extra: {shown(path)}" for path in extra]
        lines.append("run: " + regenerate_command(args, args.driver))
        sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK if fresh and not findings else EXIT_CHECK_FAILED


def _lint(results: tuple[DriverResult, ...]) -> list[tuple[str, LintReport]]:
    """``lint --upstream`` of each generated Zuul folder on disk, by folder (a missing
    one is reported as missing already)."""
    from generator.audit.lint import lint_zuul

    reports = []
    for result in results:
        folders = sorted({p.parent for p in result.files if p.parent.name.endswith("zuul.d")})
        for folder in folders:
            if folder.is_dir():
                name = shown(folder)
                reports.append(
                    (name, lint_zuul([name], project=result.catalog.repo, upstream=True))
                )
    return reports
