"""``tempest-matrix lint`` and the lint that ``check`` runs: exit codes and output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.audit.lint_rules import RULES
from generator.matrix import read_matrix
from tests.conftest import RunCli
from tests.paths import FIXTURES, ROOT

ZUUL = FIXTURES / "zuul"


def test_shipped_output_is_clean(cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    jobs = len(read_matrix(ROOT / "matrix" / "libvirt.yaml").jobs)
    assert cli("lint", "output/nova-libvirt/zuul.d", "--upstream") == (
        0,
        f"{jobs} jobs linted, 0 findings\n",
        "",
    )


def test_findings_exit_1_one_line_each(cli: RunCli) -> None:
    code, out, err = cli("-q", "lint", str(ZUUL / "lint-bad"), "--upstream")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert len(lines) == 18
    assert all(line.startswith(str(ZUUL)) and line.endswith("]") for line in lines)
    code, out, _ = cli("lint", str(ZUUL / "lint-bad"), "--upstream")
    assert out.endswith("18 findings in 11 of 12 jobs linted (" + out.rsplit("(", 1)[1])


def test_json(cli: RunCli) -> None:
    code, out, _ = cli("lint", str(ZUUL / "nova"), "--upstream", "--format", "json")
    document = json.loads(out)
    assert code == 1
    assert document["counts"] == [{"rule": "plugin-option", "findings": 1}]
    assert document["findings"][0]["job"] == "nova-next"
    assert {
        "job": "nova-osprofiler-redis",
        "reason": ("parent tempest-smoke-py3-osprofiler-redis is not in the given files"),
    } in document["not_linted"]


def test_nothing_linted_is_a_failure_that_says_what_to_pass(cli: RunCli) -> None:
    code, out, err = cli("lint", str(ZUUL / "nova"))
    assert code == 1
    assert out.endswith("0 jobs linted, 0 findings; 21 jobs not linted\n")
    assert err == (
        f"tempest-matrix: lint: no devstack job to lint in {ZUUL / 'nova'}; pass the "
        "repositories that define their parents (e.g. devstack and tempest) after the "
        "linted project\n"
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("bad/malformed", "malformed/.zuul.yaml:3:20: YAML syntax error"),
        ("bad/cycle", "parent cycle"),
        ("no-such-repo", "no-such-repo: no such file or directory"),
    ],
)
def test_bad_input_exits_2(cli: RunCli, path: str, message: str) -> None:
    code, out, err = cli("lint", str(ZUUL / path), str(ZUUL / "devstack"))
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_help_lists_every_rule(cli: RunCli) -> None:
    code, out, _ = cli("lint", "--help")
    assert code == 0
    for rule in RULES:
        assert f"  {rule} " in out


def test_check_fails_on_a_lint_finding_in_the_generated_folders(
    tmp_path: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / "emit" / "knobs", tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    assert cli("-q", "generate", "--fast")[0] == 0
    assert cli("check", "--fast")[0] == 0
    # A team's own job next to the generated ones: only run-tempest's smoke default.
    (tmp_path / "output" / "nova-mini" / "zuul.d" / "project.yaml").write_text(
        "- job:\n    name: nova-mini-smoke\n    parent: devstack-tempest\n"
    )
    code, out, _ = cli("check", "--fast")
    assert code == 1
    assert (
        "output/nova-mini/zuul.d/project.yaml:2: nova-mini-smoke: tox_envlist 'smoke' "
        "(unset: run-tempest's default) runs only smoke tests"
    ) in out
    assert "run: tempest-matrix lint output/nova-mini/zuul.d --upstream\n" in out
    assert out.endswith("9 generated files are up to date; lint: 8 jobs, 1 finding\n")
