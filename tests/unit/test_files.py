"""Whole-run atomic, exclusive writes: all files or none, never outside their tree."""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import files
from generator.files import JOURNAL_NAME, LOCK_NAME, Transaction, WriteError, atomic_write
from tests.snapshots import file_bytes


@pytest.fixture
def trees(tmp_path: Path) -> tuple[Path, Path]:
    """``matrix/`` with one file and ``output/repo/zuul.d/`` with one, under tmp_path."""
    matrix, output = tmp_path / "matrix", tmp_path / "output"
    (output / "repo" / "zuul.d").mkdir(parents=True)
    matrix.mkdir()
    (matrix / "d.yaml").write_text("old matrix\n", encoding="utf-8")
    (output / "repo" / "zuul.d" / "j.yaml").write_text("old jobs\n", encoding="utf-8")
    return matrix, output


def _new(matrix: Path, output: Path) -> dict[Path, str]:
    return {
        matrix / "d.yaml": "new matrix\n",
        output / "repo" / "zuul.d" / "j.yaml": "new jobs\n",
        output / "repo" / "tempest" / "repo-tm-01.conf": "new conf\n",
    }


def test_new_files_get_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a" / "report.html", "<p>x</p>\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a" / "report.html").stat().st_mode) == 0o644


def test_existing_files_keep_their_mode(tmp_path: Path) -> None:
    target = tmp_path / "job.conf"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_f14_atomic_write_never_replaces_a_device(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"^/dev/null: is a character device; only a regular"):
        atomic_write(Path("/dev/null"), "x\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(WriteError, match="is a FIFO"):
        atomic_write(fifo, "x\n")


def test_f12_atomic_write_to_a_directory_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "outdir").mkdir()
    with pytest.raises(WriteError, match=r"outdir: is a directory; only a regular file"):
        atomic_write(tmp_path / "outdir", "x\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outdir"]


def test_f16_a_symlink_target_is_replaced_with_a_new_file_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious\n", encoding="utf-8")
    victim.chmod(0o600)
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    old = os.umask(0o022)
    try:
        atomic_write(link, "report\n")
    finally:
        os.umask(old)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not link.is_symlink()
    assert stat.S_IMODE(link.stat().st_mode) == 0o644  # not the victim's mode


def test_a_commit_replaces_writes_and_deletes(trees: tuple[Path, Path]) -> None:
    matrix, output = trees
    stale = output / "repo" / "tempest" / "repo-tm-09.conf"
    stale.parent.mkdir()
    stale.write_text("removed job\n", encoding="utf-8")
    with Transaction([matrix, output]) as transaction:
        transaction.commit(_new(matrix, output), [stale])
    assert file_bytes(matrix.parent) == {
        "matrix/d.yaml": b"new matrix\n",
        "output/repo/zuul.d/j.yaml": b"new jobs\n",
        "output/repo/tempest/repo-tm-01.conf": b"new conf\n",
    }


