"""Catalog stage, text layer: reading a text file safely, and locating what is wrong in it.

:func:`read_text` reads only regular files (not a FIFO, device or directory), at most
:data:`MAX_FILE_BYTES`, as UTF-8 (an undecodable byte is reported at its line and
column). Every failure is a :class:`YAMLFailure` carrying located
:class:`~generator.errors.Problem` s; :func:`snippet` shows the lines a mark points at.
The YAML reader (:mod:`generator.catalog.yaml_reader`) and the DIMACS reader build on it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from generator.errors import Problem

__all__ = ["MAX_FILE_BYTES", "Mark", "YAMLFailure", "fail", "read_text", "snippet"]

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest file read (the shipped catalog is well under 1 MiB)."""
_MAX_SNIPPET_LINES = 6
_MAX_SNIPPET_WIDTH = 160


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    column: int


class YAMLFailure(Exception):
    """The file cannot be read as YAML; carries located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def snippet(lines: list[str], start: Mark, end: Mark | None = None) -> str:
    """The stanza between two marks, indented by four spaces for display."""
    if not start.line or not lines:
        return ""
    if start.line > len(lines):
        start = Mark(len(lines), 1)
    last = start.line
    if end is not None and end.line >= start.line:
        last = end.line
        # A block node ends where the next one starts: drop that line when the
        # node has no text on it.
        if end.line > start.line and (
            end.line > len(lines) or not lines[end.line - 1][: max(end.column - 1, 0)].strip()
        ):
            last = end.line - 1
    last = min(last, len(lines), start.line + _MAX_SNIPPET_LINES - 1)
    chosen = lines[start.line - 1 : last]
    while chosen and not chosen[-1].strip():
        chosen.pop()
    return "\n".join("    " + _shorten(line.rstrip()) for line in chosen)


def _shorten(line: str) -> str:
    return line if len(line) <= _MAX_SNIPPET_WIDTH else line[: _MAX_SNIPPET_WIDTH - 3] + "..."


def fail(path: str, message: str, mark: Mark = Mark(0, 0), lines: list[str] | None = None) -> None:
    """Raise a :class:`YAMLFailure` with one problem at ``mark`` (and its lines, if given)."""
    text = snippet(lines, mark) if lines else ""
    raise YAMLFailure([Problem(path, mark.line, mark.column, message, text)])


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_text(path: str) -> str:
    """The UTF-8 text of the regular file ``path``; :class:`YAMLFailure` otherwise."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        fail(path, f"cannot read the file: {exc.strerror or exc}")
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((word for test, word in _KINDS if test(mode)), "not a regular file")
            fail(path, f"cannot read the file: it is {kind}, not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        fail(path, f"cannot read the file: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        fail(path, f"the file is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        lines = data.decode("utf-8", "replace").splitlines()
        fail(
            path,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            Mark(line, column),
            lines,
        )
    return text
