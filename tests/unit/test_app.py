"""Pipeline properties on random small catalogs: fixed point, coverage kept, determinism."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.app import DriverResult, Options, generate_catalog, safe_name
from generator.errors import UsageError
from generator.model import Catalog, Condition, Constraint, Knob, KnobValue
from tests.paths import FIXTURES

FAST = Options(fast=True)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    count = draw(st.integers(2, 4))
    knobs = []
    for index in range(count):
        values = tuple(KnobValue(f"v{i}") for i in range(draw(st.integers(2, 3))))
        when: Condition = ()
        if index == count - 1 and draw(st.booleans()):
            when = (("k0", ("v0",)),)
        knobs.append(Knob(f"k{index}", values, when=when))
    constraints: tuple[Constraint, ...] = ()
    if draw(st.booleans()):
        constraints = (Constraint("forbid", (("k0", ("v1",)), ("k1", ("v0",)))),)
    return Catalog("drv", "nova-drv", tuple(knobs), constraints=constraints)


def generate(catalog: Catalog, old: DriverResult | None = None) -> DriverResult:
    return generate_catalog(
        catalog,
        old.matrix if old is not None else None,
        FAST,
        matrix_dir=Path("matrix"),
        output_dir=Path("output"),
    )


def _valid(result: DriverResult) -> None:
    model = result.catalog.model
    for job in result.matrix.jobs:
        assert model.row_problems(tuple(v for _, v in job.values)) == []
    assert result.covered == result.coverable


@pytest.mark.property
@given(catalogs())
def test_regenerating_an_unchanged_catalog_changes_nothing(catalog: Catalog) -> None:
    first = generate(catalog)
    _valid(first)
    second = generate(catalog, first)
    assert second.matrix == first.matrix
    assert second.files == first.files
    assert (second.churn.kept, second.churn.changed) == (len(first.matrix.jobs), 0)
    assert (second.churn.added, second.churn.removed) == (0, 0)


@pytest.mark.property
@given(catalogs(), st.integers(2, 3), st.integers(0, 4))
def test_adding_a_knob_never_loses_coverage(catalog: Catalog, size: int, where: int) -> None:
    first = generate(catalog)
    knobs = list(catalog.knobs)
    knobs.insert(
        min(where, len(knobs)), Knob("new", tuple(KnobValue(f"n{i}") for i in range(size)))
    )
    bigger = Catalog("drv", "nova-drv", tuple(knobs), constraints=catalog.constraints)
    second = generate(bigger, first)
    _valid(second)
    # No constraint reads the new knob, so no old job needs a repair.
    assert second.churn.changed == 0
    old_values = {job.name: job.as_dict() for job in first.matrix.jobs}
    for job in second.matrix.jobs:
        if job.name in old_values:
            assert {k: v for k, v in job.values if k != "new"} == old_values[job.name]
    numbers = [int(job.name.rsplit("-", 1)[1]) for job in second.matrix.jobs]
    assert len(set(numbers)) == len(numbers)
    assert all(n < second.matrix.next_number for n in numbers)


@pytest.mark.property
@given(catalogs(), st.integers(0, 3))
def test_outputs_are_identical_across_runs(catalog: Catalog, seed: int) -> None:
    options = Options(seed=seed, fast=True)
    one = generate_catalog(
        catalog, None, options, matrix_dir=Path("matrix"), output_dir=Path("output")
    )
    two = generate_catalog(
        catalog, None, options, matrix_dir=Path("matrix"), output_dir=Path("output")
    )
    assert one.files == two.files


def test_outputs_do_not_depend_on_hash_seed(tmp_path: Path) -> None:
    fixture = FIXTURES / "emit" / "knobs"
    trees = []
    for hash_seed in ("1", "4242"):
        root = tmp_path / hash_seed
        shutil.copytree(fixture, root / "knobs")
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-m", "generator", "-q", "generate", "--fast"],
            cwd=root,
            env=env,
            check=True,
        )
        trees.append(
            {
                str(p.relative_to(root)): p.read_bytes()
                for p in sorted(root.rglob("*"))
                if p.is_file()
            }
        )
    assert trees[0] == trees[1]
    assert len(trees[0]) > 3


@pytest.mark.parametrize("name", ["nova-libvirt", "a.b_c-1", "X1"])
def test_safe_names(name: str) -> None:
    assert safe_name("repo", name) == name


@pytest.mark.parametrize("name", ["", "..", "a/b", "-x", ".hidden", "a..b", "a b"])
def test_unsafe_names(name: str) -> None:
    with pytest.raises(UsageError, match="cannot be used in a file path"):
        safe_name("repo", name)
