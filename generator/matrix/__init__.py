"""Matrix stage: the committed job matrix file and its stable regeneration."""

from __future__ import annotations

from generator.matrix.churn import Churn, JobChange, ValueChange, churn
from generator.matrix.format import (
    Job,
    Matrix,
    catalog_digest,
    job_name,
    job_number,
    read_matrix,
    render_matrix,
)
from generator.matrix.options import Options, resolve
from generator.matrix.regenerate import SpaceLike, assemble, plan_initial

__all__ = [
    "Churn",
    "Job",
    "JobChange",
    "Matrix",
    "Options",
    "SpaceLike",
    "ValueChange",
    "assemble",
    "catalog_digest",
    "churn",
    "job_name",
    "job_number",
    "plan_initial",
    "read_matrix",
    "render_matrix",
    "resolve",
]
