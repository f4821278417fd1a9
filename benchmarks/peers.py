"""Peer generators run by the harness: allpairspy in-process, PICT as a subprocess."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.model import Condition, Model, Row

__all__ = ["pict_binary", "run_allpairspy", "run_pict"]


def _match_prefix(cond: Condition, assignment: dict[str, str]) -> bool | None:
    """True/False when every knob of ``cond`` is assigned, None when some are not yet."""
    for knob, values in cond:
        if knob not in assignment:
            return None
        if assignment[knob] not in values:
            return False
    return True


def run_allpairspy(model: Model, strength: int) -> tuple[list[Row], float]:
    """allpairspy's ``AllPairs`` with a ``filter_func`` rejecting partial rows that break a rule."""
    from allpairspy import AllPairs

    names = [p.name for p in model.parameters]
    rules = model.constraints

    def allowed(partial: list[str]) -> bool:
        assignment = dict(zip(names, partial, strict=False))
        for rule in rules:
            cond = _match_prefix(rule.condition, assignment)
            if not cond:
                continue
            if rule.kind == "forbid":
                return False
            if _match_prefix(rule.then, assignment) is False:
                return False
        return True

    start = time.perf_counter()
    gen = AllPairs([list(p.values) for p in model.parameters], filter_func=allowed, n=strength)
    rows: list[Row] = [tuple(str(v) for v in r) for r in gen]
    return rows, time.perf_counter() - start


def pict_binary() -> str | None:
    return shutil.which("pict")


def _pict_value(value: str) -> str:
    return value if re.fullmatch(r"-?\d+(\.\d+)?", value) else '"' + value + '"'


def _pict_cond(cond: Condition) -> str:
    parts = []
    for knob, values in cond:
        if len(values) == 1:
            parts.append(f"[{knob}] = {_pict_value(values[0])}")
        else:
            parts.append(f"[{knob}] IN {{{', '.join(_pict_value(v) for v in values)}}}")
    return " AND ".join(parts)


def run_pict(binary: str, model: Model, strength: int) -> tuple[list[Row], float]:
    """PICT's rows for the model (whole-process wall time, like the recorded figures)."""
    lines = [f"{p.name}: {', '.join(p.values)}" for p in model.parameters]
    lines.append("")
    for rule in model.constraints:
        if rule.kind == "forbid":
            # PICT has no bare FALSE consequent: negate the last pair instead
            *head, (knob, values) = rule.condition
            then = " AND ".join(f"[{knob}] <> {_pict_value(v)}" for v in values)
            cond = _pict_cond(tuple(head))
            lines.append(f"IF {cond} THEN {then};" if cond else f"{then};")
        else:
            lines.append(f"IF {_pict_cond(rule.condition)} THEN {_pict_cond(rule.then)};")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        start = time.perf_counter()
        out = subprocess.run(
            [binary, str(path), f"/o:{strength}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        elapsed = time.perf_counter() - start
    table = [line.split("\t") for line in out.splitlines() if line.strip()]
    return [tuple(r) for r in table[1:]], elapsed
