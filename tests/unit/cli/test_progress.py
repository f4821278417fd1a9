"""Progress on a terminal: one overwritten stderr line naming the driver and the phase,
cleared before the results; nothing when stderr is not a terminal or with -q."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.paths import FIXTURES

SMALL = FIXTURES / "zuul" / "audit-small"


def tty(monkeypatch: pytest.MonkeyPatch) -> None:
    """The captured stderr says it is a terminal (patched inside the test, where
    pytest's capture has replaced ``sys.stderr``)."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


def test_generate_names_driver_and_phase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: RunCli
) -> None:
    tty(monkeypatch)
    shutil.copytree(FIXTURES / "emit" / "knobs", tmp_path / "knobs")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("generate")
    assert code == 0
    assert "\r\033[Kmini: building jobs [" in err
    assert "\r\033[Kmini: optimising [" in err
    assert err.endswith("\r\033[K")  # cleared: the report starts on a clean line
    assert "\r" not in out
    assert cli("-q", "generate")[2] == ""
    assert cli("generate", "-q")[2] == ""


def test_audit_names_driver_and_phase(monkeypatch: pytest.MonkeyPatch, cli: RunCli) -> None:
    tty(monkeypatch)
    code, out, err = cli(
        "audit",
        "--catalog",
        str(SMALL / "knobs"),
        "--strength",
        "3",
        "--matrix",
        str(SMALL / "matrix" / "libvirt.yaml"),
    )
    assert code == 0
    assert "\r\033[Klibvirt: feasible 3-way combinations" in err
    assert "\r\033[Klibvirt: counting 3-way combinations of 3 jobs" in err
    assert "\r\033[Klibvirt: grouping " in err
    assert err.endswith("\r\033[K")
    assert out.startswith("driver libvirt")


def test_no_progress_off_a_terminal(cli: RunCli) -> None:
    code, _, err = cli(
        "audit",
        "--catalog",
        str(SMALL / "knobs"),
        "--matrix",
        str(SMALL / "matrix" / "libvirt.yaml"),
    )
    assert (code, err) == (0, "")