def test_f12_a_failure_while_staging_changes_nothing(
    trees: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix, output = trees
    before = file_bytes(matrix.parent)
    real = files._stage
    calls: list[Path] = []

    def failing(path: Path, text: str, suffix: str) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise PermissionError(13, "Permission denied")
        return real(path, text, suffix)

    monkeypatch.setattr(files, "_stage", failing)
    with (
        pytest.raises(WriteError, match=r"cannot write: Permission denied"),
        Transaction([matrix, output]) as transaction,
    ):
        transaction.commit(_new(matrix, output))
    assert file_bytes(matrix.parent) == before
    assert not (output / "repo" / "tempest").exists()  # the folder made for it is gone


def _directory_at_a_file(output: Path) -> None:
    target = output / "repo" / "zuul.d" / "j.yaml"
    target.unlink()
    target.mkdir()


def _fifo_at_a_file(output: Path) -> None:
    target = output / "repo" / "zuul.d" / "j.yaml"
    target.unlink()
    os.mkfifo(target)


def _file_at_a_folder(output: Path) -> None:
    (output / "repo" / "tempest").write_text("x\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("plant", "message"),
    [
        pytest.param(
            _directory_at_a_file,
            r"zuul.d/j.yaml: is a directory; remove it \(this run would replace a file\)",
            id="F15-directory-at-a-file",
        ),
        pytest.param(_fifo_at_a_file, r"zuul.d/j.yaml: is a FIFO", id="F12-fifo-at-a-file"),
        pytest.param(
            _file_at_a_folder,
            r"repo/tempest: is a regular file where a folder is needed",
            id="F12-file-at-a-folder",
        ),
    ],
)
def test_every_target_is_checked_before_the_first_rename(
    trees: tuple[Path, Path], plant: Callable[[Path], None], message: str
) -> None:
    matrix, output = trees
    plant(output)
    before = file_bytes(matrix.parent)
    with pytest.raises(WriteError, match=message), Transaction([matrix, output]) as transaction:
        transaction.commit(_new(matrix, output))
    assert file_bytes(matrix.parent) == before
    assert not list(matrix.parent.rglob(".*tmp"))


@pytest.mark.parametrize("link", ["repo", "repo/tempest", "repo/zuul.d"])
def test_f16_symlinked_folders_leading_out_are_refused(
    trees: tuple[Path, Path], tmp_path: Path, link: str
) -> None:
    matrix, output = trees
    victims = tmp_path / "victims"
    victims.mkdir()
    (victims / "precious.conf").write_text("precious\n", encoding="utf-8")
    target = output / link
    if target.exists():
        shutil.rmtree(target)
    target.symlink_to(victims)
    before = file_bytes(tmp_path)
    with (
        pytest.raises(WriteError, match=rf"is a symlink to {victims}, outside"),
        Transaction([matrix, output]) as transaction,
    ):
        transaction.commit(_new(matrix, output), [output / link / "precious.conf"])
    assert file_bytes(tmp_path) == before


def test_f16_a_tree_symlinked_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    (repo / "matrix").symlink_to(outside)
    with pytest.raises(WriteError, match=rf"matrix: leads to {outside}, outside the repository"):
        Transaction([repo / "matrix"], root=repo).__enter__()
    assert list(outside.iterdir()) == []
    # Named outside the repository, a folder is the user's choice.
    with Transaction([outside], root=repo) as transaction:
        transaction.commit({outside / "x.yaml": "x\n"})
    assert (outside / "x.yaml").read_text(encoding="utf-8") == "x\n"


def test_f17_a_run_killed_while_renaming_is_completed_by_the_next(
    trees: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix, output = trees
    real = os.replace
    renames: list[object] = []

    def dying(src: str, dst: str) -> None:
        renames.append(dst)
        if len(renames) == 3:  # the journal and one file renamed
            raise SystemExit("killed")
        real(src, dst)

    monkeypatch.setattr(os, "replace", dying)
    with pytest.raises(SystemExit), Transaction([matrix, output]) as transaction:
        transaction.commit(_new(matrix, output))
    monkeypatch.setattr(os, "replace", real)
    assert (matrix / JOURNAL_NAME).exists()
    torn = file_bytes(matrix.parent)
    assert torn["matrix/d.yaml"] == b"new matrix\n"
    assert torn["output/repo/zuul.d/j.yaml"] == b"old jobs\n"
    with Transaction([matrix, output]) as transaction:
        assert transaction.recovered == 2
    assert file_bytes(matrix.parent) == {
        "matrix/d.yaml": b"new matrix\n",
        "output/repo/zuul.d/j.yaml": b"new jobs\n",
        "output/repo/tempest/repo-tm-01.conf": b"new conf\n",
    }


def test_f17_temporary_files_of_a_killed_run_are_removed(trees: tuple[Path, Path]) -> None:
    matrix, output = trees
    left = [
        matrix / ".d.yaml.abcd1234.tempest-matrix-tmp",
        output / "repo" / "zuul.d" / ".j.yaml.icu_nglg.tmp",  # an older release's name
    ]
    for path in left:
        path.write_text("partial", encoding="utf-8")
    keep = output / "repo" / "zuul.d" / ".hidden-user-file"
    keep.write_text("mine\n", encoding="utf-8")
    with Transaction([matrix, output]):
        pass  # a run that writes nothing (it failed) leaves them
    assert all(path.exists() for path in left)
    with Transaction([matrix, output]) as transaction:
        transaction.commit(_new(matrix, output))
    assert not any(path.exists() for path in left)
    assert keep.exists()
    assert not (matrix / LOCK_NAME).exists()


def test_a_journal_naming_other_folders_is_not_followed(
    trees: tuple[Path, Path], tmp_path: Path
) -> None:
    matrix, output = trees
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (matrix / JOURNAL_NAME).write_text(
        f'{{"replace": [], "delete": ["{victim}"]}}\n', encoding="utf-8"
    )
    with pytest.raises(WriteError, match="not among this run's folders"):
        Transaction([matrix, output]).__enter__()
    assert victim.exists()


def test_f18_a_second_run_waits_and_names_the_holder(
    trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    matrix, output = trees
    with Transaction([matrix, output]):
        with pytest.raises(WriteError, match=r"\.tempest-matrix\.lock: held by another "):
            Transaction([matrix, output], wait=0).__enter__()
        order: list[str] = []

        def second() -> None:
            with Transaction([matrix, output], wait=30):
                order.append("second")

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        order.append("first done")
    thread.join(30)
    assert order == ["first done", "second"]
    assert "waiting for another tempest-matrix run (pid " in capsys.readouterr().err


def test_f18_a_waiting_run_outlives_the_tree_the_holder_made_and_removed(
    tmp_path: Path,
) -> None:
    # The first run makes the missing tree and removes it, empty, as it leaves; the
    # second, waiting on the lock in it between two tries, must make it again.
    tree = tmp_path / "new" / "output"
    outcome: list[str] = []

    def second() -> None:
        try:
            with Transaction([tree], wait=30):
                outcome.append("second" if tree.is_dir() else "no tree")
        except WriteError as exc:
            outcome.append(f"failed: {exc}")

    with Transaction([tree]):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)  # the second run is waiting, no lock file open between tries
    thread.join(30)
    assert outcome == ["second"]
    # Nothing is left but empty folders: removed again, unless the second run locked the
    # tree in the instant between the holder's unlocking it and removing it (seen once
    # under load), when the holder finds it not empty and the second did not make it.
    assert [p for p in tmp_path.rglob("*") if not p.is_dir()] == []


def test_f18_a_folder_another_run_makes_at_the_same_moment_is_used_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "new" / "matrix"
    real_mkdir = Path.mkdir

    def raced(self: Path, *args: object, **kwargs: object) -> None:
        real_mkdir(self)  # the other run wins the race for every folder
        raise FileExistsError(17, "File exists", str(self))

    monkeypatch.setattr(Path, "mkdir", raced)
    with Transaction([tree]):
        assert tree.is_dir()
    assert tree.is_dir()  # the other run's folders, not this run's to remove


def test_f18_a_parent_removed_while_its_child_is_made_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "new" / "matrix"
    (tmp_path / "new").mkdir()  # there when the run looks, gone when it makes the child
    real_mkdir = Path.mkdir
    removed: list[Path] = []

    def raced(self: Path, *args: object, **kwargs: object) -> None:
        if self == tree and not removed:
            self.parent.rmdir()
            removed.append(self.parent)
        real_mkdir(self)

    monkeypatch.setattr(Path, "mkdir", raced)
    with Transaction([tree]):
        assert tree.is_dir()
    assert removed == [tmp_path / "new"]
    assert list(tmp_path.iterdir()) == []  # both made by this run, both removed empty


def test_a_missing_tree_is_made_and_removed_again_when_nothing_is_written(
    tmp_path: Path,
) -> None:
    with Transaction([tmp_path / "new" / "matrix"]):
        assert (tmp_path / "new" / "matrix").is_dir()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("README.md", "README.md: is not a directory"), ("proc", "cannot create the folder")],
    ids=["F12-file-as-output-dir", "F12-unwritable-parent"],
)
def test_f12_a_tree_that_cannot_be_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, message: str
) -> None:
    (tmp_path / "README.md").write_text("x\n", encoding="utf-8")
    target = tmp_path / name / "tm" if name == "proc" else tmp_path / name
    if name == "proc":

        def refuse(self: Path, mode: int = 0o777) -> None:
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(WriteError, match=message):
        Transaction([target]).__enter__()
