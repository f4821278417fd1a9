"""Catalog stage, the stanzas about combinations: ``when`` conditions, constraints,
pinned combinations, strength groups and nodeset combinations.

Each reader checks its stanza's shape and records the knobs and values it names as
:class:`~generator.catalog.file_data.Ref` entries, resolved once includes merge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.catalog.declarations import (
    CONSTRAINT,
    MAX_STRENGTH,
    NODESET_COMBINATION,
    PINNED_ENTRY,
    STRENGTH_GROUP,
)
from generator.catalog.file_data import Ref
from generator.catalog.yaml_reader import YMap, YScalar, YSeq
from generator.model import Constraint, Pin, StrengthGroup

if TYPE_CHECKING:
    from generator.catalog.file_data import FileData
    from generator.catalog.reporter import Reporter
    from generator.catalog.yaml_reader import Mark, YNode
    from generator.model import Condition

__all__ = [
    "read_constraints",
    "read_groups",
    "read_nodeset_combinations",
    "read_pins",
    "read_side",
]


def read_side(
    node: YNode, rep: Reporter, data: FileData, where: str, stanza: tuple[Mark, Mark]
) -> Condition:
    """``{knob: value}`` or ``{knob: [values]}`` -> Condition, recording references."""
    if not isinstance(node, YMap) or not node.items:
        rep.error(node.mark, f"{where} must be a non-empty mapping of knob -> value or [values]")
        return ()
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for key, body in node.items:
        knob = rep.value_name(key, f"{where}: knob name")
        if knob is None:
            continue
        items = body.items if isinstance(body, YSeq) else [body]
        if not items:
            rep.error(body.mark, f"{where}: knob {knob!r} lists no values")
            continue
        values: list[tuple[str, Mark]] = []
        bad = False
        for item in items:
            value = rep.value_name(item, f"knob {knob!r}: value in {where}")
            if value is None:
                bad = True
            elif value in [v for v, _ in values]:
                rep.error(item.mark, f"knob {knob!r}: value {value!r} is listed twice in {where}")
                bad = True
            else:
                values.append((value, item.mark))
        if bad:
            continue
        data.refs.append(Ref(rep.path, where, knob, key.mark, values, stanza))
        pairs.append((knob, tuple(v for v, _ in values)))
    return tuple(pairs)


def read_constraints(node: YNode | None, rep: Reporter, data: FileData) -> None:
    if node is None:
        return
    if not isinstance(node, YSeq):
        rep.error(node.mark, "'constraints' must be a list of 'forbid' or 'if'/'then' entries")
        return
    for item in node.items:
        stanza = (item.mark, item.end)
        if not isinstance(item, YMap):
            rep.error(item.mark, "a constraint must be a mapping with 'forbid' or 'if' + 'then'")
            continue
        rep.unknown_keys(item, CONSTRAINT.names, CONSTRAINT.where)
        description = rep.description(item, "a constraint's description must be a string")
        forbid, cond, then = item.get("forbid"), item.get("if"), item.get("then")
        if forbid is not None and (cond is not None or then is not None):
            rep.error(item.mark, "a constraint has either 'forbid' or 'if' + 'then', not both")
            continue
        before = len(rep.out)
        if forbid is not None:
            condition = read_side(forbid, rep, data, "constraint", stanza)
            result = Constraint("forbid", condition, (), description, rep.location(item.mark))
        elif cond is not None and then is not None:
            condition = read_side(cond, rep, data, "constraint", stanza)
            consequence = read_side(then, rep, data, "constraint", stanza)
            result = Constraint("if", condition, consequence, description, rep.location(item.mark))
        else:
            missing = "'then'" if cond is not None else "'forbid' or 'if' + 'then'"
            rep.error(item.mark, f"a constraint needs {missing}", item.mark, item.end)
            continue
        if len(rep.out) == before:
            data.constraints.append(result)
            data.constraint_stanzas.append(stanza)


def read_pins(node: YNode | None, rep: Reporter, data: FileData) -> None:
    if node is None:
        return
    if not isinstance(node, YSeq):
        rep.error(node.mark, "'pinned' must be a list of {knob: value} combinations")
        return
    for item in node.items:
        stanza = (item.mark, item.end)
        if not isinstance(item, YMap) or not item.items:
            rep.error(item.mark, "a pinned entry must be a mapping {knob: value, ...}")
            continue
        body: YNode = item
        description = ""
        values_node = item.get("values")
        if isinstance(values_node, YMap):
            rep.unknown_keys(item, PINNED_ENTRY.names, PINNED_ENTRY.where)
            body = values_node
            description = rep.description(item, "a pinned entry's description must be a string")
        assert isinstance(body, YMap)
        before = len(rep.out)
        pairs: list[tuple[str, str]] = []
        for key, value_node in body.items:
            knob = rep.value_name(key, "pinned: knob name")
            if knob is None:
                continue
            value = rep.value_name(value_node, f"knob {knob!r}: pinned value")
            if value is None:
                continue
            data.refs.append(
                Ref(rep.path, "pinned", knob, key.mark, [(value, value_node.mark)], stanza)
            )
            pairs.append((knob, value))
        if len(rep.out) == before:
            data.pins.append(Pin(tuple(pairs), description, rep.location(item.mark)))


def _nodeset_name(node: YNode | None) -> str | None:
    if isinstance(node, YScalar) and isinstance(node.value, str) and node.value:
        return node.value
    return None


def read_nodeset_combinations(node: YNode | None, rep: Reporter, data: FileData) -> None:
    """``- {nodesets: [a, b], use: c}``: the nodeset for a job whose values ask for a and b."""
    if node is None:
        return
    shape = "{nodesets: [a, b], use: c}"
    if not isinstance(node, YSeq):
        rep.error(node.mark, f"'nodeset_combinations' must be a list of {shape}")
        return
    seen: list[frozenset[str]] = []
    for item in node.items:
        if not isinstance(item, YMap):
            rep.error(item.mark, f"a nodeset combination must be a mapping {shape}")
            continue
        rep.unknown_keys(item, NODESET_COMBINATION.names, NODESET_COMBINATION.where)
        wanted, use = item.get("nodesets"), item.get("use")
        names = [_nodeset_name(n) for n in wanted.items] if isinstance(wanted, YSeq) else []
        use_name = _nodeset_name(use)
        if len(names) < 2 or None in names or len(set(names)) != len(names):
            rep.error(
                (wanted or item).mark,
                "a nodeset combination needs 'nodesets': a list of two or more distinct "
                "nodeset names",
            )
        elif use_name is None:
            rep.error((use or item).mark, "a nodeset combination needs 'use': a nodeset name")
        else:
            requested = tuple(n for n in names if n is not None)
            if frozenset(requested) in seen:
                rep.error(item.mark, f"nodesets {', '.join(requested)} are combined twice")
            else:
                seen.append(frozenset(requested))
                data.nodeset_combinations.append((requested, use_name))


def read_groups(node: YNode | None, rep: Reporter, data: FileData) -> None:
    if node is None:
        return
    if not isinstance(node, YSeq):
        rep.error(node.mark, "'strength_groups' must be a list of {knobs: [...], strength: N}")
        return
    for item in node.items:
        if not isinstance(item, YMap):
            rep.error(item.mark, "a strength group must be a mapping {knobs: [...], strength: N}")
            continue
        rep.unknown_keys(item, STRENGTH_GROUP.names, STRENGTH_GROUP.where)
        before = len(rep.out)
        knobs_node, strength_node = item.get("knobs"), item.get("strength")
        names: list[str] = []
        if not isinstance(knobs_node, YSeq) or not knobs_node.items:
            rep.error(item.mark, "a strength group needs 'knobs': a non-empty list of knob names")
        else:
            for entry in knobs_node.items:
                knob = rep.value_name(entry, "strength group: knob name")
                if knob is not None and knob not in names:
                    names.append(knob)
                    data.refs.append(
                        Ref(
                            rep.path, "strength_groups", knob, entry.mark, [], (item.mark, item.end)
                        )
                    )
        strength = strength_node.value if isinstance(strength_node, YScalar) else None
        if (
            isinstance(strength, bool)
            or not isinstance(strength, int)
            or not 1 <= strength <= MAX_STRENGTH
        ):
            mark = strength_node.mark if strength_node is not None else item.mark
            shown = strength_node.raw if isinstance(strength_node, YScalar) else "nothing"
            rep.error(mark, f"strength must be an integer from 1 to {MAX_STRENGTH}, got {shown}")
        elif names and strength > len(names):
            rep.error(
                strength_node.mark if strength_node is not None else item.mark,
                f"a strength group of {len(names)} knobs cannot have strength {strength}",
            )
        if len(rep.out) == before and isinstance(strength, int):
            data.groups.append(StrengthGroup(tuple(names), strength, rep.location(item.mark)))
