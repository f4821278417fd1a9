"""The published JSON Schema: committed and fresh, and it agrees with the loader."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
import yaml

from generator.catalog.declarations import (
    CONSTRAINT,
    DRIVER_FILE,
    KNOB,
    NODESET_COMBINATION,
    PINNED_ENTRY,
    STRENGTH_GROUP,
    VALUE_SETTINGS,
)
from generator.catalog.json_schema import catalog_json_schema
from generator.catalog.loader import load_file
from generator.errors import KnobFileError
from tests.paths import BENCH_MODELS, FIXTURES, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import RunCli

COMMITTED = ROOT / "docs" / "catalog.schema.json"
CATALOGS = sorted(
    [
        *(ROOT / "knobs").glob("*.yaml"),
        *(p for p in BENCH_MODELS.glob("*.yaml") if p.name != "INDEX.yaml"),
        *FIXTURES.glob("*/knobs/*.yaml"),
        *FIXTURES.glob("bad_knobs/good_dir/*.yaml"),
    ]
)
VALIDATOR = jsonschema.Draft202012Validator(catalog_json_schema())


def test_committed_schema_is_fresh(cli: RunCli) -> None:
    outcome = cli("knobs", "schema")
    assert outcome.code == 0
    assert COMMITTED.read_text(encoding="utf-8") == outcome.out, (
        "docs/catalog.schema.json is stale; run: "
        "tempest-matrix knobs schema > docs/catalog.schema.json"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(COMMITTED.read_text("utf-8")))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_catalog_validates(path: Path) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(yaml.safe_load(path.read_text("utf-8")))]
    assert errors == []


def test_every_declared_key_is_in_the_schema() -> None:
    schema = catalog_json_schema()
    defs = schema["$defs"]
    settings = defs["values"]["items"]["oneOf"][1]["additionalProperties"]["oneOf"][1]
    published = {
        DRIVER_FILE.where: schema["properties"],
        KNOB.where: defs["knob"]["oneOf"][1]["properties"],
        CONSTRAINT.where: defs["constraint"]["properties"],
        PINNED_ENTRY.where: defs["pinned"]["oneOf"][1]["properties"],
        STRENGTH_GROUP.where: defs["strength_group"]["properties"],
        NODESET_COMBINATION.where: defs["nodeset_combination"]["properties"],
        VALUE_SETTINGS.where: settings["properties"],
    }
    for stanza in (DRIVER_FILE, KNOB, CONSTRAINT, PINNED_ENTRY, STRENGTH_GROUP):
        assert tuple(published[stanza.where]) == stanza.names
    assert tuple(published[NODESET_COMBINATION.where]) == NODESET_COMBINATION.names
    assert tuple(published[VALUE_SETTINGS.where]) == VALUE_SETTINGS.names
    assert all(entry["description"] for entry in schema["properties"].values())


BASE = {"knobs": {"a": ["x", "y"], "b": ["p", "q"]}}
# An unknown key in each kind of stanza: both the loader and the schema refuse it.
MISSPELT: list[tuple[str, dict[str, Any]]] = [
    ("a catalog file", {**BASE, "constraint": []}),
    ("knob 'a'", {"knobs": {"a": {"value": ["x"]}, "b": ["p"]}}),
    ("a constraint", {**BASE, "constraints": [{"forbid": {"a": "x"}, "desc": "typo"}]}),
    ("a pinned entry", {**BASE, "pinned": [{"values": {"a": "x"}, "why": "typo"}]}),
    ("a strength group", {**BASE, "strength_groups": [{"knobs": ["a", "b"], "strenght": 2}]}),
    (
        "a nodeset combination",
        {**BASE, "nodeset_combinations": [{"nodesets": ["n1", "n2"], "used": "n3"}]},
    ),
    (
        "knob 'a' value 'x'",
        {"knobs": {"a": [{"x": {"localrcc": {"A": 1}}}, "y"], "b": ["p", "q"]}},
    ),
]


REFUSED: list[tuple[str, dict[str, Any]]] = [
    ("include-above", {**BASE, "include": ["../_shared.yaml"]}),
    ("include-absolute", {**BASE, "include": ["/etc/hostname"]}),
    ("long-driver", {**BASE, "driver": "d" * 65}),
    ("dotdot-repo", {**BASE, "repo": "a..b"}),
    ("three-part-repo", {**BASE, "repo": "a/b/c"}),
]


CASES = [
    *(
        pytest.param(doc, f"unknown key .* in {where}", id=f"unknown-key-{where}")
        for where, doc in MISSPELT
    ),
    *(pytest.param(doc, None, id=case) for case, doc in REFUSED),
]


@pytest.mark.parametrize(("document", "message"), CASES)
def test_loader_and_schema_refuse_the_same(
    tmp_path: Path, document: dict[str, Any], message: str | None
) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    assert list(VALIDATOR.iter_errors(document)), "the schema accepted what the loader refuses"
    with pytest.raises(KnobFileError, match=message):
        load_file(path)
