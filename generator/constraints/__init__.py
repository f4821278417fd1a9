"""Constraints: compile a model's constraints into forbidden partial assignments,
and answer exact feasibility questions about partial rows."""

from __future__ import annotations

from generator.constraints._compile import Box, Compiled, compile_boxes
from generator.constraints._oracle import Oracle, target_sets
from generator.constraints.space import Infeasible, Space, compile_model

__all__ = [
    "Box",
    "Compiled",
    "Infeasible",
    "Oracle",
    "Space",
    "compile_boxes",
    "compile_model",
    "target_sets",
]
