"""Hostile catalogs and matrix files through every command: one located message, exit 2.

Each row is a reproducer of a fuzzing finding (its id names it): the files of a
working directory, a command, and the exit status and message it must give.
``knobs validate``, ``array`` and ``generate`` must agree on every catalog.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.paths import FIXTURES
from tests.snapshots import file_bytes

GOOD = b"knobs:\n  a: [x, y]\n  b: [p, q]\n"
CATALOG_COMMANDS = (
    ("knobs", "validate", "knobs/m.yaml"),
    ("array", "knobs/m.yaml", "--fast"),
    ("generate", "--fast"),
)


def _when_chain(count: int, *, cycle: bool = False) -> bytes:
    last = count if cycle else count - 1
    lines = ["knobs:"]
    lines += [
        f"  k{i}:\n    when: {{k{(i + 1) % count}: a}}\n    values: [a, b]" for i in range(last)
    ]
    if not cycle:
        lines.append(f"  k{count - 1}: [a, b]")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with a ``knobs/`` folder."""
    (tmp_path / "knobs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


# (catalog bytes, message every catalog command prints after "tempest-matrix: ")
CATALOGS = [
    pytest.param(
        GOOD + b"\x01\n",
        "knobs/m.yaml:4:1: control character U+0001 is not allowed in YAML",
        id="F1-control-character",
    ),
    pytest.param(
        b"knobs:\n  a: [x, y]\n  b: [li\x00nux, q]\n",
        "knobs/m.yaml:3:9: control character U+0000 is not allowed in YAML",
        id="F1-nul",
    ),
    pytest.param(
        b"knobs:\n  a: [!!timestamp x, y]\n  b: [p, q]\n",
        "knobs/m.yaml:2:7: 'x' is not a valid !!timestamp value",
        id="F2-bad-timestamp",
    ),
    pytest.param(
        b"knobs:\n  a: [!!float x, y]\n  b: [p, q]\n",
        "knobs/m.yaml:2:7: 'x' is not a valid !!float value",
        id="F2-bad-float",
    ),
    pytest.param(
        b"knobs: " + b"[" * 500 + b"]" * 500 + b"\n",
        "knobs/m.yaml:1:107: YAML nested deeper than 100 levels",
        id="F3-deep-nesting",
    ),
    pytest.param(
        _when_chain(1000, cycle=True),
        "knobs/m.yaml:2:3: 'when' conditions form a cycle: k0 -> k1 -> k2 -> k3 -> k4 -> "
        "... (991 more) -> k996 -> k997 -> k998 -> k999 -> k0",
        id="F4-when-cycle-of-1000",
    ),
    pytest.param(
        b"driver: " + b"x" * 300 + b"\n" + GOOD,
        "knobs/m.yaml:1:9: driver '" + "x" * 300 + "' is not a safe name: at most 64 "
        "characters, not 300",
        id="F6-long-driver",
    ),
    pytest.param(
        b"repo: " + b"r" * 300 + b"\n" + GOOD,
        "knobs/m.yaml:1:7: repo '" + "r" * 300 + "' is not a name or a Zuul project "
        "'org/name': at most 64 characters, not 300",
        id="F6-long-repo",
    ),
    pytest.param(
        GOOD + b"constraints:\n  - forbid: {a: x, b: p}\npinned:\n  - {a: x, b: p}\n",
        "knobs/m.yaml:7:5: pinned combination {a: x, b: p} is impossible: it violates "
        "knobs/m.yaml:5:5: forbid {a: x, b: p}",
        id="F19-impossible-pin",
    ),
    pytest.param(
        GOOD + b"strength: 3\n",
        "knobs/m.yaml:4:11: strength 3 is larger than the number of knobs (2)",
        id="F19-strength-above-knob-count",
    ),
    pytest.param(
        b"knobs:\n  a: [x, y]\n",
        "knobs/m.yaml: strength 2 is larger than the number of parameters (1)",
        id="F20-default-strength-above-knob-count",
    ),
    pytest.param(
        b"knobs: {}\n",
        "knobs/m.yaml:1:8: 'knobs' is empty: declare at least one knob",
        id="F20-no-knobs",
    ),
    pytest.param(
        b"knobs:\n  a: [x, y]\n  b: [p, \xffq]\n",
        "knobs/m.yaml:3:10: not valid UTF-8 (byte 0xff); save the file as UTF-8",
        id="F20-invalid-utf8",
    ),
    pytest.param(
        b"knobs:\n  a: &r [x, *r]\n  b: [p, q]\n",
        "knobs/m.yaml:2:13: recursive YAML alias: *r is used inside the node it names",
        id="F20-recursive-alias",
    ),
    pytest.param(
        b"knobs: !!python/object/apply:os.system\n  a: [x, y]\n  b: [p, q]\n",
        "knobs/m.yaml:1:8: unsupported YAML tag '!!python/object/apply:os.system'; only plain "
        "YAML values are read",
        id="F21-tag-on-a-mapping",
    ),
]


@pytest.mark.parametrize(("text", "message"), CATALOGS)
@pytest.mark.parametrize("argv", CATALOG_COMMANDS, ids=lambda a: a[0])
def test_hostile_catalog(
    work: Path, cli: RunCli, text: bytes, message: str, argv: tuple[str, ...]
) -> None:
    (work / "knobs" / "m.yaml").write_bytes(text)
    code, out, err = cli(*argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"tempest-matrix: {message}"), err
    assert not (work / "matrix").exists()
    assert not (work / "output").exists()


def test_f4_a_when_chain_of_1000_knobs_loads(work: Path, cli: RunCli) -> None:
    (work / "knobs" / "m.yaml").write_bytes(_when_chain(1000))
    assert cli("knobs", "validate", "knobs/m.yaml") == (0, "ok: 1 driver, 1000 knobs\n", "")


def test_f4_a_when_chain_builds(work: Path, cli: RunCli) -> None:
    (work / "knobs" / "m.yaml").write_bytes(_when_chain(12))
    assert cli("-q", "array", "knobs/m.yaml", "--fast")[0] == 0


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        pytest.param(os.mkfifo, "a FIFO (named pipe)", id="F8-fifo"),
        pytest.param(lambda p: p.symlink_to("/dev/zero"), "a character device", id="F8-dev-zero"),
    ],
)
@pytest.mark.parametrize("argv", CATALOG_COMMANDS, ids=lambda a: a[0])
def test_f8_special_files_are_refused_at_once(
    work: Path, cli: RunCli, make: object, kind: str, argv: tuple[str, ...]
) -> None:
    make(work / "knobs" / "m.yaml")  # type: ignore[operator]
    assert cli(*argv) == (
        2,
        "",
        f"tempest-matrix: knobs/m.yaml: cannot read the file: it is {kind}, not a regular file\n",
    )


