"""Command-line face of the pipeline: parse arguments, call one handler, map errors.

Each command family lives in ``generator/cli/<name>.py`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function
taking the parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from generator import __version__
from generator.cli._args import FLAGS
from generator.errors import EXIT_BAD_INPUT, GeneratorError, ParameterError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["build_parser", "main"]

EPILOG = """\
exit status (the same for every command):
  0  ok (combinations that no valid job can contain are reported, not an error)
  1  a check failed: stale matrix/output, or coverage below --fail-under
  2  usage error or bad input (malformed YAML, unknown knob, bad option, ...)
  3  unsatisfiable model (no valid job at all) or generation failure
"""


COMMAND_MODULES = ("array", "audit", "generate", "knobs")
"""Modules of :mod:`generator.cli` that register subcommands (in help order)."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so ``main`` can be called in-process."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageExit(f"{self.prog}: error: {message}", self.format_usage())


class _UsageExit(Exception):
    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every subcommand registered."""
    import importlib

    parser = _Parser(
        prog="tempest-matrix",
        description=(
            "Turn the feature knobs of Nova's virt drivers into a small, provably "
            "sufficient set of Tempest CI jobs."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="count", default=0, help="more detail")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"generator.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (see ``EPILOG``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except _UsageExit as exc:
        sys.stderr.write(exc.usage)
        sys.stderr.write(exc.message + "\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except GeneratorError as exc:
        # The library names its parameters; the user typed flags.
        message = exc.worded(FLAGS) if isinstance(exc, ParameterError) else exc.message
        sys.stderr.write(f"tempest-matrix: {message}\n")
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
