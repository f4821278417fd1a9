"""Loader properties: generated catalogs round-trip; damaged ones fail cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog.loader import load_file
from generator.errors import KnobFileError
from generator.model import Catalog

NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,5}", fullmatch=True)
SCALARS = st.one_of(
    st.text("abcxyz-_.", min_size=1, max_size=6), st.integers(-5, 500), st.booleans()
)
SETTINGS_TOO = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def catalogs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid catalog document (plain Python data, dumped to YAML by the test)."""
    knob_names = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
    knobs: dict[str, Any] = {}
    values_of: dict[str, list[str]] = {}
    for index, name in enumerate(knob_names):
        values = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
        values_of[name] = values
        items: list[Any] = []
        # A knob's values all set something, or none does (a bare value among
        # setting ones must be called 'unset'); each knob writes its own variables,
        # services and flags, so no two knobs write one setting differently.
        bare_knob = draw(st.booleans())
        for value in values:
            if bare_knob:
                items.append(value if draw(st.booleans()) else {value: None})
                continue
            body: dict[str, Any] = {}
            localrc = draw(
                st.dictionaries(
                    st.from_regex(r"[A-Z][A-Z_]{0,5}", fullmatch=True).map(f"K{index}_{{}}".format),
                    SCALARS,
                    max_size=2,
                )
            )
            if localrc:
                body["localrc"] = localrc
            services = draw(
                st.dictionaries(NAMES.map(f"{{}}-{index}".format), st.booleans(), max_size=2)
            )
            if services:
                body["services"] = services
            if index == 0 and draw(st.booleans()):
                body["tempest"] = {"compute-feature-enabled": {"resize": draw(st.booleans())}}
            if not body:
                body["localrc"] = {f"K{index}_VALUE": value}
            items.append({value: body})
        if draw(st.booleans()):
            knobs[name] = items
            continue
        spec: dict[str, Any] = {"values": items}
        if draw(st.booleans()):
            spec["description"] = draw(st.text("abc def", max_size=10))
        if draw(st.booleans()):
            spec["default"] = draw(st.sampled_from(values))
        if index and draw(st.booleans()):
            other = draw(st.sampled_from(knob_names[:index]))
            spec["when"] = {
                other: draw(st.lists(st.sampled_from(values_of[other]), min_size=1, unique=True))
            }
        knobs[name] = spec
    document: dict[str, Any] = {"driver": draw(NAMES), "knobs": knobs}
    constraints: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 3))):
        chosen = draw(st.lists(st.sampled_from(knob_names), min_size=1, max_size=2, unique=True))
        sides = []
        for knob in chosen:
            sides.append(
                (knob, draw(st.lists(st.sampled_from(values_of[knob]), min_size=1, unique=True)))
            )
        if len(chosen) == 2 and draw(st.booleans()):
            (a, av), (b, bv) = sides
            constraints.append({"if": {a: av}, "then": {b: bv}})
            continue
        if all(len(v) == len(values_of[k]) for k, v in sides):
            # a forbid that lists every value of every knob is rejected by design
            shrinkable = [(k, v) for k, v in sides if len(v) > 1]
            if not shrinkable:
                continue
            knob, values = shrinkable[0]
            sides = [(k, v[1:] if k == knob else v) for k, v in sides]
        constraints.append({"forbid": dict(sides)})
    if constraints:
        document["constraints"] = constraints
    pins = []
    for _ in range(draw(st.integers(0, 2))):
        chosen = draw(st.lists(st.sampled_from(knob_names), min_size=1, max_size=3, unique=True))
        pins.append({k: draw(st.sampled_from(values_of[k])) for k in chosen})
    if pins:
        document["pinned"] = pins
    if len(knob_names) >= 3 and draw(st.booleans()):
        document["strength_groups"] = [{"knobs": knob_names[:3], "strength": 3}]
    return document


def _condition(side: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in side.items())


