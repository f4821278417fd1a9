"""Run the CLI in-process on hostile input and check what every run must promise.

Every run: an exit status in {0, 1, 2, 3}, no traceback and no internal error, a
message naming an input file when the input is refused (exit 2), a bounded peak of
resident memory and no hang; a failed run changes no file, and no run changes a file
outside the repository. The figures of each run are reported to Hypothesis
(``event`` and ``target``), so ``--hypothesis-show-statistics`` lists the inputs,
exit statuses and the largest time and memory per class.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import event, target

from generator.cli import main
from generator.files import LOCK_NAME
from tests.paths import FIXTURES, ROOT
from tests.snapshots import file_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from types import FrameType

__all__ = [
    "HANG_SECONDS",
    "MEMORY_LIMIT",
    "Run",
    "Workspace",
    "large",
    "run_cli",
    "snapshot",
    "up_to_date",
]

HANG_SECONDS = 60.0
"""A run taking longer than this on these small inputs is a hang (killed and failed)."""
MEMORY_LIMIT = 512 * 1024 * 1024
"""Most memory one run on these small inputs may add to the process's resident set."""
ALLOWED = frozenset({0, 1, 2, 3})


def large() -> bool:
    """Whether the large example budget was asked for (``tox -e property``)."""
    return os.environ.get("TM_HYPOTHESIS_PROFILE") == "large"


class Hang(SystemExit):
    """Raised in the run by the alarm; the CLI's boundary lets SystemExit through."""


@dataclass(frozen=True, slots=True)
class Run:
    """What one run gave."""

    argv: tuple[str, ...]
    code: int
    out: str
    err: str
    seconds: float
    peak: int


def _alarm(signum: int, frame: FrameType | None) -> None:
    del signum, frame
    raise Hang(f"no result after {HANG_SECONDS:.0f} s")


def _status(field: str) -> int:
    """A ``VmRSS``/``VmHWM`` figure of this process in bytes (0 where /proc has none)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> int:
    """Reset the process's peak resident set (Linux ``clear_refs``); the current one."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    return _status("VmRSS")


def _peak() -> int:
    return _status("VmHWM")


def run_cli(argv: Sequence[str], cwd: Path, *, label: str) -> Run:
    """``tempest-matrix argv`` in ``cwd``, captured, timed, with the resident memory
    it added at its peak (traced without slowing the run down)."""
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    here = Path.cwd()
    os.chdir(cwd)
    base = _reset_peak()
    start = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - start
        peak = _peak() - base
        os.chdir(here)
        signal.signal(signal.SIGALRM, previous)
    run = Run(tuple(argv), code, out.getvalue(), err.getvalue(), seconds, peak)
    event(f"{label}: exit {code}")
    return run


def check(run: Run, *, names: Sequence[str]) -> None:
    """The promises of every run; ``names``: what a refusal must name (one of them)."""
    shown = f"{list(run.argv)} -> {run.code}\n{run.err[-2000:]}"
    assert run.code in ALLOWED, shown
    if "--debug" not in run.argv:  # which asks for the traceback of any error
        assert "Traceback" not in run.err, shown
    assert "internal error" not in run.err, shown
    assert run.peak < MEMORY_LIMIT, f"{run.peak / 2**20:.0f} MiB: {shown}"
    if run.code == 2:
        assert any(name in run.err for name in names), f"names none of {names}: {shown}"


def up_to_date(run: Run) -> bool:
    """Whether ``check`` found the generated files up to date (lint findings aside:
    they are about the jobs, not about stale files)."""
    stale = ("stale: ", "missing: ", "extra: ")
    return run.code in {0, 1} and not any(word in run.out for word in stale)


def snapshot(root: Path) -> dict[str, bytes]:
    """The files under ``root`` but a run's lock file: a lock left by a killed run is the
    tool's own, and any run may remove it."""
    return file_bytes(root, ignore_names=frozenset({LOCK_NAME}))


class Workspace:
    """A repository copy (``repo/``) next to a folder it must never touch (``outside/``),
    in a temporary folder removed on exit; the slowest and largest run of each label
    become Hypothesis targets (one per label and input)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory()
        self.base = Path(self._folder.name)
        self.repo = self.base / "repo"
        self.outside = self.base / "outside"
        self.repo.mkdir()
        self.outside.mkdir()
        (self.outside / "precious.conf").write_text("not generated\n", encoding="utf-8")
        self.maxima: dict[str, float] = {}

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        for label, value in self.maxima.items():
            target(value, label=label)
        self._folder.cleanup()

    def add(self, source: Path, name: str) -> Path:
        """Copy a file or folder of the repository's fixtures into ``repo/name``."""
        destination = self.repo / name
        if source.is_dir():
            shutil.copytree(source, destination)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
        return destination

    @contextlib.contextmanager
    def unchanged_outside(self) -> Iterator[None]:
        """Fail if anything under ``outside/`` changed."""
        before = snapshot(self.outside)
        yield
        assert snapshot(self.outside) == before, "a run changed a file outside the repository"

    def run(self, *argv: str, label: str, names: Sequence[str]) -> Run:
        """Run, check the promises; a failed run must leave ``repo/`` as it was."""
        before = snapshot(self.repo)
        with self.unchanged_outside():
            result = run_cli(argv, self.repo, label=label)
        for key, value in (
            (f"{label}: seconds", result.seconds),
            (f"{label}: MiB", result.peak / 2**20),
        ):
            self.maxima[key] = max(self.maxima.get(key, 0.0), value)
        check(result, names=names)
        if result.code != 0:
            assert snapshot(self.repo) == before, f"a failed run changed files: {argv}"
        return result


SHIPPED = ROOT / "knobs"
MINI = FIXTURES / "emit" / "knobs"
MODELS = FIXTURES / "models"
AUDIT_SMALL = FIXTURES / "zuul" / "audit-small"
