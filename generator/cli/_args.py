"""Argument types shared by the subcommands (argparse ``type=`` callables)."""

from __future__ import annotations

import argparse
import re

__all__ = ["FLAGS", "add_job_sources", "natural", "path_arg", "positive", "seed"]

FLAGS = {
    "fresh": "--fresh",
    "max_jobs": "--max-jobs",
    "max_steps": "--steps",
    "max_tuples": "--max-tuples",
    "strength": "--strength",
}
"""The command-line flag of each library parameter a ``ParameterError`` may name."""


_DIGITS = re.compile(r"[+-]?[0-9]+")
SEED_LIMIT = 2**64
"""Seeds are 64-bit (the engine's SplitMix64): a larger one would act as a smaller one."""


def _integer(text: str, minimum: int, kind: str, limit: int | None = None) -> int:
    # ASCII digits only: int() also reads "٣" and "2_0", which no user means as 3 and 20.
    if not _DIGITS.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}")
    value = int(text)
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected a {kind} integer, got {value}")
    if limit is not None and value >= limit:
        raise argparse.ArgumentTypeError(f"expected an integer below {limit}, got {value}")
    return value


def positive(text: str) -> int:
    """An integer >= 1 (strengths, job counts, step budgets)."""
    return _integer(text, 1, "positive")


def natural(text: str) -> int:
    """An integer >= 0 (job counts, step budgets)."""
    return _integer(text, 0, "non-negative")


def seed(text: str) -> int:
    """A seed: an integer from 0 to 2**64 - 1."""
    return _integer(text, 0, "non-negative", SEED_LIMIT)


def path_arg(text: str) -> str:
    """A file or folder name: not empty (an empty one would mean the current folder)."""
    if not text:
        raise argparse.ArgumentTypeError("expected a path, got an empty string")
    return text


# --- options shared by several subcommands: one definition, the same metavar and help ---

CATALOG_HELP = (
    "folder of the driver catalogs (default: knobs/ of the repository, found from the "
    "current folder upwards)"
)


def add_catalog(parser: argparse.ArgumentParser) -> None:
    """``--catalog DIR``."""
    parser.add_argument("--catalog", type=path_arg, metavar="DIR", help=CATALOG_HELP)


def add_matrix_dir(parser: argparse.ArgumentParser) -> None:
    """``--matrix-dir DIR``."""
    parser.add_argument(
        "--matrix-dir",
        type=path_arg,
        metavar="DIR",
        help="folder of the matrix files (default: matrix/ of the repository)",
    )


def add_strength(parser: argparse.ArgumentParser, default: str = "the catalog's") -> None:
    """``--strength T`` (``-t``)."""
    parser.add_argument(
        "--strength", "-t", type=positive, metavar="T", help=f"t-way strength (default: {default})"
    )


def add_seed(parser: argparse.ArgumentParser, default: str = "0") -> None:
    """``--seed S``: what it changes is the same for every command."""
    parser.add_argument(
        "--seed",
        type=seed,
        metavar="S",
        help="seed of the engine's random choices: another seed gives other (equally "
        f"valid) jobs, the same seed the same jobs (default: {default})",
    )


def add_format(parser: argparse.ArgumentParser, *choices: str, doc: str = "docs/json.md") -> None:
    """``--format {table,json,...}``, the first choice the default."""
    extra = f"; json keys: {doc}" if "json" in choices else ""
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format (default: {choices[0]}{extra})",
    )


def add_job_sources(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """``--matrix FILE...`` or ``--zuul PATH...``: where the jobs to look at come from."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(
        "--matrix", nargs="+", type=path_arg, metavar="FILE", help="generated matrix file(s)"
    )
    group.add_argument(
        "--zuul",
        nargs="+",
        type=path_arg,
        metavar="PATH",
        help="Zuul config: a repository, zuul.d/ folder or file; the first is the audited "
        "project, later ones (devstack, tempest, plugins) only define parents and nodesets",
    )
