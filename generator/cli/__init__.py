"""Command-line stage: one module per command family, each with ``register``."""

from __future__ import annotations

from generator.cli.entry import build_parser, main

__all__ = ["build_parser", "main"]
