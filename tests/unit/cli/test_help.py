"""Help texts are consistent: a description for every subcommand, one metavar per
option across commands, --format choices and default, --seed saying what it changes."""

from __future__ import annotations

import argparse

from generator.cli import build_parser
from tests.conftest import RunCli


def _commands(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += [(f"{prefix}{name}", sub), *_commands(sub, f"{prefix}{name} ")]
    return found


COMMANDS = _commands(build_parser())


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if a.option_strings and a.help != argparse.SUPPRESS]


def test_every_subcommand_has_a_help_line_and_a_description() -> None:
    assert {name for name, _ in COMMANDS} >= {"array", "audit", "check", "generate", "knobs list"}
    for name, parser in COMMANDS:
        assert parser.description, f"{name} has no description"


def test_the_same_option_has_the_same_metavar_everywhere() -> None:
    metavars: dict[str, set[str]] = {}
    for _, parser in COMMANDS:
        for action in _options(parser):
            if action.metavar is not None or action.nargs != 0:
                shown = str(action.metavar or action.dest.upper())
                metavars.setdefault(action.option_strings[-1], set()).add(shown)
    mixed = {flag: shown for flag, shown in metavars.items() if len(shown) > 1}
    assert mixed == {}


def test_format_names_its_default_and_seed_what_it_changes() -> None:
    for name, parser in COMMANDS:
        for action in _options(parser):
            if "--format" in action.option_strings:
                assert action.choices, name
                assert f"(default: {action.default}" in str(action.help), name
            if "--seed" in action.option_strings:
                assert "another seed gives other" in str(action.help), name
            assert action.help, f"{name} {action.option_strings} has no help"


def test_help_of_every_command_is_printed(cli: RunCli) -> None:
    for name, _ in COMMANDS:
        code, out, err = cli(*name.split(), "--help")
        assert (code, err) == (0, ""), name
        assert out.startswith("usage: tempest-matrix "), name
