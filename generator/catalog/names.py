"""Catalog stage, names: the rules about names, and "did you mean" for a misspelt one."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from generator.errors import UsageError

__all__ = [
    "MAX_NAME_LENGTH",
    "SAFE_NAME",
    "ZUUL_PROJECT",
    "catalog_home",
    "chain_text",
    "did_you_mean",
    "inside_catalog",
    "name_from_file",
    "repo_folder",
    "safe_name",
    "unsafe_name_reason",
    "unsafe_repo_reason",
]

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


ZUUL_PROJECT = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)?$")
"""A repo: a name, or a Zuul project ``org/name`` (``openstack/nova-libvirt``)."""


def unsafe_repo_reason(repo: str) -> str | None:
    """Why ``repo`` cannot be a repo: a name, or a Zuul project ``org/name``.

    Each part is a safe name (:func:`unsafe_name_reason`), so the repo's output
    folder ``output/<org>/<name>/`` stays under ``output/``; the name part names
    the jobs (``<name>-tm-01``).
    """
    parts = repo.split("/")
    longest = max(parts, key=len)
    if len(parts) <= 2 and len(longest) > MAX_NAME_LENGTH:
        return unsafe_name_reason(longest)
    if len(parts) > 2 or any(unsafe_name_reason(part) for part in parts):
        return (
            "each part lowercase letters, digits, '.', '_' and '-', starting with a letter "
            "or digit, at most 64 characters (no '..', and one '/' at most, between the two)"
        )
    return None


def name_from_file(stem: str) -> str:
    """The driver name of a file without ``driver:``: its stem made a safe name
    (``MyModel`` -> ``mymodel``, ``my model`` -> ``my-model``)."""
    name = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).lstrip("._-")
    return re.sub(r"\.{2,}", ".", name)


def chain_text(names: list[str]) -> str:
    """``a -> b -> a``; a long chain shows its ends and how many names it leaves out."""
    if len(names) <= 12:
        return " -> ".join(names)
    return " -> ".join([*names[:5], f"... ({len(names) - 10} more)", *names[-5:]])


def catalog_home(catalog_file: str) -> str:
    """The directory a catalog's paths must stay in: its driver file's, as a real path."""
    return os.path.realpath(os.path.dirname(catalog_file) or ".")


def inside_catalog(name: str, beside: str, home: str) -> str | None:
    """The path a catalog names (``include``, ``option_data``), or None when it escapes.

    ``name`` is relative to the file ``beside`` that names it; it must not be
    absolute and its real path (symbolic links followed) must be ``home`` (see
    :func:`catalog_home`) or below it, so a catalog cannot make the tool read, or
    echo in a message, a file of the user's elsewhere.
    """
    target = os.path.normpath(os.path.join(os.path.dirname(beside), name))
    real = os.path.realpath(target)
    if os.path.isabs(name) or os.path.commonpath([real, home]) != home:
        return None
    return target


PATH_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_PATH_NAME = 100
"""Longest driver, repo or job name used in a file name (with a temporary file's
prefix and suffix it stays well under the usual limit of 255 bytes)."""


def path_name_reason(kind: str, name: str) -> str | None:
    """Why ``name`` (a driver, repo or job name) cannot be one component of a file path."""
    if len(name) > MAX_PATH_NAME:
        return (
            f"{kind} name {name[:40]!r}... is {len(name)} characters long; a file name "
            f"made from it may have at most {MAX_PATH_NAME}"
        )
    if not PATH_NAME.match(name) or ".." in name:
        return (
            f"{kind} name {name!r} cannot be used in a file path (use letters, digits, "
            "'.', '_' and '-', starting with a letter or digit)"
        )
    return None


def repo_folder(repo: str) -> Path:
    """The folder of a repo's files under the output directory: ``nova-libvirt`` or,
    for a Zuul project, ``openstack/nova-lxd``; each part a safe path component."""
    parts = repo.split("/")
    if len(parts) > 2:
        raise UsageError(f"repo name {repo!r} has more than one '/'; write 'org/name'")
    return Path(*(safe_name("repo", part) for part in parts))


def safe_name(kind: str, name: str) -> str:
    """``name`` if it is usable as one path component; a ``UsageError`` otherwise."""
    reason = path_name_reason(kind, name)
    if reason is not None:
        raise UsageError(reason)
    return name
