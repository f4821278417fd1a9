"""Real constrained models: DIMACS CNF files of configurable systems, pairwise.

``python -m benchmarks.cnf`` runs ``tempest-matrix array FILE.cnf`` (default options,
then ``--fast``) on each file of ``models/cnf/`` as a separate process, so the time is
the whole process (start-up, reading, feasibility, generation, output) and the memory
is that process's peak resident set (``ru_maxrss`` from ``os.wait4``). Each array is checked
by :mod:`benchmarks.cnf_checker` (SAT-based, no code shared with the engine). The
peers' figures are the smallest published in CAmpactor's results table
(chuanluocs/CAmpactor ``experimental_results/``; ESEC/FSE 2023). Writes
``RESULTS-cnf.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.cnf_checker import CnfChecker
from benchmarks.machine import load_note

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["MODELS", "main"]

HERE = Path(__file__).resolve().parent
CNF = HERE / "models" / "cnf"
RESULTS = HERE / "RESULTS-cnf.md"


@dataclass(frozen=True)
class Published:
    """A model's best published pairwise size and SamplingCA's, from CAmpactor's table."""

    file: str
    best: int
    best_by: str
    sampling_ca: int


MODELS = (
    Published("buildroot.cnf", 15, "AutoCCAG/TCA 15, CAmpactor 16 in 2.6 s", 28),
    Published("busybox_1_28_0.cnf", 24, "CAmpactor 24 in 64 s", 57),
    Published("linux.cnf", 51, "CAmpactor 51 in 279 s", 111),
    Published("ecos-icse11.cnf", 47, "CAmpactor 47 in 243 s", 107),
)


@dataclass
class Run:
    rows: int
    seconds: float
    peak_mib: float
    valid: bool
    note: str


def _array(path: Path, extra: Sequence[str]) -> Run:
    """One whole-process ``tempest-matrix array`` run, checked; the child's own peak
    memory comes from ``os.wait4``."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "generator", "-q", "array", str(path), *extra],
            stdout=out,
            stderr=err,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    peak = usage.ru_maxrss / 1024.0
    if child.returncode != 0:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        return Run(0, seconds, peak, False, last)
    rows = list(csv.reader(io.StringIO(stdout)))[1:]
    checker = CnfChecker(path)
    try:
        valid, why = checker.check(rows)
    finally:
        checker.close()
    return Run(len(rows), seconds, peak, valid, why)


def table(results: Sequence[tuple[Published, Run, Run]]) -> str:
    head = [
        "model",
        "ours default (rows / s / MiB)",
        "ours --fast (rows / s / MiB)",
        "valid",
        "best published",
        "SamplingCA",
        "default / best",
        "target (1.25x best)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for pub, full, fast in results:
        target = math.ceil(pub.best * 1.25)
        cells = [
            pub.file.removesuffix(".cnf"),
            f"{full.rows} / {full.seconds:.1f} / {full.peak_mib:.0f}",
            f"{fast.rows} / {fast.seconds:.1f} / {fast.peak_mib:.0f}",
            "yes" if full.valid and fast.valid else f"NO ({full.note}; {fast.note})",
            f"{pub.best} ({pub.best_by})",
            str(pub.sampling_ca),
            f"{full.rows / pub.best:.2f}",
            f"{target}: {'met' if full.valid and full.rows <= target else 'not met'}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


NOTES = """
How to read this table:
- Each run is one process, `python -m generator -q array FILE.cnf` (default options, then
  `--fast`), timed from outside (start-up, reading the file, feasibility, generation and
  CSV output all included); MiB is the child process's peak resident set (`ru_maxrss`).
- "valid": `benchmarks/cnf_checker.py` (Glucose 4 via python-sat, its own DIMACS parser, no
  code shared with the engine) found every row satisfying every clause and proved every
  pair the rows miss infeasible.
- Peers: the smallest sizes in CAmpactor's published results table (ESEC/FSE 2023,
  chuanluocs/CAmpactor `experimental_results/`), with the time reported there (their
  machine, not this one); the DIMACS files are that repository's `cnf_benchmarks/`.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cnf", description=__doc__)
    parser.add_argument("--models", nargs="+", metavar="FILE", help="only these files")
    parser.add_argument("--output", type=Path, default=None, help="default: RESULTS-cnf.md")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()[0]
    chosen = [m for m in MODELS if not args.models or m.file in args.models]
    results = []
    for pub in chosen:
        path = CNF / pub.file
        full = _array(path, [])
        fast = _array(path, ["--fast"])
        print(f"{pub.file}: {full} / {fast}", file=sys.stderr, flush=True)
        results.append((pub, full, fast))
    text = table(results)
    print(text)
    output = args.output or (RESULTS if not args.models else None)
    if output is not None:
        output.write_text(
            "# CNF benchmark results\n\nWritten by `python -m benchmarks.cnf`.\n\n"
            + text
            + NOTES
            + load_note(load_start),
            encoding="utf-8",
        )
    return 0 if all(f.valid and q.valid for _, f, q in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
