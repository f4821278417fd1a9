"""Loader stage, schema layer: check one parsed catalog file, stanza by stanza.

Turns the located nodes of :mod:`generator.catalog.yaml_reader` into model objects
(:class:`~generator.model.Knob`, :class:`~generator.model.Constraint`, ...),
collecting every problem instead of stopping at the first. References to knobs
and values (``when``, constraints, pins, strength groups) are recorded as
:class:`Ref` and resolved by :mod:`generator.catalog.loader` once includes are merged.
Option settings (``tempest``, nova ``post_config``) are checked against the
committed option registries here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.catalog.declarations import (
    CONSTRAINT,
    DRIVER_FILE,
    INCLUDE_FILE,
    KNOB,
    MAX_STRENGTH,
    NODESET_COMBINATION,
    PINNED_ENTRY,
    STRENGTH_GROUP,
)
from generator.catalog.names import did_you_mean, unsafe_name_reason
from generator.catalog.option_data import OptionDataEntry, read_option_data
from generator.catalog.reporter import Reporter, node_kind
from generator.catalog.settings import SettingsReader, Written
from generator.catalog.yaml_reader import Mark, YMap, YNode, YScalar, YSeq
from generator.catalog.zuul_stanzas import (
    read_nodesets,
    read_projects,
    read_third_party,
    read_zuul_extras,
)
from generator.model import Condition, Constraint, Knob, KnobValue, Pin, StrengthGroup

if TYPE_CHECKING:
    from generator.model import NodesetDecl, ThirdParty

__all__ = ["FileData", "Ref", "read_file_data"]


@dataclass(slots=True)
class Ref:
    """A reference to a knob and some of its values, resolved after includes merge."""

    path: str
    where: str
    """e.g. ``constraint``, ``pinned``, ``when of knob 'x'``, ``strength_groups``."""
    knob: str
    mark: Mark
    values: list[tuple[str, Mark]]
    stanza: tuple[Mark, Mark]


@dataclass(slots=True)
class FileData:
    """Everything one file declares, before includes are merged."""

    path: str
    lines: list[str]
    scalars: dict[str, tuple[object, Mark]] = field(default_factory=dict)
    includes: list[tuple[str, Mark]] = field(default_factory=list)
    knobs: list[Knob] = field(default_factory=list)
    knob_marks: dict[str, Mark] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    constraint_stanzas: list[tuple[Mark, Mark]] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    groups: list[StrengthGroup] = field(default_factory=list)
    nodeset_combinations: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    """Every setting entry of every value, checked once the driver's files merge."""
    option_data: list[OptionDataEntry] = field(default_factory=list)
    projects: list[tuple[str, str, Mark]] = field(default_factory=list)
    baseline_tests: tuple[str, ...] = ()
    exclude_tests: tuple[str, ...] = ()
    nodesets: list[NodesetDecl] = field(default_factory=list)
    third_party: ThirdParty | None = None
    irrelevant_files: tuple[str, ...] | None = None
    check_jobs: int | None = None


def read_file_data(
    root: YNode | None,
    rep: Reporter,
    *,
    include: bool,
) -> FileData:
    """Check one file's top level and every stanza; problems go to ``rep``."""
    data = FileData(rep.path, rep.lines)
    if root is None:
        rep.error(Mark(1, 0), "the file is empty; a catalog needs at least 'knobs'")
        return data
    if not isinstance(root, YMap):
        rep.error(root.mark, f"the top level must be a mapping, not a {node_kind(root)}")
        return data
    stanza = INCLUDE_FILE if include else DRIVER_FILE
    allowed = stanza.names
    rep.unknown_keys(root, allowed, stanza.where)
    settings = SettingsReader(rep, data.written)
    for key in ("driver", "repo", "description", "parent", "nodeset"):
        node = root.get(key)
        if node is None or key not in allowed:
            continue
        if not isinstance(node, YScalar) or not isinstance(node.value, str) or not node.value:
            rep.error(node.mark, f"{key!r} must be a non-empty string")
            continue
        if key in ("driver", "repo") and (reason := unsafe_name_reason(node.value)):
            rep.error(node.mark, f"{key} {node.value!r} is not a safe name: {reason}")
            continue
        data.scalars[key] = (node.value, node.mark)
    strength = root.get("strength")
    if strength is not None and not include:
        value = strength.value if isinstance(strength, YScalar) else None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_STRENGTH:
            shown = strength.raw if isinstance(strength, YScalar) else f"a {node_kind(strength)}"
            rep.error(
                strength.mark, f"strength must be an integer from 1 to {MAX_STRENGTH}, got {shown}"
            )
        else:
            data.scalars["strength"] = (value, strength.mark)
    _read_includes(root.get("include"), rep, data)
    knobs = root.get("knobs")
    if knobs is None:
        rep.error(root.mark, "missing key 'knobs': declare at least one knob")
    elif not isinstance(knobs, YMap):
        rep.error(knobs.mark, "'knobs' must be a mapping of knob name -> values")
    elif not knobs.items and not include and root.get("include") is None:
        rep.error(knobs.mark, "'knobs' is empty: declare at least one knob")
    else:
        for key_node, spec in knobs.items:
            name = rep.value_name(key_node, "knob name")
            if name is not None:
                _read_knob(name, key_node, spec, rep, data, settings=settings)
    _read_constraints(root.get("constraints"), rep, data)
    data.projects = read_projects(root.get("projects"), rep)
    if not include:
        _read_pins(root.get("pinned"), rep, data)
        _read_groups(root.get("strength_groups"), rep, data)
        _read_nodeset_combinations(root.get("nodeset_combinations"), rep, data)
        data.option_data = read_option_data(root.get("option_data"), rep)
        data.baseline_tests = settings.regexes(root.get("baseline_tests"), "baseline_tests")
        data.exclude_tests = settings.regexes(root.get("exclude_tests"), "exclude_tests")
        data.nodesets = read_nodesets(root.get("nodesets"), rep)
        data.third_party = read_third_party(root.get("third_party"), rep)
        data.irrelevant_files, data.check_jobs = read_zuul_extras(root, rep)
    return data


