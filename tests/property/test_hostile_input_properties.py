"""Fuzzing: mutated catalogs, models, matrix files and Zuul trees through every command.

Each test mutates one input (``strategies.mutated``) and runs the commands that
read it in-process; ``harness`` checks the promises of every run. The default
profile runs a handful of inputs per class (a few seconds); ``tox -e property``
(``TM_HYPOTHESIS_PROFILE=large``) runs hundreds.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.property.harness import (
    AUDIT_SMALL,
    MINI,
    MODELS,
    SHIPPED,
    Workspace,
    large,
    up_to_date,
)
from tests.property.strategies import hostile

pytestmark = pytest.mark.property


def _budget(default: int, big: int) -> settings:
    return settings(
        max_examples=big if large() else default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


SHIPPED_FILES = sorted(p.name for p in SHIPPED.glob("*.yaml"))
MODEL_FILES = [*sorted(MODELS.glob("*.yaml")), MINI / "mini.yaml"]


@_budget(2, 300)
@given(name=st.sampled_from(SHIPPED_FILES), data=st.data())
def test_mutated_shipped_catalog(name: str, data: st.DataObject) -> None:
    """A mutated file of knobs/: validate the catalog; validate and array agree."""
    text = data.draw(hostile((SHIPPED / name).read_bytes()), label="mutated")
    with Workspace() as space:
        space.add(SHIPPED, "knobs")
        (space.repo / "knobs" / name).write_bytes(text)
        names = ["knobs/"]
        space.run("knobs", "validate", "knobs", label="catalog validate", names=names)
        if not name.startswith("_"):
            file = f"knobs/{name}"
            one = space.run("knobs", "validate", file, label="catalog validate", names=names)
            array = space.run("array", file, "--fast", label="catalog array", names=names)
            assert array.code == one.code, (one.err, array.err)


@_budget(6, 400)
@given(source=st.sampled_from(MODEL_FILES), data=st.data())
def test_mutated_small_model(source: Path, data: st.DataObject) -> None:
    """A mutated small model: validate, array and generate agree; check passes after."""
    text = data.draw(hostile(source.read_bytes()), label="mutated")
    with Workspace() as space:
        (space.repo / "knobs").mkdir()
        (space.repo / "knobs" / "m.yaml").write_bytes(text)
        names = ["knobs/m.yaml"]
        valid = space.run("knobs", "validate", "knobs/m.yaml", label="model validate", names=names)
        array = space.run("-q", "array", "knobs/m.yaml", "--fast", label="model array", names=names)
        generate = space.run("-q", "generate", "--fast", label="model generate", names=names)
        assert valid.code == array.code == generate.code, (valid.err, array.err, generate.err)
        if generate.code == 0:
            assert up_to_date(space.run("check", label="model check", names=names))


_GENERATED: list[Path] = []


def _generated(space: Workspace) -> None:
    """The mini catalog and what ``generate --fast`` writes for it (generated once)."""
    if not _GENERATED:
        with Workspace() as first:
            first.add(MINI, "knobs")
            assert first.run("-q", "generate", "--fast", label="setup", names=[]).code == 0
            keep = Path(tempfile.mkdtemp(prefix="tm-generated-"))
            atexit.register(shutil.rmtree, keep, ignore_errors=True)
            shutil.copytree(first.repo, keep / "repo")
        _GENERATED.append(keep / "repo")
    for part in ("knobs", "matrix", "output"):
        space.add(_GENERATED[0] / part, part)


@_budget(4, 400)
@given(data=st.data())
def test_mutated_matrix_file(data: st.DataObject) -> None:
    """A mutated matrix/mini.yaml through generate, check, audit and explain."""
    with Workspace() as space:
        _generated(space)
        matrix = space.repo / "matrix" / "mini.yaml"
        matrix.write_bytes(data.draw(hostile(matrix.read_bytes()), label="mutated"))
        names = ["matrix/mini.yaml"]
        for argv in (
            ("check",),
            ("audit", "--matrix", "matrix/mini.yaml"),
            ("explain", "virt_type=kvm", "barbican=on"),
            ("-q", "generate", "--fast"),
        ):
            space.run(*argv, label=f"matrix {argv[0]}", names=names)


ZUUL_FILES = [
    ("project", ".zuul.yaml"),
    ("base", "zuul.d/jobs.yaml"),
    ("base", "zuul.d/nodesets.yaml"),
]


@_budget(5, 500)
@given(where=st.sampled_from(ZUUL_FILES), data=st.data())
def test_mutated_zuul_tree(where: tuple[str, str], data: st.DataObject) -> None:
    """A mutated Zuul file of the audited project or of its parents: audit and explain."""
    folder, name = where
    with Workspace() as space:
        for part in ("knobs", "project", "base"):
            space.add(AUDIT_SMALL / part, part)
        path = space.repo / folder / name
        path.write_bytes(data.draw(hostile(path.read_bytes()), label="mutated"))
        names = [f"{folder}/", "project", "base"]
        zuul = ("--zuul", "project", "base")
        for argv in (
            ("audit", "--format", "json", *zuul),
            ("audit", "--driver", "libvirt", *zuul),
            ("explain", "images_type=lvm", "virt_type=qemu", *zuul),
        ):
            space.run(*argv, label=f"zuul {argv[0]}", names=names)


_WORDS = st.sampled_from(
    [
        "knobs",
        "knobs/mini.yaml",
        "matrix",
        "matrix/mini.yaml",
        "output",
        "README.md",
        "/dev/zero",
        "/dev/null",
        "/proc/tm",
        "fifo.yaml",
        "",
        "-",
        "--",
        "0",
        "1",
        "2_0",
        "٣",
        "-1",
        "18446744073709551617",
        "mini",
        "nope",
        "virt_type=kvm",
        "images_type=lvm",
        "a=b,c",
        "json",
        "csv",
        "html",
        "table",
        "--debug",
    ]
)
_COMMANDS = st.sampled_from(
    [
        ["knobs", "validate"],
        ["knobs", "list"],
        ["knobs", "show"],
        ["knobs", "schema"],
        ["array"],
        ["generate", "--fast"],
        ["check"],
        ["audit"],
        ["explain"],
    ]
)
_OPTIONS = st.sampled_from(
    [
        "--catalog",
        "--matrix-dir",
        "--output-dir",
        "--driver",
        "--strength",
        "--seed",
        "--max-jobs",
        "--check-jobs",
        "--fresh",
        "--format",
        "--output",
        "--matrix",
        "--zuul",
        "--pin",
        "--steps",
        "--fail-under",
        "--branch",
        "-q",
        "-v",
        "--live",
    ]
)


@_budget(8, 600)
@given(
    command=_COMMANDS,
    extra=st.lists(st.one_of(_OPTIONS, _WORDS), max_size=6),
)
def test_command_line_arguments(command: list[str], extra: list[str]) -> None:
    """Any arguments to any command: exit 0-3, and a refused run changes nothing."""
    if "--strength" in extra and "array" in command:
        extra = [w for w in extra if w != "--strength"]  # t up to 6 on 4 knobs: real work
    with Workspace() as space:
        _generated(space)
        (space.repo / "README.md").write_text("# not a folder\n", encoding="utf-8")
        os.mkfifo(space.repo / "fifo.yaml")
        space.run(*command, *extra, label=f"cli {command[0]}", names=["", "tempest-matrix"])
