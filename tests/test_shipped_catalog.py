"""The shipped catalog in ``knobs/`` keeps the rules its README states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.catalog.loader import load_dir
from generator.engine import compile_model
from generator.model import Catalog
from tests.paths import ROOT


@pytest.fixture(scope="module")
def catalogs() -> tuple[Catalog, ...]:
    return load_dir(ROOT / "knobs")


def test_drivers_and_sizes(catalogs: tuple[Catalog, ...]) -> None:
    drivers = {c.driver: c for c in catalogs}
    assert {"libvirt", "vmware", "ironic", "zvm"} <= set(drivers)
    assert len(drivers["libvirt"].knobs) >= 12
    distinct = {(k.source, k.name) for c in catalogs for k in c.knobs}
    assert len(distinct) >= 60
    assert drivers["libvirt"].knob("virt_type").value_names[:2] == ("qemu", "kvm")


def test_every_value_is_explicit_unless_named_unset(catalogs: tuple[Catalog, ...]) -> None:
    """Under devstack an unset option is not nova's default, so values say what they set."""
    silent = [
        f"{c.driver}: {k.name}={v.name}"
        for c in catalogs
        for k in c.knobs
        for v in k.values
        if v.settings.is_empty() and v.name != "unset"
    ]
    assert silent == []


def test_every_default_is_declared_and_every_model_has_valid_jobs(
    catalogs: tuple[Catalog, ...],
) -> None:
    for catalog in catalogs:
        for knob in catalog.knobs:
            assert knob.default in knob.value_names, (catalog.driver, knob.name)
        compile_model(catalog.model)  # raises when no valid job exists


def _citing(paths: list[Path], pattern: re.Pattern[str]) -> list[str]:
    """path:line of every line of ``paths`` that ``pattern`` finds."""
    return [
        f"{path.relative_to(ROOT)}:{number}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]


REFERENCE_NOTES = re.compile(
    r"NOVA-KNOBS|ZUUL-JOBS|ALGORITHMS\.md|VALIDATION\.md|RUNNABILITY-REVIEW|/work/shared"
)
"""Reference notes the developers had but users do not: shipped text cites sources instead."""


def test_shipped_text_cites_no_reference_notes_users_lack() -> None:
    shipped = [
        *(ROOT / "knobs").rglob("*.yaml"),
        *(ROOT / "generator").rglob("*.py"),
        *(ROOT / "docs").glob("*.md"),
        ROOT / "README.md",
        ROOT / "knobs" / "README.md",
    ]
    assert _citing(shipped, REFERENCE_NOTES) == []


SHARED_PATHS = re.compile(r"\.\./shared|/work/shared|bench-models/|FUZZ-FINDINGS")
"""Paths into the developers' reference folder, which a clone of the repository lacks."""


def test_no_code_test_or_benchmark_reads_the_reference_folder() -> None:
    this = Path(__file__).resolve()
    code = [
        path
        for folder in ("generator", "tests", "benchmarks", "tools")
        for path in (ROOT / folder).rglob("*.py")
        if path.resolve() != this
    ]
    code += [ROOT / "tox.ini", ROOT / "pyproject.toml", ROOT / ".ci" / "run"]
    assert _citing(code, SHARED_PATHS) == []
