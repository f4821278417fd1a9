"""Loader stage, option data: Tempest's and Nova's option registries, offline.

The JSON files under ``generator/catalog/data/`` are generated from the real packages
(tempest 47 with the plugins whose flags the catalog uses, after
``tempest.config.register_opts()``; nova 34 via ``oslo-config-generator``) by the
``optdata`` tox env, so neither heavy package is a runtime dependency. Values are
parsed the way oslo.config's types parse them. Each tempest option records the
tempest plugin that registers it (:meth:`OptionRegistry.plugin_of`; None for
tempest's own). :mod:`generator.catalog.optdata_sources` reads option data from
elsewhere: oslo-config-generator JSON, an installed tempest (``knobs validate --live``).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from generator.catalog.names import did_you_mean
from generator.model import is_template

__all__ = [
    "Option",
    "OptionRegistry",
    "nova_registry",
    "registry_from_json",
    "tempest_registry",
]

_BOOL_WORDS = {
    "true": True,
    "yes": True,
    "on": True,
    "1": True,
    "false": False,
    "no": False,
    "off": False,
    "0": False,
}


@dataclass(frozen=True, slots=True)
class Option:
    """One registered option: its name and how oslo.config parses it."""

    name: str
    type: str
    """oslo.config type name, e.g. ``boolean value``, ``integer value``, ``list value``."""
    default: object = None
    choices: tuple[object, ...] = ()
    min: float | None = None
    max: float | None = None
    item_choices: tuple[object, ...] = ()
    item_type: str = ""
    """For a list value: the oslo.config type of each item when it is not a string."""
    regex: str = ""
    """For a string value: a pattern the value must contain (oslo.config ``re.search``)."""
    max_length: int | None = None
    deprecated_names: tuple[str, ...] = ()
    """Old ``section.name`` spellings that oslo.config still accepts."""
    deprecated_for_removal: bool = False
    plugin: str | None = None
    """The tempest plugin that registers the option (None: tempest itself, or nova)."""

    def parse(self, value: object) -> str | None:
        """None when ``value`` parses with this option's type; else why not."""
        if is_template(value):
            return None  # a Jinja template, rendered by Ansible later: opaque
        kind = self.type
        if kind == "boolean value":
            return _parse_bool(value)
        if kind in ("integer value", "port value"):
            return self._parse_number(value, integer=True)
        if kind == "floating point value":
            return self._parse_number(value, integer=False)
        if kind == "list value":
            return self._parse_list(value)
        if kind == "dict value":
            return _parse_dict(value)
        return self._parse_string(_as_text(value))

    def is_default(self, value: object) -> bool:
        """Whether ``value`` parses to the option's default: writing it changes nothing."""
        if self.parse(value) is not None or self.default is None:
            return False
        if self.type == "boolean value":
            flag = (
                value if isinstance(value, bool) else _BOOL_WORDS[_as_text(value).strip().lower()]
            )
            return flag is self.default
        if self.type in ("integer value", "port value", "floating point value"):
            return isinstance(self.default, int | float) and float(_as_text(value)) == float(
                self.default
            )
        if self.type == "list value" and isinstance(self.default, list):
            items = [part.strip() for part in _as_text(value).split(",") if part.strip()]
            return items == [_as_text(item) for item in self.default]
        return _as_text(value) == _as_text(self.default)

    def _parse_string(self, text: str) -> str | None:
        reason = self._parse_choice(text)
        if reason is None and self.regex and re.search(self.regex, text) is None:
            reason = f"{text!r} does not match {self.regex}"
        if reason is None and self.max_length is not None and len(text) > self.max_length:
            reason = f"{text!r} is longer than {self.max_length} characters"
        return reason

    def _parse_number(self, value: object, *, integer: bool) -> str | None:
        word = "an integer" if integer else "a number"
        number: float
        if isinstance(value, bool):
            return f"expected {word}, got boolean {_as_text(value)}"
        if isinstance(value, int) or (isinstance(value, float) and not integer):
            number = value
        else:
            text = _as_text(value).strip()
            try:
                number = int(text) if integer else float(text)
            except ValueError:
                return f"expected {word}, got {_as_text(value)!r}"
            if not integer and not math.isfinite(number):
                return f"expected a finite number, got {text!r}"
        lower, upper = self.min, self.max
        if self.type == "port value":
            lower = 0 if lower is None else lower
            upper = 65535 if upper is None else upper
        if lower is not None and number < lower:
            return f"{_as_text(value)} is below the minimum {_num(lower)}"
        if upper is not None and number > upper:
            return f"{_as_text(value)} is above the maximum {_num(upper)}"
        if self.choices and number not in self.choices:
            return f"{_as_text(value)} is not one of {_choices(self.choices)}"
        return None

    def _parse_choice(self, text: str) -> str | None:
        if self.choices and text not in [_as_text(c) for c in self.choices]:
            hint = did_you_mean(text, [_as_text(c) for c in self.choices])
            return f"{text!r} is not one of {_choices(self.choices)}{hint}"
        return None

    def _parse_list(self, value: object) -> str | None:
        items = [part.strip() for part in _as_text(value).split(",")]
        if self.item_choices:
            allowed = [_as_text(c) for c in self.item_choices]
            for item in items:
                if item and item not in allowed:
                    return f"list item {item!r} is not one of {_choices(self.item_choices)}"
        if self.item_type:
            item_option = Option(self.name, self.item_type)
            for item in items:
                reason = item_option.parse(item) if item else None
                if reason is not None:
                    return f"list item {item!r}: {reason}"
        return None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _as_text(value: object) -> str:
    """How devstack renders a YAML value into an INI line (Python ``str``)."""
    return str(value)


