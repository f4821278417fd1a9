"""Catalog stage, YAML layer: what PyYAML's indentation errors mean, in the file's terms.

A mis-indented line makes PyYAML say ``while parsing a block mapping: expected
<block end>, but found '<block mapping start>'``: true, and no help. The error
carries where the enclosing mapping or list starts (its ``context_mark``) and the
line that does not fit (its ``problem_mark``); :func:`indentation_hint` turns them
into the columns to use.
"""

from __future__ import annotations

__all__ = ["indentation_hint"]

_BLOCK_END = "expected <block end>, but found"


def _shown(lines: list[str], line: int) -> str:
    text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return text if len(text) <= 40 else text[:37] + "..."


def _indent(lines: list[str], line: int) -> int:
    """The 1-based column of the first character of ``line``."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text) - len(text.lstrip(" ")) + 1


def _previous(lines: list[str], line: int) -> int:
    """The nearest line above ``line`` with content (not blank, not a comment), or 0."""
    for number in range(line - 1, 0, -1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#"):
            return number
    return 0


def indentation_hint(
    context: str | None,
    context_at: tuple[int, int] | None,
    problem: str | None,
    problem_at: tuple[int, int],
    lines: list[str],
) -> str | None:
    """A message for a PyYAML indentation error, or None for other errors.

    ``context_at`` and ``problem_at`` are 1-based ``(line, column)``.
    """
    line, column = problem_at
    if problem == "mapping values are not allowed here":
        above = _previous(lines, line)
        return (
            f"line {line} has a 'key:' where a value goes: indent it to column "
            f"{_indent(lines, above)} like line {above} ('{_shown(lines, above)}') to make it "
            "a key of that mapping, or quote a value that contains ': '"
        )
    if context_at is None or not (problem or "").startswith(_BLOCK_END):
        return None
    start, start_column = context_at
    what = "list" if context == "while parsing a block collection" else "mapping"
    members = "items" if what == "list" else "keys"
    column = _indent(lines, line)
    hint = (
        f"line {line} is indented to column {column}, but the {members} of the {what} it "
        f"continues are at column {start_column} (line {start}: '{_shown(lines, start)}'); "
        f"indent it to column {start_column} to continue that {what}"
    )
    above = _previous(lines, line)
    if what == "mapping" and above and _indent(lines, above) > column:
        hint += f", or to column {_indent(lines, above)} like the line above to nest it there"
    return hint
