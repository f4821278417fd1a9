"""``tempest-matrix generate``'s churn report: every changed, added and removed job by
name, what changed in each, and when a fresh build would need clearly fewer jobs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.matrix import read_matrix
from tests.conftest import RunCli
from tests.paths import FIXTURES

MINI = FIXTURES / "emit" / "knobs"
CHURN = FIXTURES / "churn"
NEW_KNOB = """\
  console:
    default: vnc
    values:
      - vnc:
          localrc: {NOVA_VNC_ENABLED: true}
      - spice:
          plugins: {spice: https://opendev.org/openstack/spice}
      - serial:
          nodeset: openstack-two-node-noble
constraints:
  - forbid: {virt_type: kvm, console: serial}
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(MINI, tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "knobs" / "mini.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_adding_a_knob_names_every_job_and_what_it_gained(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    before = read_matrix(work / "matrix" / "mini.yaml")
    _edit(work, "constraints:\n", NEW_KNOB)
    _edit(work, "projects:\n", "projects:\n  spice: openstack/spice\n")
    code, out, err = cli("generate", "--fast")
    assert (code, err) == (0, "")
    after = {job.name: job.as_dict() for job in read_matrix(work / "matrix" / "mini.yaml").jobs}
    lines = out.splitlines()
    for job in before.jobs:
        value = after[job.name]["console"]
        line = next(line for line in lines if line.startswith(f"  changed {job.name}: "))
        assert f"new knob console={value}" in line
        assert ("plugins +spice" in line) == (value == "spice")
        if value == "serial":
            assert "nodeset openstack-single-node-noble -> openstack-two-node-noble" in line
    added = [name for name in after if name not in {job.name for job in before.jobs}]
    if added:
        assert f"  added {len(added)}: {', '.join(added)}" in lines


def test_a_settings_only_change_is_reported_as_such(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    jobs = read_matrix(work / "matrix" / "mini.yaml").jobs
    lvm = [job.name for job in jobs if job.as_dict()["images_type"] == "lvm"]
    _edit(work, "localrc: {NOVA_BACKEND: LVM}", "localrc: {NOVA_BACKEND: LVM, LVM_SIZE: 24}")
    code, out, _ = cli("generate", "--fast")
    assert code == 0
    kept = len(jobs) - len(lvm)
    assert f"churn: {kept} kept, {len(lvm)} changed, 0 added, 0 removed\n" in out
    for name in lvm:
        assert (
            f"  changed {name}: same knob values, rendered files changed: settings localrc LVM_SIZE"
            in out.splitlines()
        )


def test_a_changed_pipeline_is_a_change(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    code, out, _ = cli("generate", "--fast", "--check-jobs", "1")
    assert code == 0
    assert "pipeline check+gate+periodic-weekly -> periodic-weekly" in out


def test_clearly_more_jobs_than_a_fresh_build_names_fresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: RunCli
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "knobs").mkdir()
    shutil.copy(CHURN / "before.yaml", tmp_path / "knobs" / "d.yaml")
    assert cli("-q", "generate", "--fast")[0] == 0
    shutil.copy(CHURN / "after.yaml", tmp_path / "knobs" / "d.yaml")
    code, out, _ = cli("generate", "--fast")
    assert code == 0
    kept = len(read_matrix(tmp_path / "matrix" / "d.yaml").jobs)
    code, fresh_out, _ = cli("generate", "--fast", "--fresh")
    fresh = len(read_matrix(tmp_path / "matrix" / "d.yaml").jobs)
    assert kept - fresh >= 2, (kept, fresh)
    assert out.splitlines()[-1] == (
        f"  keeping the existing jobs needs {kept} jobs, a fresh build {fresh}; to start over "
        "with new job names run: tempest-matrix generate --driver d --fast --fresh"
    )
    assert "a fresh build" not in fresh_out


def test_an_unchanged_catalog_is_one_line(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    code, out, _ = cli("generate", "--fast")
    assert code == 0
    assert len(out.splitlines()) == 1


def test_generate_json_names_the_changes(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    _edit(work, "constraints:\n", NEW_KNOB)
    _edit(work, "projects:\n", "projects:\n  spice: openstack/spice\n")
    code, out, err = cli("generate", "--fast", "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["schema_version"] == 1
    (driver,) = document["drivers"]
    assert driver["driver"] == "mini"
    assert driver["covered"] == driver["coverable"]
    changed = driver["churn"]["changed"]
    assert changed
    for change in changed:
        (value,) = [v for v in change["values"] if v["knob"] == "console"]
        assert value["kind"] == "added"
        assert value["old"] is None
        assert change["rendered_only"] is False
    assert "matrix/mini.yaml" in driver["files"]


def test_check_json(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    code, out, _ = cli("check", "--fast", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "schema_version": 1,
        "up_to_date": True,
        "files": 9,
        "stale": [],
        "missing": [],
        "extra": [],
        "command": None,
        "lint_jobs": 7,
        "lint_findings": [],
    }
    (work / "output" / "nova-mini" / "tempest" / "nova-mini-tm-01.conf").write_text("x\n")
    code, out, _ = cli("check", "--fast", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["up_to_date"] is False
    assert document["stale"] == ["output/nova-mini/tempest/nova-mini-tm-01.conf"]
    assert document["command"] == "tempest-matrix generate --fast"
