"""Argument types shared by the subcommands (argparse ``type=`` callables)."""

from __future__ import annotations

import argparse

__all__ = ["FLAGS", "natural", "positive"]

FLAGS = {
    "fresh": "--fresh",
    "max_jobs": "--max-jobs",
    "max_steps": "--steps",
    "strength": "--strength",
}
"""The command-line flag of each library parameter a ``ParameterError`` may name."""


def _integer(text: str, minimum: int, kind: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected a {kind} integer, got {value}")
    return value


def positive(text: str) -> int:
    """An integer >= 1 (strengths, job counts, step budgets)."""
    return _integer(text, 1, "positive")


def natural(text: str) -> int:
    """An integer >= 0 (seeds)."""
    return _integer(text, 0, "non-negative")
