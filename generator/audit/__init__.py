"""Audit stage: which knob combinations a set of jobs really covers."""

from __future__ import annotations

from generator.audit.coverage import audit_jobs, audit_matrix, complete
from generator.audit.report import (
    SCHEMA_VERSION,
    AuditReport,
    JobValues,
    PairStat,
    StaleOption,
    UncoveredGroup,
    UnmatchedJob,
)
from generator.audit.zuul_audit import audit_zuul, devstack_driver, stale_options, zuul_jobs

__all__ = [
    "SCHEMA_VERSION",
    "AuditReport",
    "JobValues",
    "PairStat",
    "StaleOption",
    "UncoveredGroup",
    "UnmatchedJob",
    "audit_jobs",
    "audit_matrix",
    "audit_zuul",
    "complete",
    "devstack_driver",
    "stale_options",
    "zuul_jobs",
]
