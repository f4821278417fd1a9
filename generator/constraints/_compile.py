"""Constraint compilation: a :class:`~generator.model.Model` to integer codes.

Pipeline stage: model -> forbidden partial assignments ("boxes"). A box is a
tuple of ``(column, value bitmask)`` pairs; a row matches it (and is invalid)
when every listed cell holds one of the values in its mask. ``forbid`` compiles
to one box, ``if``/``then`` to one box per then-pair (the condition together
with each value outside the then-list), and a conditional knob (``when``) gets a
"not applicable" code (its last code) plus boxes forcing that code exactly
where the condition fails.

Columns are numbered in the engine's internal order: members of higher-strength
groups first, then larger domains first, then declaration order (stable).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from generator.errors import ConstraintError
from generator.model import Condition, Constraint, Model

__all__ = ["Box", "Compiled", "compile_boxes"]

MAX_CODES = 1 << 15
"""Most codes a column may have (values, plus "not applicable"): cells are int16."""

WHEN = -1
"""``Box.origin`` of a box that comes from a ``when`` condition, not a constraint."""


@dataclass(frozen=True, slots=True)
class Box:
    """A forbidden partial assignment over internal columns (sorted, distinct)."""

    cols: tuple[int, ...]
    masks: tuple[int, ...]
    origin: int
    """Index of the constraint in ``Model.constraints``, or ``WHEN``."""
    knob: int = -1
    """For a ``WHEN`` box: the internal column of the knob whose condition it encodes."""


@dataclass(frozen=True, slots=True)
class Compiled:
    """A model in integer form."""

    model: Model
    names: tuple[str, ...]
    """Parameter names in internal column order."""
    order: tuple[int, ...]
    """``order[col]`` is the model (declaration) index of internal column ``col``."""
    domains: tuple[int, ...]
    """Number of codes per internal column (values, plus one for "not applicable")."""
    conditional: tuple[bool, ...]
    values: tuple[tuple[str, ...], ...]
    boxes: tuple[Box, ...]

    @property
    def k(self) -> int:
        return len(self.names)

    def column(self, name: str) -> int:
        return self.names.index(name)

    def code(self, col: int, value: str | None) -> int:
        """The code of ``value`` in ``col`` (``None`` = not applicable)."""
        if value is None:
            if not self.conditional[col]:
                raise ConstraintError(f"knob '{self.names[col]}' always applies; it cannot be null")
            return self.domains[col] - 1
        try:
            return self.values[col].index(value)
        except ValueError:
            raise ConstraintError(
                _unknown_value(self.names[col], value, self.values[col])
            ) from None

    def value(self, col: int, code: int) -> str | None:
        if self.conditional[col] and code == self.domains[col] - 1:
            return None
        return self.values[col][code]


def _unknown_value(knob: str, value: str, values: tuple[str, ...]) -> str:
    text = f"knob '{knob}' has no value '{value}'"
    close = difflib.get_close_matches(value, values, n=1)
    if close:
        return text + f" (did you mean '{close[0]}'?)"
    return text + f" (values: {', '.join(values)})"


def unknown_knob(knob: str, names: tuple[str, ...]) -> str:
    text = f"unknown knob '{knob}'"
    close = difflib.get_close_matches(knob, names, n=1)
    return text + (f" (did you mean '{close[0]}'?)" if close else "")


def _order(model: Model) -> tuple[int, ...]:
    names = model.names
    level = [0] * len(names)
    for group in model.groups:
        for knob in group.knobs:
            if knob in names:
                i = names.index(knob)
                level[i] = max(level[i], group.strength)
    sizes = [len(p.values) + (1 if p.when else 0) for p in model.parameters]
    return tuple(sorted(range(len(names)), key=lambda i: (-level[i], -sizes[i], i)))


def _masks(
    cond: Condition, names: tuple[str, ...], values: tuple[tuple[str, ...], ...], where: str
) -> dict[int, int]:
    """Column -> bitmask of the listed values (pairs on one knob intersect)."""
    out: dict[int, int] = {}
    for knob, vals in cond:
        if knob not in names:
            raise ConstraintError(f"{where}: {unknown_knob(knob, names)}")
        col = names.index(knob)
        mask = 0
        for value in vals:
            if value not in values[col]:
                raise ConstraintError(f"{where}: {_unknown_value(knob, value, values[col])}")
            mask |= 1 << values[col].index(value)
        out[col] = out[col] & mask if col in out else mask
    return out


def _box(parts: dict[int, int], origin: int, knob: int = -1) -> Box | None:
    """A box from column masks; None when some mask is empty (it matches nothing)."""
    if any(m == 0 for m in parts.values()):
        return None
    cols = tuple(sorted(parts))
    return Box(cols, tuple(parts[c] for c in cols), origin, knob)


def _constraint_boxes(
    index: int,
    constraint: Constraint,
    names: tuple[str, ...],
    values: tuple[tuple[str, ...], ...],
    domains: tuple[int, ...],
) -> list[Box]:
    where = f"constraint {constraint.label()}"
    cond = _masks(constraint.condition, names, values, where)
    if constraint.kind == "forbid":
        box = _box(cond, index)
        return [box] if box else []
    then = _masks(constraint.then, names, values, where)
    boxes: list[Box] = []
    for col, mask in then.items():
        outside = ((1 << domains[col]) - 1) & ~mask
        parts = dict(cond)
        parts[col] = parts[col] & outside if col in parts else outside
        box = _box(parts, index)
        if box:
            boxes.append(box)
    return boxes


def compile_boxes(model: Model) -> Compiled:
    """Compile ``model``; raises ConstraintError for unknown knobs/values and
    for a constraint that on its own forbids every value of an always-applicable knob."""
    if not model.parameters:
        raise ConstraintError("the model has no parameters")
    decl = model.names
    for i, name in enumerate(decl):
        if name in decl[:i]:
            raise ConstraintError(f"knob '{name}' is declared twice")
    for param in model.parameters:
        if not param.values:
            raise ConstraintError(f"knob '{param.name}' has no values")
        # Cells are int16; a conditional knob's "not applicable" takes one more code.
        if len(param.values) + (1 if param.when else 0) > MAX_CODES:
            most = MAX_CODES - (1 if param.when else 0)
            raise ConstraintError(
                f"knob '{param.name}' has {len(param.values):,} values; at most {most:,} "
                "are supported"
            )
    order = _order(model)
    params = [model.parameters[i] for i in order]
    names = tuple(p.name for p in params)
    values = tuple(p.values for p in params)
    conditional = tuple(bool(p.when) for p in params)
    domains = tuple(len(p.values) + (1 if p.when else 0) for p in params)
    boxes: list[Box] = []
    for col, param in enumerate(params):
        if not param.when:
            continue
        where = f"condition of knob '{param.name}'"
        cond = _masks(param.when, names, values, where)
        if col in cond:
            raise ConstraintError(f"{where}: a knob's condition cannot name the knob itself")
        na = 1 << (domains[col] - 1)
        real = na - 1
        # Condition holds -> the knob applies.
        box = _box({**cond, col: na}, WHEN, col)
        if box:
            boxes.append(box)
        # Some pair fails -> not applicable.
        for ccol, mask in cond.items():
            outside = ((1 << domains[ccol]) - 1) & ~mask
            box = _box({ccol: outside, col: real}, WHEN, col)
            if box:
                boxes.append(box)
    for index, constraint in enumerate(model.constraints):
        own = _constraint_boxes(index, constraint, names, values, domains)
        single: dict[int, int] = {}
        for box in own:
            if len(box.cols) == 1:
                single[box.cols[0]] = single.get(box.cols[0], 0) | box.masks[0]
        for col, mask in single.items():
            full = (1 << len(values[col])) - 1
            if not conditional[col] and mask & full == full:
                raise ConstraintError(
                    f"constraint {constraint.label()} forbids every value of knob '{names[col]}'"
                )
        boxes.extend(own)
    return Compiled(model, names, order, domains, conditional, values, tuple(boxes))
