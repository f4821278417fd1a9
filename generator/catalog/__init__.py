"""Catalog stage: read and validate ``knobs/*.yaml`` into a :class:`~generator.model.Catalog`."""

from __future__ import annotations

from generator.catalog.loader import (
    load_dir,
    load_file,
)

__all__ = [
    "load_dir",
    "load_file",
]
