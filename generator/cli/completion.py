"""Subcommand ``completion``: print a bash or zsh completion script for tempest-matrix.

The script is generated from the same argparse parser as the commands themselves
(with shtab), so it always offers the current subcommands, options and choices;
options that take a file or a folder complete paths.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from generator.errors import EXIT_OK

__all__ = ["register"]

SHELLS = ("bash", "zsh")
FILES = frozenset({"FILE", "FILE.yaml", "PATH"})
FOLDERS = frozenset({"DIR"})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``completion``."""
    parser = subparsers.add_parser(
        "completion",
        help="print a bash or zsh completion script",
        description="Print a shell completion script generated from the command-line "
        "parser. bash: tempest-matrix completion bash > "
        "~/.local/share/bash-completion/completions/tempest-matrix; zsh: "
        "tempest-matrix completion zsh > ~/.zfunc/_tempest-matrix (with ~/.zfunc in "
        "fpath before compinit).",
    )
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.set_defaults(handler=run)


def _mark_paths(parser: argparse.ArgumentParser, shtab: Any) -> None:
    """Tell shtab which arguments are files and folders (by their metavar)."""
    for action in parser._actions:
        metavar = str(action.metavar or "")
        if metavar in FILES:
            action.complete = shtab.FILE  # type: ignore[attr-defined]
        elif metavar in FOLDERS:
            action.complete = shtab.DIRECTORY  # type: ignore[attr-defined]
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                _mark_paths(sub, shtab)


def run(args: argparse.Namespace) -> int:
    import shtab

    from generator.cli.entry import build_parser

    parser = build_parser()
    _mark_paths(parser, shtab)
    sys.stdout.write(shtab.complete(parser, shell=args.shell))
    return EXIT_OK
