"""The data model shared by every pipeline stage.

``loader`` builds these frozen objects from YAML; nothing else does. The engine
sees only :class:`Model` (parameters, constraints, pinned rows, strength groups);
the emitters and the audit also read the settings a :class:`Catalog` attaches to
each knob value. No module here reads files, prints, or imports yaml.

Conventions:

* Knob and value names are strings; rows list values in declaration order.
* ``None`` in a row means *not applicable*: a conditional knob (``when``) whose
  condition fails in that row. It never stands for "any value".
* Conditions and constraint sides are tuples of ``(knob, (value, ...))`` pairs in
  declaration order; a pair matches a row when the row's value for that knob is
  one of the listed values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeGuard

__all__ = [
    "Catalog",
    "Condition",
    "Constraint",
    "Knob",
    "KnobValue",
    "Location",
    "Model",
    "NodesetDecl",
    "Parameter",
    "Pin",
    "Row",
    "Scalar",
    "Settings",
    "StrengthGroup",
    "ThirdParty",
    "condition_label",
    "ini_value",
    "is_template",
]

Scalar = str | int | float | bool
"""A setting value as written in YAML (an option value, not a knob value name)."""

Condition = tuple[tuple[str, tuple[str, ...]], ...]
"""``((knob, (value, ...)), ...)``: every pair must match (logical AND)."""

Row = tuple[str | None, ...]
"""One job: a value per parameter, in model order; ``None`` = not applicable."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a stanza was declared: a path and 1-based line and column (0 = unknown)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


def is_template(value: object) -> TypeGuard[str]:
    """Whether ``value`` is a Jinja template (Ansible renders it on the node, later)."""
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def ini_value(value: Scalar | list[object] | tuple[object, ...]) -> str:
    """How a setting value is written in an INI file (lists as comma strings), so
    settings that devstack writes alike compare equal (``1`` and ``"1"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(ini_value(item) for item in value)  # type: ignore[arg-type]
    return str(value)


def condition_label(condition: Condition) -> str:
    """A condition as written in a catalog, e.g. ``{a: x, b: [y, z]}``."""
    parts = []
    for knob, values in condition:
        shown = values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"
        parts.append(f"{knob}: {shown}")
    return "{" + ", ".join(parts) + "}"


def _matches(condition: Condition, assignment: dict[str, str | None]) -> bool:
    return all(assignment.get(knob) in values for knob, values in condition)


@dataclass(frozen=True, slots=True)
class Constraint:
    """A catalog constraint over knob values, kept as inspectable data.

    ``kind == "forbid"``: no row may match every pair of ``condition``.
    ``kind == "if"``: in a row matching ``condition``, every pair of ``then``
    must match too. A pair naming a knob that is not applicable in a row never
    matches, so constraints only bite where their knobs apply.
    """

    kind: Literal["forbid", "if"]
    condition: Condition
    then: Condition = ()
    description: str = ""
    location: Location | None = None

    @property
    def knobs(self) -> tuple[str, ...]:
        """The knobs the constraint reads, in declaration order, without repeats."""
        seen: dict[str, None] = {}
        for knob, _ in (*self.condition, *self.then):
            seen.setdefault(knob, None)
        return tuple(seen)

    def violated_by(self, assignment: dict[str, str | None]) -> bool:
        """True when a full assignment (every knob named) breaks this constraint."""
        if not _matches(self.condition, assignment):
            return False
        if self.kind == "forbid":
            return True
        return not _matches(self.then, assignment)

    def label(self) -> str:
        """A one-line rendering for messages, e.g. ``forbid {a: x, b: [y, z]}``."""
        text = (
            f"forbid {condition_label(self.condition)}"
            if self.kind == "forbid"
            else f"if {condition_label(self.condition)} then {condition_label(self.then)}"
        )
        return f"{self.location}: {text}" if self.location else text


@dataclass(frozen=True, slots=True)
class Pin:
    """A required (possibly partial) combination: some job must contain it."""

    assignment: tuple[tuple[str, str], ...]
    description: str = ""
    location: Location | None = None

    def as_dict(self) -> dict[str, str]:
        return dict(self.assignment)


@dataclass(frozen=True, slots=True)
class StrengthGroup:
    """Mixed strength: every ``strength``-way combination among ``knobs`` is covered."""

    knobs: tuple[str, ...]
    strength: int
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A pure combinatorial parameter: a name, its values, and an optional condition."""

    name: str
    values: tuple[str, ...]
    when: Condition = ()


