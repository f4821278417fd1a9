"""Whole-run atomic, exclusive writes of the generated trees (``matrix/``, ``output/``).

A :class:`Transaction` holds a lock per tree (``<tree>/.tempest-matrix.lock``) for
the whole run, reads and all: a second run waits for the first and then starts
from its result, and says whose lock it waits for. :meth:`Transaction.commit`
replaces every file of the run or none:

1. every target is checked before anything is written: no directory, FIFO or
   device where a file goes, no path component that is not a directory, and
   none reached through a symlink leading out of its tree;
2. each file is written to a temporary sibling and flushed; a failure removes
   the temporary files and the folders made for them, and nothing else changed;
3. the list of renames and deletions is written to a journal
   (``<first tree>/.tempest-matrix.journal``) and flushed; only then are the
   files renamed into place and the stale ones deleted, and the journal removed.

A run killed in step 3 leaves the journal: the next run (under the lock) completes
it before it reads anything, so the trees hold either the old run's files or the
new run's, never a mix. Temporary files of a killed run are removed by the next
run that commits.
A tree named by a path inside the repository must really be inside it (not a
symlink leading out); a tree named outside the repository is the user's choice.

:func:`atomic_write` replaces one regular file (``audit --output``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import GeneratorError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from types import TracebackType

__all__ = [
    "JOURNAL_NAME",
    "LOCK_NAME",
    "Transaction",
    "WriteError",
    "atomic_write",
    "pending_journal",
]

LOCK_NAME = ".tempest-matrix.lock"
JOURNAL_NAME = ".tempest-matrix.journal"
LOCK_WAIT_SECONDS = 600.0
"""How long a run waits for another run's lock before giving up."""
_TMP_SUFFIX = ".tempest-matrix-tmp"
# Temporary files of this module, and of releases that named them ".<file>.<random>.tmp".
_STALE = re.compile(r"^\..+\.[a-z0-9_]{8}(\.tempest-matrix-tmp|\.tmp)$")
_KINDS = (
    (stat.S_ISREG, "a regular file"),
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class WriteError(GeneratorError):
    """A file of the run cannot be written where it goes; nothing was changed."""


def _fail(path: Path | str, reason: str) -> WriteError:
    return WriteError(f"{path}: {reason}")


def _kind(mode: int) -> str:
    return next((word for test, word in _KINDS if test(mode)), "not a regular file")


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _stage(path: Path, text: str, suffix: str) -> Path:
    """``text`` in a flushed temporary sibling of ``path``, with ``path``'s mode."""
    try:
        info = os.lstat(path)
        mode = stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else _default_mode()
    except FileNotFoundError:
        mode = _default_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    try:
        os.fchmod(fd, mode)  # mkstemp makes 0600; a generated file is as readable as others
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, text: str) -> None:
    """Replace the regular file ``path`` (or create it) atomically; never a device,
    FIFO or directory. A symlink at ``path`` is replaced, its target untouched."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    except OSError as exc:
        raise _fail(path, f"cannot write: {exc.strerror}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise _fail(path, f"is {_kind(mode)}; only a regular file is written")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _stage(path, text, ".tmp")
    except OSError as exc:
        raise _fail(exc.filename or path, f"cannot write: {exc.strerror}") from None
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _fail(path, f"cannot write: {exc.strerror}") from None


class _Lock:
    """An exclusive ``flock`` on ``<tree>/.tempest-matrix.lock``, naming its holder."""

    def __init__(self, tree: Path) -> None:
        self.path = tree / LOCK_NAME
        self.fd = -1

    def acquire(self, wait: float) -> None:
        deadline = time.monotonic() + wait
        told = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self._holder()
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise _fail(self.path, f"held by {holder}; try again when it ends") from None
                if not told:
                    sys.stderr.write(f"tempest-matrix: waiting for {holder} ({self.path})\n")
                    told = True
                time.sleep(0.1)
                continue
            try:
                current = os.stat(self.path).st_ino
            except FileNotFoundError:
                current = -1
            if current != os.fstat(fd).st_ino:  # the holder removed it as we waited
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}, {' '.join(sys.argv[:3])}\n".encode())
            self.fd = fd
            return

    def _holder(self) -> str:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            text = ""
        return f"another tempest-matrix run ({text[:200]})" if text else "another run"

    def release(self) -> None:
        if self.fd < 0:
            return
        # Removed while still held, so no third run can lock a file about to vanish.
        self.path.unlink(missing_ok=True)
        os.close(self.fd)
        self.fd = -1


def pending_journal(tree: Path) -> Path | None:
    """The journal an interrupted run left in ``tree``, if any."""
    path = tree / JOURNAL_NAME
    return path if os.path.lexists(path) else None


class Transaction:
    """Locks the trees of one run; :meth:`commit` replaces their files all at once.

    Entering it creates missing trees and completes an interrupted run's journal; a
    commit also removes the temporary files of killed runs (a failed run leaves
    them); leaving it releases the locks (and removes a tree it created if it
    stayed empty).
    """

    def __init__(
        self, trees: Sequence[Path], *, root: Path | None = None, wait: float = LOCK_WAIT_SECONDS
    ) -> None:
        self.trees = list(dict.fromkeys(trees))
        self.root = root
        self.wait = wait
        self._locks: list[_Lock] = []
        self._created: list[Path] = []
        self.recovered = 0
        """Files the journal of an interrupted run renamed or deleted on entry."""

    def __enter__(self) -> Transaction:
        try:
            for tree in self.trees:
                self._make_tree(tree)
            # One order for every run, so two runs never hold one lock each.
            for tree in sorted(self.trees, key=os.path.realpath):
                lock = _Lock(tree)
                deadline = time.monotonic() + self.wait
                while True:
                    try:
                        lock.acquire(max(0.0, deadline - time.monotonic()))
                        break
                    except FileNotFoundError:
                        # the run that made the tree removed it, empty, as this one waited
                        self._make_tree(tree)
                self._locks.append(lock)
            self._recover()
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._release()

    def _release(self) -> None:
        for lock in reversed(self._locks):
            lock.release()
        self._locks.clear()
        for tree in reversed(self._created):
            with contextlib.suppress(OSError):  # not empty: this or another run wrote into it
                tree.rmdir()

    def _make_tree(self, tree: Path) -> None:
        real = os.path.realpath(tree)
        if self.root is not None:
            root = os.path.realpath(self.root)
            lexical = os.path.abspath(tree)
            if _inside(lexical, os.path.abspath(self.root)) and not _inside(real, root):
                raise _fail(
                    tree,
                    f"leads to {real}, outside the repository {self.root}; name that folder "
                    "itself if it is meant",
                )
        while True:  # again when a parent goes as this run makes its child
            missing = []
            here = tree
            while not os.path.lexists(here) and here != here.parent:
                missing.append(here)
                here = here.parent
            try:
                if self._make_folders(reversed(missing)):
                    break
            except OSError as exc:
                raise _fail(
                    exc.filename or tree, f"cannot create the folder: {exc.strerror}"
                ) from None
        if not os.path.isdir(tree):
            raise _fail(tree, "is not a directory")

    def _make_folders(self, folders: Iterable[Path]) -> bool:
        """Make ``folders``, parents first; False when a parent vanished meanwhile (another
        run removed it, empty, as it left)."""
        for folder in folders:
            try:
                folder.mkdir()
            except FileExistsError:
                continue  # another run made it at the same moment: not this run's to remove
            except FileNotFoundError:
                if os.path.lexists(folder.parent):
                    raise  # a place that holds no folders (/proc), not a race
                return False
            self._created.append(folder)
        return True

    def _tree_of(self, path: Path) -> Path:
        for tree in self.trees:
            if path.is_relative_to(tree):
                return tree
        raise _fail(path, "is outside the folders this run writes")

    def _check_target(self, path: Path, *, delete: bool = False) -> None:
        """Refuse a target that is not a plain file place inside its tree."""
        tree = self._tree_of(path)
        real_tree = os.path.realpath(tree)
        here = tree
        for part in path.relative_to(tree).parts[:-1]:
            here = here / part
            try:
                info = os.lstat(here)
            except FileNotFoundError:
                break  # made when staging
            if stat.S_ISLNK(info.st_mode):
                real = os.path.realpath(here)
                if not _inside(real, real_tree) or not os.path.isdir(real):
                    raise _fail(here, f"is a symlink to {real}, outside {tree}; not writing there")
            elif not stat.S_ISDIR(info.st_mode):
                raise _fail(here, f"is {_kind(info.st_mode)} where a folder is needed")
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            action = "delete" if delete else "replace"
            raise _fail(path, f"is {_kind(mode)}; remove it (this run would {action} a file)")

    def commit(self, writes: Mapping[Path, str], deletes: Sequence[Path] = ()) -> None:
        """Write every file of ``writes`` and delete ``deletes``, all or nothing."""
        for path in sorted(writes):
            self._check_target(path)
        for path in deletes:
            self._check_target(path, delete=True)
        staged: list[tuple[Path, Path]] = []
        made: list[Path] = []
        path = Path()
        try:
            for path in sorted(writes):
                for folder in reversed([*path.parents]):
                    if not os.path.lexists(folder):
                        folder.mkdir()
                        made.append(folder)
                staged.append((_stage(path, writes[path], _TMP_SUFFIX), path))
        except BaseException as exc:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            if isinstance(exc, OSError):
                reason = exc.strerror or str(exc)
                raise _fail(exc.filename or path, f"cannot write: {reason}") from None
            raise
        journal = self.trees[0] / JOURNAL_NAME
        entries = {
            "replace": [[os.path.abspath(t), os.path.abspath(p)] for t, p in staged],
            "delete": [os.path.abspath(p) for p in deletes],
        }
        tmp = _stage(journal, json.dumps(entries, indent=1) + "\n", _TMP_SUFFIX)
        os.replace(tmp, journal)
        _fsync_dir(journal.parent)
        self._apply(staged, list(deletes), journal)
        self._remove_stale()

    @staticmethod
    def _apply(staged: list[tuple[Path, Path]], deletes: list[Path], journal: Path) -> int:
        """Carry out a journal (again: every step may be repeated); remove it."""
        done = 0
        for tmp, target in staged:
            if tmp.exists():
                os.replace(tmp, target)
                done += 1
        for path in deletes:
            if os.path.lexists(path):
                path.unlink()
                done += 1
        for folder in {target.parent for _, target in staged}:
            _fsync_dir(folder)
        journal.unlink()
        _fsync_dir(journal.parent)
        return done

    def _recover(self) -> None:
        journal = pending_journal(self.trees[0])
        if journal is None:
            return
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
            pairs = [(Path(t), Path(p)) for t, p in entries["replace"]]
            deletes = [Path(p) for p in entries["delete"]]
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise _fail(
                journal, f"unreadable journal of an interrupted run ({exc}); remove it"
            ) from None
        reals = [os.path.realpath(tree) for tree in self.trees]
        for target in [p for _, p in pairs] + deletes:
            if not any(_inside(os.path.realpath(target.parent), real) for real in reals):
                raise _fail(
                    journal,
                    f"an interrupted run wrote to {target.parent}, which is not among this "
                    "run's folders; rerun it with the same folders, or remove the journal",
                )
        for tmp, target in pairs:
            if tmp.parent != target.parent or not _STALE.match(tmp.name):
                raise _fail(journal, f"names {tmp}, not a temporary file of {target}; remove it")
        self.recovered = self._apply(pairs, deletes, journal)
        if self.recovered:
            sys.stderr.write(
                f"tempest-matrix: completed an interrupted run ({self.recovered} files)\n"
            )

    def _remove_stale(self) -> None:
        for tree in self.trees:
            for path in _walk(tree):
                if _STALE.match(path.name):
                    path.unlink(missing_ok=True)


def _walk(tree: Path) -> Iterator[Path]:
    """Every regular file under ``tree``, never through a symlink."""
    for folder, dirs, names in os.walk(tree, followlinks=False):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in names:
            path = Path(folder) / name
            if stat.S_ISREG(os.lstat(path).st_mode):
                yield path
