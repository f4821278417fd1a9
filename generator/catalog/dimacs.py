"""Catalog stage: read a DIMACS CNF file as a bare model of boolean options.

The configurable-systems literature (SamplingCA, CAmpactor, ...) publishes its
models in this form. Variable ``i`` becomes a knob with values ``0`` and ``1``,
named ``x<i>`` unless a comment line names it: ``c <i> <name> [<type> ...]``, as
in the Kconfig-derived benchmark files (a name written as an expression with
spaces, ``Compare(Name('A'), [...]) hidden_bool``, keeps all but the trailing type
word). A name already taken falls back to ``x<i>``. Each clause is one ``forbid``
constraint: the assignment that makes every one of its literals false. A clause
holding both ``x`` and ``-x`` holds always and is dropped; repeated literals
count once. An empty clause makes the formula unsatisfiable (exit 3), as do
clauses that contradict each other (found when the model is compiled).

Malformed input is one located problem (``path:line:col: ...``): a missing or
bad ``p cnf <variables> <clauses>`` header, a token that is not an integer, a
literal beyond the declared variables, or a clause count other than declared.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.catalog.text_file import YAMLFailure, read_text
from generator.errors import KnobFileError, Problem, UnsatisfiableError
from generator.model import Catalog, Constraint, Knob, KnobValue, Location

__all__ = ["SUFFIXES", "read_dimacs"]

SUFFIXES = (".cnf", ".dimacs")
"""File name endings read as DIMACS CNF (any case)."""

_VALUES = (KnobValue("0"), KnobValue("1"))


def _fail(path: str, line: int, column: int, message: str) -> KnobFileError:
    return KnobFileError([Problem(path, line, column, message)])


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


def _comment_name(rest: str) -> tuple[int, str] | None:
    """(variable, name) from the text after ``c``, or None when it names no variable."""
    parts = rest.split()
    if len(parts) < 2 or not parts[0].isdigit():
        return None
    words = parts[1:]
    if len(words) == 1 or _balanced(words[0]):
        return int(parts[0]), words[0]
    return int(parts[0]), " ".join(words[:-1])


def read_dimacs(path: str | Path) -> Catalog:
    """The bare model (a :class:`Catalog` without settings) of a DIMACS CNF file."""
    where = str(path)
    try:  # the one reader's protections: a regular file, bounded, UTF-8 (located)
        text = read_text(where)
    except YAMLFailure as failure:
        raise KnobFileError(failure.problems) from None
    names: dict[int, str] = {}
    header: tuple[int, int] | None = None
    clauses: list[tuple[int, list[int]]] = []
    current: list[int] = []
    current_line = 0
    last_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("c"):
            named = _comment_name(line[1:])
            if named is not None:
                names.setdefault(*named)
            continue
        if line.startswith("%"):  # SATLIB files end with "%" and a stray "0"
            break
        if line.startswith("p"):
            parts = line.split()
            if header is not None:
                raise _fail(where, number, 1, "a second 'p' header line")
            if (
                len(parts) != 4
                or parts[1] != "cnf"
                or not parts[2].isdigit()
                or not parts[3].isdigit()
            ):
                raise _fail(
                    where, number, 1, f"bad header {line!r}: expected 'p cnf <variables> <clauses>'"
                )
            header = (int(parts[2]), int(parts[3]))
            if header[0] < 1:
                raise _fail(where, number, 1, "the header declares no variables")
            continue
        if header is None:
            raise _fail(where, number, 1, "clause before the 'p cnf <variables> <clauses>' header")
        for match in re.finditer(r"\S+", raw):
            token, column = match.group(), match.start() + 1
            try:
                literal = int(token)
            except ValueError:
                raise _fail(where, number, column, f"not a literal: {token!r}") from None
            if abs(literal) > header[0]:
                raise _fail(
                    where,
                    number,
                    column,
                    f"literal {literal} is out of range: the header declares {header[0]} variables",
                )
            if literal == 0:
                if not current:
                    raise UnsatisfiableError(
                        f"{where}:{number}:{column}: an empty clause: no assignment satisfies "
                        "the formula"
                    )
                clauses.append((current_line or number, current))
                current, current_line = [], 0
            else:
                current_line = current_line or number
                current.append(literal)
        last_line = number
    if header is None:
        raise _fail(where, 0, 0, "no 'p cnf <variables> <clauses>' header")
    if current:  # a last clause without its terminating 0
        clauses.append((current_line, current))
    if len(clauses) != header[1]:
        raise _fail(
            where,
            last_line,
            0,
            f"the header declares {header[1]} clauses but the file has {len(clauses)}",
        )
    knob_names: list[str] = []
    taken: set[str] = set()
    for var in range(1, header[0] + 1):
        name = names.get(var, f"x{var}")
        if name in taken:
            name = f"x{var}"
            while name in taken:
                name += "_"
        taken.add(name)
        knob_names.append(name)
    constraints: list[Constraint] = []
    for at, literals in clauses:
        signs: dict[int, set[bool]] = {}
        for literal in literals:
            signs.setdefault(abs(literal), set()).add(literal > 0)
        if any(len(s) == 2 for s in signs.values()):
            continue  # holds under every assignment
        condition = tuple(
            (knob_names[var - 1], ("0" if positive else "1",))
            for var, (positive,) in sorted((v, tuple(s)) for v, s in signs.items())
        )
        constraints.append(Constraint("forbid", condition, location=Location(where, at, 1)))
    knobs = tuple(Knob(name, _VALUES) for name in knob_names)
    stem = Path(path).stem
    return Catalog(driver=stem, repo=stem, knobs=knobs, constraints=tuple(constraints), path=where)
