"""The README's set-up: exactly two commands, the first in a virtual environment."""

from __future__ import annotations

import re

from tests.paths import ROOT


def test_readme_shows_exactly_two_set_up_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Set up") : text.index("\n## ", text.index("## Set up") + 1)]
    (block,) = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    install, test = block.strip().splitlines()
    # An externally managed system Python refuses `pip install .`: use a venv.
    assert install.startswith("python3 -m venv .venv && .venv/bin/pip install . && ")
    assert install.endswith(" .venv/bin/tempest-matrix generate")
    assert test == ".venv/bin/pip install tox && .venv/bin/tox"
    assert "tempest/<job>.conf" in section


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv\n" in script
    assert ".venv/bin/pip install --quiet tox && .venv/bin/tox\n" in script
