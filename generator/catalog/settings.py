"""Loader stage, settings layer: what a knob value writes into a devstack job.

Reads a value's ``localrc`` / ``services`` / ``plugins`` / ``tempest_plugins`` /
``post_config`` / ``tempest`` / ``nodeset`` mapping into
:class:`~generator.model.Settings`, checking each entry's shape, every tempest.conf
option against Tempest's registry and every ``$NOVA_CONF`` / ``$NOVA_CPU_CONF``
option against Nova's (other config files are not checked; nova's run-time
sections such as ``[mdev_<type>]`` are checked as the patterns the option data
declares, ``[mdev_*]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.catalog.declarations import VALUE_SETTINGS
from generator.catalog.yaml_reader import Mark, YMap, YNode, YScalar, YSeq
from generator.model import Scalar, Settings

if TYPE_CHECKING:
    from generator.catalog.optdata import OptionRegistry
    from generator.catalog.reporter import Reporter

__all__ = ["NOVA_FILES", "SettingsReader"]

NOVA_FILES = ("$NOVA_CONF", "$NOVA_CPU_CONF")


class SettingsReader:
    """Reads value settings for one file, reporting into its :class:`Reporter`."""

    def __init__(
        self,
        rep: Reporter,
        tempest: OptionRegistry,
        nova: OptionRegistry,
        extra_tempest: OptionRegistry | None = None,
    ) -> None:
        self.rep = rep
        self.tempest = tempest
        self.nova = nova
        self.extra_tempest = extra_tempest

    def read(self, body: YMap, where: str) -> tuple[str, Settings]:
        rep = self.rep
        rep.unknown_keys(body, VALUE_SETTINGS.names, where)
        description = rep.description(body, f"{where}: description must be a string")
        localrc = tuple(self._scalar_map(body.get("localrc"), f"{where}: localrc"))
        services: list[tuple[str, bool]] = []
        for name, node in self._entries(body.get("services"), f"{where}: services"):
            if isinstance(node, YScalar) and isinstance(node.value, bool):
                services.append((name, node.value))
            else:
                rep.error(node.mark, f"{where}: service {name!r} must be true or false")
        plugins: list[tuple[str, str]] = []
        for name, node in self._entries(body.get("plugins"), f"{where}: plugins"):
            if isinstance(node, YScalar) and isinstance(node.value, str) and node.value:
                plugins.append((name, node.value))
            else:
                rep.error(node.mark, f"{where}: plugin {name!r} needs its git URL as a string")
        tempest_plugins: list[str] = []
        tp_node = body.get("tempest_plugins")
        if tp_node is not None:
            items = tp_node.items if isinstance(tp_node, YSeq) else [tp_node]
            for item in items:
                if isinstance(item, YScalar) and isinstance(item.value, str) and item.value:
                    tempest_plugins.append(item.value)
                else:
                    rep.error(item.mark, f"{where}: tempest_plugins must list repository names")
        post_config: list[tuple[str, str, str, Scalar]] = []
        for filevar, sections in self._entries(body.get("post_config"), f"{where}: post_config"):
            registry = self.nova if filevar in NOVA_FILES else None
            for section, option, value, mark in self._ini(sections, f"{where}: {filevar}"):
                post_config.append((filevar, section, option, value))
                if registry is None:
                    continue
                reason = registry.check(section, option, value)
                if reason is not None:
                    rep.error(mark, f"{where}: {filevar}: {reason}")
        tempest: list[tuple[str, str, Scalar]] = []
        for section, option, value, mark in self._ini(body.get("tempest"), f"{where}: tempest"):
            tempest.append((section, option, value))
            for registry in (self.tempest, self.extra_tempest):
                if registry is None:
                    continue
                reason = registry.check(section, option, value)
                if reason is not None:
                    label = "tempest.conf" if registry is self.tempest else "installed tempest"
                    rep.error(mark, f"{where}: {label}: {reason}")
                    break
        nodeset: str | None = None
        ns = body.get("nodeset")
        if ns is not None:
            if isinstance(ns, YScalar) and isinstance(ns.value, str) and ns.value:
                nodeset = ns.value
            else:
                rep.error(ns.mark, f"{where}: nodeset must be a nodeset name")
        settings = Settings(
            localrc=localrc,
            services=tuple(services),
            plugins=tuple(plugins),
            tempest_plugins=tuple(tempest_plugins),
            post_config=tuple(post_config),
            tempest=tuple(tempest),
            nodeset=nodeset,
        )
        return description, settings

    def _entries(self, node: YNode | None, where: str) -> list[tuple[str, YNode]]:
        """The (string key, value node) pairs of an optional mapping."""
        if node is None:
            return []
        if not isinstance(node, YMap):
            self.rep.error(node.mark, f"{where} must be a mapping")
            return []
        entries: list[tuple[str, YNode]] = []
        for key, value in node.items:
            if isinstance(key.value, str) and key.value:
                entries.append((key.value, value))
            else:
                self.rep.error(key.mark, f"{where}: key {key.raw} must be a string; quote it")
        return entries

    def _scalar_map(self, node: YNode | None, where: str) -> list[tuple[str, Scalar]]:
        result: list[tuple[str, Scalar]] = []
        for name, value in self._entries(node, where):
            scalar = self._scalar(value, f"{where}: {name}")
            if scalar is not None:
                result.append((name, scalar))
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
        for section, options in self._entries(node, where):
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
