"""The public constraint space: feasibility, explanations and repair by knob name.

Pipeline stage: feasibility. Wraps the compiled boxes and the per-component
oracle with the name-based API the other stages use (``compile_model`` returns
a :class:`Space`). Which combinations must be covered is the engine's business
(``generator.engine.coverage``); this stage only says which rows are valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.constraints._compile import Compiled, compile_boxes, unknown_knob
from generator.constraints._explain import Explainer, Infeasible
from generator.constraints._oracle import Oracle
from generator.errors import ConstraintError, UnsatisfiableError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from generator.model import Constraint, Model, Parameter

__all__ = ["Blockers", "Infeasible", "Space", "compile_model"]


@dataclass(frozen=True, slots=True)
class Blockers:
    """Why a partial assignment has no valid row: constraints and ``when`` conditions.

    ``constraints`` is the deletion-minimal set :meth:`Space.why_infeasible` names;
    ``when`` the parameters whose ``when`` condition is needed on top of them
    (e.g. ``num_pcie_ports=12`` with ``hw_machine_type=pc`` when ``num_pcie_ports``
    applies only under ``hw_machine_type: q35``), in declaration order.
    """

    constraints: tuple[Constraint, ...]
    when: tuple[Parameter, ...]


class Space:
    """The valid rows of a model, queried by knob name (``None`` = not applicable)."""

    def __init__(self, compiled: Compiled, oracle: Oracle) -> None:
        self.compiled = compiled
        self.oracle = oracle
        self.model = compiled.model
        self.explainer = Explainer(compiled, oracle)

    # -- conversions --------------------------------------------------------------

    def partial(self, assignment: Mapping[str, str | None]) -> list[int]:
        """Internal codes of an assignment by name (-1 where a knob is missing)."""
        c = self.compiled
        row = [-1] * c.k
        for name in sorted(assignment, key=lambda n: c.names.index(n) if n in c.names else -1):
            if name not in c.names:
                raise ConstraintError(unknown_knob(name, self.model.names))
            col = c.column(name)
            row[col] = c.code(col, assignment[name])
        return row

    def named(self, row: Sequence[int]) -> dict[str, str | None]:
        """A full internal row as ``{name: value}`` in declaration order."""
        c = self.compiled
        out: dict[str, str | None] = {}
        for name in self.model.names:
            col = c.column(name)
            out[name] = c.value(col, int(row[col]))
        return out

    # -- feasibility ----------------------------------------------------------------

    def is_feasible(self, assignment: Mapping[str, str | None]) -> bool:
        """Whether a partial assignment has a valid completion."""
        return self.oracle.completable(self.partial(assignment))

    def why_infeasible(self, assignment: Mapping[str, str | None]) -> tuple[Constraint, ...]:
        """A small set of constraints that together make ``assignment`` impossible
        (deletion-minimal); ``()`` when it is feasible (or only ``when`` rules it out)."""
        row = self.partial(assignment)
        if self.oracle.completable(row):
            return ()
        return self.explainer.why(row)

    def blockers(self, assignment: Mapping[str, str | None]) -> Blockers | None:
        """Why ``assignment`` has no valid completion, or None when it has one.

        The constraints are those of :meth:`why_infeasible`; the ``when`` conditions
        are the fewest that, with those constraints, still rule the assignment out.
        So a combination only a ``when`` forbids names that ``when`` instead of
        coming back empty.
        """
        row = self.partial(assignment)
        if self.oracle.completable(row):
            return None
        constraints, cols = self.explainer.blockers(row)
        order = self.compiled.order
        return Blockers(constraints, tuple(self.model.parameters[order[x]] for x in cols))

    # -- repair ---------------------------------------------------------------------

    def repair(self, assignment: Mapping[str, str | None]) -> dict[str, str | None]:
        """The valid full row with the fewest changed values; missing knobs are filled
        (first values preferred, ties broken towards earlier values)."""
        row = self.partial(assignment)
        full = list(row)
        for comp in self.oracle.components:
            wanted = [row[x] for x in comp.cols]
            best = comp.nearest(wanted)
            if best is None:  # pragma: no cover - compile_model rejects unsatisfiable models
                raise UnsatisfiableError("no valid row exists")
            for x, v in zip(comp.cols, best, strict=True):
                full[x] = v
        for x in range(self.compiled.k):
            full[x] = max(full[x], 0)
        return self.named(full)


def compile_model(model: Model) -> Space:
    """Compile a model's constraints; see ``generator.engine`` for the contract."""
    compiled = compile_boxes(model)
    oracle = Oracle(compiled)
    space = Space(compiled, oracle)
    if not oracle.satisfiable():
        why = space.explainer.why([-1] * compiled.k)
        names = "; ".join(c.label() for c in why) or "the knobs' when conditions"
        raise UnsatisfiableError(f"no valid row exists: these constraints conflict: {names}")
    return space
