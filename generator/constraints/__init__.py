"""Constraints: compile a model's constraints into forbidden partial assignments,
and answer exact feasibility questions about partial rows."""

from __future__ import annotations

from generator.constraints._compile import Box, Compiled, compile_boxes
from generator.constraints._explain import Explainer
from generator.constraints._oracle import Oracle
from generator.constraints._sat import SatComponent
from generator.constraints.space import Blockers, Infeasible, Space, compile_model

__all__ = [
    "Blockers",
    "Box",
    "Compiled",
    "Explainer",
    "Infeasible",
    "Oracle",
    "SatComponent",
    "Space",
    "compile_boxes",
    "compile_model",
]
