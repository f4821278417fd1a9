"""Atomic writes: all files or none, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.files import atomic_write, write_files


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


def test_a_failure_while_staging_changes_nothing(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text("before\n", encoding="utf-8")
    blocker = tmp_path / "b"
    blocker.write_text("a file where a directory is needed\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_files({first: "after\n", blocker / "c.yaml": "x\n"})
    assert first.read_text(encoding="utf-8") == "before\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b"]
