"""Where the tests find the repository's files: one definition for every test module."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BENCH_MODELS", "FIXTURES", "GOLDEN", "MODELS", "ROOT"]

ROOT = Path(__file__).resolve().parent.parent
"""The repository root (``knobs/``, ``matrix/``, ``output/``)."""
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
MODELS = FIXTURES / "models"
BENCH_MODELS = ROOT / "benchmarks" / "models"
