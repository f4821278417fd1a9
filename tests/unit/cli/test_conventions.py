"""Conventions every command shares: -q/-v before or after the subcommand with one
meaning, --version naming the option data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.paths import FIXTURES


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "emit" / "knobs", tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "argv",
    [("generate", "--fast"), ("check",), ("knobs", "validate"), ("knobs", "list")],
)
def test_quiet_before_or_after_the_subcommand(work: Path, cli: RunCli, argv: tuple[str]) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    before = cli("-q", *argv)
    after = cli(*argv, "-q")
    assert before == after
    assert before.err == ""


def test_verbose_means_one_line_per_phase_everywhere(work: Path, cli: RunCli) -> None:
    code, _, err = cli("generate", "--fast", "-v")
    assert code == 0
    assert err == "tempest-matrix: mini: building jobs\n"
    code, _, err = cli("-v", "audit", "--matrix", "matrix/mini.yaml")
    assert code == 0
    assert err.splitlines() == [
        "tempest-matrix: mini: feasible 2-way combinations",
        "tempest-matrix: mini: counting 2-way combinations of 7 jobs",
        "tempest-matrix: mini: grouping 0 uncovered combinations into extra jobs",
    ]
    code, _, err = cli("array", "knobs/mini.yaml", "-v")
    assert code == 0
    assert err.startswith("tempest-matrix: mini: building jobs\ntempest-matrix: mini: optimising\n")


def test_quiet_and_verbose_conflict(work: Path, cli: RunCli) -> None:
    code, out, err = cli("-q", "check", "-v")
    assert (code, out) == (2, "")
    assert err.endswith("error: -q/--quiet and -v/--verbose cannot be combined\n")


def test_version_names_the_option_data(cli: RunCli) -> None:
    code, out, err = cli("--version")
    assert (code, err) == (0, "")
    assert out.startswith("tempest-matrix 0.1.0 (option data: nova 34.0.0, ")
    assert " tempest 47.0.0" in out