def _choices(choices: tuple[object, ...]) -> str:
    return "[" + ", ".join(_as_text(c) for c in choices) + "]"


def _parse_bool(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    text = _as_text(value).strip().lower()
    if text in _BOOL_WORDS:
        return None
    return f"expected a boolean (true/false), got {_as_text(value)!r}"


def _parse_dict(value: object) -> str | None:
    text = _as_text(value).strip()
    if not text:
        return None
    for part in text.split(","):
        if ":" not in part:
            return f"expected key:value pairs separated by commas, got {text!r}"
    return None


class OptionRegistry:
    """Options grouped by section, with lookups for validation messages.

    A section name containing ``*`` is a pattern for sections a service registers at
    run time, one per configured item (nova's ``[mdev_*]``, one per
    ``[devices] enabled_mdev_types`` entry): ``*`` stands for one or more
    characters, and ``[mdev_nvidia-35]`` is checked against its options.
    """

    def __init__(
        self,
        name: str,
        sections: dict[str, dict[str, Option]],
        source: str = "",
        plugins: dict[str, str] | None = None,
    ):
        self.name = name
        self.source = source
        self.plugins: dict[str, str] = dict(plugins or {})
        """``{plugin: version}``: the tempest plugins whose options the data holds."""
        self._sections = sections
        self._deprecated: dict[tuple[str, str], Option] = {}
        self._where: dict[str, list[str]] = {}
        for section in sorted(sections):
            for option in sections[section].values():
                self._where.setdefault(option.name, []).append(section)
                for old in option.deprecated_names:
                    old_section, _, old_name = old.rpartition(".")
                    self._deprecated.setdefault((old_section or section, old_name), option)
        self._old_sections = {section for section, _ in self._deprecated}
        self._patterns = [
            (re.compile(re.escape(pattern).replace(r"\*", ".+")), pattern)
            for pattern in sorted(set(sections) | self._old_sections)
            if "*" in pattern
        ]

    def merged(self, other: OptionRegistry) -> OptionRegistry:
        """This registry plus the options of ``other`` it does not have (its own win)."""
        sections = {name: dict(options) for name, options in self._sections.items()}
        for name, options in other._sections.items():
            mine = sections.setdefault(name, {})
            for option_name, option in options.items():
                mine.setdefault(option_name, option)
        source = "; ".join(s for s in (self.source, other.source) if s)
        return OptionRegistry(self.name, sections, source, {**other.plugins, **self.plugins})

    @property
    def sections(self) -> tuple[str, ...]:
        """Section names, patterns (``mdev_*``) included, sorted."""
        return tuple(sorted(self._sections))

    def knows_section(self, section: str) -> bool:
        """Whether ``section`` (or a pattern it matches) has options here."""
        key = self._key(section)
        return key in self._sections or key in self._old_sections

    def _key(self, section: str) -> str:
        """The declared section (or pattern) that ``section`` is an instance of."""
        if section in self._sections or section in self._old_sections:
            return section
        for regex, pattern in self._patterns:
            if regex.fullmatch(section):
                return pattern
        return section

    def options(self, section: str) -> tuple[Option, ...]:
        return tuple(self._sections.get(self._key(section), {}).values())

    def option(self, section: str, name: str) -> Option | None:
        """The option registered as ``[section] name`` (or under a deprecated name)."""
        key = self._key(section)
        found = self._sections.get(key, {}).get(name)
        if found is None:
            found = self._deprecated.get((key, name))
        return found

    def plugin_of(self, section: str, option: str) -> str | None:
        """The tempest plugin that registers ``[section] option``, or None.

        None means tempest itself registers it (or the registry is nova's, or the
        option is unknown: :meth:`check` reports that). A job setting an option
        whose plugin it does not install gets a tempest.conf line nothing reads.
        """
        found = self.option(section, option)
        return None if found is None else found.plugin

    def sections_of(self, option: str) -> tuple[str, ...]:
        """Every section where an option of this name is registered, sorted."""
        return tuple(self._where.get(option, ()))

    def check(self, section: str, option: str, value: object) -> str | None:
        """None when ``[section] option = value`` is valid; else a one-line reason."""
        found = self.option(section, option)
        if found is None:
            return self._unknown(section, option)
        reason = found.parse(value)
        if reason is None:
            return None
        return f"[{section}] {option}: {reason}"

    def _unknown(self, section: str, option: str) -> str:
        key = self._key(section)
        names = list(self._sections.get(key, {}))
        names += [name for old, name in self._deprecated if old == key]
        if not names:
            hint = did_you_mean(section, list(self._sections))
            elsewhere = self.sections_of(option)
            if elsewhere and not hint:
                hint = f" ({option!r} is registered in {_bracket(elsewhere)})"
            return f"unknown {self.name} section [{section}]{hint}"
        elsewhere = self.sections_of(option)
        if elsewhere:
            return (
                f"unknown option {option!r} in [{section}] "
                f"(it is registered in {_bracket(elsewhere)})"
            )
        hint = did_you_mean(option, names)
        return f"unknown option {option!r} in [{section}]{hint}"


def _bracket(sections: tuple[str, ...]) -> str:
    return ", ".join(f"[{s}]" for s in sections)


def _option_from_json(entry: dict[str, Any]) -> Option:
    def number(key: str) -> float | None:
        value = entry.get(key)
        return None if value is None else float(value)

    return Option(
        name=str(entry["name"]),
        type=str(entry["type"]),
        default=entry.get("default"),
        choices=tuple(entry.get("choices", ())),
        min=number("min"),
        max=number("max"),
        item_choices=tuple(entry.get("item_choices", ())),
        item_type=str(entry.get("item_type", "")),
        regex=str(entry.get("regex", "")),
        max_length=int(entry["max_length"]) if entry.get("max_length") is not None else None,
        deprecated_names=tuple(str(n) for n in entry.get("deprecated_names", ())),
        deprecated_for_removal=bool(entry.get("deprecated_for_removal", False)),
        plugin=str(entry["plugin"]) if entry.get("plugin") else None,
    )


def registry_from_json(name: str, data: dict[str, Any]) -> OptionRegistry:
    """Build a registry from the committed compact format (see ``tools/optdata_dump.py``).

    ``data`` has ``sections`` (section -> list of option entries, each with ``name``,
    ``type`` and optionally ``default``, ``choices``, ``min``, ``max``,
    ``item_choices``, ``item_type``, ``regex``, ``max_length``, ``deprecated_names``,
    ``deprecated_for_removal`` and ``plugin``; a section name with ``*`` is a
    pattern, see :class:`OptionRegistry`), and optionally ``versions`` and
    ``plugins`` (``{plugin: version}``).
    """
    sections: dict[str, dict[str, Option]] = {}
    for section, entries in data["sections"].items():
        sections[str(section)] = {str(e["name"]): _option_from_json(e) for e in entries}
    versions = data.get("versions", {})
    source = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
    plugins = {str(k): str(v) for k, v in data.get("plugins", {}).items()}
    return OptionRegistry(name, sections, source, plugins)


def _load(filename: str, name: str) -> OptionRegistry:
    text = (
        resources.files("generator.catalog").joinpath("data", filename).read_text(encoding="utf-8")
    )
    return registry_from_json(name, json.loads(text))


@cache
def tempest_registry() -> OptionRegistry:
    """tempest.conf options: tempest 47.0.0 plus the plugins the catalog uses."""
    return _load("tempest.json", "tempest")


@cache
def nova_registry() -> OptionRegistry:
    """nova.conf options: nova 34.0.0 (``nova.conf`` and ``os_vif`` namespaces)."""
    return _load("nova.json", "nova")
