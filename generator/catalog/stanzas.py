"""Loader stage, schema layer: check one parsed catalog file, stanza by stanza.

Turns the located nodes of :mod:`generator.catalog.yaml_reader` into model objects
(:class:`~generator.model.Knob`, :class:`~generator.model.Constraint`, ...),
collecting every problem instead of stopping at the first. References to knobs
and values (``when``, constraints, pins, strength groups) are recorded as
:class:`Ref` and resolved by :mod:`generator.catalog.loader` once includes are merged.
The combination stanzas are read by :mod:`generator.catalog.combination_stanzas`,
settings by :mod:`generator.catalog.settings`; options are checked once a driver's
files merge (:mod:`generator.catalog.checks`).
"""

from __future__ import annotations

from generator.catalog.combination_stanzas import (
    read_constraints,
    read_groups,
    read_nodeset_combinations,
    read_pins,
    read_side,
)
from generator.catalog.declarations import (
    DRIVER_FILE,
    INCLUDE_FILE,
    KNOB,
    MAX_STRENGTH,
)
from generator.catalog.file_data import FileData, Ref
from generator.catalog.names import did_you_mean, unsafe_name_reason, unsafe_repo_reason
from generator.catalog.option_data import read_option_data
from generator.catalog.reporter import Reporter, node_kind
from generator.catalog.settings import SettingsReader
from generator.catalog.yaml_reader import Mark, YMap, YNode, YScalar, YSeq
from generator.catalog.zuul_stanzas import (
    read_nodesets,
    read_projects,
    read_third_party,
    read_zuul_extras,
)
from generator.model import Condition, Knob, KnobValue

__all__ = ["FileData", "Ref", "read_file_data"]


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
        check = unsafe_repo_reason if key == "repo" else unsafe_name_reason
        if key in ("driver", "repo") and (reason := check(node.value)):
            what = "a name or a Zuul project 'org/name'" if key == "repo" else "a safe name"
            rep.error(node.mark, f"{key} {node.value!r} is not {what}: {reason}")
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
        _read_knobs(knobs, rep, data, settings)
    read_constraints(root.get("constraints"), rep, data)
    data.projects = read_projects(root.get("projects"), rep)
    if not include:
        read_pins(root.get("pinned"), rep, data)
        read_groups(root.get("strength_groups"), rep, data)
        read_nodeset_combinations(root.get("nodeset_combinations"), rep, data)
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


def _read_knobs(knobs: YMap, rep: Reporter, data: FileData, settings: SettingsReader) -> None:
    """Every knob of ``knobs``; a knob named like a knob's own key is a mis-indented key."""
    owner: tuple[str, YScalar] | None = None  # the last knob written as a mapping
    lost_values: set[str] = set()  # knobs whose 'values' was dedented out of them
    read: list[tuple[str, YScalar, YNode]] = []
    for key_node, spec in knobs.items:
        name = rep.value_name(key_node, "knob name")
        if name is None:
            continue
        if name in KNOB.names:
            keys = ", ".join(KNOB.names)
            if owner is None:
                rep.error(
                    key_node.mark,
                    f"a knob may not be named {name!r}: it is one of a knob's own keys ({keys})",
                )
            else:
                rep.error(
                    key_node.mark,
                    f"{name!r} is indented as a knob name, but it is one of a knob's own keys "
                    f"({keys}): indent it under knob {owner[0]!r} (line "
                    f"{owner[1].mark.line}), like that knob's other keys",
                )
                if name == "values":
                    lost_values.add(owner[0])
            continue
        owner = (name, key_node) if isinstance(spec, YMap) else None
        read.append((name, key_node, spec))
    for name, key_node, spec in read:
        _read_knob(name, key_node, spec, rep, data, settings=settings, lost=name in lost_values)


def _read_knob(
    name: str,
    key: YScalar,
    spec: YNode,
    rep: Reporter,
    data: FileData,
    *,
    settings: SettingsReader,
    lost: bool = False,
) -> None:
    """One knob; ``lost``: its ``values`` key was dedented out of it (already reported)."""
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
            # Messages quote the 'when' lines themselves, however long the knob is.
            when_key = spec.key_node("when")
            start = when_key.mark if when_key is not None else when_node.mark
            when = read_side(when_node, rep, data, f"when of knob {name!r}", (start, when_node.end))
    values: list[KnobValue] = []
    if values_node is None and lost:
        pass
    elif values_node is None or (isinstance(values_node, YScalar) and values_node.value is None):
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
    _check_bare_values(where, values, rep)
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


def _check_bare_values(where: str, values: list[KnobValue], rep: Reporter) -> None:
    """A value that sets nothing, in a knob whose other values do, must be ``unset``."""
    if all(value.settings.is_empty() for value in values):
        return  # a bare model's parameter, or a knob that only names its values
    for value in values:
        if value.settings.is_empty() and value.name != "unset" and value.location:
            rep.error(
                Mark(value.location.line, value.location.column),
                f"{where}: value {value.name!r} sets nothing, but the knob's other values "
                "do: write what it means (what the other values set), or, if it means "
                "'leave the option unset', name it 'unset' (knobs/README.md, 'Every value "
                "is explicit')",
            )


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