@dataclass(frozen=True, slots=True)
class Model:
    """What the engine sees: parameters, constraints, pinned rows and strength groups."""

    parameters: tuple[Parameter, ...]
    constraints: tuple[Constraint, ...] = ()
    pinned: tuple[Pin, ...] = ()
    groups: tuple[StrengthGroup, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        raise KeyError(name)

    def applies(self, name: str, assignment: dict[str, str | None]) -> bool:
        """Whether parameter ``name`` applies (its ``when`` holds) in ``assignment``."""
        return _matches(self.parameter(name).when, assignment)

    def row_problems(self, row: Row) -> list[str]:
        """Why a full row is invalid (empty when valid); a reference check, not fast."""
        assignment = dict(zip(self.names, row, strict=True))
        problems: list[str] = []
        for param in self.parameters:
            value = assignment[param.name]
            applies = _matches(param.when, assignment)
            if applies and value is None:
                problems.append(f"{param.name} applies but has no value")
            elif not applies and value is not None:
                problems.append(f"{param.name} does not apply but is {value}")
            elif value is not None and value not in param.values:
                problems.append(f"{param.name} has undeclared value {value}")
        problems.extend(
            f"violates {c.label()}" for c in self.constraints if c.violated_by(assignment)
        )
        return problems


@dataclass(frozen=True, slots=True)
class Settings:
    """What choosing a knob value writes, in devstack job-variable terms.

    Every field is a tuple of entries in declaration order:

    * ``localrc``: ``(VARIABLE, value)`` -> ``devstack_localrc``
    * ``services``: ``(service, enabled)`` -> ``devstack_services``
    * ``plugins``: ``(name, git URL)`` -> ``devstack_plugins``
    * ``tempest_plugins``: repository names -> ``tempest_plugins``
    * ``post_config``: ``(file variable, section, option, value)`` ->
      ``devstack_local_conf.post-config``, e.g. ``("$NOVA_CPU_CONF", "libvirt",
      "images_type", "lvm")``
    * ``tempest``: ``(section, option, value)`` -> tempest.conf, i.e.
      ``devstack_local_conf.test-config.$TEMPEST_CONFIG``
    * ``nodeset``: a Zuul nodeset this value needs (e.g. two nodes), or None.
    * ``tests`` / ``exclude_tests``: Tempest test-ID regexes the value's job runs /
      must not run (``tempest_test_regex`` / ``tempest_exclude_regex``).
    * ``pre_run``: playbooks (catalog-relative paths) the job runs before devstack.
    * ``subnode``: what the value writes on the compute-only nodes of a multi-node
      job in addition (``localrc``, ``services``, ``plugins``, ``post_config``);
      without it a subnode gets the value's ``localrc``, its compute-side services
      and no devstack plugin.
    """

    localrc: tuple[tuple[str, Scalar], ...] = ()
    services: tuple[tuple[str, bool], ...] = ()
    plugins: tuple[tuple[str, str], ...] = ()
    tempest_plugins: tuple[str, ...] = ()
    post_config: tuple[tuple[str, str, str, Scalar], ...] = ()
    tempest: tuple[tuple[str, str, Scalar], ...] = ()
    nodeset: str | None = None
    tests: tuple[str, ...] = ()
    exclude_tests: tuple[str, ...] = ()
    pre_run: tuple[str, ...] = ()
    subnode: Settings | None = None

    def is_empty(self) -> bool:
        """Whether the value writes nothing (its tests do not count: they select, not set)."""
        return not (
            self.localrc
            or self.services
            or self.plugins
            or self.tempest_plugins
            or self.post_config
            or self.tempest
            or self.nodeset
            or self.pre_run
            or self.subnode
        )


@dataclass(frozen=True, slots=True)
class KnobValue:
    """One value of a knob and what it sets."""

    name: str
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    location: Location | None = None
    untested: str = ""
    """Why no Tempest test can observe this value (when it declares no ``tests``)."""


@dataclass(frozen=True, slots=True)
class Knob:
    """A tunable of a virt driver (or a bare model parameter)."""

    name: str
    values: tuple[KnobValue, ...]
    description: str = ""
    default: str | None = None
    when: Condition = ()
    location: Location | None = None
    source: str = ""
    """The file that declared the knob (a driver file or an included shared file)."""

    @property
    def value_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.values)

    def value(self, name: str) -> KnobValue:
        for value in self.values:
            if value.name == name:
                return value
        raise KeyError(name)

    def as_parameter(self) -> Parameter:
        return Parameter(self.name, self.value_names, self.when)


