"""The engine's public face: compile a model, cover it, explain what cannot be covered.

Pipeline stage: generation. Knows nothing of YAML, Zuul or Tempest; takes a
:class:`~generator.model.Model` and returns rows of value names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from generator.constraints import Infeasible, Space, compile_model
from generator.engine._targets import DEFAULT_MAX_TUPLES
from generator.engine.coverage import Coverage
from generator.errors import ConstraintError, ParameterError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from generator.model import Model, Row

__all__ = ["CoverResult", "Infeasible", "Space", "check_model", "compile_model", "cover"]


@dataclass(frozen=True)
class CoverResult:
    """Rows in model parameter order (``names``); None = not applicable.

    ``coverable`` counts the required tuples (feasible, over applicable values),
    ``covered`` those the rows contain, ``cumulative[i]`` those rows[:i+1] contain.
    The report of what no valid row can contain (``infeasible``) is built on first
    use: explaining thousands of tuples costs more than covering the rest.
    """

    rows: tuple[Row, ...]
    names: tuple[str, ...]
    strength: int
    seed: int
    coverable: int
    covered: int
    cumulative: tuple[int, ...]
    counter: Coverage = field(repr=False, compare=False)
    """The counter the rows were built against (regeneration and the emitters reuse it)."""

    @cached_property
    def infeasible(self) -> tuple[Infeasible, ...]:
        """Every combination no valid row contains, with the constraints that rule it out."""
        return self.counter.infeasible()

    @cached_property
    def infeasible_count(self) -> int:
        """How many combinations ``infeasible`` lists (counted without explaining them)."""
        return self.counter.infeasible_count()

    @property
    def coverage(self) -> float:
        """Covered share of the coverable tuples (1.0 when there are none)."""
        return self.covered / self.coverable if self.coverable else 1.0


def _render(assignment: Mapping[str, str | None]) -> str:
    parts = [f"{k}: {'null' if v is None else v}" for k, v in assignment.items()]
    return "{" + ", ".join(parts) + "}"


def _frozen(space: Space, initial: Sequence[Mapping[str, str | None]]) -> np.ndarray:
    """Initial rows then catalog pins, as partial internal rows, each checked."""
    rows: list[list[int]] = []
    labelled: list[tuple[str, Mapping[str, str | None]]] = [
        (f"initial row {i + 1} {_render(a)}", a) for i, a in enumerate(initial)
    ]
    for pin in space.model.pinned:
        where = f"{pin.location}: " if pin.location else ""
        labelled.append((f"{where}pinned combination {_render(pin.as_dict())}", pin.as_dict()))
    for label, assignment in labelled:
        try:
            row = space.partial(assignment)
        except ConstraintError as exc:
            raise ConstraintError(f"{label}: {exc.message}") from None
        if not space.oracle.completable(row):
            why = space.why_infeasible(assignment)
            reason = "; ".join(c.label() for c in why) or "the knobs' when conditions"
            raise ConstraintError(f"{label} is impossible: it violates {reason}")
        rows.append(row)
    return np.array(rows, dtype=np.int16).reshape(len(rows), space.compiled.k)


def _checked(
    model: Model,
    strength: int,
    initial: Sequence[Mapping[str, str | None]],
    space: Space | None,
    max_tuples: int | None = DEFAULT_MAX_TUPLES,
) -> tuple[Space, Coverage, np.ndarray]:
    if space is None or space.model is not model:
        space = compile_model(model)
    coverage = Coverage(space.compiled, space.oracle, strength, model.groups, max_tuples)
    return space, coverage, _frozen(space, initial)


def check_model(
    model: Model,
    *,
    strength: int,
    space: Space | None = None,
    max_tuples: int | None = DEFAULT_MAX_TUPLES,
) -> Space:
    """Every check :func:`cover` makes before it builds (constraints, strength and its
    groups, pinned combinations, the size bound), without building: what ``knobs
    validate`` runs, so it never accepts a model ``cover`` refuses."""
    return _checked(model, strength, (), space, max_tuples)[0]


def cover(
    model: Model,
    *,
    strength: int = 2,
    seed: int = 0,
    max_jobs: int | None = None,
    initial: Sequence[Mapping[str, str | None]] = (),
    optimise: bool = True,
    max_steps: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    space: Space | None = None,
    max_tuples: int | None = DEFAULT_MAX_TUPLES,
) -> CoverResult:
    """Rows covering every feasible ``strength``-way combination (and each strength
    group's), valid under every constraint; ``initial`` rows first (their given
    cells unchanged), then catalog pins, then the rest ordered so coverage grows
    fastest. With ``max_jobs``, at most that many rows, covering as much as possible.
    ``space`` is ``compile_model(model)`` when the caller has compiled it already.
    A model with more than ``max_tuples`` combinations to cover is refused before any
    work (a ``ParameterError`` with the estimate); None lifts the bound.
    """
    from generator.engine._build import build

    if max_jobs is not None and max_jobs < 1:
        raise ParameterError(f"{{max_jobs}} must be at least 1, not {max_jobs}", "max_jobs")
    if max_steps is not None and max_steps < 0:
        raise ParameterError(f"{{max_steps}} must not be negative, not {max_steps}", "max_steps")
    space, coverage, frozen = _checked(model, strength, initial, space, max_tuples)
    if max_jobs is not None and frozen.shape[0] > max_jobs:
        raise ParameterError(
            f"{{max_jobs}} {max_jobs} is fewer than the {frozen.shape[0]} initial and pinned rows",
            "max_jobs",
        )
    built = build(
        coverage,
        frozen,
        seed=seed,
        max_jobs=max_jobs,
        optimise=optimise,
        max_steps=max_steps,
        progress=progress,
    )
    order = [space.compiled.column(name) for name in model.names]
    rows = tuple(tuple(space.compiled.value(col, int(r[col])) for col in order) for r in built.rows)
    covered = built.cumulative[-1] if built.cumulative else 0
    return CoverResult(
        rows=rows,
        names=model.names,
        strength=strength,
        seed=seed,
        coverable=built.targets.total,
        covered=covered,
        cumulative=built.cumulative,
        counter=coverage,
    )
