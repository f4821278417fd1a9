"""Subcommand ``lint``: static checks that the devstack jobs of Zuul files can run."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from generator.cli._args import add_format
from generator.errors import EXIT_CHECK_FAILED, EXIT_OK

if TYPE_CHECKING:
    from generator.audit.lint import LintReport

__all__ = ["register", "report_exit"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``lint``."""
    from generator.audit.lint_rules import RULES

    rules = "\n".join(f"  {name:<20}{what}" for name, what in RULES.items())
    lint = subparsers.add_parser(
        "lint",
        help="check statically that the devstack jobs of Zuul files can run",
        description="Resolve each devstack job of the first PATH through Zuul inheritance "
        "over every PATH given (as audit --zuul does) and report, with file:line and job "
        "name, what would stop it or make it test nothing. Exit 1 on findings.",
        epilog="rules:\n" + rules,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lint.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="Zuul config: a repository, zuul.d/ folder or file; the first is the linted "
        "project, later ones (devstack, tempest, plugins) define parents and nodesets",
    )
    lint.add_argument(
        "--upstream",
        action="store_true",
        help="also read the bundled upstream files the generated jobs build on (devstack, "
        "tempest, devstack-plugin-ceph, whitebox-tempest-plugin, ironic); do not pass "
        "those repositories as well",
    )
    lint.add_argument(
        "--project",
        metavar="NAME",
        help="the project under test, which Zuul always checks out (default: the name of "
        "the first PATH's repository folder)",
    )
    lint.add_argument(
        "--branch", default="master", metavar="B", help="branch the jobs run on (default: master)"
    )
    add_format(lint, "table", "json")
    lint.set_defaults(handler=run_lint)


def report_exit(report: LintReport) -> int:
    """Exit 1 on findings, or when no job could be linted (nothing is proven then)."""
    if not report.linted:
        sys.stderr.write(
            f"tempest-matrix: lint: no devstack job to lint in {report.source}"
            + (
                "; pass the repositories that define their parents (e.g. devstack and "
                "tempest) after the linted project\n"
                if report.skipped
                else "\n"
            )
        )
        return EXIT_CHECK_FAILED
    return EXIT_CHECK_FAILED if report.findings else EXIT_OK


def run_lint(args: argparse.Namespace) -> int:
    from generator.audit.lint import lint_zuul

    report = lint_zuul(args.paths, branch=args.branch, project=args.project, upstream=args.upstream)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
    elif args.quiet:
        sys.stdout.write("".join(f.render() + "\n" for f in report.findings))
    else:
        sys.stdout.write(report.render())
    return report_exit(report)
