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

from generator.catalog.names import MAX_NAME_LENGTH, SAFE_NAME, ZUUL_PROJECT

__all__ = [
    "ASSIGNMENT",
    "CONSTRAINT",
    "DEFAULT_CHECK_JOBS",
    "DEFAULT_IRRELEVANT_FILES",
    "DRIVER_FILE",
    "INCLUDE_FILE",
    "KNOB",
    "MAX_STRENGTH",
    "NODESET",
    "NODESET_COMBINATION",
    "OPTION_DATA_ENTRY",
    "PINNED_ENTRY",
    "PROJECT_NAME",
    "SIDE",
    "STRENGTH_GROUP",
    "SUBNODE_SETTINGS",
    "THIRD_PARTY",
    "VALUE_NAME",
    "VALUE_SETTINGS",
    "Key",
    "Schema",
    "Stanza",
]

DEFAULT_IRRELEVANT_FILES = (
    r"^.*\.rst$",
    r"^\.git.*$",
    r"^api-(guide|ref)/.*$",
    r"^doc/.*$",
    r"^releasenotes/.*$",
    r"^(.*/)?tests/(unit|functional)/.*$",
    r"^test-requirements\.txt$",
)
"""Changes that cannot alter a devstack run: documentation, release notes, unit and
functional tests (the same kinds nova's ``nova-base-irrelevant-files`` lists)."""

DEFAULT_CHECK_JOBS = 3
"""Jobs in check and gate unless the catalog or ``--check-jobs`` says otherwise: the three
that cover the most combinations, a small fixed cost on every change (nova's own check
queue already runs about a dozen devstack jobs); the rest run in periodic-weekly."""

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
_NO_DOTDOT = {"not": {"pattern": r"\.\."}}
_SAFE = {"type": "string", "pattern": SAFE_NAME.pattern, "maxLength": MAX_NAME_LENGTH, **_NO_DOTDOT}
_INSIDE = {"type": "string", "minLength": 1, "pattern": r"^(?!/)(?!(.*/)?\.\.(/|$))"}
"""A path relative to the catalog's folder that stays inside it (no ``/...``, no ``..``)."""
TEST_REGEXES: Schema = {
    "type": "array",
    "items": {"type": "string", "minLength": 1, "pattern": "^\\S+$"},
}
"""Tempest test-ID regexes (``tempest run --regex`` splits on whitespace: none allowed)."""
PROJECT_NAME: Schema = {
    "type": "string",
    "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$",
    "description": "a Zuul project name, org/name (e.g. openstack/devstack-plugin-ceph)",
}
PLUGINS: Schema = {
    "oneOf": [
        {"type": "array", "items": {"type": "string", "minLength": 1}},
        {"type": "object", "additionalProperties": {"type": "string"}},
    ]
}


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
            PLUGINS,
            "devstack plugins: names (the git URL comes from 'projects') or name -> git URL",
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
        Key("tests", TEST_REGEXES, "Tempest test-ID regexes that exercise the value"),
        Key("exclude_tests", TEST_REGEXES, "Tempest test-ID regexes the value's jobs skip"),
        Key("untested", DESCRIPTION, "why no Tempest test can observe the value"),
        Key(
            "pre_run",
            {"type": "array", "items": {"type": "string", "minLength": 1}},
            "playbooks (paths relative to the catalog) the job runs before devstack",
        ),
        Key(
            "subnode",
            {"$ref": "#/$defs/subnode"},
            "what the value also writes on the compute-only nodes of a multi-node job",
        ),
    ),
)

SUBNODE_SETTINGS = Stanza(
    "a value's subnode settings",
    tuple(
        key
        for key in VALUE_SETTINGS.keys
        if key.name in ("localrc", "services", "plugins", "post_config")
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
            _INSIDE,
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

NODESET = Stanza(
    "a nodeset",
    (
        Key(
            "nodes",
            {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["name", "label"],
                    "additionalProperties": False,
                    "properties": {"name": {"type": "string"}, "label": {"type": "string"}},
                },
            },
            "the nodes: name and nodepool label",
        ),
        Key(
            "groups",
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "nodes"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "nodes": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            "Ansible groups of nodes (devstack needs 'tempest'; multi-node also 'subnode')",
        ),
    ),
    required=("nodes",),
)

THIRD_PARTY = Stanza(
    "third_party",
    (
        Key("reason", DESCRIPTION, "why the jobs cannot run in OpenDev"),
        Key(
            "secrets",
            {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
            "variable name -> the third-party Zuul's secret holding its fields",
        ),
        Key(
            "pipelines",
            {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            "the third-party tenant's pipelines that run the jobs (default: [check])",
        ),
    ),
    required=("reason",),
)

_PROJECTS = Key(
    "projects",
    {"type": "object", "additionalProperties": PROJECT_NAME},
    "devstack or tempest plugin name -> its Zuul project (required-projects)",
)

DRIVER_FILE = Stanza(
    "a catalog file",
    (
        Key("driver", _SAFE, "the virt driver (default: the file name)"),
        Key(
            "repo",
            {
                "type": "string",
                "pattern": ZUUL_PROJECT.pattern,
                "maxLength": 2 * MAX_NAME_LENGTH + 1,
                **_NO_DOTDOT,
            },
            "the split repository the jobs belong to, a name or a Zuul project org/name "
            "(default: the driver)",
        ),
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
            {"type": "array", "items": _INSIDE},
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
        _PROJECTS,
        Key("baseline_tests", TEST_REGEXES, "Tempest test-ID regexes every job runs"),
        Key("exclude_tests", TEST_REGEXES, "Tempest test-ID regexes no job runs"),
        Key(
            "nodesets",
            {"type": "object", "additionalProperties": {"$ref": "#/$defs/nodeset"}},
            "Zuul nodesets the catalog defines (emitted with the jobs)",
        ),
        Key(
            "third_party",
            {"$ref": "#/$defs/third_party"},
            "the jobs run on a third-party Zuul, not in OpenDev",
        ),
        Key(
            "irrelevant_files",
            {"type": "array", "items": {"type": "string", "minLength": 1}},
            "file regexes whose changes do not trigger the jobs (default: docs, notes, tests)",
        ),
        Key(
            "check_jobs",
            {"type": "integer", "minimum": 0},
            "how many of the most covering jobs run in check and gate (default 3)",
        ),
    ),
    required=("knobs",),
)

INCLUDE_FILE = DRIVER_FILE.only(
    "description", "include", "knobs", "constraints", "projects", where="an included knob file"
)
