"""The ``explain`` subcommand: covered, uncovered and impossible combinations, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.catalog.loader import load_file
from tests.conftest import RunCli
from tests.paths import FIXTURES

FIXTURES = FIXTURES / "zuul"
SMALL = FIXTURES / "audit-small"
CATALOG = str(SMALL / "knobs")
ZUUL = [str(SMALL / "project"), str(SMALL / "base")]


def test_explain_covered(cli: RunCli) -> None:
    code, out, err = cli(
        "explain",
        "virt_type=qemu",
        "images_type=lvm",
        "--catalog",
        CATALOG,
        "--zuul",
        *ZUUL,
    )
    assert code == 0
    assert err == ""
    source = ", ".join(ZUUL)
    assert (
        out == f"virt_type=qemu, images_type=lvm is covered by 1 job(s) of {source}:\n  job-lvm\n"
    )


def test_explain_uncovered(cli: RunCli) -> None:
    code, out, _ = cli(
        "explain",
        "images_type=rbd",
        "machine_type=q35",
        "--catalog",
        CATALOG,
        "--zuul",
        *ZUUL,
    )
    assert code == 0
    source = ", ".join(ZUUL)
    assert (
        out == f"images_type=rbd, machine_type=q35 is feasible but no job of {source} covers it\n"
    )


def test_explain_impossible(cli: RunCli) -> None:
    code, out, _ = cli(
        "explain",
        "virt_type=kvm",
        "images_type=lvm",
        "--catalog",
        CATALOG,
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["feasible"] is False
    assert data["jobs"] == []
    assert len(data["constraints"]) == 1
    assert data["constraints"][0].endswith("forbid {virt_type: kvm, images_type: lvm}")


def test_explain_names_the_when_that_rules_a_combination_out(cli: RunCli) -> None:
    # The shipped catalog: num_pcie_ports applies only under hw_machine_type q35.
    libvirt = load_file("knobs/libvirt.yaml")
    code, out, err = cli("explain", "num_pcie_ports=12", "hw_machine_type=pc")
    assert (code, err) == (0, "")
    assert out == (
        "num_pcie_ports=12, hw_machine_type=pc is impossible in driver libvirt; "
        "when conditions:\n"
        f"  {libvirt.knob('num_pcie_ports').location}: knob num_pcie_ports applies only when "
        "{hw_machine_type: q35}\n"
    )
    code, out, err = cli(
        "explain", "lvm_volume_clear=none", "images_type=qcow2", "--format", "json"
    )
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "schema_version": 1,
        "driver": "libvirt",
        "assignment": {"lvm_volume_clear": "none", "images_type": "qcow2"},
        "feasible": False,
        "constraints": [],
        "when": [
            {
                "knob": "lvm_volume_clear",
                "when": {"images_type": ["lvm"]},
                "location": str(libvirt.knob("lvm_volume_clear").location),
            }
        ],
        "jobs": [],
    }


def test_explain_no_jobs(cli: RunCli, tmp_path: Path) -> None:
    code, out, _ = cli(
        "explain", "virt_type=kvm", "--catalog", CATALOG, "--matrix-dir", str(tmp_path)
    )
    assert code == 0
    assert out == (
        "virt_type=kvm is feasible in driver libvirt; no jobs given (--matrix/--zuul) "
        f"and no {tmp_path}/libvirt.yaml\n"
    )


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("virt_typ=kvm", "unknown knob 'virt_typ' (did you mean 'virt_type'?)"),
        (
            "virt_type=kvmm",
            "unknown value 'kvmm' of knob 'virt_type' (did you mean 'kvm'?); values: qemu, kvm",
        ),
        ("virt_type", "expected KNOB=VALUE, got 'virt_type'"),
    ],
)
def test_explain_bad_input(cli: RunCli, argument: str, message: str) -> None:
    code, out, err = cli("explain", argument, "--catalog", CATALOG)
    assert code == 2
    assert out == ""
    assert err == f"tempest-matrix: {message}\n"


def test_explain_defaults_to_committed_matrix(cli: RunCli) -> None:
    matrix_dir = SMALL / "matrix"
    code, out, _ = cli(
        "explain", "virt_type=kvm", "--catalog", CATALOG, "--matrix-dir", str(matrix_dir)
    )
    assert code == 0
    assert out == (
        f"virt_type=kvm is covered by 1 job(s) of {matrix_dir}/libvirt.yaml:\n"
        "  nova-libvirt-tm-02\n"
    )


def test_explain_knob_twice(cli: RunCli) -> None:
    code, _, err = cli("explain", "virt_type=kvm", "virt_type=qemu", "--catalog", CATALOG)
    assert code == 2
    assert err == "tempest-matrix: a knob is given twice\n"
