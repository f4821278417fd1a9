"""Matrix stage: the committed job matrix file and its stable regeneration."""

from __future__ import annotations

from generator.matrix.format import (
    Churn,
    Job,
    Matrix,
    SpaceLike,
    assemble,
    catalog_digest,
    job_name,
    job_number,
    plan_initial,
    read_matrix,
    render_matrix,
)

__all__ = [
    "Churn",
    "Job",
    "Matrix",
    "SpaceLike",
    "assemble",
    "catalog_digest",
    "job_name",
    "job_number",
    "plan_initial",
    "read_matrix",
    "render_matrix",
]
