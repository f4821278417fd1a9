"""Test selection: a value whose declared tests no job would run is refused, by
``knobs validate`` as by ``generate`` when the failure is certain, and by ``generate``
alone when it depends on what else the job installs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.snapshots import file_bytes

HEAD = (
    "driver: m\nrepo: nova-m\nbaseline_tests: ['tempest\\.api\\.compute\\.servers']\n"
    "knobs:\n  a:\n    values:\n      - x:\n"
)
LIVE_MIGRATION = "          tests: ['tempest\\.api\\.compute\\.admin\\.test_live_migration']\n"
OWN_EXCLUSION = "          exclude_tests: ['tempest\\.api\\.compute\\.admin']\n"
OTHER = "  b: [p, q]\n"
PARTNER = (
    "      - y\n  b:\n    values:\n      - p:\n"
    "          exclude_tests: ['tempest\\.api\\.compute\\.admin']\n      - q\n"
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository with a ``knobs/`` folder, as the working directory."""
    (tmp_path / "knobs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused_everywhere(work: Path, cli: RunCli, message: str) -> None:
    for argv in (("knobs", "validate"), ("generate", "--fast")):
        assert cli(*argv) == (2, "", f"tempest-matrix: {message}\n"), argv
    assert sorted(file_bytes(work)) == ["knobs/m.yaml"]


def test_a_value_excluding_its_own_tests_is_refused(work: Path, cli: RunCli) -> None:
    (work / "knobs" / "m.yaml").write_text(
        HEAD + LIVE_MIGRATION + OWN_EXCLUSION + "      - y\n" + OTHER, encoding="utf-8"
    )
    _refused_everywhere(
        work,
        cli,
        "knobs/m.yaml:7:9: knob 'a' value 'x': its exclude_tests (or the driver's) remove "
        "every test its tests select; narrow the exclusion",
    )


def test_a_partner_excluding_a_values_tests_is_refused_unless_forbidden(
    work: Path, cli: RunCli
) -> None:
    path = work / "knobs" / "m.yaml"
    path.write_text(HEAD + LIVE_MIGRATION + PARTNER, encoding="utf-8")
    _refused_everywhere(
        work,
        cli,
        "knobs/m.yaml:7:9: knob 'a' value 'x': the exclude_tests of b=p (knobs/m.yaml:12:9) "
        "remove every test it selects, and every allowed pair of values meets in some job; "
        "narrow the exclusion or forbid the combination",
    )
    # At strength 1 the two need not meet: nothing is certain before the build.
    assert cli("-q", "array", "knobs/m.yaml", "--strength", "1", "--fast")[0] == 0
    path.write_text(
        path.read_text(encoding="utf-8") + "constraints:\n  - forbid: {a: x, b: p}\n",
        encoding="utf-8",
    )
    assert cli("knobs", "validate") == (0, "ok: 1 driver, 2 knobs\n", "")
    assert cli("-q", "generate", "--fast") == (0, "", "")


def test_tests_of_a_plugin_the_job_lacks_are_refused_by_generate(work: Path, cli: RunCli) -> None:
    (work / "knobs" / "m.yaml").write_text(
        HEAD + "          tests: ['whitebox_tempest_plugin\\.api\\.compute']\n      - y\n" + OTHER,
        encoding="utf-8",
    )
    # Another value could install the plugin, so validate cannot know; the build can.
    assert cli("knobs", "validate")[0] == 0
    code, out, err = cli("generate", "--fast")
    assert (code, out) == (2, "")
    assert err == (
        "tempest-matrix: job nova-m-tm-01: none of the tests declared by a=x "
        "(knobs/m.yaml:7:9) is selected (excluded, or its tempest plugin is not installed "
        "by the job)\n"
    )
    assert sorted(file_bytes(work)) == ["knobs/m.yaml"]