def test_f7_an_unreadable_directory_is_one_message(
    work: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "c13").mkdir()
    (work / "c13" / "m.yaml").write_bytes(GOOD)
    real = Path.stat

    def stat(self: Path, **kwargs: bool) -> os.stat_result:
        if self.parent.name == "c13":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    assert cli("knobs", "validate", "c13/m.yaml") == (
        2,
        "",
        "tempest-matrix: c13/m.yaml: cannot read: Permission denied\n",
    )


@pytest.mark.parametrize(
    "name",
    ["/etc/hostname", "../outside.yaml", "sub/../../outside.yaml"],
    ids=["F21-absolute-include", "F21-parent-include", "F21-hidden-parent-include"],
)
def test_f21_includes_stay_in_the_catalog_directory(work: Path, cli: RunCli, name: str) -> None:
    (work / "outside.yaml").write_text("SECRET-CONTENT\n", encoding="utf-8")
    (work / "knobs" / "sub").mkdir()
    text = f"include: [{name}]\n".encode() + GOOD
    (work / "knobs" / "m.yaml").write_bytes(text)
    code, out, err = cli("knobs", "validate", "knobs/m.yaml")
    assert (code, out) == (2, "")
    assert err == (
        f"tempest-matrix: knobs/m.yaml:1:11: included file {name!r} is outside the catalog's "
        "directory; include only files next to the catalog (or below it)\n"
        f"    include: [{name}]\n"
    )
    assert "SECRET" not in err
    assert "hostname" in name or "SECRET" not in out


