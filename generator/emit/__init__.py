"""Emit stage: a matrix row to the Zuul job and tempest.conf it writes.

The renderers live in :mod:`generator.emit.zuul` and :mod:`generator.emit.tempest_conf`.
"""

from __future__ import annotations

from generator.emit.job_settings import (
    EmitError,
    JobSettings,
    ini_value,
    is_multinode,
    merge_settings,
)

__all__ = [
    "EmitError",
    "JobSettings",
    "ini_value",
    "is_multinode",
    "merge_settings",
]
