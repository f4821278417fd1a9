"""Pipeline properties on random small catalogs: fixed point, coverage kept, determinism."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.app import DriverResult, Options, generate_catalog
from generator.model import Catalog, Knob, KnobValue
from tests.property.strategies import catalogs

FAST = Options(fast=True)


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
    assert second.churn.kept == tuple(job.name for job in first.matrix.jobs)
    assert (second.churn.changed, second.churn.added, second.churn.removed) == ((), (), ())


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
    # No constraint reads the new knob, so no old job needs a repair: each kept job
    # changed only by gaining the new knob.
    assert second.churn.kept == ()
    for change in second.churn.changed:
        assert [(v.knob, v.kind) for v in change.values] == [("new", "added")]
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
