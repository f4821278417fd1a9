"""docs/json.md lists exactly the keys that each ``--format json`` document has."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.paths import FIXTURES, ROOT

DOC = ROOT / "docs" / "json.md"
SECTION = re.compile(r"^## `tempest-matrix (?P<command>[a-z ]+) --format json`$", re.MULTILINE)
ROW = re.compile(r"^\| `(?P<key>[^`]+)` \|", re.MULTILINE)


def documented() -> dict[str, set[str]]:
    """Command -> the key paths of its table in docs/json.md."""
    text = DOC.read_text(encoding="utf-8")
    found = list(SECTION.finditer(text))
    out: dict[str, set[str]] = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(text)
        out[match["command"]] = set(ROW.findall(text, match.end(), end))
    return out


def paths(value: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON value, lists written as ``[]`` (``a[].b``)."""
    out: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            out.add(path)
            out |= paths(item, path)
    elif isinstance(value, list):
        for item in value:
            out |= paths(item, prefix + "[]")
    return out


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "emit" / "knobs", tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_documented_key_is_written_and_every_written_key_documented(
    work: Path, cli: RunCli
) -> None:
    docs = documented()
    assert set(docs) == {"generate", "check", "knobs validate"}
    # A churn with every kind of entry: a removed knob, a changed value setting,
    # an added job and a removed one.
    assert cli("-q", "generate", "--fast")[0] == 0
    catalog = work / "knobs" / "mini.yaml"
    text = catalog.read_text()
    start, end = text.index("  barbican:\n"), text.index("  cpu_models:\n")
    catalog.write_text(text[:start] + text[end:])
    _, generated, _ = cli("generate", "--fast", "--format", "json")
    catalog.write_text(text.replace("NOVA_BACKEND: LVM", "NOVA_BACKEND: LVM2"))
    _, again, _ = cli("generate", "--fast", "--format", "json")
    written = paths(json.loads(generated)) | paths(json.loads(again))
    assert written == docs["generate"]

    (work / "output" / "nova-mini" / "tempest" / "nova-mini-tm-01.conf").write_text("x\n")
    _, checked, _ = cli("check", "--fast", "--format", "json")
    assert paths(json.loads(checked)) == docs["check"]

    bad = FIXTURES / "bad_knobs"
    _, validated, _ = cli(
        "knobs",
        "validate",
        "--format",
        "json",
        str(bad / "include_missing"),
        str(bad / "unsatisfiable"),
    )
    assert paths(json.loads(validated)) == docs["knobs validate"]
