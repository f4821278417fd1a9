"""Catalog stage, documentation: a JSON Schema (draft 2020-12) of ``knobs/*.yaml``.

Editors can use it for completion; the loader itself does not (it gives better,
located messages). It is built from :mod:`generator.catalog.declarations`, the
same declarations the stanza readers take their keys from, so the two cannot
drift apart. ``docs/catalog.schema.json`` is this schema, committed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.catalog.declarations import (
    ASSIGNMENT,
    CONSTRAINT,
    DRIVER_FILE,
    KNOB,
    NODESET,
    NODESET_COMBINATION,
    OPTION_DATA_ENTRY,
    PINNED_ENTRY,
    STRENGTH_GROUP,
    SUBNODE_SETTINGS,
    THIRD_PARTY,
    VALUE_NAME,
    VALUE_SETTINGS,
)

if TYPE_CHECKING:
    from generator.catalog.declarations import Schema, Stanza

__all__ = ["catalog_json_schema", "stanza_schema"]


def stanza_schema(stanza: Stanza) -> Schema:
    """A closed JSON object schema with the stanza's keys, their types and descriptions."""
    schema: Schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            key.name: {**key.schema, "description": key.description} for key in stanza.keys
        },
    }
    if stanza.required:
        schema["required"] = list(stanza.required)
    if stanza.alternatives:
        schema["oneOf"] = [{"required": list(keys)} for keys in stanza.alternatives]
    return {**schema, **stanza.extra}


def catalog_json_schema() -> Schema:
    """The schema of a catalog file (driver file, include file or bare model)."""
    value = {
        "oneOf": [
            VALUE_NAME,
            {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "additionalProperties": {
                    "oneOf": [{"type": "null"}, stanza_schema(VALUE_SETTINGS)]
                },
            },
        ]
    }
    definitions: Schema = {
        "values": {"type": "array", "minItems": 1, "items": value},
        "knob": {"oneOf": [{"$ref": "#/$defs/values"}, stanza_schema(KNOB)]},
        "constraint": stanza_schema(CONSTRAINT),
        "pinned": {"oneOf": [ASSIGNMENT, stanza_schema(PINNED_ENTRY)]},
        "strength_group": stanza_schema(STRENGTH_GROUP),
        "nodeset_combination": stanza_schema(NODESET_COMBINATION),
        "option_data": stanza_schema(OPTION_DATA_ENTRY),
        "subnode": stanza_schema(SUBNODE_SETTINGS),
        "nodeset": stanza_schema(NODESET),
        "third_party": stanza_schema(THIRD_PARTY),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "tempest-matrix knob catalog",
        **stanza_schema(DRIVER_FILE),
        "$defs": definitions,
    }
