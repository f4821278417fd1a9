"""Catalog stage, the format declared once: every stanza's keys, their types and meaning.

The stanza readers (:mod:`generator.catalog.stanzas`, :mod:`generator.catalog.settings`)
take their allowed keys from here, and :mod:`generator.catalog.json_schema` builds the
published JSON Schema from the same declarations, so a key cannot exist in one and
not in the other. A key's ``schema`` is the JSON Schema of its value; the readers
check the same shapes with located messages of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.catalog.names import SAFE_NAME

__all__ = [
    "ASSIGNMENT",
    "CONSTRAINT",
    "DRIVER_FILE",
    "INCLUDE_FILE",
    "KNOB",
    "MAX_STRENGTH",
    "NODESET_COMBINATION",
    "OPTION_DATA_ENTRY",
    "PINNED_ENTRY",
    "SIDE",
    "STRENGTH_GROUP",
    "VALUE_NAME",
    "VALUE_SETTINGS",
    "Key",
    "Schema",
    "Stanza",
]

MAX_STRENGTH = 6
"""Highest t the catalog accepts (the engine's cost grows as k^t)."""

Schema = dict[str, Any]

VALUE_NAME: Schema = {
    "type": "string",
    "minLength": 1,
    "description": "a knob value name (quote on/off/yes/1.10)",
}
SCALAR: Schema = {"type": ["string", "integer", "number", "boolean"]}
SIDE: Schema = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {
        "oneOf": [VALUE_NAME, {"type": "array", "items": VALUE_NAME, "minItems": 1}],
    },
}
"""``{knob: value}`` or ``{knob: [values]}``: a condition or one side of a constraint."""
INI: Schema = {
    "type": "object",
    "additionalProperties": {"type": "object", "additionalProperties": SCALAR},
}
STRENGTH: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_STRENGTH}
ASSIGNMENT: Schema = {"type": "object", "minProperties": 1, "additionalProperties": VALUE_NAME}
DESCRIPTION: Schema = {"type": "string"}


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a stanza: its name, the JSON Schema of its value, what it means."""

    name: str
    schema: Schema
    description: str


@dataclass(frozen=True, slots=True)
class Stanza:
    """A YAML mapping of the catalog format and the keys it may hold."""

    where: str
    """How messages name the stanza, e.g. ``a constraint``."""
    keys: tuple[Key, ...]
    required: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()
    """Key sets of which exactly one must be present (e.g. ``forbid`` or ``if``+``then``)."""
    extra: Schema = field(default_factory=dict)
    """More JSON Schema for the mapping (bounds on its size)."""

    @property
    def names(self) -> tuple[str, ...]:
        """The allowed keys, in declaration order (what unknown-key checks accept)."""
        return tuple(key.name for key in self.keys)

    def only(self, *names: str, where: str) -> Stanza:
        """The same stanza restricted to ``names`` (an included file allows fewer keys)."""
        return Stanza(where, tuple(k for k in self.keys if k.name in names), self.required)


VALUE_SETTINGS = Stanza(
    "a value's settings",
    (
        Key("description", DESCRIPTION, "what the value means"),
        Key(
            "localrc",
            {"type": "object", "additionalProperties": SCALAR},
            "devstack variables (devstack_localrc)",
        ),
        Key(
            "services",
            {"type": "object", "additionalProperties": {"type": "boolean"}},
            "devstack services to enable (true) or disable (false)",
        ),
        Key(
            "plugins",
            {"type": "object", "additionalProperties": {"type": "string"}},
            "devstack plugins: name -> git URL",
        ),
        Key(
            "tempest_plugins",
            {"type": "array", "items": {"type": "string"}},
            "tempest plugin repositories",
        ),
        Key(
            "post_config",
            {"type": "object", "additionalProperties": INI},
            "config file variable ($NOVA_CPU_CONF...) -> section -> option -> value",
        ),
        Key("tempest", INI, "tempest.conf section -> option -> value"),
        Key("nodeset", {"type": "string"}, "a Zuul nodeset this value needs"),
    ),
)

KNOB = Stanza(
    "a knob",
    (
        Key("description", DESCRIPTION, "what the knob tunes"),
        Key("default", VALUE_NAME, "the value devstack gives when the job leaves the knob alone"),
        Key("when", SIDE, "the knob applies only where these knobs have these values"),
        Key("values", {"$ref": "#/$defs/values"}, "the knob's values, each with its settings"),
    ),
    required=("values",),
)

CONSTRAINT = Stanza(
    "a constraint",
    (
        Key("forbid", SIDE, "no job may combine all of these values"),
        Key("if", SIDE, "in a job with all of these values ..."),
        Key("then", SIDE, "... each of these knobs must have one of these values"),
        Key("description", DESCRIPTION, "why the combination cannot run"),
    ),
    alternatives=(("forbid",), ("if", "then")),
)

PINNED_ENTRY = Stanza(
    "a pinned entry",
    (
        Key("values", ASSIGNMENT, "the combination some job must contain"),
        Key("description", DESCRIPTION, "why the combination must run"),
    ),
    required=("values",),
)

STRENGTH_GROUP = Stanza(
    "a strength group",
    (
        Key(
            "knobs",
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "the knobs of the group",
        ),
        Key("strength", STRENGTH, "every combination of this many of them is covered"),
    ),
    required=("knobs", "strength"),
)

NODESET_COMBINATION = Stanza(
    "a nodeset combination",
    (
        Key(
            "nodesets",
            {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "minItems": 2,
                "uniqueItems": True,
            },
            "nodesets that values of one job ask for together",
        ),
        Key("use", {"type": "string", "minLength": 1}, "the nodeset that serves them all"),
    ),
    required=("nodesets", "use"),
)

OPTION_DATA_ENTRY = Stanza(
    "an option_data entry",
    (
        Key(
            "path",
            {"type": "string", "minLength": 1},
            "option data (oslo-config-generator --format json output, or the format of "
            "generator/catalog/data/*.json), relative to this file and inside its directory",
        ),
        Key(
            "post_config",
            {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            "the post_config keys ($NOVA_CPU_CONF, a plugin's variable, a path) whose "
            "options it declares",
        ),
        Key(
            "tempest_plugin",
            {"type": "string", "minLength": 1},
            "the tempest plugin (as listed under tempest_plugins) that registers these "
            "tempest.conf options",
        ),
        Key("description", DESCRIPTION, "where the data comes from"),
    ),
    required=("path",),
    alternatives=(("post_config",), ("tempest_plugin",)),
)

_SAFE = {"type": "string", "pattern": SAFE_NAME.pattern}

DRIVER_FILE = Stanza(
    "a catalog file",
    (
        Key("driver", _SAFE, "the virt driver (default: the file name)"),
        Key("repo", _SAFE, "the split repository the jobs belong to (default: the driver)"),
        Key("description", DESCRIPTION, "what the catalog covers"),
        Key(
            "parent",
            {"type": "string", "default": "devstack-tempest"},
            "the Zuul job every generated job inherits from",
        ),
        Key(
            "nodeset",
            {"type": "string", "default": "openstack-single-node-noble"},
            "the Zuul nodeset of a job whose values ask for none",
        ),
        Key("strength", {**STRENGTH, "default": 2}, "t: every t-way combination is covered"),
        Key(
            "include",
            {"type": "array", "items": {"type": "string"}},
            "shared knob files (_*.yaml) in the same directory",
        ),
        Key(
            "knobs",
            {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"$ref": "#/$defs/knob"},
            },
            "knob name -> its values (a list) or a knob stanza",
        ),
        Key(
            "constraints",
            {"type": "array", "items": {"$ref": "#/$defs/constraint"}},
            "combinations no job may contain",
        ),
        Key(
            "pinned",
            {"type": "array", "items": {"$ref": "#/$defs/pinned"}},
            "combinations some job must contain",
        ),
        Key(
            "strength_groups",
            {"type": "array", "items": {"$ref": "#/$defs/strength_group"}},
            "knobs covered at a higher strength",
        ),
        Key(
            "nodeset_combinations",
            {"type": "array", "items": {"$ref": "#/$defs/nodeset_combination"}},
            "the nodeset for jobs whose values ask for several",
        ),
        Key(
            "option_data",
            {"type": "array", "items": {"$ref": "#/$defs/option_data"}},
            "option data of the driver's own package and of tempest plugins not built in",
        ),
    ),
    required=("knobs",),
)

INCLUDE_FILE = DRIVER_FILE.only(
    "description", "include", "knobs", "constraints", where="an included knob file"
)
