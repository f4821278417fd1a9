"""``tempest-matrix completion bash|zsh``: scripts generated from the parser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import RunCli

COMPLETE = """\
source {script}
complete() {{ COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; \\
  COMP_POINT=${{#COMP_LINE}}; COMPREPLY=(); _shtab_tempest_matrix; echo "${{COMPREPLY[*]}}"; }}
complete tempest-matrix ge
complete tempest-matrix audit --for
complete tempest-matrix audit --format ''
complete tempest-matrix knobs ''
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_completes_commands_options_and_choices(
    cli: RunCli, tmp_path: Path
) -> None:
    code, script, err = cli("completion", "bash")
    assert (code, err) == (0, "")
    path = tmp_path / "tempest-matrix.bash"
    path.write_text(script, encoding="utf-8")
    lines = subprocess.run(
        ["bash", "-c", COMPLETE.format(script=path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert lines[0] == "generate"
    assert lines[1] == "--format"
    assert lines[2] == "table json html"
    assert set(lines[3].split()) == {"validate", "list", "show", "schema"}


def test_zsh_completion_names_every_command(cli: RunCli) -> None:
    code, script, _ = cli("completion", "zsh")
    assert code == 0
    assert script.startswith("#compdef tempest-matrix\n")
    for command in ("array", "audit", "check", "explain", "generate", "knobs", "completion"):
        assert f"    {command}:'" in script


def test_unknown_shell_is_a_usage_error(cli: RunCli) -> None:
    code, out, err = cli("completion", "fish")
    assert (code, out) == (2, "")
    assert "argument shell: invalid choice: 'fish'" in err
