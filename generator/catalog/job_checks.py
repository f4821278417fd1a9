"""Catalog stage, checks over the jobs a catalog allows (they ask the constraint space).

* A tempest option a plugin registers (whitebox's ``[whitebox]`` or its flags in
  ``[compute-feature-enabled]``, barbican's ``[ephemeral_storage_encryption]``) is
  read only in a job that installs that plugin (``tempest_plugins``); elsewhere the
  line is silently ignored. So a value setting one must install the plugin itself,
  or every job that can carry the value must install it through another value.
  Writing the option's default is exempt: where the plugin is absent the line
  changes nothing, and where another value installs the plugin it is what keeps the
  feature off (``vtpm_device_supported: false``).

* Two knobs that write one option (variable, service, plugin, tempest flag) to
  different values in a job both can be in make that job ill-defined: generate
  would stop on it. The README's rule is that a value sets only its own knob's
  options; a pair a constraint keeps apart is fine.

The loader runs these once a catalog is otherwise valid (the engine needs a
well-formed model); problems are reported at the option's place.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from generator.engine import compile_model
from generator.errors import GeneratorError
from generator.model import Constraint, ini_value

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.catalog.optdata import OptionRegistry
    from generator.catalog.reporter import Reporter
    from generator.catalog.settings import Written
    from generator.model import Catalog

__all__ = ["check_jobs"]


def check_jobs(
    catalog: Catalog, written: Sequence[tuple[Written, Reporter]], tempest: OptionRegistry
) -> None:
    """Report the catalog-wide problems that depend on which jobs the constraints allow."""
    _check_plugins(catalog, written, tempest)
    _check_shared_settings(catalog, written)


_SHARED_KINDS = {
    "localrc": "devstack variable",
    "services": "devstack service",
    "plugins": "devstack plugin",
    "post_config": "option",
    "tempest": "tempest.conf option",
}


def _shown(kind: str, key: tuple[str, ...]) -> str:
    if kind == "post_config":
        return f"{key[0]} [{key[1]}] {key[2]}"
    if kind == "tempest":
        return f"[{key[0]}] {key[1]}"
    return key[0]


def _check_shared_settings(catalog: Catalog, written: Sequence[tuple[Written, Reporter]]) -> None:
    """Two knobs writing one setting differently in a job both can be in."""
    by_key: dict[tuple[str, tuple[str, ...]], list[tuple[Written, Reporter]]] = {}
    for entry, rep in written:
        if entry.kind in _SHARED_KINDS:
            by_key.setdefault((entry.kind, entry.key), []).append((entry, rep))
    space = None
    reported: set[tuple[str, str]] = set()
    for (kind, key), entries in by_key.items():
        if len({entry.knob for entry, _ in entries}) < 2:
            continue
        for index, (second, rep) in enumerate(entries):
            for first, _ in entries[:index]:
                if first.knob == second.knob or (first.knob, second.knob) in reported:
                    continue
                if ini_value(first.setting) == ini_value(second.setting):
                    continue
                if space is None:
                    space = compile_model(catalog.model)
                if not space.is_feasible({first.knob: first.value, second.knob: second.value}):
                    continue
                reported.add((first.knob, second.knob))
                rep.error(
                    second.mark,
                    f"{second.where}: {_SHARED_KINDS[kind]} {_shown(kind, key)} is also "
                    f"written by knob {first.knob!r} value {first.value!r} (as "
                    f"{ini_value(first.setting)!r}, here {ini_value(second.setting)!r}), and "
                    "a job can have both; a value sets only its own knob's options: move the "
                    "setting to one knob, or forbid the combination with a constraint",
                )


def _installers(catalog: Catalog, plugin: str) -> dict[str, tuple[str, ...]]:
    """``{knob: values that install plugin}`` (knobs with none left out)."""
    found: dict[str, tuple[str, ...]] = {}
    for knob in catalog.knobs:
        values = tuple(v.name for v in knob.values if plugin in v.settings.tempest_plugins)
        if values:
            found[knob.name] = values
    return found


def _without(catalog: Catalog, plugin: str, knob: str, value: str) -> bool:
    """Whether some valid job has ``knob=value`` and installs ``plugin`` through no value."""
    forbid = tuple(
        Constraint("forbid", ((name, values),))
        for name, values in _installers(catalog, plugin).items()
    )
    model = replace(catalog.model, constraints=catalog.model.constraints + forbid, pinned=())
    try:
        return compile_model(model).is_feasible({knob: value})
    except GeneratorError:
        # Forbidding them leaves no valid job (or an always-applicable knob without a
        # value): every job installs the plugin.
        return False


def _check_plugins(
    catalog: Catalog, written: Sequence[tuple[Written, Reporter]], tempest: OptionRegistry
) -> None:
    answers: dict[tuple[str, str, str], bool] = {}
    for entry, rep in written:
        if entry.kind != "tempest":
            continue
        section, option = entry.key
        plugin = tempest.plugin_of(section, option)
        found = tempest.option(section, option)
        if plugin is None or found is None or found.is_default(entry.setting):
            continue
        value = catalog.knob(entry.knob).value(entry.value)
        if plugin in value.settings.tempest_plugins:
            continue
        key = (plugin, entry.knob, entry.value)
        if key not in answers:
            answers[key] = _without(catalog, plugin, entry.knob, entry.value)
        if answers[key]:
            rep.error(
                entry.mark,
                f"{entry.where}: tempest.conf: [{section}] {option} is registered by "
                f"{plugin}, which a job with {entry.knob}={entry.value} need not install "
                f"(nothing would read the option there); add 'tempest_plugins: [{plugin}]' "
                f"to knob {entry.knob!r} value {entry.value!r}",
            )
