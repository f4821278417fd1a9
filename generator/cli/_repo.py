"""Where the repository's ``knobs/``, ``matrix/`` and ``output/`` are, from any folder in it.

Commands run in a subfolder of a repository find its folders by walking up from
the current directory to the nearest folder holding ``knobs/``; the walk stops at
the top of a git work tree (a folder holding ``.git``), so a ``knobs/`` of an
enclosing, unrelated folder is never used. ``--catalog``, ``--matrix-dir`` and
``--output-dir`` override each folder (relative to the current directory, as
usual for command-line paths).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.app import Layout, select
from generator.errors import UsageError

if TYPE_CHECKING:
    from generator.model import Catalog

__all__ = ["catalog_dir", "find_root", "layout", "load_catalogs", "shown"]


def find_root(start: Path | None = None) -> Path | None:
    """The repository root: the nearest folder at or above ``start`` (default: the
    current directory) holding ``knobs/``, else the top of its git work tree, else None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "knobs").is_dir() or (folder / ".git").exists():
            return folder
    return None


def catalog_dir(given: str | None, root: Path | None = None) -> Path:
    """``--catalog`` if given, else the repository's ``knobs/``; a usage error when
    there is none."""
    if given is not None:
        path = Path(given)
        if not path.is_dir():
            raise UsageError(f"catalog directory {given!r} does not exist")
        return path
    root = root if root is not None else find_root()
    if root is not None and (root / "knobs").is_dir():
        return _near(root / "knobs")
    where = f" up to {root}, the top of its git work tree" if root is not None else ""
    raise UsageError(
        f"no knobs/ folder in {Path.cwd()} or any folder above it{where}; "
        "run from a tempest-matrix repository or pass --catalog DIR"
    )


def load_catalogs(given: str | None, drivers: Sequence[str] = ()) -> tuple[Catalog, ...]:
    """The catalogs of ``--catalog`` (else the repository's ``knobs/``), only those of
    ``--driver`` when given: the one driver selection every command uses."""
    from generator.catalog.loader import load_dir

    directory = catalog_dir(given)
    return select(load_dir(directory), drivers, directory)


def layout(catalog: str | None, matrix: str | None, output: str | None) -> Layout:
    """The folders a command works on: the given ones, else the repository's."""
    root = find_root()
    base = root if root is not None else Path()
    return Layout(
        catalog_dir(catalog, root),
        Path(matrix) if matrix is not None else _near(base / "matrix"),
        Path(output) if output is not None else _near(base / "output"),
        root,
    )


def _near(path: Path) -> Path:
    """``path`` relative to the current directory, so messages name it as a user would."""
    return Path(os.path.relpath(path))


def shown(path: Path) -> str:
    """``path`` for a message: relative to the current directory."""
    return os.path.relpath(path)
