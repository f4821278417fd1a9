"""Hostile arguments to ``audit`` and ``explain``: the Zuul files given are the ones read."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli
from tests.paths import FIXTURES

AUDIT_SMALL = FIXTURES / "zuul" / "audit-small"


def test_f21_explain_reads_the_given_zuul_files_for_an_impossible_combination(
    cli: RunCli, tmp_path: Path
) -> None:
    code, out, err = cli(
        "explain",
        "--catalog",
        str(AUDIT_SMALL / "knobs"),
        "--zuul",
        str(tmp_path / "BAD"),
        "--",
        "virt_type=kvm",
        "images_type=lvm",
    )
    assert (code, out, err) == (
        2,
        "",
        f"tempest-matrix: {tmp_path}/BAD: no such file or directory\n",
    )


def test_f14_audit_output_never_replaces_a_device(cli: RunCli) -> None:
    code, out, err = cli(
        "audit",
        "--catalog",
        str(AUDIT_SMALL / "knobs"),
        "--matrix",
        str(AUDIT_SMALL / "matrix" / "libvirt.yaml"),
        "--output",
        "/dev/null",
    )
    assert (code, out) == (2, "")
    assert (
        err == "tempest-matrix: /dev/null: is a character device; only a regular file is written\n"
    )
