"""Catalog stage, option data from outside the committed files.

* :func:`generator_sections` converts what ``oslo-config-generator --format json``
  writes (how nova's option data is made, and how a split driver publishes its own);
* :func:`registered_tempest_sections` walks an installed tempest's registry the way
  ``tempest.config.register_opts()`` fills it, recording the plugin behind each
  option (how ``tempest.json`` is made; :func:`live_tempest_registry` serves
  ``knobs validate --live``).

Both produce the compact committed format that
:func:`generator.catalog.optdata.registry_from_json` reads.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from functools import cache
from typing import Any

from generator.catalog.optdata import OptionRegistry, registry_from_json

__all__ = [
    "describe_opt",
    "generator_sections",
    "live_tempest_registry",
    "plugin_name",
    "registered_options",
    "registered_tempest_sections",
]


def _generator_entry(opt: dict[str, Any]) -> dict[str, object]:
    # sample_default replaces host-dependent defaults (install paths, host names).
    default = opt.get("sample_default")
    entry: dict[str, object] = {
        "name": opt["name"],
        "type": opt["type"],
        "default": opt.get("default") if default is None else default,
    }
    choices = [choice[0] for choice in opt.get("choices") or []]
    if choices:
        entry["choices"] = choices
    for attr in ("min", "max"):
        if opt.get(attr) is not None:
            entry[attr] = opt[attr]
    deprecated = opt.get("deprecated_opts") or []
    if deprecated:
        entry["deprecated_names"] = [
            f"{old.get('group') or 'DEFAULT'}.{old.get('name') or opt['name']}"
            for old in deprecated
        ]
    if opt.get("deprecated_for_removal"):
        entry["deprecated_for_removal"] = True
    return entry


def generator_sections(generator_json: dict[str, Any]) -> dict[str, list[dict[str, object]]]:
    """Compact sections (the committed format) from ``oslo-config-generator --format
    json`` output: ``{"options": {group: {"opts": [...]}}}``."""
    sections: dict[str, list[dict[str, object]]] = {}
    for group, body in generator_json["options"].items():
        entries = [_generator_entry(opt) for opt in body["opts"]]
        sections[str(group)] = sorted(entries, key=lambda e: str(e["name"]))
    return sections


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def describe_opt(opt: Any) -> dict[str, object]:
    """The compact description of an oslo.config ``Opt`` (used by the dump and --live)."""
    kind = opt.type
    entry: dict[str, object] = {
        "name": opt.name,
        "type": getattr(kind, "type_name", type(kind).__name__),
        "default": _jsonable(opt.default),
    }
    choices = getattr(kind, "choices", None)
    if choices:
        entry["choices"] = [_jsonable(c) for c in choices]
    for attr in ("min", "max"):
        bound = getattr(kind, attr, None)
        if bound is not None:
            entry[attr] = bound
    regex = getattr(kind, "regex", None)
    if regex is not None:
        entry["regex"] = str(getattr(regex, "pattern", regex))
    if getattr(kind, "max_length", None):  # oslo.config writes 0 for "no limit"
        entry["max_length"] = kind.max_length
    item_type = getattr(kind, "item_type", None)
    if item_type is not None and getattr(item_type, "choices", None):
        entry["item_choices"] = [_jsonable(c) for c in item_type.choices]
    item_name = getattr(item_type, "type_name", "string value")
    if item_type is not None and item_name != "string value":
        entry["item_type"] = item_name
    if opt.deprecated_opts:
        entry["deprecated_names"] = [
            f"{old.group or 'DEFAULT'}.{old.name or opt.name}" for old in opt.deprecated_opts
        ]
    if opt.deprecated_for_removal:
        entry["deprecated_for_removal"] = True
    return entry


def registered_options(conf: Any) -> set[tuple[str, str]]:
    """Every ``(section, option)`` registered so far on an oslo.config ``ConfigOpts``."""
    found = {("DEFAULT", name) for name in conf._opts}
    for group in conf._groups.values():
        found.update((group.name, name) for name in group._opts)
    return found


def plugin_name(entry_point_value: str) -> str:
    """The repository name of the tempest plugin behind an entry point (``module:Class``).

    It is the plugin's distribution name, normalised as PEP 503 does
    (``barbican_tempest_plugin`` -> ``barbican-tempest-plugin``): the name a job
    lists under ``tempest_plugins``.
    """
    top = entry_point_value.split(":", 1)[0].split(".", 1)[0]
    dists = importlib.metadata.packages_distributions().get(top) or [top]
    return re.sub(r"[-_.]+", "-", dists[0]).lower()


@cache
def registered_tempest_sections() -> tuple[dict[str, list[dict[str, object]]], dict[str, str]]:
    """Tempest's options as ``tempest.config.register_opts()`` registers them, and the
    plugin that registered each one.

    The in-tree groups are registered first, then each installed plugin's
    ``register_opts`` in turn, on tempest's own ``ConfigOpts`` (which also holds
    what libraries register at import, e.g. ``[oslo_concurrency]``), exactly as
    tempest does; what a plugin's call adds is that plugin's, including the flags it
    injects into tempest's own groups (whitebox's ``[compute-feature-enabled]``
    additions, which its ``get_opt_lists`` does not list). Returns the sections
    (each option with a ``plugin`` key when a plugin registered it) and
    ``{plugin: version}``. Cached: a second registration would add nothing new.
    """
    config: Any = importlib.import_module("tempest.config")
    discover: Any = importlib.import_module("tempest.test_discover.plugins")
    conf = config._CONF  # private, but the only place plugin-injected options live
    for group, opts in config._opts:
        config.register_opt_group(conf, group, opts)
    owner: dict[tuple[str, str], str] = {}
    plugins: dict[str, str] = {}
    manager = discover.TempestTestPluginManager()
    for extension in sorted(manager.ext_plugins, key=lambda ext: str(ext.name)):
        name = plugin_name(str(extension.entry_point.value))
        before = registered_options(conf)
        extension.obj.register_opts(conf)
        for key in sorted(registered_options(conf) - before):
            owner[key] = name
        try:
            plugins[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            plugins[name] = "unknown"
    sections: dict[str, list[dict[str, object]]] = {"DEFAULT": []}
    groups = [("DEFAULT", conf._opts)] + [(g.name, g._opts) for g in conf._groups.values()]
    for section, opts in groups:
        entries = sections.setdefault(section, [])
        for info in opts.values():
            entry = describe_opt(info["opt"])
            plugin = owner.get((section, str(entry["name"])))
            if plugin is not None:
                entry["plugin"] = plugin
            entries.append(entry)
    ordered = {name: sorted(opts, key=lambda o: str(o["name"])) for name, opts in sections.items()}
    return ordered, dict(sorted(plugins.items()))


def live_tempest_registry() -> OptionRegistry | None:
    """The installed tempest's registry, or None when tempest is not importable."""
    try:
        importlib.import_module("tempest.config")
    except ImportError:
        return None
    sections, plugins = registered_tempest_sections()
    data = {"sections": sections, "plugins": plugins, "versions": {"tempest": "installed"}}
    return registry_from_json("tempest", data)