@dataclass(frozen=True, slots=True)
class NodesetDecl:
    """A Zuul nodeset the catalog defines (emitted next to its jobs)."""

    name: str
    nodes: tuple[tuple[str, str], ...]
    """``(node name, nodepool label)`` pairs."""
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class ThirdParty:
    """A driver whose jobs cannot run in OpenDev: they run on a third-party Zuul."""

    reason: str
    secrets: tuple[tuple[str, str], ...] = ()
    """``(variable name, Zuul secret name)``: each secret the jobs use, passed to the
    parent's playbooks under that variable name (``{{ name.field }}``)."""
    pipelines: tuple[str, ...] = ("check",)
    """The third-party tenant's pipelines the project-template runs the jobs in."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """One driver's catalog: knobs (own and included), constraints, pins, Zuul defaults.

    A bare model file (plain value lists, no settings) loads as a Catalog too;
    its ``driver`` defaults to the file's stem and its ``repo`` to the driver.
    """

    driver: str
    repo: str
    """The split repository: a name or a Zuul project ``org/name``."""
    knobs: tuple[Knob, ...]
    constraints: tuple[Constraint, ...] = ()
    pinned: tuple[Pin, ...] = ()
    groups: tuple[StrengthGroup, ...] = ()
    strength: int = 2
    parent: str = "devstack-tempest"
    nodeset: str = "openstack-single-node-noble"
    nodeset_combinations: tuple[tuple[tuple[str, ...], str], ...] = ()
    """``((requested nodesets, nodeset serving them all), ...)``: when a job's values
    ask for several nodesets (e.g. nested virt and two nodes), the one to use."""
    description: str = ""
    path: str = ""
    inputs: tuple[str, ...] = ()
    """Every file read to build this catalog (the driver file first, then includes)."""
    projects: tuple[tuple[str, str], ...] = ()
    """``(devstack or tempest plugin name, Zuul project)``, e.g.
    ``("barbican", "openstack/barbican")``."""
    baseline_tests: tuple[str, ...] = ()
    """Test regexes every job of the driver runs."""
    exclude_tests: tuple[str, ...] = ()
    """Test regexes no job of the driver runs."""
    nodesets: tuple[NodesetDecl, ...] = ()
    third_party: ThirdParty | None = None
    irrelevant_files: tuple[str, ...] = ()
    """File regexes of the repository whose changes do not trigger the jobs."""
    check_jobs: int | None = None
    """How many of the most covering jobs run in check and gate (None: the default)."""

    def project(self, plugin: str) -> str | None:
        """The Zuul project of a devstack or tempest plugin name."""
        for name, project in self.projects:
            if name == plugin:
                return project
        return None

    @property
    def knob_names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.knobs)

    @property
    def repo_name(self) -> str:
        """The repository's own name: ``nova-lxd`` of ``openstack/nova-lxd`` (job names)."""
        return self.repo.rsplit("/", 1)[-1]

    def knob(self, name: str) -> Knob:
        for knob in self.knobs:
            if knob.name == name:
                return knob
        raise KeyError(name)

    @property
    def model(self) -> Model:
        """The combinatorial model the engine works on."""
        return Model(
            parameters=tuple(k.as_parameter() for k in self.knobs),
            constraints=self.constraints,
            pinned=self.pinned,
            groups=self.groups,
        )
