"""Command-line face of the pipeline: parse arguments, call one handler, map errors.

Each command family lives in ``generator/cli/<name>.py`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function
taking the parsed arguments and returning an exit code.

:func:`main` is the one error boundary of every command: an expected failure
(:class:`~generator.errors.GeneratorError`, an OS error on a file or on standard
output) is one message and its exit status; anything else is a bug, reported in
one line with :data:`~generator.errors.EXIT_INTERNAL`; Ctrl-C exits
:data:`~generator.errors.EXIT_INTERRUPTED`.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import IO, TYPE_CHECKING

from generator import __version__
from generator.cli._args import FLAGS
from generator.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    GeneratorError,
    ParameterError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["build_parser", "main"]

EPILOG = """\
exit status (the same for every command):
  0    ok (combinations that no valid job can contain are reported, not an error)
  1    a check failed: stale matrix/output, lint findings, coverage below
       --fail-under, or an audit whose jobs' devstack set-up is in none of the
       given files
  2    usage error or bad input (malformed YAML, unknown knob, bad option, a file
       that cannot be read or written, standard output full or closed, ...)
  3    unsatisfiable model (no valid job at all) or generation failure
  70   internal error: a bug; one line asks for a report (--debug: the traceback)
  130  interrupted (Ctrl-C)
"""


COMMAND_MODULES = ("array", "audit", "explain", "generate", "check", "knobs", "lint", "completion")
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
    parser.add_argument(
        "--version",
        action=_Version,
        help="print the version and the nova/tempest option data it checks against",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error (anywhere on the line)"
    )
    _verbosity(parser, top=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"generator.cli.{name}")
        module.register(subparsers)
    for sub in _subcommands(parser):
        _verbosity(sub, top=False)
    return parser


QUIET_HELP = "print only errors and results (no summary, warnings or progress)"
VERBOSE_HELP = (
    "print each phase (driver and phase) on stderr as it starts, one line each, also "
    "when stderr is not a terminal"
)


def _verbosity(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``-q``/``-v``, before or after the subcommand: a subcommand's copy leaves the
    value given before it alone unless given itself (``SUPPRESS`` default)."""
    group = parser.add_mutually_exclusive_group()
    quiet: object = False if top else argparse.SUPPRESS
    verbose: object = 0 if top else argparse.SUPPRESS
    group.add_argument("-q", "--quiet", action="store_true", default=quiet, help=QUIET_HELP)
    group.add_argument("-v", "--verbose", action="count", default=verbose, help=VERBOSE_HELP)


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every subcommand parser under ``parser`` (``knobs validate`` too)."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += [sub, *_subcommands(sub)]
    return found


def version_text() -> str:
    """``tempest-matrix X`` and the versions of the committed option data."""
    from generator.catalog.optdata import nova_registry, tempest_registry

    return (
        f"tempest-matrix {__version__} (option data: {nova_registry().source}; "
        f"{tempest_registry().source})"
    )


class _Version(argparse.Action):
    """``--version``: reads the option data only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(
            option_strings, argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, help=help
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        sys.stdout.write(version_text() + "\n")
        parser.exit()


class OutputError(GeneratorError):
    """Standard output cannot be written (a full disk)."""


class _ReaderGone(Exception):
    """Standard output is a pipe whose reader has stopped (``... | head``): not an error,
    the reader has what it wanted, so the command ends quietly, as Unix tools do."""


class _GuardedStream:
    """Standard output whose write errors become :class:`OutputError`."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError as exc:
            raise _ReaderGone from exc
        except OSError as exc:
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from exc

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError as exc:
            raise _ReaderGone from exc
        except OSError as exc:
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from exc

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def _silence(stream: IO[str]) -> None:
    """Point a broken stdout at /dev/null so the interpreter's last flush stays quiet."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (a test's capture buffer)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def _os_message(exc: OSError) -> str:
    where = ": ".join(str(name) for name in (exc.filename, exc.filename2) if name is not None)
    reason = exc.strerror or str(exc)
    return f"{where}: {reason}" if where else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (see ``EPILOG``)."""
    words = list(sys.argv[1:] if argv is None else argv)
    end = words.index("--") if "--" in words else len(words)
    debug = "--debug" in words[:end]
    words = [w for i, w in enumerate(words) if i >= end or w != "--debug"]
    stdout = sys.stdout
    sys.stdout = _GuardedStream(stdout)
    try:
        code = _run(words)
        sys.stdout.flush()
        return code
    except BaseException as exc:  # the one boundary: every failure ends here
        if isinstance(exc, SystemExit):
            raise
        if isinstance(exc, _ReaderGone):
            _silence(stdout)
            return EXIT_OK
        if debug:
            traceback.print_exc()
        if isinstance(exc, OutputError):
            _silence(stdout)
        return _report(exc)
    finally:
        sys.stdout = stdout


def _run(words: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(words)
        if args.quiet and args.verbose:
            parser.error("-q/--quiet and -v/--verbose cannot be combined")
    except _UsageExit as exc:
        sys.stderr.write(exc.usage)
        sys.stderr.write(exc.message + "\n")
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


def _report(exc: BaseException) -> int:
    """Print the one line (or located problems) for ``exc``; return its exit status."""
    if isinstance(exc, GeneratorError):
        # The library names its parameters; the user typed flags.
        message = exc.worded(FLAGS) if isinstance(exc, ParameterError) else exc.message
        sys.stderr.write(f"tempest-matrix: {message}\n")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("tempest-matrix: interrupted\n")
        return EXIT_INTERRUPTED
    if isinstance(exc, OSError):
        sys.stderr.write(f"tempest-matrix: {_os_message(exc)}\n")
        return EXIT_BAD_INPUT
    if isinstance(exc, MemoryError):
        sys.stderr.write("tempest-matrix: out of memory; the input is too large for this machine\n")
        return EXIT_BAD_INPUT
    sys.stderr.write(
        f"tempest-matrix: internal error ({type(exc).__name__}: {exc}); this is a bug, "
        "please report it with the command and its input files (--debug shows the traceback)\n"
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
