"""Loading a bad catalog text and reading back its problems: shared by the message tables."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.catalog.loader import load_file
from generator.errors import KnobFileError

__all__ = ["problems"]


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """Load ``text`` as ``cat.yaml``; return each problem as ``line:col: message``."""
    monkeypatch.chdir(tmp_path)
    Path("cat.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(KnobFileError) as info:
        load_file("cat.yaml")
    out = []
    for problem in info.value.problems:
        assert problem.path == "cat.yaml"
        out.append(f"{problem.line}:{problem.column}: {problem.message}")
    return out
