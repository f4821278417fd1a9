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
    GeneratorError,
    ParameterError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["build_parser", "main"]

EPILOG = """\
exit status (the same for every command):
  0    ok (combinations that no valid job can contain are reported, not an error)
  1    a check failed: stale matrix/output, or coverage below --fail-under
  2    usage error or bad input (malformed YAML, unknown knob, bad option, a file
       that cannot be read or written, standard output full or closed, ...)
  3    unsatisfiable model (no valid job at all) or generation failure
  70   internal error: a bug; one line asks for a report (--debug: the traceback)
  130  interrupted (Ctrl-C)
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
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error (anywhere on the line)"
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    verbosity.add_argument("-v", "--verbose", action="count", default=0, help="more detail")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"generator.cli.{name}")
        module.register(subparsers)
    return parser


class OutputError(GeneratorError):
    """Standard output cannot be written (a full disk, a closed pipe)."""


class _GuardedStream:
    """Standard output whose write errors become :class:`OutputError`."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from exc

    def flush(self) -> None:
        try:
            self.stream.flush()
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
