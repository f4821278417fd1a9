"""Commands run in a subfolder of a repository find its knobs/, matrix/ and output/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli._repo import find_root
from tests.conftest import RunCli
from tests.paths import FIXTURES


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with the mini catalog in knobs/ and a deep subfolder."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(FIXTURES / "emit" / "knobs", tmp_path / "knobs")
    (tmp_path / "docs" / "deep").mkdir(parents=True)
    return tmp_path


def test_find_root_walks_up_and_stops_at_the_git_top(repo: Path, tmp_path: Path) -> None:
    assert find_root(repo / "docs" / "deep") == repo.resolve()
    # A nested git work tree without knobs/ is a repository of its own.
    inner = repo / "vendor" / "other"
    (inner / ".git").mkdir(parents=True)
    (inner / "src").mkdir()
    assert find_root(inner / "src") == inner.resolve()


def test_commands_work_from_a_subfolder(
    repo: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "docs" / "deep")
    code, out, _ = cli("generate", "--fast")
    assert code == 0
    assert out.startswith("mini: 4 knobs")
    assert (repo / "matrix" / "mini.yaml").is_file()
    assert (repo / "output" / "nova-mini" / "zuul.d" / "tempest-matrix.yaml").is_file()
    assert not (repo / "docs" / "deep" / "matrix").exists()
    assert cli("check") == (0, "9 generated files are up to date; lint: 7 jobs, 0 findings\n", "")
    (repo / "output" / "nova-mini" / "tempest" / "nova-mini-tm-01.conf").write_text("x\n")
    code, out, _ = cli("check")
    assert code == 1
    assert "  stale: ../../output/nova-mini/tempest/nova-mini-tm-01.conf\n" in out
    assert cli("knobs", "list")[1].startswith("DRIVER")
    assert cli("knobs", "validate") == (0, "ok: 1 driver, 4 knobs\n", "")
    code, out, _ = cli("audit", "--matrix", "../../matrix/mini.yaml")
    assert code == 0
    assert "driver mini" in out


def test_outside_a_repository_says_to_pass_catalog(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    message = (
        f"tempest-matrix: no knobs/ folder in {tmp_path} or any folder above it up to "
        f"{tmp_path}, the top of its git work tree; run from a tempest-matrix repository or "
        "pass --catalog DIR\n"
    )
    for argv in (("generate",), ("check",), ("knobs", "list"), ("knobs", "validate")):
        assert cli(*argv) == (2, "", message)
    assert not (tmp_path / "matrix").exists()
