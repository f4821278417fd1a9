"""Loader stage, settings layer: what a knob value writes into a devstack job.

Reads a value's ``localrc`` / ``services`` / ``plugins`` / ``tempest_plugins`` /
``post_config`` / ``tempest`` / ``nodeset`` mapping into
:class:`~generator.model.Settings`, checking each entry's shape, and records every
entry with its place as a :class:`Written` for the catalog-wide checks of
:mod:`generator.catalog.checks` (options against the option data, ...), which run
once a driver's files are merged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.catalog.declarations import SUBNODE_SETTINGS, VALUE_SETTINGS
from generator.catalog.testlist import regex_problem, test_list
from generator.catalog.yaml_reader import Mark, YMap, YNode, YScalar, YSeq
from generator.model import Scalar, Settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.catalog.reporter import Reporter

__all__ = ["SettingsReader", "Written"]


@dataclass(frozen=True, slots=True)
class Written:
    """One entry a knob value writes, with its place, for the catalog-wide checks.

    ``kind`` and ``key``: ``localrc`` (VARIABLE,), ``services`` (service,),
    ``plugins`` (name,), ``tempest_plugins`` (repository,), ``file`` (config-file
    key,) for each key under ``post_config``, ``post_config`` (file, section,
    option) and ``tempest`` (section, option).
    """

    knob: str
    value: str
    where: str
    """How messages name the value: ``knob 'a' value 'x'``."""
    kind: str
    key: tuple[str, ...]
    setting: Scalar
    mark: Mark


class SettingsReader:
    """Reads value settings for one file, reporting into its :class:`Reporter` and
    recording every entry into ``written``."""

    def __init__(self, rep: Reporter, written: list[Written]) -> None:
        self.rep = rep
        self.written = written

    def read(self, body: YMap, where: str, knob: str, value: str) -> tuple[str, Settings, str]:
        """The description, settings and ``untested`` reason of ``knob``'s ``value``."""
        rep = self.rep

        def record(kind: str, key: tuple[str, ...], setting: Scalar, mark: Mark) -> None:
            self.written.append(Written(knob, value, where, kind, key, setting, mark))

        rep.unknown_keys(body, VALUE_SETTINGS.names, where)
        description = rep.description(body, f"{where}: description must be a string")
        untested = ""
        untested_node = body.get("untested")
        if untested_node is not None:
            if isinstance(untested_node, YScalar) and isinstance(untested_node.value, str):
                untested = untested_node.value
            if not untested.strip():
                rep.error(untested_node.mark, f"{where}: untested must say why, as a string")
        settings = self.settings(body, where, record)
        if untested and settings.tests:
            assert untested_node is not None
            rep.error(
                untested_node.mark,
                f"{where}: a value with tests is not untested; remove one of the two",
            )
        subnode_node = body.get("subnode")
        if subnode_node is not None:
            if isinstance(subnode_node, YMap):
                rep.unknown_keys(subnode_node, SUBNODE_SETTINGS.names, f"{where}: subnode")
                subnode = self.settings(subnode_node, f"{where}: subnode", record)
                settings = replace(settings, subnode=subnode)
            else:
                rep.error(subnode_node.mark, f"{where}: subnode must be a mapping of settings")
        return description, settings, untested

    def settings(self, body: YMap, where: str, record: Callable[..., None]) -> Settings:
        """The settings keys of a value (or of its ``subnode`` part)."""
        rep = self.rep
        localrc: list[tuple[str, Scalar]] = []
        for name, setting, mark in self._scalar_map(body.get("localrc"), f"{where}: localrc"):
            localrc.append((name, setting))
            record("localrc", (name,), setting, mark)
        services: list[tuple[str, bool]] = []
        for name, node, mark in self._entries(body.get("services"), f"{where}: services"):
            if isinstance(node, YScalar) and isinstance(node.value, bool):
                services.append((name, node.value))
                record("services", (name,), node.value, mark)
            else:
                rep.error(node.mark, f"{where}: service {name!r} must be true or false")
        plugins: list[tuple[str, str]] = []
        plugins_node = body.get("plugins")
        if isinstance(plugins_node, YSeq):
            # Names only: the git URL is built from the catalog's 'projects' entry.
            for item in plugins_node.items:
                if isinstance(item, YScalar) and isinstance(item.value, str) and item.value:
                    plugins.append((item.value, ""))
                    record("plugins", (item.value,), item.value, item.mark)
                else:
                    rep.error(item.mark, f"{where}: plugins must list plugin names")
        else:
            for name, node, mark in self._entries(plugins_node, f"{where}: plugins"):
                if isinstance(node, YScalar) and isinstance(node.value, str) and node.value:
                    plugins.append((name, node.value))
                    record("plugins", (name,), node.value, mark)
                else:
                    rep.error(node.mark, f"{where}: plugin {name!r} needs its git URL as a string")
        tempest_plugins: list[str] = []
        tp_node = body.get("tempest_plugins")
        if tp_node is not None:
            items = tp_node.items if isinstance(tp_node, YSeq) else [tp_node]
            for item in items:
                if isinstance(item, YScalar) and isinstance(item.value, str) and item.value:
                    tempest_plugins.append(item.value)
                    record("tempest_plugins", (item.value,), item.value, item.mark)
                else:
                    rep.error(item.mark, f"{where}: tempest_plugins must list repository names")
        post_config: list[tuple[str, str, str, Scalar]] = []
        for filevar, sections, file_mark in self._entries(
            body.get("post_config"), f"{where}: post_config"
        ):
            record("file", (filevar,), filevar, file_mark)
            for section, option, setting, mark in self._ini(sections, f"{where}: {filevar}"):
                post_config.append((filevar, section, option, setting))
                record("post_config", (filevar, section, option), setting, mark)
        tempest: list[tuple[str, str, Scalar]] = []
        for section, option, setting, mark in self._ini(body.get("tempest"), f"{where}: tempest"):
            tempest.append((section, option, setting))
            record("tempest", (section, option), setting, mark)
        nodeset: str | None = None
        ns = body.get("nodeset")
        if ns is not None:
            if isinstance(ns, YScalar) and isinstance(ns.value, str) and ns.value:
                nodeset = ns.value
            else:
                rep.error(ns.mark, f"{where}: nodeset must be a nodeset name")
        return Settings(
            localrc=tuple(localrc),
            services=tuple(services),
            plugins=tuple(plugins),
            tempest_plugins=tuple(tempest_plugins),
            post_config=tuple(post_config),
            tempest=tuple(tempest),
            nodeset=nodeset,
            tests=self.regexes(body.get("tests"), f"{where}: tests"),
            exclude_tests=self.regexes(body.get("exclude_tests"), f"{where}: exclude_tests"),
            pre_run=tuple(
                item for item, _ in self._strings(body.get("pre_run"), f"{where}: pre_run")
            ),
        )

    def regexes(self, node: YNode | None, where: str) -> tuple[str, ...]:
        """A list of test regexes, each checked against the committed test list."""
        found: list[str] = []
        for item, mark in self._strings(node, where):
            reason = regex_problem(item, test_list())
            if reason is not None:
                self.rep.error(mark, f"{where}: {reason}")
            else:
                found.append(item)
        return tuple(found)

    def _strings(self, node: YNode | None, where: str) -> list[tuple[str, Mark]]:
        if node is None:
            return []
        if not isinstance(node, YSeq):
            self.rep.error(node.mark, f"{where} must be a list of strings")
            return []
        items: list[tuple[str, Mark]] = []
        for item in node.items:
            if isinstance(item, YScalar) and isinstance(item.value, str) and item.value:
                items.append((item.value, item.mark))
            else:
                self.rep.error(item.mark, f"{where} must be a list of strings")
        return items

    def _entries(self, node: YNode | None, where: str) -> list[tuple[str, YNode, Mark]]:
        """The (string key, value node, key mark) entries of an optional mapping."""
        if node is None:
            return []
        if not isinstance(node, YMap):
            self.rep.error(node.mark, f"{where} must be a mapping")
            return []
        entries: list[tuple[str, YNode, Mark]] = []
        for key, value in node.items:
            if isinstance(key.value, str) and key.value:
                entries.append((key.value, value, key.mark))
            else:
                self.rep.error(key.mark, f"{where}: key {key.raw} must be a string; quote it")
        return entries

    def _scalar_map(self, node: YNode | None, where: str) -> list[tuple[str, Scalar, Mark]]:
        result: list[tuple[str, Scalar, Mark]] = []
        for name, value, mark in self._entries(node, where):
            scalar = self._scalar(value, f"{where}: {name}")
            if scalar is not None:
                result.append((name, scalar, mark))
        return result

    def _scalar(self, node: YNode, where: str) -> Scalar | None:
        if isinstance(node, YScalar) and isinstance(node.value, str | int | float | bool):
            return node.value
        self.rep.error(
            node.mark, f"{where} must be a string, number or boolean (write lists as 'a,b')"
        )
        return None

    def _ini(self, node: YNode | None, where: str) -> list[tuple[str, str, Scalar, Mark]]:
        """``section -> option -> value`` entries with the option's mark."""
        out: list[tuple[str, str, Scalar, Mark]] = []
        for section, options, _ in self._entries(node, where):
            if not isinstance(options, YMap):
                self.rep.error(options.mark, f"{where}: [{section}] must map option -> value")
                continue
            for key, value in options.items:
                if not isinstance(key.value, str) or not key.value:
                    self.rep.error(
                        key.mark, f"{where}: [{section}] option {key.raw} must be a name"
                    )
                    continue
                scalar = self._scalar(value, f"{where}: [{section}] {key.value}")
                if scalar is not None:
                    out.append((section, key.value, scalar, key.mark))
        return out