def _expected(document: dict[str, Any]) -> dict[str, Any]:
    knobs = []
    for name, spec in document["knobs"].items():
        mapping = spec if isinstance(spec, dict) else {"values": spec}
        values: list[tuple[Any, ...]] = []
        for item in mapping["values"]:
            if isinstance(item, str):
                values.append((item, (), (), ()))
                continue
            [(value, body)] = item.items()
            body = body or {}
            tempest = tuple(
                (section, option, flag)
                for section, options in body.get("tempest", {}).items()
                for option, flag in options.items()
            )
            values.append(
                (
                    value,
                    tuple(body.get("localrc", {}).items()),
                    tuple(body.get("services", {}).items()),
                    tempest,
                )
            )
        knobs.append(
            (
                name,
                tuple(values),
                mapping.get("default"),
                mapping.get("description", ""),
                _condition(mapping.get("when", {})),
            )
        )
    constraints: list[tuple[str, Any, Any]] = []
    for entry in document.get("constraints", []):
        if "forbid" in entry:
            constraints.append(("forbid", _condition(entry["forbid"]), ()))
        else:
            constraints.append(("if", _condition(entry["if"]), _condition(entry["then"])))
    return {
        "driver": document["driver"],
        "knobs": knobs,
        "constraints": constraints,
        "pins": [tuple(p.items()) for p in document.get("pinned", [])],
        "groups": [(tuple(g["knobs"]), g["strength"]) for g in document.get("strength_groups", [])],
    }


def _observed(catalog: Catalog) -> dict[str, Any]:
    return {
        "driver": catalog.driver,
        "knobs": [
            (
                k.name,
                tuple(
                    (v.name, v.settings.localrc, v.settings.services, v.settings.tempest)
                    for v in k.values
                ),
                k.default,
                k.description,
                k.when,
            )
            for k in catalog.knobs
        ],
        "constraints": [(c.kind, c.condition, c.then) for c in catalog.constraints],
        "pins": [p.assignment for p in catalog.pinned],
        "groups": [(g.knobs, g.strength) for g in catalog.groups],
    }


@pytest.mark.property
@SETTINGS_TOO
@given(document=catalogs())
def test_generated_catalog_round_trips(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "generated.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    catalog = load_file(path)
    assert _observed(catalog) == _expected(document)
    assert catalog.repo == catalog.driver
    assert catalog.inputs == (str(path),)
    for knob in catalog.knobs:
        assert knob.source == str(path)
        assert knob.location is not None
        assert knob.location.line > 0


def _mutate(document: dict[str, Any], kind: str, pick: int) -> dict[str, Any]:
    """A copy of ``document`` broken in one targeted way."""
    broken: dict[str, Any] = yaml.safe_load(yaml.safe_dump(document))
    names = list(broken["knobs"])
    name = names[pick % len(names)]
    if kind == "top-key-typo":
        broken["knbos"] = broken.pop("knobs")
    elif kind == "knob-key-typo":
        broken["knobs"][name] = {"valeus": broken["knobs"][name]}
    elif kind == "no-values":
        broken["knobs"][name] = []
    elif kind == "unknown-value":
        broken.setdefault("constraints", []).append({"forbid": {name: "Not-A-Value"}})
    elif kind == "unknown-knob":
        broken.setdefault("pinned", []).append({"Not-A-Knob": "x"})
    elif kind == "bool-value":
        broken["knobs"][name] = [True, "x"]
    elif kind == "bad-strength":
        broken["strength"] = 0
    elif kind == "unsafe-driver":
        broken["driver"] = "../" + broken["driver"]
    return broken


MUTATIONS = [
    "top-key-typo",
    "knob-key-typo",
    "no-values",
    "unknown-value",
    "unknown-knob",
    "bool-value",
    "bad-strength",
    "unsafe-driver",
]


@pytest.mark.property
@SETTINGS_TOO
@given(document=catalogs(), kind=st.sampled_from(MUTATIONS), pick=st.integers(0, 10))
def test_targeted_mutation_fails_with_a_located_message(
    tmp_path: Path, document: dict[str, Any], kind: str, pick: int
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        yaml.safe_dump(_mutate(document, kind, pick), sort_keys=False), encoding="utf-8"
    )
    with pytest.raises(KnobFileError) as info:
        load_file(path)
    assert info.value.problems
    for problem in info.value.problems:
        assert problem.path == str(path)
        assert problem.message
        assert "Traceback" not in problem.render()


@pytest.mark.property
@SETTINGS_TOO
@given(
    document=catalogs(),
    edits=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.integers(0, 3),
            st.sampled_from(list(":-[]{}'\"&*!|> \n\tx#%@`,?")),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_random_damage_never_raises_anything_else(
    tmp_path: Path, document: dict[str, Any], edits: list[tuple[int, int, str]]
) -> None:
    text = yaml.safe_dump(document, sort_keys=False)
    for position, deleted, inserted in edits:
        at = position % (len(text) + 1)
        text = text[:at] + inserted + text[at + deleted :]
    path = tmp_path / "damaged.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_file(path)
    except KnobFileError as exc:
        paths = {p.path for p in exc.problems}
        assert paths == {str(path)}
