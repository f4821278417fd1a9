"""Audit coverage counts equal a brute-force count on random catalogs and jobs."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.audit import JobValues, audit_jobs
from generator.model import Catalog
from tests.property.strategies import catalogs_and_jobs


@pytest.mark.property
@given(catalogs_and_jobs(), st.integers(1, 3))
def test_coverage_equals_brute_force(case: tuple[Catalog, list[JobValues]], strength: int) -> None:
    catalog, jobs = case
    strength = min(strength, len(catalog.knobs))
    model = catalog.model
    names = model.names
    valid = [
        row
        for row in itertools.product(*(p.values for p in model.parameters))
        if not model.row_problems(row)
    ]
    feasible = {
        tuple((names[i], row[i]) for i in cols)
        for row in valid
        for cols in itertools.combinations(range(len(names)), strength)
    }
    job_rows = [dict(j.values) for j in jobs]
    covered = {t for t in feasible if any(all(r[k] == v for k, v in t) for r in job_rows)}
    report = audit_jobs(catalog, jobs, strength=strength)
    assert (report.coverable, report.covered) == (len(feasible), len(covered))
    assert set(report.uncovered) == feasible - covered
