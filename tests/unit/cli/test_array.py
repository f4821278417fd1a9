"""CLI tests of ``tempest-matrix array``: exact exit codes, stdout and stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from tests import oracle
from tests.conftest import RunCli
from tests.paths import MODELS


def _write(tmp_path: Path, text: str, name: str = "model.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


SMALL = """\
knobs:
  os: [linux, windows]
  arch: [x86, arm]
  disk: [ssd, hdd, nvme]
constraints:
- forbid: {os: windows, arch: arm}
"""


def test_csv_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SMALL)
    assert main(["array", path, "--fast"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "os,arch,disk"
    rows = [dict(zip(["os", "arch", "disk"], line.split(","), strict=True)) for line in lines[1:]]
    problem = oracle.Problem(
        {"os": ["linux", "windows"], "arch": ["x86", "arm"], "disk": ["ssd", "hdd", "nvme"]},
        constraints=[{"forbid": {"os": ["windows"], "arch": ["arm"]}}],
    )
    assert oracle.check(problem, rows, 2) == ([], [])
    assert (
        err
        == f"{len(rows)} rows; 15/15 coverable 2-way combinations covered (100.0%); 1 infeasible\n"
    )


def test_quiet_and_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SMALL)
    assert main(["-q", "array", path, "--seed", "3", "--steps", "200"]) == 0
    first = capsys.readouterr()
    assert first.err == ""
    assert main(["-q", "array", path, "--seed", "3", "--steps", "200"]) == 0
    assert capsys.readouterr().out == first.out


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SMALL)
    assert main(["-q", "array", path, "--format", "json", "--max-jobs", "3", "--fast"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == 1
    assert data["strength"] == 2
    assert data["seed"] == 0
    assert data["parameters"] == ["os", "arch", "disk"]
    assert len(data["rows"]) == 3
    assert data["coverable"] == 15
    assert 0 < data["covered"] < 15
    assert data["coverage"] == round(data["covered"] / 15, 6)
    assert data["infeasible"] == [
        {
            "assignment": {"os": "windows", "arch": "arm"},
            "kind": "explicit",
            "constraints": [f"{path}:6:3: forbid {{os: windows, arch: arm}}"],
        }
    ]


def test_conditional_knob_is_empty_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
knobs:
  bus: [virtio, scsi]
  scsi_model:
    when: {bus: scsi}
    values: [lsi, virtio-scsi]
  cache: [none, writeback]
"""
    path = _write(tmp_path, text)
    assert main(["-q", "array", path, "--fast"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "bus,scsi_model,cache"
    for line in lines[1:]:
        bus, model, _ = line.split(",")
        assert (model == "") == (bus == "virtio")


def test_pin_first_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SMALL)
    assert main(["-q", "array", path, "--pin", "os=windows,disk=nvme", "--fast"]) == 0
    first = capsys.readouterr().out.splitlines()[1].split(",")
    assert first[0] == "windows"
    assert first[2] == "nvme"


def test_fixture_model_strength_three(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["array", str(MODELS / "t2_3e13.yaml"), "-t", "3", "--fast"]) == 0
    err = capsys.readouterr().err
    assert err.endswith("coverable 3-way combinations covered (100.0%); 0 infeasible\n")


@pytest.mark.parametrize(
    ("text", "args", "code", "message"),
    [
        (
            SMALL + "- forbid: {os: linux, color: red}\n",
            [],
            2,
            "tempest-matrix: {path}:7:23: unknown knob 'color' in constraint\n",
        ),
        (
            SMALL,
            ["--strength", "4"],
            2,
            "tempest-matrix: {path}: strength 4 is larger than the number of parameters (3)\n",
        ),
        (
            SMALL + "- forbid: {os: linux}\n- forbid: {os: windows, disk: [ssd, hdd, nvme]}\n",
            [],
            3,
            "tempest-matrix: no valid row exists: these constraints conflict: "
            "{path}:7:3: forbid {{os: linux}}; "
            "{path}:8:3: forbid {{os: windows, disk: [ssd, hdd, nvme]}}\n",
        ),
        (
            SMALL,
            ["--pin", "os=windows,arch=arm"],
            2,
            "tempest-matrix: initial row 1 {{os: windows, arch: arm}} is impossible: "
            "it violates {path}:6:3: forbid {{os: windows, arch: arm}}\n",
        ),
        (
            SMALL,
            ["--pin", "os=mac"],
            2,
            "tempest-matrix: initial row 1 {{os: mac}}: knob 'os' has no value 'mac' "
            "(values: linux, windows)\n",
        ),
    ],
)
def test_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *,
    text: str,
    args: list[str],
    code: int,
    message: str,
) -> None:
    path = _write(tmp_path, text)
    assert main(["array", path, "--fast", *args]) == code
    out, err = capsys.readouterr()
    assert out == ""
    # The message, then (for a located problem) the offending line as in every command.
    first, *snippet = err.splitlines()
    assert first + "\n" == message.format(path=path)
    assert len(snippet) <= 1


def test_malformed_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "knobs: [unclosed\n")
    assert main(["array", path]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"tempest-matrix: {path}:")
    assert err.splitlines()[1:] == ["    knobs: [unclosed"]


