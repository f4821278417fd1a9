"""Loader stage, documentation: a JSON Schema (draft 2020-12) of ``knobs/*.yaml``.

Editors can use it for completion; the loader itself does not (it gives better,
located messages). It is built from the same key lists the loader checks, so the
two cannot drift apart on which keys exist.
"""

from __future__ import annotations

from generator.catalog.names import SAFE_NAME
from generator.catalog.settings import SETTINGS_KEYS
from generator.catalog.stanzas import DRIVER_KEYS, KNOB_KEYS, MAX_STRENGTH

__all__ = ["catalog_json_schema"]

_NAME = {
    "type": "string",
    "minLength": 1,
    "description": "a knob value name (quote on/off/yes/1.10)",
}
_SCALAR = {"type": ["string", "integer", "number", "boolean"]}
_SIDE = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {
        "oneOf": [_NAME, {"type": "array", "items": _NAME, "minItems": 1}],
    },
}
_INI = {
    "type": "object",
    "additionalProperties": {"type": "object", "additionalProperties": _SCALAR},
}

_DESCRIPTIONS = {
    "description": "what the value means",
    "localrc": "devstack variables (devstack_localrc)",
    "services": "devstack services to enable (true) or disable (false)",
    "plugins": "devstack plugins: name -> git URL",
    "tempest_plugins": "tempest plugin repositories",
    "post_config": "config file variable ($NOVA_CPU_CONF...) -> section -> option -> value",
    "tempest": "tempest.conf section -> option -> value",
    "nodeset": "a Zuul nodeset this value needs",
}


def _settings() -> dict[str, object]:
    properties: dict[str, object] = {
        "description": {"type": "string"},
        "localrc": {"type": "object", "additionalProperties": _SCALAR},
        "services": {"type": "object", "additionalProperties": {"type": "boolean"}},
        "plugins": {"type": "object", "additionalProperties": {"type": "string"}},
        "tempest_plugins": {"type": "array", "items": {"type": "string"}},
        "post_config": {"type": "object", "additionalProperties": _INI},
        "tempest": _INI,
        "nodeset": {"type": "string"},
    }
    assert tuple(properties) == SETTINGS_KEYS
    for key, text in _DESCRIPTIONS.items():
        entry = properties[key]
        assert isinstance(entry, dict)
        properties[key] = {**entry, "description": text}
    return {"type": "object", "additionalProperties": False, "properties": properties}


def catalog_json_schema() -> dict[str, object]:
    """The schema of a catalog file (driver file, include file or bare model)."""
    value = {
        "oneOf": [
            _NAME,
            {
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "additionalProperties": {"oneOf": [{"type": "null"}, _settings()]},
            },
        ]
    }
    values = {"type": "array", "minItems": 1, "items": value}
    knob = {
        "oneOf": [
            values,
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["values"],
                "properties": {
                    "description": {"type": "string"},
                    "default": _NAME,
                    "when": _SIDE,
                    "values": values,
                },
            },
        ]
    }
    assert set(KNOB_KEYS) == {"description", "default", "when", "values"}
    constraint = {
        "oneOf": [
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["forbid"],
                "properties": {"forbid": _SIDE, "description": {"type": "string"}},
            },
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["if", "then"],
                "properties": {"if": _SIDE, "then": _SIDE, "description": {"type": "string"}},
            },
        ]
    }
    strength = {"type": "integer", "minimum": 1, "maximum": MAX_STRENGTH}
    safe = {"type": "string", "pattern": SAFE_NAME.pattern}
    assignment = {"type": "object", "minProperties": 1, "additionalProperties": _NAME}
    properties: dict[str, object] = {
        "driver": safe,
        "repo": safe,
        "description": {"type": "string"},
        "parent": {"type": "string", "default": "devstack-tempest"},
        "nodeset": {"type": "string", "default": "openstack-single-node-noble"},
        "strength": {**strength, "default": 2},
        "include": {"type": "array", "items": {"type": "string"}},
        "knobs": {"type": "object", "minProperties": 1, "additionalProperties": knob},
        "constraints": {"type": "array", "items": constraint},
        "pinned": {
            "type": "array",
            "items": {
                "oneOf": [
                    assignment,
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["values"],
                        "properties": {"values": assignment, "description": {"type": "string"}},
                    },
                ]
            },
        },
        "strength_groups": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["knobs", "strength"],
                "properties": {
                    "knobs": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "strength": strength,
                },
            },
        },
        "nodeset_combinations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["nodesets", "use"],
                "properties": {
                    "nodesets": {
                        "type": "array",
                        "items": {"type": "string", "minLength": 1},
                        "minItems": 2,
                        "uniqueItems": True,
                    },
                    "use": {"type": "string", "minLength": 1},
                },
            },
        },
    }
    assert tuple(properties) == DRIVER_KEYS
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "tempest-matrix knob catalog",
        "type": "object",
        "additionalProperties": False,
        "required": ["knobs"],
        "properties": properties,
    }
