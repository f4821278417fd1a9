"""Catalog stage, what one file declares before a driver's files merge.

:func:`generator.catalog.stanzas.read_file_data` fills a :class:`FileData` per file;
:mod:`generator.catalog.loader` merges a driver file with its includes and resolves
the :class:`Ref` entries (``when``, constraints, pins, strength groups) against the
merged knobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.catalog.option_data import OptionDataEntry
    from generator.catalog.settings import Written
    from generator.catalog.yaml_reader import Mark
    from generator.model import Constraint, Knob, NodesetDecl, Pin, StrengthGroup, ThirdParty

__all__ = ["FileData", "Ref"]


@dataclass(slots=True)
class Ref:
    """A reference to a knob and some of its values, resolved after includes merge."""

    path: str
    where: str
    """e.g. ``constraint``, ``pinned``, ``when of knob 'x'``, ``strength_groups``."""
    knob: str
    mark: Mark
    values: list[tuple[str, Mark]]
    stanza: tuple[Mark, Mark]


@dataclass(slots=True)
class FileData:
    """Everything one file declares, before includes are merged."""

    path: str
    lines: list[str]
    scalars: dict[str, tuple[object, Mark]] = field(default_factory=dict)
    includes: list[tuple[str, Mark]] = field(default_factory=list)
    knobs: list[Knob] = field(default_factory=list)
    knob_marks: dict[str, Mark] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    constraint_stanzas: list[tuple[Mark, Mark]] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)
    groups: list[StrengthGroup] = field(default_factory=list)
    nodeset_combinations: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    """Every setting entry of every value, checked once the driver's files merge."""
    option_data: list[OptionDataEntry] = field(default_factory=list)
    projects: list[tuple[str, str, Mark]] = field(default_factory=list)
    baseline_tests: tuple[str, ...] = ()
    exclude_tests: tuple[str, ...] = ()
    nodesets: list[NodesetDecl] = field(default_factory=list)
    third_party: ThirdParty | None = None
    irrelevant_files: tuple[str, ...] | None = None
    check_jobs: int | None = None
