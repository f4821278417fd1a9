"""``generate`` beside ``array`` on large catalogs: does the pipeline cost what the engine costs?

``python -m benchmarks.scale`` builds, in a temporary directory, one bare-model catalog
per case (k three-value knobs, no constraints), then times in this process loading
it and ``generator.engine.cover`` (what ``array`` runs; ``--fast`` and default) and
``generator.app.run`` (what ``generate`` runs: the same engine, then regeneration
bookkeeping, coverage counts and the rendering of the matrix, Zuul and tempest.conf
files; nothing is written). "Rendering" is ``generate`` minus ``array``; the target is
``generate`` within 1.5x of ``array`` plus rendering. Writes ``RESULTS-scale.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.machine import load_note

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["CASES", "main"]

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS-scale.md"


@dataclass(frozen=True)
class Case:
    name: str
    knobs: int
    values: int
    strength: int


CASES = (
    Case("scale_t2_3e200", 200, 3, 2),
    Case("scale_t2_3e1000", 1000, 3, 2),
    Case("scale_t3_3e100", 100, 3, 3),
)


def _catalog(folder: Path, case: Case) -> None:
    lines = [f"strength: {case.strength}", "knobs:"]
    values = ", ".join(f"'v{i}'" for i in range(case.values))
    lines += [f"  k{i}: [{values}]" for i in range(case.knobs)]
    (folder / f"{case.name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


_RENDERERS = (
    ("generator.app", "render_matrix"),
    ("generator.emit.zuul", "render_zuul"),
    ("generator.emit.tempest_conf", "render_tempest_conf"),
    ("generator.emit.changes", "rendered_changes"),
)
"""The functions that turn a matrix into text (looked up by ``generate`` at call time)."""


@contextlib.contextmanager
def _timing_renderers(spent: list[float]) -> Iterator[None]:
    """Add the seconds spent inside the rendering functions to ``spent[0]``."""
    saved = []
    for module_name, name in _RENDERERS:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def timed(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        saved.append((module, name, original))
        setattr(module, name, timed)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def measure(case: Case, fast: bool) -> tuple[int, float, int, float, float]:
    """(array rows, array s, generate jobs, generate s, rendering s) for one case."""
    from generator.app import Options, run
    from generator.catalog.loader import load_dir
    from generator.engine import cover
    from generator.engine._construct import _construct_cached

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        knobs = root / "knobs"
        knobs.mkdir()
        _catalog(knobs, case)
        _construct_cached.cache_clear()
        start = time.perf_counter()
        (catalog,) = load_dir(knobs)  # what array reads too
        result = cover(catalog.model, strength=case.strength, optimise=not fast)
        array_s = time.perf_counter() - start
        _construct_cached.cache_clear()
        spent = [0.0]
        with _timing_renderers(spent):
            start = time.perf_counter()
            (driver,) = run(knobs, root / "matrix", root / "output", [], Options(fast=fast))
            generate_s = time.perf_counter() - start
    return len(result.rows), array_s, len(driver.matrix.jobs), generate_s, spent[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--cases", nargs="+", metavar="NAME", help="only these cases")
    parser.add_argument("--output", type=Path, default=None, help="default: RESULTS-scale.md")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()[0]
    head = [
        "model",
        "mode",
        "array (rows / s)",
        "generate (jobs / s)",
        "of which rendering s",
        "generate / (array + rendering)",
        "peak MiB",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case in CASES:
        if args.cases and case.name not in args.cases:
            continue
        for fast in (True, False):
            rows, array_s, jobs, generate_s, render_s = measure(case, fast)
            mode = "--fast" if fast else "default"
            print(
                f"{case.name} {mode}: {rows} {array_s:.2f} {jobs} {generate_s:.2f}", file=sys.stderr
            )
            lines.append(
                f"| {case.name} ({case.values}^{case.knobs}, t={case.strength}) | {mode} | "
                f"{rows} / {array_s:.2f} | {jobs} / {generate_s:.2f} | "
                f"{render_s:.2f} | {generate_s / (array_s + render_s):.2f} | {_peak_mib():.0f} |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    output = args.output or (RESULTS if not args.cases else None)
    if output is not None:
        output.write_text(
            "# generate beside array\n\nWritten by `python -m benchmarks.scale`.\n\n"
            + text
            + NOTES
            + load_note(load_start),
            encoding="utf-8",
        )
    return 0


NOTES = """
How to read this table:
- Each case is a bare-model catalog of k three-value knobs without constraints, written to
  a temporary directory. "array" is loading it and `generator.engine.cover` (what
  `tempest-matrix array` runs), "generate" is `generator.app.run` (what
  `tempest-matrix generate` runs: loading, the same engine build, then the matrix
  bookkeeping, coverage counts and rendering of every file, kept in memory); both in
  this process, one run each, in-process seconds.
- "rendering" is the time `generate` spent inside the functions that turn the matrix
  into text (`render_matrix`, `render_zuul`, `render_tempest_conf`, and the churn
  report's `rendered_changes`); the target is generate / (array + rendering) <= 1.5.
- Peak MiB is this process's resident high-water mark so far (`ru_maxrss`), so it bounds
  every earlier row too.
"""


if __name__ == "__main__":
    raise SystemExit(main())
