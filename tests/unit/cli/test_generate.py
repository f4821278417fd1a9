"""``tempest-matrix generate`` and ``check`` in-process: exit codes, output, files, churn."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.matrix import read_matrix
from tests.conftest import RunCli
from tests.paths import FIXTURES
from tests.snapshots import generated_bytes

FIXTURE = FIXTURES / "emit" / "knobs"
SUMMARY = (
    "mini: 4 knobs, 16 combinations, 6 jobs, 2-way coverage 100.0% (21/21 feasible tuples); "
    "churn: {churn}\n"
)
EXTRA_KNOB = """\
  console:
    default: vnc
    values:
      - vnc:
          post_config:
            $NOVA_CONF: {vnc: {enabled: true}}
      - spice:
          post_config:
            $NOVA_CONF: {vnc: {enabled: false}}
      - serial:
          post_config:
            $NOVA_CONF: {vnc: {enabled: false}}
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of the fixture catalog as ``knobs/``."""
    shutil.copytree(FIXTURE, tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def add_knob(root: Path) -> None:
    path = root / "knobs" / "mini.yaml"
    text = path.read_text()
    path.write_text(text.replace("constraints:\n", EXTRA_KNOB + "constraints:\n"))


def test_generate_then_check(work: Path, cli: RunCli) -> None:
    code, out, err = cli("generate")
    assert (code, out, err) == (
        0,
        SUMMARY.format(churn="0 kept, 0 changed, 6 added, 0 removed")
        + "  added 6: "
        + ", ".join(f"nova-mini-tm-0{i}" for i in range(1, 7))
        + "\n",
        "",
    )
    files = generated_bytes(work)
    assert sorted(files) == [
        "matrix/mini.yaml",
        *(f"output/nova-mini/tempest/nova-mini-tm-0{i}.conf" for i in range(1, 7)),
        "output/nova-mini/zuul.d/tempest-matrix.yaml",
    ]
    assert cli("check") == (0, "8 generated files are up to date; lint: 6 jobs, 0 findings\n", "")
    # Regenerating an unchanged catalog is a fixed point.
    assert cli("generate") == (0, SUMMARY.format(churn="6 kept, 0 changed, 0 added, 0 removed"), "")
    assert generated_bytes(work) == files


def test_check_lists_stale_missing_extra(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    tempest = work / "output" / "nova-mini" / "tempest"
    (tempest / "nova-mini-tm-01.conf").write_text("edited\n")
    (tempest / "nova-mini-tm-02.conf").unlink()
    (tempest / "nova-mini-tm-99.conf").write_text("old job\n")
    code, out, err = cli("check", "--fast", "--output-dir", "output")
    assert (code, err) == (1, "")
    assert out == (
        "generated files are out of date:\n"
        "  stale: output/nova-mini/tempest/nova-mini-tm-01.conf\n"
        "  missing: output/nova-mini/tempest/nova-mini-tm-02.conf\n"
        "  extra: output/nova-mini/tempest/nova-mini-tm-99.conf\n"
        "run: tempest-matrix generate --output-dir output --fast\n"
    )
    # generate repairs all three, and removes the file of the job that does not exist.
    assert cli("-q", "generate", "--fast")[0] == 0
    assert not (tempest / "nova-mini-tm-99.conf").exists()
    assert cli("check", "--fast")[0] == 0


def test_generation_options_persist(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast", "--check-jobs", "2", "--seed", "3")[0] == 0
    zuul = work / "output" / "nova-mini" / "zuul.d" / "tempest-matrix.yaml"
    matrix = read_matrix(work / "matrix" / "mini.yaml")
    assert (matrix.seed, matrix.options) == (3, (("check_jobs", 2), ("fast", True)))
    header = (
        "# Regenerate with: tempest-matrix generate --driver mini --seed 3 --check-jobs 2 --fast\n"
    )
    assert header in zuul.read_text()
    files = generated_bytes(work)
    # A plain check and generate reuse the recorded options: nothing is stale or moved.
    assert cli("check") == (0, "9 generated files are up to date; lint: 7 jobs, 0 findings\n", "")
    assert cli("-q", "generate") == (0, "", "")
    assert generated_bytes(work) == files
    assert "    check:\n" in zuul.read_text()
    # A given option wins and is recorded; 0 puts no job in check and gate.
    code, out, _ = cli("check", "--check-jobs", "0")
    assert code == 1
    assert out.endswith(
        "  stale: output/nova-mini/zuul.d/tempest-matrix.yaml\n"
        "run: tempest-matrix generate --check-jobs 0\n"
    )
    assert cli("-q", "generate", "--check-jobs", "0", "--no-fast")[0] == 0
    assert read_matrix(work / "matrix" / "mini.yaml").options == (("check_jobs", 0),)
    assert "    check:\n" not in zuul.read_text()
    assert cli("check")[0] == 0


def test_strength_equal_to_the_catalogs_follows_the_catalog(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast", "--strength", "3")[0] == 0
    assert read_matrix(work / "matrix" / "mini.yaml").options == (("strength", 3), ("fast", True))
    assert cli("-q", "generate")[0] == 0
    assert read_matrix(work / "matrix" / "mini.yaml").strength == 3
    assert cli("-q", "generate", "--strength", "2")[0] == 0
    matrix = read_matrix(work / "matrix" / "mini.yaml")
    assert (matrix.strength, matrix.options) == (2, (("fast", True),))


def test_custom_folders_are_named_in_the_headers(
    work: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A git repository with its catalog in cat/, generated from a subfolder.
    (work / ".git").mkdir()
    (work / "sub").mkdir()
    shutil.move(work / "knobs", work / "cat")
    monkeypatch.chdir(work / "sub")
    code, _, err = cli("-q", "generate", "--fast", "--catalog", "../cat", "--matrix-dir", "../m")
    assert (code, err) == (0, "")
    header = (work / "m" / "mini.yaml").read_text().splitlines()[:2]
    assert header == [
        "# Generated by tempest-matrix 0.1.0 from cat/mini.yaml; do not edit by hand.",
        "# Regenerate with: tempest-matrix generate --catalog cat --matrix-dir m "
        "--driver mini --fast",
    ]
    zuul = (work / "output" / "nova-mini" / "zuul.d" / "tempest-matrix.yaml").read_text()
    assert zuul.startswith("# Generated by tempest-matrix 0.1.0 from m/mini.yaml;")


def test_stable_regeneration_after_adding_a_knob(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    before = read_matrix(work / "matrix" / "mini.yaml")
    add_knob(work)
    code, out, _ = cli("generate", "--fast")
    assert code == 0
    after = read_matrix(work / "matrix" / "mini.yaml")
    assert "5 knobs, 48 combinations" in out
    assert "2-way coverage 100.0%" in out
    # Every old job keeps its name and its other values; new jobs get new numbers.
    kept = {job.name: job.as_dict() for job in after.jobs}
    for job in before.jobs:
        if job.name in kept:
            assert {k: kept[job.name][k] for k, _ in job.values} == job.as_dict()
    assert sum(job.name in kept for job in before.jobs) >= 0.8 * len(before.jobs)
    old_names = {job.name for job in before.jobs}
    new_names = [job.name for job in after.jobs if job.name not in old_names]
    assert all(int(name.rsplit("-", 1)[1]) >= before.next_number for name in new_names)
    assert after.next_number == before.next_number + len(new_names)


def test_fresh_never_reuses_numbers(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    code, out, _ = cli("generate", "--fast", "--fresh")
    assert code == 0
    assert "churn: 0 kept, 0 changed, 7 added, 7 removed\n" in out
    assert out.endswith(
        "  removed 7: " + ", ".join(f"nova-mini-tm-0{i}" for i in range(1, 8)) + "\n"
    )
    names = [job.name for job in read_matrix(work / "matrix" / "mini.yaml").jobs]
    assert names == [f"nova-mini-tm-{i:02d}" for i in range(8, 15)]
    assert not (work / "output" / "nova-mini" / "tempest" / "nova-mini-tm-01.conf").exists()


def test_removing_a_knob_drops_redundant_jobs(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    path = work / "knobs" / "mini.yaml"
    text = path.read_text()
    start = text.index("  barbican:\n")
    end = text.index("  cpu_models:\n")
    path.write_text(text[:start] + text[end:])
    code, out, _ = cli("generate", "--fast")
    assert code == 0
    assert "3 knobs, 8 combinations, 5 jobs" in out
    assert "churn: 0 kept, 5 changed, 0 added, 2 removed\n" in out
    assert "  changed nova-mini-tm-01: knob barbican removed (was off); settings " in out
    assert len(list((work / "output" / "nova-mini" / "tempest").glob("*.conf"))) == 5


def test_failed_run_leaves_previous_files(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    files = generated_bytes(work)
    path = work / "knobs" / "mini.yaml"
    # A conflict between two knobs (the loader refuses it): nothing may be written.
    text = path.read_text().replace(
        "          localrc: {NOVA_BACKEND: LVM}",
        "          localrc: {NOVA_BACKEND: LVM, LIBVIRT_TYPE: lxc}",
    )
    path.write_text(text)
    code, out, err = cli("generate", "--fast")
    assert (code, out) == (2, "")
    assert err == (
        "tempest-matrix: knobs/mini.yaml:36:40: knob 'images_type' value 'lvm': devstack "
        "variable LIBVIRT_TYPE is also written by knob 'virt_type' value 'qemu' (as 'qemu', "
        "here 'lxc'), and a job can have both; a value sets only its own knob's options: "
        "move the setting to one knob, or forbid the combination with a constraint\n"
        "              localrc: {NOVA_BACKEND: LVM, LIBVIRT_TYPE: lxc}\n"
    )
    assert generated_bytes(work) == files


def test_failed_write_leaves_previous_files(
    work: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import files as _io

    assert cli("-q", "generate", "--fast")[0] == 0
    files = generated_bytes(work)
    add_knob(work)
    real = _io._stage
    calls = []

    def failing(path: Path, text: str, suffix: str) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(path, text, suffix)

    monkeypatch.setattr(_io, "_stage", failing)
    code, out, err = cli("-q", "generate", "--fast")
    assert (code, out) == (2, "")
    assert err == f"tempest-matrix: {calls[2]}: cannot write: No space left on device\n"
    assert generated_bytes(work) == files
    assert not [p for p in work.rglob(".*") if p.is_file()]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["generate", "--driver", "minni"],
            "tempest-matrix: unknown driver 'minni' (did you mean 'mini'?); "
            "drivers in knobs: mini\n",
        ),
        (
            ["check", "--catalog", "nope"],
            "tempest-matrix: catalog directory 'nope' does not exist\n",
        ),
    ],
)
def test_bad_input_exits_2(work: Path, cli: RunCli, argv: list[str], message: str) -> None:
    assert cli(*argv) == (2, "", message)


def test_bad_option_values_exit_2(work: Path, cli: RunCli) -> None:
    code, out, err = cli("generate", "--strength", "0")
    assert (code, out) == (2, "")
    assert err.endswith(
        "tempest-matrix generate: error: argument --strength/-t: expected a positive integer, "
        "got 0\n"
    )


def test_max_jobs_below_existing_matrix_needs_fresh(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    assert cli("generate", "--fast", "--max-jobs", "3") == (
        2,
        "",
        "tempest-matrix: mini: --max-jobs 3 is fewer than the 7 jobs of the existing matrix; "
        "add --fresh to start a new matrix\n",
    )
    code, out, _ = cli("generate", "--fast", "--fresh", "--max-jobs", "3")
    assert code == 0
    assert ", 3 jobs, 2-way coverage 71.4% (15/21 feasible tuples)" in out
    assert cli("check", "--fast", "--max-jobs", "3")[0] == 0


def test_two_drivers_sharing_a_repo_exit_2(work: Path, cli: RunCli) -> None:
    text = (work / "knobs" / "mini.yaml").read_text()
    (work / "knobs" / "other.yaml").write_text(text.replace("driver: mini", "driver: other"))
    assert cli("generate", "--fast", "--driver", "other") == (
        2,
        "",
        "tempest-matrix: drivers 'mini' and 'other' both use repo 'nova-mini'; "
        "their output files or job names would collide\n",
    )
    assert not (work / "matrix").exists()


def test_corrupt_matrix_exits_2(work: Path, cli: RunCli) -> None:
    (work / "matrix").mkdir()
    (work / "matrix" / "mini.yaml").write_text("schema_version: 1\nbogus: 2\n")
    code, _, err = cli("generate", "--fast")
    assert code == 2
    assert err.startswith("tempest-matrix: matrix/mini.yaml:2:1: unknown key 'bogus'")


def test_progress_only_on_a_terminal(
    work: Path, cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = cli("generate", "--fast")
    assert code == 0
    assert out.startswith(
        SUMMARY.format(churn="0 kept, 0 changed, 7 added, 0 removed").replace("6 jobs", "7 jobs")
    )
    assert "\r\033[Kmini: building jobs [" in err
    assert err.endswith("\r\033[K")


def test_unsatisfiable_catalog_exits_3(work: Path, cli: RunCli) -> None:
    path = work / "knobs" / "mini.yaml"
    path.write_text(
        path.read_text()
        + "  - forbid: {virt_type: qemu, images_type: default}\n"
        + "  - forbid: {virt_type: qemu, images_type: lvm}\n"
        + "  - forbid: {virt_type: kvm, images_type: default}\n"
    )
    code, out, err = cli("generate", "--fast")
    assert (code, out) == (3, "")
    assert err.startswith("tempest-matrix: no valid row exists: these constraints conflict: ")
    assert "knobs/mini.yaml:68:5: forbid {virt_type: kvm, images_type: lvm}" in err
    assert not (work / "matrix").exists()
    assert not (work / "output").exists()


def test_f16_generate_never_writes_or_deletes_through_a_symlink_leading_out(
    work: Path, cli: RunCli, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    victims = tmp_path_factory.mktemp("victims")
    (victims / "precious.conf").write_text("precious\n", encoding="utf-8")
    tempest = work / "output" / "nova-mini" / "tempest"
    shutil.rmtree(tempest)
    tempest.symlink_to(victims)
    before = generated_bytes(work)
    code, out, err = cli("generate", "--fresh", "--fast")
    assert (code, out) == (2, "")
    assert err == (
        f"tempest-matrix: output/nova-mini/tempest: is a symlink to {victims}, outside "
        "output; not writing there\n"
    )
    assert sorted(p.name for p in victims.iterdir()) == ["precious.conf"]
    assert generated_bytes(work) == before


_DIE_AFTER_RENAMES = """
import os, sys
from generator.cli import main
real, count = os.replace, [0]
def dying(src, dst):
    real(src, dst)
    count[0] += 1
    if count[0] == int(sys.argv[1]):
        os._exit(9)  # no cleanup at all, as for kill -9
