"""Atomic file writes for the matrix and output stages.

A run either replaces every file it writes or leaves all previous files intact:
each file is written to a temporary sibling, flushed, then renamed over the target.
``write_files`` stages every file first and renames only when all were written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["atomic_write", "write_files"]


def _mode(path: Path) -> int:
    """The mode the file should get: the one it has, else what ``open`` would give."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _stage(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; a generated file is as readable as any other.
        os.fchmod(fd, _mode(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically (never a half-written file)."""
    tmp = _stage(path, text)
    os.replace(tmp, path)


def write_files(files: Mapping[Path, str]) -> None:
    """Write several files so that a failure before the renames changes nothing."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path in sorted(files):
            staged.append((_stage(path, files[path]), path))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