def test_bad_pin_syntax(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, SMALL)
    assert main(["array", path, "--pin", "os"]) == 2
    err = capsys.readouterr().err
    assert err.endswith(
        "tempest-matrix array: error: argument --pin: "
        "expected KNOB=VALUE[,KNOB=VALUE...], got 'os'\n"
    )


def test_same_bytes_under_any_hash_seed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    model = str(MODELS / "ci_storage_network.yaml")
    outputs = []
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-m", "generator", "-q", "array", model, "--steps", "300"],
            capture_output=True,
            check=True,
            env=env,
            text=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("\n") > 10


def test_progress_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    path = _write(tmp_path, SMALL)
    assert main(["array", path, "--fast"]) == 0
    assert "[" not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["array", path, "--fast"]) == 0
    err = capsys.readouterr().err
    assert "\r\033[Kmodel: building jobs [" in err
    assert err.rstrip("\n").endswith("1 infeasible")


@pytest.mark.parametrize(("values", "count"), [("[on, off]", 2), ("[on, off, yes]", 3)])
def test_every_problem_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], values: str, count: int
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(f"knobs:\n  a: {values}\n  b: [p, q]\n", encoding="utf-8")
    assert main(["array", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        f"tempest-matrix: {path}:2:7: knob 'a': value on was read as a boolean; quote it: 'on'\n"
    )
    assert captured.err.count("was read as a boolean") == count
    assert captured.err.endswith(f"\n{count} errors\n")


@pytest.mark.parametrize("name", ["MyModel.yaml", "My Model.yaml", "model_V2.yaml"])
def test_a_bare_model_needs_no_driver_name(tmp_path: Path, cli: RunCli, name: str) -> None:
    path = _write(tmp_path, "knobs:\n  a: [x, y]\n  b: [p, q]\n", name)
    code, out, err = cli("array", path)
    assert code == 0
    assert out.splitlines()[0] == "a,b"
    assert err == "4 rows; 4/4 coverable 2-way combinations covered (100.0%); 0 infeasible\n"


def test_a_file_name_without_any_usable_letter_needs_driver(tmp_path: Path, cli: RunCli) -> None:
    path = _write(tmp_path, "knobs:\n  a: [x, y]\n", "___.yaml")
    code, _, err = cli("array", path)
    assert code == 2
    assert "driver '' (from the file name '___') is not a safe name" in err


CNF = """\
c 1 alpha bool
c 2 beta bool
p cnf 4 3
-1 2 0
-2 -3 0
1 3 4 0
"""


def test_dimacs_model(tmp_path: Path, cli: RunCli) -> None:
    path = _write(tmp_path, CNF, "model.cnf")
    code, out, err = cli("array", path, "--fast")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "alpha,beta,x3,x4"
    rows = [
        dict(zip(["alpha", "beta", "x3", "x4"], line.split(","), strict=True)) for line in lines[1:]
    ]
    # Each clause: the assignment that falsifies it is forbidden.
    problem = oracle.Problem(
        {name: ["0", "1"] for name in ("alpha", "beta", "x3", "x4")},
        constraints=[
            {"forbid": {"alpha": ["1"], "beta": ["0"]}},
            {"forbid": {"beta": ["1"], "x3": ["1"]}},
            {"forbid": {"alpha": ["0"], "x3": ["0"], "x4": ["0"]}},
        ],
    )
    assert oracle.check(problem, rows, 2) == ([], [])
    assert err.startswith(f"{len(rows)} rows; ")


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("p cnf 2\n1 0\n", 2, "bad header 'p cnf 2': expected 'p cnf <variables> <clauses>'"),
        ("p cnf 2 1\n1 -5 0\n", 2, "literal -5 is out of range: the header declares 2 variables"),
        ("p cnf 1 2\n1 0\n-1 0\n", 3, "no valid row exists"),
    ],
)
def test_dimacs_bad_input(tmp_path: Path, cli: RunCli, text: str, code: int, message: str) -> None:
    path = _write(tmp_path, text, "bad.cnf")
    outcome = cli("array", path)
    assert outcome.code == code
    assert outcome.out == ""
    assert outcome.err.count("\n") == 1
    assert message in outcome.err


def test_f22_oversized_build_names_the_flag(tmp_path: Path, cli: RunCli) -> None:
    knobs = "".join(f"  k{i}: [a, b, c]\n" for i in range(41))
    path = _write(tmp_path, "knobs:\n" + knobs)
    code, out, err = cli("array", path, "--strength", "6", "--fast")
    assert (code, out) == (2, "")
    assert err.startswith(f"tempest-matrix: {path}: strength 6 over 41 knobs means 3,277,866,852 ")
    assert err.endswith("raise --max-tuples to build it anyway\n")
    assert cli("-q", "array", path, "--strength", "2", "--fast", "--max-tuples", "100").code == 2


def test_f5_a_knob_wider_than_a_cell_is_refused(tmp_path: Path, cli: RunCli) -> None:
    values = ", ".join(f"v{i}" for i in range(32769))
    path = _write(tmp_path, f"knobs:\n  a: [x, y]\n  b: [{values}]\n")
    assert cli("array", path, "--fast") == (
        2,
        "",
        f"tempest-matrix: {path}: knob 'b' has 32,769 values; at most 32,768 are supported\n",
    )
