"""Shared pytest configuration: Hypothesis profiles, ``--update-golden``, ``cli`` and ``golden``."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NamedTuple

import pytest
from hypothesis import settings

from generator.cli import main
from tests.paths import GOLDEN

settings.register_profile("default", max_examples=30, deadline=None)
settings.register_profile("large", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("TM_HYPOTHESIS_PROFILE", "default"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current emitters instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was started with ``--update-golden``."""
    return bool(request.config.getoption("--update-golden"))


class Outcome(NamedTuple):
    """What one in-process run of the CLI gave: exit status, stdout and stderr."""

    code: int
    out: str
    err: str


RunCli = Callable[..., Outcome]
"""``cli("generate", "--fast")``: run ``main`` on the arguments and capture its output."""


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Run ``tempest-matrix`` in-process; compare the :class:`Outcome` with a tuple."""

    def run(*argv: str) -> Outcome:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


CheckGolden = Callable[[str, str], None]
"""``golden("zuul/nova-mini.yaml", text)``: compare with, or rewrite, a golden file."""


@pytest.fixture
def golden(update_golden: bool) -> CheckGolden:
    """Compare text with ``tests/golden/<name>``; rewrite it under ``--update-golden``."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.is_file(), f"missing golden file {path}; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8"), (
            f"{path} differs; review the change, then run pytest --update-golden"
        )

    return check