def test_f21_a_symlinked_include_leading_out_is_refused(work: Path, cli: RunCli) -> None:
    (work / "outside.yaml").write_text("knobs:\n  c: [SECRET, y]\n", encoding="utf-8")
    (work / "knobs" / "_shared.yaml").symlink_to(work / "outside.yaml")
    (work / "knobs" / "m.yaml").write_bytes(b"include: [_shared.yaml]\n" + GOOD)
    code, _, err = cli("knobs", "validate", "knobs/m.yaml")
    assert code == 2
    assert "is outside the catalog's directory" in err
    assert "SECRET" not in err


def test_includes_below_the_catalog_directory_are_fine(work: Path, cli: RunCli) -> None:
    (work / "knobs" / "sub").mkdir()
    (work / "knobs" / "sub" / "_c.yaml").write_text("knobs:\n  c: [u, v]\n", encoding="utf-8")
    (work / "knobs" / "m.yaml").write_bytes(b"include: [sub/_c.yaml]\n" + GOOD)
    assert cli("knobs", "validate", "knobs/m.yaml") == (0, "ok: 1 driver, 3 knobs\n", "")


MATRIX = FIXTURES / "emit" / "knobs"


@pytest.fixture
def generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: RunCli) -> Path:
    """A working directory with the mini catalog generated into matrix/ and output/."""
    shutil.copytree(MATRIX, tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    assert cli("-q", "generate", "--fast")[0] == 0
    return tmp_path


@pytest.mark.parametrize(
    ("suffix", "message"),
    [
        pytest.param(
            b"# \xff\n",
            "matrix/mini.yaml:{end}:3: not valid UTF-8 (byte 0xff); save the file as UTF-8",
            id="F21b-invalid-utf8",
        ),
        pytest.param(
            b"x: " + b"[" * 3000 + b"]" * 3000 + b"\n",
            "matrix/mini.yaml:{end}:103: YAML nested deeper than 100 levels",
            id="F3-deep-matrix",
        ),
        pytest.param(
            b"y: !!python/object/apply:os.system [echo]\n",
            "matrix/mini.yaml:{end}:4: unsupported YAML tag '!!python/object/apply:os.system'",
            id="F21-tag-in-matrix",
        ),
    ],
)
def test_a_corrupt_matrix_is_located_and_nothing_changes(
    generated: Path, cli: RunCli, suffix: bytes, message: str
) -> None:
    path = generated / "matrix" / "mini.yaml"
    end = path.read_bytes().count(b"\n") + 1
    path.write_bytes(path.read_bytes() + suffix)
    before = file_bytes(generated)
    code, out, err = cli("generate", "--fast")
    assert (code, out) == (2, "")
    assert err.startswith("tempest-matrix: " + message.format(end=end)), err
    assert file_bytes(generated) == before


def test_f8_a_fifo_matrix_is_refused_at_once(generated: Path, cli: RunCli) -> None:
    path = generated / "matrix" / "mini.yaml"
    path.unlink()
    os.mkfifo(path)
    assert cli("generate", "--fast") == (
        2,
        "",
        "tempest-matrix: matrix/mini.yaml: cannot read the file: it is a FIFO (named pipe), "
        "not a regular file\n",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["array", "knobs/m.yaml", "--strength", "٣"],
            "argument --strength/-t: expected an integer, got '٣'",
            id="F21-arabic-indic-digit",
        ),
        pytest.param(
            ["array", "knobs/m.yaml", "--strength", "2_0"],
            "argument --strength/-t: expected an integer, got '2_0'",
            id="F21-underscore-digits",
        ),
        pytest.param(
            ["array", "knobs/m.yaml", "--seed", str(2**64)],
            f"argument --seed: expected an integer below {2**64}, got {2**64}",
            id="F21-seed-above-64-bits",
        ),
        pytest.param(
            ["generate", "--output-dir", ""],
            "argument --output-dir: expected a path, got an empty string",
            id="F21-empty-output-dir",
        ),
        pytest.param(
            ["generate", "--matrix-dir", ""],
            "argument --matrix-dir: expected a path, got an empty string",
            id="F21-empty-matrix-dir",
        ),
        pytest.param(
            ["audit", "--matrix", "matrix/m.yaml", "--output", ""],
            "argument --output: expected a path, got an empty string",
            id="F21-empty-audit-output",
        ),
    ],
)
def test_f21_questionable_arguments_are_refused(
    work: Path, cli: RunCli, argv: list[str], message: str
) -> None:
    (work / "knobs" / "m.yaml").write_bytes(GOOD)
    code, out, err = cli(*argv)
    assert (code, out) == (2, "")
    assert err.endswith(f": error: {message}\n")
    assert sorted(p.name for p in work.iterdir()) == ["knobs"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["generate", "--fast", "--output-dir", "README.md"],
            "README.md: is not a directory",
            id="F12-output-dir-is-a-file",
        ),
        pytest.param(
            ["generate", "--fast", "--matrix-dir", "README.md"],
            "README.md: is not a directory",
            id="F12-matrix-dir-is-a-file",
        ),
        pytest.param(
            ["generate", "--fast", "--output-dir", "/proc/tm"],
            "/proc/tm: cannot create the folder: No such file or directory",
            id="F12-output-dir-cannot-be-made",
        ),
        pytest.param(
            ["audit", "--matrix", "matrix/mini.yaml", "--output", "output"],
            "output: is a directory; only a regular file is written",
            id="F12-audit-output-is-a-directory",
        ),
    ],
)
def test_f12_unwritable_places_are_one_message(
    generated: Path, cli: RunCli, argv: list[str], message: str
) -> None:
    (generated / "README.md").write_text("# a file\n", encoding="utf-8")
    before = file_bytes(generated)
    assert cli(*argv) == (2, "", f"tempest-matrix: {message}\n")
    assert file_bytes(generated) == before


