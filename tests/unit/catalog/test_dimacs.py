"""Tests of generator.catalog.dimacs: DIMACS CNF files as bare models."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from generator.catalog.dimacs import read_dimacs
from generator.errors import KnobFileError, UnsatisfiableError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.cnf"
    path.write_text(text)
    return path


def test_names_from_comments_and_clauses_as_forbids(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "c 1 CONFIG_A bool\n"
        "c 2 Compare(Name('B'), [('!=', Const('0'))]) hidden_bool\n"
        "c 3 CONFIG_A bool\n"
        "c a free comment\n"
        "p cnf 4 4\n"
        "1 -2 0\n"
        "3 -3 1 0 2\n"  # a tautology (dropped), then a clause "2 2" ending below
        "2 0\n"
        "-4 -4 1 0\n",
    )
    catalog = read_dimacs(path)
    assert catalog.knob_names == (
        "CONFIG_A",
        "Compare(Name('B'), [('!=', Const('0'))])",
        "x3",
        "x4",
    )
    assert all(k.value_names == ("0", "1") for k in catalog.knobs)
    assert catalog.driver == "model"
    forbids = [(c.kind, c.condition) for c in catalog.constraints]
    b = "Compare(Name('B'), [('!=', Const('0'))])"
    assert forbids == [
        ("forbid", (("CONFIG_A", ("0",)), (b, ("1",)))),
        ("forbid", ((b, ("0",)),)),
        ("forbid", (("CONFIG_A", ("0",)), ("x4", ("1",)))),
    ]
    assert [c.location.line for c in catalog.constraints if c.location] == [6, 7, 9]


def test_clauses_span_lines_and_the_last_zero_is_optional(tmp_path: Path) -> None:
    path = _write(tmp_path, "p cnf 3 2\n1\n2 0 -3\n")
    catalog = read_dimacs(path)
    assert [len(c.condition) for c in catalog.constraints] == [2, 1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2 0\n", "model.cnf:1:1: clause before the 'p cnf <variables> <clauses>' header"),
        (
            "p cnf x 2\n",
            "model.cnf:1:1: bad header 'p cnf x 2': expected 'p cnf <variables> <clauses>'",
        ),
        (
            "p sat 2 1\n1 0\n",
            "model.cnf:1:1: bad header 'p sat 2 1': expected 'p cnf <variables> <clauses>'",
        ),
        (
            "p cnf 2 1\n1 3 0\n",
            "model.cnf:2:3: literal 3 is out of range: the header declares 2 variables",
        ),
        ("p cnf 2 1\n1 -x 0\n", "model.cnf:2:3: not a literal: '-x'"),
        ("p cnf 2 2\n1 0\n", "model.cnf:2: the header declares 2 clauses but the file has 1"),
        ("c only comments\n", "model.cnf: no 'p cnf <variables> <clauses>' header"),
        ("p cnf 2 1\np cnf 2 1\n", "model.cnf:2:1: a second 'p' header line"),
    ],
)
def test_malformed_files_are_one_located_problem(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(KnobFileError) as info:
        read_dimacs(path)
    assert str(info.value) == str(tmp_path / message)


def test_empty_clause_is_unsatisfiable(tmp_path: Path) -> None:
    path = _write(tmp_path, "p cnf 2 2\n1 0\n0\n")
    with pytest.raises(UnsatisfiableError, match=r"model.cnf:3:1: an empty clause"):
        read_dimacs(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KnobFileError, match="cannot read the file: No such file or directory"):
        read_dimacs(tmp_path / "absent.cnf")


@pytest.mark.parametrize(
    "make", [os.mkfifo, lambda p: p.symlink_to("/dev/zero")], ids=["fifo", "dev-zero"]
)
def test_special_files_are_refused_at_once(tmp_path: Path, make: Callable[[Path], None]) -> None:
    path = tmp_path / "model.cnf"
    make(path)
    with pytest.raises(KnobFileError, match="not a regular file"):
        read_dimacs(path)


def test_undecodable_bytes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "model.cnf"
    path.write_bytes(b"p cnf 2 1\nc 1 \xff\n1 2 0\n")
    with pytest.raises(KnobFileError) as info:
        read_dimacs(path)
    assert (info.value.problems[0].line, info.value.problems[0].column) == (2, 5)