os.replace = dying
main(sys.argv[2:])
"""


@pytest.mark.parametrize("renames", [1, 2, 5])
def test_f17_a_run_killed_while_renaming_leaves_old_or_new_files(
    work: Path, cli: RunCli, renames: int
) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    add_knob(work)
    argv = ["-q", "generate", "--fast"]
    died = subprocess.run(
        [sys.executable, "-c", _DIE_AFTER_RENAMES, str(renames), *argv], check=False
    )
    assert died.returncode == 9
    journal = work / "matrix" / ".tempest-matrix.journal"
    assert journal.exists()  # renames happen only once the journal is written
    code, out, _ = cli("check")
    assert code == 1
    assert "stale: matrix/.tempest-matrix.journal" in out
    assert cli("-q", "generate", "--fast")[0] == 0
    assert not journal.exists()
    assert not [p for p in work.rglob(".*") if p.is_file()]
    assert cli("-q", "check")[0] == 0


def test_f18_two_runs_at_once_end_as_one_after_the_other(work: Path, cli: RunCli) -> None:
    add_knob(work)
    argv = [sys.executable, "-m", "generator", "-q", "generate", "--fresh", "--fast"]
    runs = [subprocess.Popen(argv, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert sum("waiting for another tempest-matrix run" in e for e in errors) <= 1
    concurrent = generated_bytes(work)
    shutil.rmtree(work / "matrix")
    shutil.rmtree(work / "output")
    for _ in range(2):
        assert cli("-q", "generate", "--fresh", "--fast")[0] == 0
    assert generated_bytes(work) == concurrent


@pytest.mark.timeout(120)
def test_a_fifo_at_an_output_path_is_refused_not_read(work: Path, cli: RunCli) -> None:
    assert cli("-q", "generate", "--fast")[0] == 0
    zuul = work / "output" / "nova-mini" / "zuul.d" / "tempest-matrix.yaml"
    zuul.unlink()
    os.mkfifo(zuul)  # reading it for the rendered diff would block for ever
    code, out, err = cli("-q", "generate", "--fast")
    assert (code, out) == (2, "")
    assert err == (
        "tempest-matrix: output/nova-mini/zuul.d/tempest-matrix.yaml: is a FIFO; "
        "remove it (this run would replace a file)\n"
    )