def _read_includes(node: YNode | None, rep: Reporter, data: FileData) -> None:
    if node is None:
        return
    items = node.items if isinstance(node, YSeq) else [node]
    for item in items:
        if isinstance(item, YScalar) and isinstance(item.value, str) and item.value:
            data.includes.append((item.value, item.mark))
        else:
            rep.error(item.mark, "'include' must be a list of file names, e.g. [_neutron.yaml]")


def _read_knob(
    name: str,
    key: YScalar,
    spec: YNode,
    rep: Reporter,
    data: FileData,
    *,
    settings: SettingsReader,
) -> None:
    where = f"knob {name!r}"
    description = ""
    default: str | None = None
    when: Condition = ()
    values_node: YNode | None = spec
    if isinstance(spec, YMap):
        rep.unknown_keys(spec, KNOB.names, where)
        values_node = spec.get("values")
        description = rep.description(spec, f"{where}: description must be a string")
        default_node = spec.get("default")
        if default_node is not None:
            default = rep.value_name(default_node, f"{where}: default")
        when_node = spec.get("when")
        if when_node is not None:
            when = _read_side(when_node, rep, data, f"when of knob {name!r}", (key.mark, spec.end))
    values: list[KnobValue] = []
    if values_node is None or (isinstance(values_node, YScalar) and values_node.value is None):
        rep.error(key.mark, f"{where} has no values; list at least one", key.mark, spec.end)
    elif isinstance(values_node, YMap):
        rep.error(
            values_node.mark,
            f"{where}: values must be a list: '- name' or '- name: {{settings}}'",
        )
    elif not isinstance(values_node, YSeq):
        rep.error(values_node.mark, f"{where}: values must be a list, e.g. [a, b]")
    elif not values_node.items:
        rep.error(key.mark, f"{where} has no values; list at least one", key.mark, spec.end)
    else:
        seen: dict[str, Mark] = {}
        for item in values_node.items:
            value = _read_value(item, name, rep, settings)
            if value is None:
                continue
            mark = item.mark if not isinstance(item, YMap) else item.items[0][0].mark
            if value.name in seen:
                rep.error(
                    mark,
                    f"{where}: duplicate value {value.name!r} "
                    f"(first declared at line {seen[value.name].line})",
                )
                continue
            seen[value.name] = mark
            values.append(value)
    if default is not None and values and default not in [v.name for v in values]:
        default_node = spec.get("default") if isinstance(spec, YMap) else None
        mark = default_node.mark if default_node is not None else key.mark
        shown = ", ".join(v.name for v in values)
        hint = did_you_mean(default, [v.name for v in values])
        rep.error(mark, f"{where}: default {default!r} is not one of its values [{shown}]{hint}")
    knob = Knob(
        name=name,
        values=tuple(values),
        description=description,
        default=default,
        when=when,
        location=rep.location(key.mark),
        source=rep.path,
    )
    data.knobs.append(knob)
    data.knob_marks.setdefault(name, key.mark)


def _read_value(
    item: YNode, knob: str, rep: Reporter, settings: SettingsReader
) -> KnobValue | None:
    where = f"knob {knob!r}"
    if isinstance(item, YScalar):
        name = rep.value_name(item, f"{where}: value")
        return None if name is None else KnobValue(name, location=rep.location(item.mark))
    if isinstance(item, YMap) and len(item.items) == 1:
        key, body = item.items[0]
        name = rep.value_name(key, f"{where}: value")
        if name is None:
            return None
        value_where = f"{where} value {name!r}"
        if isinstance(body, YScalar) and body.value is None:
            return KnobValue(name, location=rep.location(key.mark))
        if not isinstance(body, YMap):
            rep.error(body.mark, f"{value_where}: settings must be a mapping")
            return None
        description, value_settings, untested = settings.read(body, value_where, knob, name)
        return KnobValue(name, description, value_settings, rep.location(key.mark), untested)
    rep.error(
        item.mark,
        f"{where}: each value is a name or a one-key mapping 'name: {{settings}}'",
        item.mark,
        item.end,
    )
    return None


def _read_side(
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


def _read_constraints(node: YNode | None, rep: Reporter, data: FileData) -> None:
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
            condition = _read_side(forbid, rep, data, "constraint", stanza)
            result = Constraint("forbid", condition, (), description, rep.location(item.mark))
        elif cond is not None and then is not None:
            condition = _read_side(cond, rep, data, "constraint", stanza)
            consequence = _read_side(then, rep, data, "constraint", stanza)
            result = Constraint("if", condition, consequence, description, rep.location(item.mark))
        else:
            missing = "'then'" if cond is not None else "'forbid' or 'if' + 'then'"
            rep.error(item.mark, f"a constraint needs {missing}", item.mark, item.end)
            continue
        if len(rep.out) == before:
            data.constraints.append(result)
            data.constraint_stanzas.append(stanza)


def _read_pins(node: YNode | None, rep: Reporter, data: FileData) -> None:
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


def _read_nodeset_combinations(node: YNode | None, rep: Reporter, data: FileData) -> None:
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


def _read_groups(node: YNode | None, rep: Reporter, data: FileData) -> None:
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
