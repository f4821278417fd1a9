"""Catalog stage, a driver's own option data: the ``option_data`` key of a catalog.

A split driver's options are registered by its own package, not nova's, and a
tempest plugin outside the committed data registers flags of its own. A catalog
names that option data so its settings are checked as strictly as nova's:

.. code-block:: yaml

    option_data:
      - path: optdata/nova-lxd.json        # relative to the catalog, inside its directory
        post_config: [$NOVA_CPU_CONF]      # these files' options (nova's plus these)
      - path: optdata/lxd-tempest.json
        tempest_plugin: nova-lxd-tempest-plugin   # these tempest.conf options, its plugin

A file is either what ``oslo-config-generator --namespace NS --format json`` writes
(an ``options`` object) or the format of ``generator/catalog/data/*.json`` (a
``sections`` object, see :func:`generator.catalog.optdata.registry_from_json`).
:func:`catalog_registries` builds the :class:`~generator.catalog.checks.Registries`
a driver is checked against; a key it lists under ``post_config`` that devstack
does not define (a plugin's variable, a literal path) becomes a valid key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.catalog.checks import Registries
from generator.catalog.config_files import NOVA_FILES, file_key_problem
from generator.catalog.declarations import OPTION_DATA_ENTRY
from generator.catalog.names import inside_catalog
from generator.catalog.optdata import nova_registry, registry_from_json, tempest_registry
from generator.catalog.optdata_sources import generator_sections
from generator.catalog.text_file import YAMLFailure, read_text
from generator.catalog.yaml_reader import YMap, YScalar, YSeq
from generator.errors import Problem

if TYPE_CHECKING:
    from generator.catalog.optdata import OptionRegistry
    from generator.catalog.reporter import Reporter
    from generator.catalog.yaml_reader import Mark, YNode

__all__ = ["OptionDataEntry", "catalog_registries", "read_option_data"]


@dataclass(frozen=True, slots=True)
class OptionDataEntry:
    """One ``option_data`` entry as written, with the places messages point at."""

    path: str
    mark: Mark
    post_config: tuple[tuple[str, Mark], ...] = ()
    tempest_plugin: str | None = None


def _text(node: YNode | None) -> str | None:
    if isinstance(node, YScalar) and isinstance(node.value, str) and node.value:
        return node.value
    return None


def read_option_data(node: YNode | None, rep: Reporter) -> list[OptionDataEntry]:
    """The entries of a catalog's ``option_data`` list; shape problems go to ``rep``."""
    if node is None:
        return []
    shape = "{path: FILE.json, post_config: [$NOVA_CPU_CONF]} or {path: ..., tempest_plugin: P}"
    if not isinstance(node, YSeq):
        rep.error(node.mark, f"'option_data' must be a list of {shape}")
        return []
    entries = []
    for item in node.items:
        if not isinstance(item, YMap):
            rep.error(item.mark, f"an option_data entry must be a mapping {shape}")
            continue
        rep.unknown_keys(item, OPTION_DATA_ENTRY.names, OPTION_DATA_ENTRY.where)
        rep.description(item, "an option_data entry's description must be a string")
        path_node, files_node = item.get("path"), item.get("post_config")
        plugin_node = item.get("tempest_plugin")
        path = _text(path_node)
        if path is None:
            rep.error((path_node or item).mark, "an option_data entry needs 'path': a file name")
            continue
        if (files_node is None) == (plugin_node is None):
            rep.error(
                item.mark, "an option_data entry has either 'post_config' or 'tempest_plugin'"
            )
            continue
        if plugin_node is not None:
            plugin = _text(plugin_node)
            if plugin is None:
                rep.error(plugin_node.mark, "'tempest_plugin' must be a plugin repository name")
                continue
            entries.append(OptionDataEntry(path, item.mark, tempest_plugin=plugin))
            continue
        files = files_node.items if isinstance(files_node, YSeq) else []
        keys = [(_text(f), f.mark) for f in files]
        if not keys or any(key is None for key, _ in keys):
            rep.error(
                (files_node or item).mark,
                "'post_config' must list config file keys, e.g. [$NOVA_CPU_CONF]",
            )
            continue
        entries.append(
            OptionDataEntry(path, item.mark, tuple((k, m) for k, m in keys if k is not None))
        )
    return entries


def _sections(document: object) -> dict[str, list[dict[str, Any]]]:
    """The compact sections of an option-data document; ValueError says what is wrong."""
    if isinstance(document, dict) and isinstance(document.get("options"), dict):
        try:
            sections = generator_sections(document)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not the JSON oslo-config-generator writes ({exc!r})") from None
    elif isinstance(document, dict) and isinstance(document.get("sections"), dict):
        sections = document["sections"]
    else:
        raise ValueError(
            "neither oslo-config-generator JSON (an 'options' object) nor "
            "tempest-matrix option data (a 'sections' object)"
        )
    for section, entries in sections.items():
        if not isinstance(entries, list) or not all(
            isinstance(e, dict)
            and isinstance(e.get("name"), str)
            and isinstance(e.get("type"), str)
            for e in entries
        ):
            raise ValueError(f"section [{section}] must list options with a 'name' and a 'type'")
    return sections


def _load(entry: OptionDataEntry, rep: Reporter, home: str) -> OptionRegistry | None:
    target = inside_catalog(entry.path, rep.path, home)
    if target is None:
        rep.error(
            entry.mark,
            f"option data {entry.path!r} is outside the catalog's directory; keep it next "
            "to the catalog (or below it)",
        )
        return None
    try:
        text = read_text(target)
    except YAMLFailure as failure:
        rep.out.extend(failure.problems)
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        rep.out.append(Problem(target, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}"))
        return None
    try:
        sections = _sections(document)
    except ValueError as exc:
        rep.error(entry.mark, f"option data {entry.path!r}: {exc}")
        return None
    if entry.tempest_plugin is not None:
        sections = {
            name: [{"plugin": entry.tempest_plugin, **option} for option in options]
            for name, options in sections.items()
        }
    versions = document.get("versions") if isinstance(document.get("versions"), dict) else {}
    plugins = {entry.tempest_plugin: entry.path} if entry.tempest_plugin else {}
    data = {"sections": sections, "versions": versions or {entry.path: ""}, "plugins": plugins}
    return registry_from_json(entry.path, data)


def catalog_registries(
    entries: list[OptionDataEntry], rep: Reporter, home: str, live_tempest: OptionRegistry | None
) -> Registries:
    """The registries a driver is checked against: the committed ones plus ``entries``."""
    tempest = tempest_registry()
    files: dict[str, OptionRegistry] = dict.fromkeys(NOVA_FILES, nova_registry())
    for entry in entries:
        for key, mark in entry.post_config:
            reason = file_key_problem(key, (key,))
            if reason is not None:
                rep.error(mark, f"option data {entry.path!r}: post_config: {reason}")
        registry = _load(entry, rep, home)
        if registry is None:
            continue
        if entry.tempest_plugin is not None:
            tempest = tempest.merged(registry)
        for key, _ in entry.post_config:
            files[key] = files[key].merged(registry) if key in files else registry
    return Registries(tempest=tempest, live_tempest=live_tempest, files=files)
