"""Subcommand ``array``: print the covering array of a catalog or bare model file.

A general pairwise / t-way tool: rows go to stdout as CSV (a header of knob
names, then one row per job; "not applicable" is an empty field) or JSON; a
one-line summary goes to stderr unless ``-q``; a progress line only when stderr
is a terminal.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import TYPE_CHECKING

from generator.cli._args import add_format, add_seed, add_strength, natural, positive
from generator.cli._progress import Progress
from generator.errors import EXIT_OK

if TYPE_CHECKING:
    from generator.engine import CoverResult

__all__ = ["register"]


def _pin(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(","):
        knob, sep, value = part.partition("=")
        knob, value = knob.strip(), value.strip()
        if not sep or not knob or not value:
            raise argparse.ArgumentTypeError(f"expected KNOB=VALUE[,KNOB=VALUE...], got {text!r}")
        if knob in out:
            raise argparse.ArgumentTypeError(f"knob {knob!r} given twice in {text!r}")
        out[knob] = value
    return out


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "array",
        help="print the covering array (jobs) of a catalog or bare model file",
        description=(
            "Print rows covering every feasible t-way combination of knob values of FILE "
            "(a driver catalog or a bare model: plain value lists and forbid / if-then "
            "constraints; or a DIMACS CNF file: options x1..xn with values 0/1, one "
            "constraint per clause), none violating a constraint."
        ),
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="catalog or bare model file (YAML), or a DIMACS CNF file (*.cnf, *.dimacs)",
    )
    add_strength(parser, "the file's, else 2")
    add_seed(parser)
    parser.add_argument(
        "--max-jobs", type=positive, metavar="N", help="at most N rows, the best coverage they give"
    )
    parser.add_argument(
        "--pin",
        type=_pin,
        action="append",
        default=[],
        metavar="K=V,K=V",
        help="a row that must come first with these values (repeatable)",
    )
    parser.add_argument(
        "--fast", action="store_true", help="skip the engine's post-optimisation (more rows)"
    )
    parser.add_argument("--steps", type=natural, metavar="N", help="post-optimisation step budget")
    parser.add_argument(
        "--max-tuples",
        type=positive,
        metavar="N",
        help="refuse a build with more combinations to cover than N (default: 50 million)",
    )
    add_format(parser, "csv", "json")
    parser.set_defaults(handler=run)


def _csv(result: CoverResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.names)
    for row in result.rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def _json(result: CoverResult) -> str:
    data = {
        "schema_version": 1,
        "strength": result.strength,
        "seed": result.seed,
        "parameters": list(result.names),
        "rows": [dict(zip(result.names, row, strict=True)) for row in result.rows],
        "coverable": result.coverable,
        "covered": result.covered,
        "coverage": round(result.coverage, 6),
        "infeasible": [
            {
                "assignment": dict(item.assignment),
                "kind": item.kind,
                "constraints": [c.label() for c in item.constraints],
            }
            for item in result.infeasible
        ],
    }
    return json.dumps(data, indent=2) + "\n"


def run(args: argparse.Namespace) -> int:
    from generator.app import check_catalog
    from generator.catalog.dimacs import SUFFIXES, read_dimacs
    from generator.catalog.loader import load_file
    from generator.engine import cover

    # Every problem is reported, as by every command.
    dimacs = args.file.lower().endswith(SUFFIXES)
    catalog = read_dimacs(args.file) if dimacs else load_file(args.file)
    strength = args.strength if args.strength is not None else catalog.strength
    # What knobs validate checks, naming the file.
    space = check_catalog(catalog, strength, args.max_tuples)
    with Progress(args) as progress:
        result = cover(
            catalog.model,
            space=space,
            strength=strength,
            seed=args.seed or 0,
            max_jobs=args.max_jobs,
            initial=args.pin,
            optimise=not args.fast,
            max_steps=args.steps,
            progress=progress.steps(catalog.driver),
            **({} if args.max_tuples is None else {"max_tuples": args.max_tuples}),
        )
    sys.stdout.write(_csv(result) if args.format == "csv" else _json(result))
    if not args.quiet:
        sys.stderr.write(
            f"{len(result.rows)} rows; {result.covered}/{result.coverable} coverable "
            f"{strength}-way combinations covered ({100 * result.coverage:.1f}%); "
            f"{result.infeasible_count} infeasible\n"
        )
    return EXIT_OK
