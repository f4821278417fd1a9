"""The machine a benchmark ran on: one note every results file ends with."""

from __future__ import annotations

import os

__all__ = ["load_note"]


def load_note(start: float) -> str:
    """How busy the (shared) machine was from ``start`` (the 1-minute load average then)
    to now: timings move with it, sizes do not."""
    return (
        f"- Machine load (1-minute average) at the start of this run {start:.1f}, at the "
        f"end {os.getloadavg()[0]:.1f}, on 2 cores shared with other jobs: times are "
        "indicative (re-time on a quiet machine), sizes are deterministic.\n"
    )