def test_f6_a_planted_job_name_too_long_for_a_file_name(generated: Path, cli: RunCli) -> None:
    path = generated / "matrix" / "mini.yaml"
    long = "nova-mini-tm-" + "1" * 300
    text = re.sub(r"next_number: \d+", "next_number: 1" + "0" * 301, path.read_text("utf-8"))
    path.write_text(text.replace("nova-mini-tm-01", long), encoding="utf-8")
    before = file_bytes(generated)
    code, out, err = cli("generate", "--fast")
    assert (code, out) == (2, "")
    assert err == (
        f"tempest-matrix: matrix/mini.yaml:14:9: jobs[0].name: job name {long[:40]!r}... is "
        f"{len(long)} characters long; a file "
        "name made from it may have at most 100\n"
    )
    assert file_bytes(generated) == before


def test_a_null_for_a_knob_that_always_applies_is_filled_again(
    generated: Path, cli: RunCli
) -> None:
    """Found by the fuzz suite: a matrix job with ``null`` for a knob without ``when``
    (hand-edited, or the knob's ``when`` since removed) was refused by generate and check."""
    path = generated / "matrix" / "mini.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("virt_type: ", text.index("- name: nova-mini-tm-02"))
    end = text.index("\n", first)
    path.write_text(text[:first] + "virt_type: null" + text[end:], encoding="utf-8")
    assert cli("-q", "generate", "--fast")[0] == 0
    assert "virt_type: null" not in path.read_text(encoding="utf-8")
    assert cli("-q", "check")[0] == 0


def test_a_symlink_at_a_matrix_file_does_not_rename_it(
    generated: Path, cli: RunCli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Found by the fuzz suite: headers named a dangling symlink's target instead of
    matrix/mini.yaml, so check then found every file stale."""
    path = generated / "matrix" / "mini.yaml"
    path.unlink()
    path.symlink_to(tmp_path_factory.mktemp("elsewhere") / "nothing.yaml")
    assert cli("-q", "generate", "--fast")[0] == 0
    assert not path.is_symlink()
    header = (generated / "output" / "nova-mini" / "zuul.d" / "tempest-matrix.yaml").read_text()
    assert "from matrix/mini.yaml;" in header.splitlines()[0]
    assert cli("-q", "check")[0] == 0
