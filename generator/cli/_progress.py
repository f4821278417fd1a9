"""Progress: what a command is doing, on stderr, naming the driver and the phase.

On a terminal (and without ``-q``) one status line is overwritten in place and
cleared when the command ends, before any result is printed. With ``-v`` each
phase is one line of its own instead, also when stderr is not a terminal (a CI
log). Otherwise nothing, so pipes and logs stay clean.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from types import TracebackType

__all__ = ["Progress"]

# The engine's stage names, as a user reads them.
STAGES = {"build": "building jobs", "optimise": "optimising"}
WIDTH = 24


class Progress:
    """A context manager; ``phase`` and ``step`` do nothing unless enabled."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.lines = bool(getattr(args, "verbose", 0))
        self.enabled = self.lines or (sys.stderr.isatty() and not getattr(args, "quiet", False))
        self.shown = False
        self.last = ""

    def _write(self, text: str, phase: str) -> None:
        if not self.enabled:
            return
        if self.lines:
            if phase != self.last:  # one line per phase, not per step
                sys.stderr.write(f"tempest-matrix: {phase}\n")
        else:
            sys.stderr.write("\r\033[K" + text)
            self.shown = True
        sys.stderr.flush()
        self.last = phase

    def phase(self, driver: str, text: str) -> None:
        """``<driver>: <phase>``, e.g. ``libvirt: counting 3-way combinations of 22 jobs``."""
        self._write(f"{driver}: {text}", f"{driver}: {text}")

    def step(self, driver: str, stage: str, done: int, total: int) -> None:
        """``<driver>: <stage> [####....] done/total`` for the engine's stages."""
        filled = WIDTH * done // total if total else WIDTH
        bar = "#" * filled + "." * (WIDTH - filled)
        phase = f"{driver}: {STAGES.get(stage, stage)}"
        self._write(f"{phase} [{bar}] {done}/{total}", phase)

    def steps(self, driver: str) -> Callable[[str, int, int], None] | None:
        """The engine's progress callback for ``driver`` (None when disabled)."""
        return (lambda s, d, t: self.step(driver, s, d, t)) if self.enabled else None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
