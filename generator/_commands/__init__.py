"""Subcommand handlers: one module per command family, each with ``register``."""

from __future__ import annotations
