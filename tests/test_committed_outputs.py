"""Drift test: the committed ``matrix/`` and ``output/`` are what the shipped catalog generates.

Regenerates into a temporary directory (starting from a copy of the committed
matrices, exactly as ``tempest-matrix generate`` does in a fresh clone) and
compares every file byte for byte. On a mismatch it prints the command to run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from generator.cli import main
from tests.paths import ROOT
from tests.snapshots import generated_bytes

if TYPE_CHECKING:
    from generator.matrix import Matrix
    from generator.model import Catalog

REGENERATE = (
    "tempest-matrix generate  (or: tox -e regen), then review and commit matrix/ and output/"
)


def test_committed_outputs_are_fresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    committed = generated_bytes(ROOT)
    assert committed, f"no committed matrix/ or output/; run: {REGENERATE}"
    # A copy of the repository's catalog and matrices, generated as a user would:
    # the generated headers name paths relative to the repository.
    shutil.copytree(ROOT / "knobs", tmp_path / "knobs")
    shutil.copytree(ROOT / "matrix", tmp_path / "matrix")
    monkeypatch.chdir(tmp_path)
    code = main(["-q", "generate"])
    assert code == 0, capsys.readouterr().err
    fresh = generated_bytes(tmp_path)
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


def _unselected_value_tests(folder: Path, matrix: Matrix, catalog: Catalog) -> list[str]:
    """``job: knob=value: regex`` for every test regex a chosen value declares that
    selects none of the tests the job runs, and ``job: ...`` for a job running no test or
    only smoke tests. What a job runs is what run-tempest gets on its tempest host after
    Zuul inheritance over the bundled upstream files (``tox -e all`` with
    ``tempest_test_regex`` and ``tempest_exclude_regex``), evaluated against the
    committed test list restricted to Tempest and the plugins that host installs."""
    from generator.audit.lint import upstream_config, with_context
    from generator.audit.lint_view import installed_tempest_plugins
    from generator.audit.zuul_files import load_zuul
    from generator.audit.zuul_resolve import Resolver
    from generator.catalog.testlist import is_smoke, select, test_list

    listed = test_list()
    resolver = Resolver(with_context(load_zuul([folder]), upstream_config()))
    problems = []
    for job in matrix.jobs:
        resolved = resolver.resolve(job.name)
        variables = resolved.host(resolved.tempest_host)
        plugins, _ = installed_tempest_plugins(variables)
        if variables.get("tox_envlist") != "all":
            problems.append(f"{job.name}: tox_envlist {variables.get('tox_envlist')!r}")
            continue
        runs = select(
            listed.available(plugins),
            variables.get("tempest_test_regex", ""),
            variables.get("tempest_exclude_regex", ""),
        )
        if not runs or all(is_smoke(test) for test in runs):
            problems.append(f"{job.name}: runs {len(runs)} tests, none but smoke")
        for knob, value in job.values:
            if value is None:
                continue
            for regex in catalog.knob(knob).value(value).settings.tests:
                if not select(runs, regex):
                    problems.append(f"{job.name}: {knob}={value}: {regex}")
    return problems


def _zuul_folder(repo: str) -> Path:
    (folder,) = [
        ROOT / "output" / repo / name
        for name in ("zuul.d", "third-party-zuul.d")
        if (ROOT / "output" / repo / name / "tempest-matrix.yaml").is_file()
    ]
    return folder


def test_every_shipped_job_runs_tests_of_each_of_its_values() -> None:
    """Each committed job, read back as Zuul resolves it, runs at least one test of
    every test regex each of its knob values declares; and every value of the shipped
    catalog either declares tests or says why no test can observe it."""
    from generator.catalog.loader import load_dir
    from generator.matrix import read_matrix

    catalogs = {c.driver: c for c in load_dir(ROOT / "knobs")}
    for catalog in catalogs.values():
        silent = [
            f"{knob.name}={value.name}"
            for knob in catalog.knobs
            for value in knob.values
            if not value.settings.tests and not value.untested
        ]
        assert silent == [], f"{catalog.driver}: values with neither tests nor 'untested'"
    for path in sorted((ROOT / "matrix").glob("*.yaml")):
        matrix = read_matrix(path)
        catalog = catalogs[matrix.driver]
        assert _unselected_value_tests(_zuul_folder(matrix.repo), matrix, catalog) == []


def _first_job(matrix: Matrix, text: str, knob: str, values: tuple[str, ...], line: str) -> str:
    """The first job with ``knob`` in ``values`` whose stanza holds ``line``."""
    for job in matrix.jobs:
        if job.as_dict().get(knob) in values:
            start = text.index(f"    name: {job.name}\n")
            if line in text[start : text.index("\n- job:", start)]:
                return job.name
    raise AssertionError(f"no job with {knob} in {values} writes {line!r}")


@pytest.mark.parametrize(
    "case",
    [
        # An exclusion that also drops the live-migration tests.
        (
            "live_migration",
            ("block", "shared"),
            "      tempest_exclude_regex: test_live_migration_with_trunk\n",
            "      tempest_exclude_regex: test_live_migration_with_trunk|test_live\n",
            r"^tempest\.api\.compute\.admin\.test_live_migration\.",
        ),
        # A job that no longer installs whitebox: its whitebox tests cannot run.
        (
            "cpu_pinning",
            ("dedicated",),
            "\n        - whitebox-tempest-plugin\n",
            "\n",
            r"^whitebox_tempest_plugin\.api\.compute\.test_cpu_pinning\.CPUPolicyTest\.",
        ),
    ],
)
def test_the_per_value_check_fails_when_a_job_loses_a_values_tests(
    tmp_path: Path, case: tuple[str, tuple[str, ...], str, str, str]
) -> None:
    """``case``: a knob, values of it, a line of the job's stanza and its replacement,
    and the value's test regex that then no longer selects a test."""
    from generator.catalog.loader import load_dir
    from generator.matrix import read_matrix

    knob, values, old, new, regex = case

    matrix = read_matrix(ROOT / "matrix" / "libvirt.yaml")
    (catalog,) = [c for c in load_dir(ROOT / "knobs") if c.driver == "libvirt"]
    text = (_zuul_folder(matrix.repo) / "tempest-matrix.yaml").read_text(encoding="utf-8")
    name = _first_job(matrix, text, knob, values, old)
    first = text.index(f"    name: {name}\n")
    end = text.index("\n- job:", first)
    broken = text[:first] + text[first:end].replace(old, new, 1) + text[end:]
    folder = tmp_path / matrix.repo / "zuul.d"
    folder.mkdir(parents=True)
    (folder / "tempest-matrix.yaml").write_text(broken, encoding="utf-8")
    problems = _unselected_value_tests(folder, matrix, catalog)
    value = dict(next(j for j in matrix.jobs if j.name == name).values)[knob]
    assert f"{name}: {knob}={value}: {regex}" in problems
    assert all(p.startswith(f"{name}: ") for p in problems)
