"""Catalog stage, names: the rules about names, and "did you mean" for a misspelt one."""

from __future__ import annotations

import difflib
import re

__all__ = ["MAX_NAME_LENGTH", "SAFE_NAME", "chain_text", "did_you_mean", "unsafe_name_reason"]

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""Driver and repo names: they become file, folder and job names."""
MAX_NAME_LENGTH = 64
"""Longest driver or repo name: job and file names add to it and a file name has a
limit (255 bytes on the usual file systems)."""


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unsafe_name_reason(name: str) -> str | None:
    """Why ``name`` cannot be a driver or repo name (used in file and job names)."""
    if len(name) > MAX_NAME_LENGTH:
        return f"at most {MAX_NAME_LENGTH} characters, not {len(name)}"
    if ".." in name or "/" in name or not SAFE_NAME.match(name):
        return (
            "use lowercase letters, digits, '.', '_' and '-', starting with a letter "
            "or digit (no '/' or '..')"
        )
    return None


def chain_text(names: list[str]) -> str:
    """``a -> b -> a``; a long chain shows its ends and how many names it leaves out."""
    if len(names) <= 12:
        return " -> ".join(names)
    return " -> ".join([*names[:5], f"... ({len(names) - 10} more)", *names[-5:]])
