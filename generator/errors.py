"""Errors of every pipeline stage, with the exit code the CLI turns them into.

The CLI prints a :class:`GeneratorError` as its message alone (no traceback) and
exits with :attr:`GeneratorError.exit_code`. Anything else escaping a command is
a bug: one line asking for a report and :data:`EXIT_INTERNAL` (``--debug`` shows
the traceback).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_CHECK_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNSATISFIABLE",
    "ConstraintError",
    "GeneratorError",
    "KnobFileError",
    "ParameterError",
    "Problem",
    "StaleOutputError",
    "UnsatisfiableError",
    "UsageError",
]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_UNSATISFIABLE = 3
EXIT_INTERNAL = 70
"""An unexpected exception: a bug (the BSD ``EX_SOFTWARE`` status)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT, what a shell reports for an interrupted command)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in an input file.

    ``line`` and ``column`` are 1-based; 0 means unknown. ``snippet`` is the
    offending stanza, already indented for display (may be empty).
    """

    path: str
    line: int
    column: int
    message: str
    snippet: str = ""

    def render(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.snippet:
            text += "\n" + self.snippet.rstrip("\n")
        return text


class GeneratorError(Exception):
    """Base class of every error the CLI reports without a traceback."""

    exit_code: int = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(GeneratorError):
    """The command line itself is wrong (bad option value, impossible strength)."""

    exit_code = EXIT_BAD_INPUT


class ParameterError(GeneratorError):
    """A library call got a parameter value it cannot use.

    The message names parameters as the library does (``max_jobs``); ``template``
    holds them as ``{max_jobs}`` fields so that a front end can word them its own
    way (the CLI: ``--max-jobs``) with :meth:`worded`; other braces in a template
    are doubled, as for :meth:`str.format`.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(self, template: str, *parameters: str) -> None:
        self.template = template
        self.parameters = parameters
        super().__init__(template.format(**{p: p for p in parameters}) if parameters else template)

    def worded(self, names: Mapping[str, str]) -> str:
        """The message with each parameter called by ``names`` (unknown ones unchanged)."""
        if not self.parameters:
            return self.template
        return self.template.format(**{p: names.get(p, p) for p in self.parameters})


class KnobFileError(GeneratorError):
    """One or more problems in catalog, matrix or Zuul files; all are reported at once."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        text = "\n".join(p.render() for p in self.problems)
        if count > 1:
            text += f"\n{count} errors"
        super().__init__(text)


class ConstraintError(GeneratorError):
    """A constraint names an unknown knob or value, or forbids every value of a knob."""

    exit_code = EXIT_BAD_INPUT


class UnsatisfiableError(GeneratorError):
    """No valid row exists at all; the message names the conflicting constraints."""

    exit_code = EXIT_UNSATISFIABLE


class StaleOutputError(GeneratorError):
    """Committed matrix or output files differ from what the catalog generates."""

    exit_code = EXIT_CHECK_FAILED
