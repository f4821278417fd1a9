"""The one error boundary: expected failures exit 2 with one message, bugs 70, Ctrl-C 130."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import entry, knobs
from tests.conftest import RunCli
from tests.paths import ROOT

Failing = Callable[[BaseException], None]


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> Failing:
    """``failing(exc)``: make ``knobs schema`` raise ``exc``."""

    def install(exc: BaseException) -> None:
        def handler(args: argparse.Namespace) -> int:
            del args
            raise exc

        monkeypatch.setattr(knobs, "_schema", handler)

    return install


@pytest.mark.parametrize(
    ("exc", "code", "message"),
    [
        (
            ZeroDivisionError("division by zero"),
            70,
            "tempest-matrix: internal error (ZeroDivisionError: division by zero); this is a "
            "bug, please report it with the command and its input files (--debug shows the "
            "traceback)\n",
        ),
        (KeyboardInterrupt(), 130, "tempest-matrix: interrupted\n"),
        (
            PermissionError(13, "Permission denied", "out/x.yaml"),
            2,
            "tempest-matrix: out/x.yaml: Permission denied\n",
        ),
        (
            OSError(28, "No space left on device"),
            2,
            "tempest-matrix: No space left on device\n",
        ),
        (
            MemoryError(),
            2,
            "tempest-matrix: out of memory; the input is too large for this machine\n",
        ),
    ],
)
def test_every_failure_is_one_line(
    cli: RunCli, failing: Failing, exc: BaseException, code: int, message: str
) -> None:
    failing(exc)
    assert cli("knobs", "schema") == (code, "", message)


def test_debug_shows_the_traceback_anywhere_on_the_line(cli: RunCli, failing: Failing) -> None:
    failing(ZeroDivisionError("boom"))
    code, _, err = cli("knobs", "schema", "--debug")
    assert code == 70
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.splitlines()[-1].startswith("tempest-matrix: internal error (ZeroDivisionError")
    code, _, err = cli("--debug", "knobs", "schema")
    assert code == 70
    assert "Traceback" in err


class _Full(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


class _Closed(io.StringIO):
    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_full_stdout_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # F13
    monkeypatch.setattr(sys, "stdout", _Full())
    assert entry.main(["knobs", "schema"]) == 2
    assert capsys.readouterr().err == (
        "tempest-matrix: cannot write to standard output: No space left on device\n"
    )


def test_a_closed_pipe_ends_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `tempest-matrix knobs list | head`: the reader has what it wanted.
    monkeypatch.setattr(sys, "stdout", _Closed())
    assert entry.main(["knobs", "schema"]) == 0
    assert capsys.readouterr().err == ""


def test_a_real_pipe_closed_early_is_silent() -> None:
    # `true` has exited before the schema is written: the write itself meets EPIPE.
    run = subprocess.run(
        f"{sys.executable} -m generator knobs schema 2>&1 | true; echo ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.stdout, run.stderr) == ("0\n", "")


def test_a_full_disk_on_a_real_stdout_is_one_message() -> None:
    with Path("/dev/full").open("w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "generator", "knobs", "list"],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (run.returncode, run.stderr) == (
        2,
        "tempest-matrix: cannot write to standard output: No space left on device\n",
    )


def test_epilog_lists_every_exit_status(cli: RunCli) -> None:
    code, out, _ = cli("--help")
    assert code == 0
    for status in ("0 ", "1 ", "2 ", "3 ", "70 ", "130 "):
        assert f"\n  {status}" in out
