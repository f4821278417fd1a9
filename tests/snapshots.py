"""What a run left on disk: the one snapshot of a tree the tests compare before and after."""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["file_bytes", "generated_bytes"]


def file_bytes(root: Path, *, ignore_names: frozenset[str] = frozenset()) -> dict[str, bytes]:
    """Every regular file under ``root`` (not through symlinks) by relative path, with its bytes."""
    found: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
        for name in sorted(names):
            path = Path(folder) / name
            if name not in ignore_names and stat.S_ISREG(os.lstat(path).st_mode):
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def generated_bytes(root: Path) -> dict[str, bytes]:
    """The files under ``root/matrix`` and ``root/output``: what ``generate`` writes."""
    return {
        name: data
        for name, data in file_bytes(root).items()
        if name.startswith(("matrix/", "output/"))
    }
