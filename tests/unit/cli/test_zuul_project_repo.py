"""A repo named as a Zuul project (``org/name``): accepted, emitted, kept under output/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import RunCli

CATALOG = """\
driver: testdrv
repo: {repo}
knobs:
  mode:
    - a:
        localrc: {{TESTDRV_MODE: a}}
        tests: [^tempest\\.api\\.compute\\.servers\\.test_create_server\\.]
    - b:
        localrc: {{TESTDRV_MODE: b}}
        tests: [^tempest\\.api\\.compute\\.servers\\.test_create_server\\.]
  extra:
    - "off":
        localrc: {{TESTDRV_EXTRA: "off"}}
    - "on":
        localrc: {{TESTDRV_EXTRA: "on"}}
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "knobs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(repo: str, name: str = "testdrv") -> None:
    text = CATALOG.format(repo=repo).replace("driver: testdrv", f"driver: {name}")
    Path("knobs", f"{name}.yaml").write_text(text, encoding="utf-8")


def test_org_name_repo_generates_under_its_own_folder(work: Path, cli: RunCli) -> None:
    _write("openstack/nova-testdrv")
    assert cli("knobs", "validate")[0] == 0
    code, out, err = cli("generate", "--fast")
    assert (code, err) == (0, "")
    folder = Path("output", "openstack", "nova-testdrv")
    zuul = (folder / "zuul.d" / "tempest-matrix.yaml").read_text(encoding="utf-8")
    # job names from the repo's own name; the full name where Zuul needs a project
    assert "- job:\n    name: nova-testdrv-tm-01\n" in zuul
    assert "    required-projects:\n      - openstack/nova-testdrv\n" in zuul
    assert zuul.endswith(
        "- project:\n    name: openstack/nova-testdrv\n    templates:\n"
        "      - nova-testdrv-tempest-matrix\n"
    )
    assert sorted(os.listdir(folder / "tempest"))[0] == "nova-testdrv-tm-01.conf"
    assert cli("check")[0] == 0
    # a stale file one folder deeper is found like any other
    (folder / "tempest" / "nova-testdrv-tm-99.conf").write_text("x\n", encoding="utf-8")
    code, out, _ = cli("check")
    assert code == 1
    assert "output/openstack/nova-testdrv/tempest/nova-testdrv-tm-99.conf" in out


@pytest.mark.parametrize("repo", ["../nova-testdrv", "/openstack/nova-testdrv", "a/b/c", "x/.."])
def test_escaping_repo_names_are_refused(work: Path, cli: RunCli, repo: str) -> None:
    _write(repo)
    code, out, err = cli("knobs", "validate")
    assert (code, out) == (2, "")
    assert err == (
        f"tempest-matrix: knobs/testdrv.yaml:2:7: repo {repo!r} is not a name or a Zuul "
        "project 'org/name': each part lowercase letters, digits, '.', '_' and '-', "
        "starting with a letter or digit, at most 64 characters (no '..', and one '/' at "
        "most, between the two)\n"
        f"    repo: {repo}\n"
    )
    assert not Path("output").exists()


def test_two_projects_with_one_name_collide(work: Path, cli: RunCli) -> None:
    _write("openstack/nova-testdrv")
    _write("x/nova-testdrv", name="fork")
    assert cli("generate", "--fast") == (
        2,
        "",
        "tempest-matrix: drivers 'fork' and 'testdrv' both use repo 'x/nova-testdrv' / "
        "'openstack/nova-testdrv'; their output files or job names would collide\n",
    )
