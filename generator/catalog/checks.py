"""Catalog stage, catalog-wide checks of what knob values write.

They run once a driver file and its includes are merged (:mod:`generator.catalog.loader`),
over the :class:`~generator.catalog.settings.Written` entries the settings reader
recorded: every ``post_config`` key names a file devstack writes
(:mod:`generator.catalog.config_files`), every tempest.conf option is checked against
Tempest's option data (and an installed tempest with ``--live``), every
``post_config`` option of a config file that has option data against it (nova's for
``$NOVA_CONF`` / ``$NOVA_CPU_CONF``). The loader is the one place options are
validated; the emitters trust a loaded catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.catalog.config_files import NOVA_FILES, file_key_problem
from generator.catalog.optdata import nova_registry, tempest_registry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.catalog.optdata import OptionRegistry
    from generator.catalog.reporter import Reporter
    from generator.catalog.settings import Written

__all__ = ["Registries", "check_written"]

_OWN_OPTIONS = (
    "; a split driver's own options are checked against its option data: name it "
    "under 'option_data' (knobs/README.md)"
)


@dataclass(frozen=True, slots=True)
class Registries:
    """The option data one driver's settings are checked against."""

    tempest: OptionRegistry = field(default_factory=tempest_registry)
    live_tempest: OptionRegistry | None = None
    """An installed tempest's registry (``knobs validate --live``), checked second."""
    files: dict[str, OptionRegistry] = field(
        default_factory=lambda: dict.fromkeys(NOVA_FILES, nova_registry())
    )
    """``post_config`` key -> the registry its options are checked against."""


def check_written(written: Sequence[tuple[Written, Reporter]], registries: Registries) -> None:
    """Report every option setting the registries refuse, at the option's place."""
    covered = tuple(registries.files)
    for entry, rep in written:
        if entry.kind == "file":
            reason = file_key_problem(entry.key[0], covered)
            if reason is not None:
                rep.error(entry.mark, f"{entry.where}: post_config: {reason}")
        elif entry.kind == "post_config":
            filevar, section, option = entry.key
            registry = registries.files.get(filevar)
            if registry is None:
                continue
            reason = registry.check(section, option, entry.setting)
            if reason is not None:
                if not registry.knows_section(section) and "(did you mean" not in reason:
                    reason += _OWN_OPTIONS
                rep.error(entry.mark, f"{entry.where}: {filevar}: {reason}")
        elif entry.kind == "tempest":
            section, option = entry.key
            checks = [("tempest.conf", registries.tempest)]
            if registries.live_tempest is not None:
                checks.append(("installed tempest", registries.live_tempest))
            for label, registry in checks:
                reason = registry.check(section, option, entry.setting)
                if reason is not None:
                    rep.error(entry.mark, f"{entry.where}: {label}: {reason}")
                    break
