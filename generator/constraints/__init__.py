"""Constraints: compile a model's constraints into forbidden partial assignments,
and answer exact feasibility questions about partial rows."""

from __future__ import annotations

from generator.constraints._compile import Box, Compiled, compile_boxes
from generator.constraints._public import Infeasible, Space, compile_model
from generator.constraints._space import Oracle, target_sets

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
