"""Drift test: the committed ``matrix/`` and ``output/`` are what the shipped catalog generates.

Regenerates into a temporary directory (starting from a copy of the committed
matrices, exactly as ``tempest-matrix generate`` does in a fresh clone) and
compares every file byte for byte. On a mismatch it prints the command to run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.paths import ROOT

REGENERATE = (
    "tempest-matrix generate  (or: tox -e regen), then review and commit matrix/ and output/"
)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for base in ("matrix", "output")
        for p in sorted((root / base).rglob("*"))
        if p.is_file()
    }


def test_committed_outputs_are_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = _tree(ROOT)
    assert committed, f"no committed matrix/ or output/; run: {REGENERATE}"
    # A copy of the repository's catalog and matrices, generated as a user would:
    # the generated headers name paths relative to the repository.
    shutil.copytree(ROOT / "knobs", tmp_path / "knobs")
    shutil.copytree(ROOT / "matrix", tmp_path / "matrix")
    monkeypatch.chdir(tmp_path)
    code = main(["-q", "generate"])
    assert code == 0, capsys.readouterr().err
    fresh = _tree(tmp_path)
    stale = sorted(
        name for name in committed.keys() & fresh.keys() if committed[name] != fresh[name]
    )
    missing = sorted(fresh.keys() - committed.keys())
    extra = sorted(committed.keys() - fresh.keys())
    problems = [*(f"stale: {n}" for n in stale), *(f"not committed: {n}" for n in missing)]
    problems += [f"no longer generated: {n}" for n in extra]
    assert problems == [], f"committed files are out of date; run: {REGENERATE}"


def test_committed_zuul_jobs_match_matrices() -> None:
    from generator.matrix import read_matrix

    for path in sorted((ROOT / "matrix").glob("*.yaml")):
        matrix = read_matrix(path)
        repo = ROOT / "output" / matrix.repo
        (zuul_file,) = [
            repo / folder / "tempest-matrix.yaml"
            for folder in ("zuul.d", "third-party-zuul.d")
            if (repo / folder / "tempest-matrix.yaml").is_file()
        ]
        zuul = zuul_file.read_text()
        for job in matrix.jobs:
            assert f"\n    name: {job.name}\n" in zuul
            assert (ROOT / "output" / matrix.repo / "tempest" / f"{job.name}.conf").is_file()


@pytest.mark.parametrize("where", ["first", "last"])
def test_adding_a_knob_to_libvirt_keeps_jobs(tmp_path: Path, where: str) -> None:
    """The churn target: one new 3-value knob keeps >= 80% of the jobs unchanged."""
    from generator.app import Options, run
    from generator.matrix import read_matrix

    shutil.copytree(ROOT / "knobs", tmp_path / "knobs")
    shutil.copytree(ROOT / "matrix", tmp_path / "matrix")
    path = tmp_path / "knobs" / "libvirt.yaml"
    knob = "  measure_knob:\n    values: [alpha, beta, gamma]\n"
    text = path.read_text()
    if where == "first":
        text = text.replace("\nknobs:\n", "\nknobs:\n" + knob, 1)
    else:
        text = text.replace("\nconstraints:\n", "\n" + knob + "constraints:\n", 1)
    path.write_text(text)
    before = read_matrix(tmp_path / "matrix" / "libvirt.yaml")
    (result,) = run(
        tmp_path / "knobs", tmp_path / "matrix", tmp_path / "output", ["libvirt"], Options()
    )
    assert "measure_knob" in result.catalog.knob_names
    assert result.covered == result.coverable
    after = {job.name: job.as_dict() for job in result.matrix.jobs}
    unchanged = sum(
        1
        for job in before.jobs
        if job.name in after and all(after[job.name][k] == v for k, v in job.values)
    )
    assert unchanged >= 0.8 * len(before.jobs)
    changed_only_by_the_new_knob = [
        change.name
        for change in result.churn.changed
        if [v.knob for v in change.values] == ["measure_knob"]
    ]
    assert len(changed_only_by_the_new_knob) == unchanged


def test_every_shipped_job_runs_tests_of_each_of_its_values() -> None:
    """Read back each committed Zuul job: the tests its run-tempest variables select
    (against the committed test list, Tempest plus the job's tempest plugins) include
    tests declared by every knob value the job chose, and never only smoke."""
    import yaml

    from generator.catalog.loader import load_dir
    from generator.catalog.testlist import select, test_list
    from generator.matrix import read_matrix

    catalogs = {c.driver: c for c in load_dir(ROOT / "knobs")}
    listed = test_list()
    checked = 0
    for path in sorted((ROOT / "matrix").glob("*.yaml")):
        matrix = read_matrix(path)
        catalog = catalogs[matrix.driver]
        repo = ROOT / "output" / matrix.repo
        (zuul_file,) = list(repo.glob("*zuul.d/tempest-matrix.yaml"))
        stanzas = yaml.safe_load(zuul_file.read_text())
        jobs = {s["job"]["name"]: s["job"] for s in stanzas if "job" in s}
        for job in matrix.jobs:
            variables = jobs[job.name]["vars"]
            assert variables["tox_envlist"] == "all"
            available = listed.available(variables.get("tempest_plugins", []))
            selected = select(
                available,
                variables["tempest_test_regex"],
                variables.get("tempest_exclude_regex", ""),
            )
            smoke = [t for t in selected if ",smoke" in t or "[smoke" in t]
            assert selected, job.name
            assert len(smoke) < len(selected), job.name
            for knob, value in job.values:
                if value is None:
                    continue
                declared = catalog.knob(knob).value(value).settings.tests
                if declared:
                    assert select(selected, " ".join(declared)), (job.name, knob, value)
                    checked += 1
    assert checked > 100
