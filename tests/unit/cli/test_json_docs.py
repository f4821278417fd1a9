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
ROW = re.compile(r"^\| `(?P<key>[^`]+)` \|(?P<meaning>.*)$", re.MULTILINE)


def documented() -> tuple[dict[str, set[str]], set[str]]:
    """Command -> the key paths of its table in docs/json.md; and the paths of maps
    keyed by knob names (``{knob: ...}``), whose keys are data, not documented keys."""
    text = DOC.read_text(encoding="utf-8")
    found = list(SECTION.finditer(text))
    out: dict[str, set[str]] = {}
    maps: set[str] = set()
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(text)
        rows = list(ROW.finditer(text, match.end(), end))
        out[match["command"]] = {row["key"] for row in rows}
        maps |= {row["key"] for row in rows if "`{knob:" in row["meaning"]}
    return out, maps


def paths(value: Any, prefix: str = "", maps: frozenset[str] = frozenset()) -> set[str]:
    """Every key path of a JSON value, lists written as ``[]`` (``a[].b``); the keys
    of the ``maps`` paths are not followed."""
    out: set[str] = set()
    if prefix in maps:
        return out
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            out.add(path)
            out |= paths(item, path, maps)
    elif isinstance(value, list):
        for item in value:
            out |= paths(item, prefix + "[]", maps)
    return out


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES / "emit" / "knobs", tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_documented_key_is_written_and_every_written_key_documented(
    work: Path, cli: RunCli
) -> None:
    docs, _ = documented()
    assert set(docs) == {"generate", "check", "knobs validate", "lint", "audit"}
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
    # A team's own job next to the generated ones, running only smoke: a lint finding.
    (work / "output" / "nova-mini" / "zuul.d" / "local.yaml").write_text(
        "- job:\n    name: local-smoke\n    parent: devstack-tempest\n"
    )
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


def test_audit_json_keys_are_documented(cli: RunCli) -> None:
    docs, maps = documented()
    small = FIXTURES / "zuul" / "audit-small"
    written: set[str] = set()
    for sources in (["pipelines", "project", "base"], ["project", "base"]):
        _, out, _ = cli(
            "-q",
            "audit",
            "--catalog",
            str(small / "knobs"),
            "--format",
            "json",
            "--zuul",
            *(str(small / s) for s in sources),
        )
        written |= paths(json.loads(out), maps=frozenset(maps))
    nova = [str(FIXTURES / "zuul" / r) for r in ("nova", "devstack", "tempest")]
    _, out, _ = cli(
        "-q", "audit", "--catalog", str(ROOT / "knobs"), "--format", "json", "--zuul", *nova
    )
    written |= paths(json.loads(out), maps=frozenset(maps))
    assert written == docs["audit"]


def test_lint_json_keys_are_documented(cli: RunCli) -> None:
    docs, _ = documented()
    written: set[str] = set()
    for project in ("lint-bad", "nova"):
        code, out, _ = cli(
            "lint", str(FIXTURES / "zuul" / project), "--upstream", "--format", "json"
        )
        assert code == 1
        written |= paths(json.loads(out))
    assert written == docs["lint"]
