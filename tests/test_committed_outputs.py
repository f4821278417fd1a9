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
        zuul = (ROOT / "output" / matrix.repo / "zuul.d" / "tempest-matrix.yaml").read_text()
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
