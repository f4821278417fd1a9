"""Loading a bad catalog text and reading back its problems: shared by the catalog tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.catalog.loader import load_file
from generator.errors import KnobFileError, Problem

__all__ = ["problems", "rendered_problems"]


def _refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[Problem, ...]:
    """Load ``text`` (dedented) as ``cat.yaml`` in ``tmp_path``; the problems it raises."""
    monkeypatch.chdir(tmp_path)
    Path("cat.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(KnobFileError) as info:
        load_file("cat.yaml")
    return info.value.problems


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """Each problem of ``text`` as ``line:col: message`` (all in ``cat.yaml``)."""
    out = []
    for problem in _refused(tmp_path, monkeypatch, text):
        assert problem.path == "cat.yaml"
        out.append(f"{problem.line}:{problem.column}: {problem.message}")
    return out


def rendered_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """Each problem of ``text`` rendered in full, as the CLI prints it (with its stanza)."""
    return [problem.render() for problem in _refused(tmp_path, monkeypatch, text)]
