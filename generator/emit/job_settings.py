"""Emit stage: turn a named matrix row into the settings its Zuul job and tempest.conf write.

:func:`merge_settings` merges the :class:`~generator.model.Settings` of every knob
value a job chose (knobs in declaration order; a not-applicable knob writes
nothing). Two knobs that set one variable or option to different values are an
:class:`EmitError` naming both. Options are not re-validated here: the loader
(:mod:`generator.catalog.checks`) is the one place a catalog's options are checked.
The renderers live in :mod:`generator.emit.zuul` and :mod:`generator.emit.tempest_conf`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.errors import EXIT_BAD_INPUT, GeneratorError
from generator.model import ini_value

if TYPE_CHECKING:
    from generator.matrix import Job
    from generator.model import Catalog, Knob, KnobValue, Scalar

__all__ = [
    "COMPUTE_SIDE_SERVICES",
    "EmitError",
    "JobSettings",
    "ini_value",
    "is_multinode",
    "merge_settings",
]

_MULTINODE_MARKERS = ("two-node", "three-node", "multinode")

COMPUTE_SIDE_SERVICES = frozenset(
    {
        # devstack's own subnode list (job devstack, group-vars.subnode.devstack_services)
        "dstat",
        "memory_tracker",
        "file_tracker",
        "tls-proxy",
        "n-cpu",
        "placement-client",
        "ovn-controller",
        "ovs-vswitchd",
        "ovsdb-server",
        "q-ovn-agent",
        "c-bak",
        "c-vol",
        # per-compute agents of the other ML2 backends (nova-live-migration's subnode)
        "q-agt",
        "q-ovn-metadata-agent",
        "br-ex-tcpdump",
        "br-int-flows",
    }
)
"""Services devstack's multi-node jobs run on a compute-only node; a value's other
services (API, scheduler, DHCP/L3 agents, console proxies) stay on the controller."""


class EmitError(GeneratorError):
    """A job cannot be emitted: two knobs set one option (or ask for nodesets) differently."""

    exit_code = EXIT_BAD_INPUT


def is_multinode(nodeset: str) -> bool:
    """Whether a nodeset name is a multi-node one (``openstack-two-node-noble``,
    ``nested-virt-multinode``): such jobs repeat settings under ``group-vars.subnode``."""
    return any(marker in nodeset for marker in _MULTINODE_MARKERS)


def _yaml_value(value: object) -> Scalar:
    """A setting value for YAML: lists become comma strings (devstack would write
    a Python list repr, which oslo.config cannot parse)."""
    if isinstance(value, list | tuple):
        return ",".join(ini_value(item) for item in value)
    assert isinstance(value, str | int | float | bool)
    return value


@dataclass(frozen=True, slots=True)
class JobSettings:
    """Everything one job writes, merged over its knob values, in declaration order."""

    localrc: tuple[tuple[str, Scalar], ...]
    services: tuple[tuple[str, bool], ...]
    plugins: tuple[tuple[str, str], ...]
    tempest_plugins: tuple[str, ...]
    post_config: tuple[tuple[str, str, str, Scalar], ...]
    tempest: tuple[tuple[str, str, Scalar], ...]
    nodeset: str
    multinode: bool
    tests: tuple[str, ...] = ()
    """Test regexes: the driver's baseline, then each value's, without repeats."""
    exclude_tests: tuple[str, ...] = ()
    pre_run: tuple[str, ...] = ()
    subnode_localrc: tuple[tuple[str, Scalar], ...] = ()
    subnode_services: tuple[tuple[str, bool], ...] = ()
    subnode_plugins: tuple[tuple[str, str], ...] = ()
    subnode_post_config: tuple[tuple[str, str, str, Scalar], ...] = ()
    """Empty unless a value writes ``subnode`` post-config: then the whole post-config
    the subnode gets (the job's, with the subnode's entries on top)."""


def _origin(knob: Knob, value: KnobValue) -> str:
    where = value.location or knob.location
    return f"{knob.name}={value.name}" + (f" ({where})" if where else "")


class _Merger:
    """Collects one kind of entry; a second, different value for a key is a conflict."""

    def __init__(self, job: str, kind: str) -> None:
        self.job = job
        self.kind = kind
        self.entries: dict[tuple[str, ...], tuple[Scalar, str]] = {}

    def add(self, key: tuple[str, ...], value: Scalar, origin: str) -> None:
        previous = self.entries.get(key)
        if previous is None:
            self.entries[key] = (value, origin)
            return
        if _same(previous[0], value):
            return
        shown = " ".join(key)
        raise EmitError(
            f"job {self.job}: {self.kind} {shown} is set to {previous[0]!r} by knob "
            f"{previous[1]} and to {value!r} by knob {origin}; change one of the two "
            "knob values or forbid the combination with a constraint"
        )


def _same(a: Scalar, b: Scalar) -> bool:
    return ini_value(a) == ini_value(b)


def _pick_nodeset(catalog: Catalog, job: str, requested: dict[str, str]) -> str:
    """The nodeset serving every requested one: the only one, or a declared combination."""
    if not requested:
        return catalog.nodeset
    if len(requested) == 1:
        return next(iter(requested))
    wanted = set(requested)
    for names, use in catalog.nodeset_combinations:
        if wanted <= set(names):
            return use
    first, second = list(requested.items())[:2]
    raise EmitError(
        f"job {job}: knob {first[1]} needs nodeset {first[0]} but knob {second[1]} needs "
        f"nodeset {second[0]}; declare a nodeset serving both under 'nodeset_combinations' "
        "or forbid the combination with a constraint"
    )


def merge_settings(catalog: Catalog, job: Job) -> JobSettings:
    """Merge the settings of the values ``job`` chose; conflicts raise :class:`EmitError`."""
    chosen = dict(job.values)
    localrc = _Merger(job.name, "devstack_localrc")
    services = _Merger(job.name, "devstack_services")
    plugins = _Merger(job.name, "devstack_plugins")
    post_config = _Merger(job.name, "post-config")
    tempest = _Merger(job.name, "tempest option")
    tempest_plugins: dict[str, None] = {}
    nodesets: dict[str, str] = {}  # requested nodeset -> the first knob=value asking for it
    tests = dict.fromkeys(catalog.baseline_tests)
    excludes = dict.fromkeys(catalog.exclude_tests)
    pre_run: dict[str, None] = {}
    sub_localrc = _Merger(job.name, "subnode devstack_localrc")
    sub_services = _Merger(job.name, "subnode devstack_services")
    sub_plugins = _Merger(job.name, "subnode devstack_plugins")
    sub_post = _Merger(job.name, "subnode post-config")
    for knob in catalog.knobs:
        name = chosen.get(knob.name)
        if name is None:
            continue
        value = knob.value(name)
        origin = _origin(knob, value)
        settings = value.settings
        for variable, setting in settings.localrc:
            localrc.add((variable,), _yaml_value(setting), origin)
        for service, enabled in settings.services:
            services.add((service,), enabled, origin)
        for plugin, url in settings.plugins:
            plugins.add((plugin,), url, origin)
        for plugin in settings.tempest_plugins:
            tempest_plugins.setdefault(plugin, None)
        for conf, section, option, setting in settings.post_config:
            post_config.add((conf, f"[{section}]", option), _yaml_value(setting), origin)
        for section, option, setting in settings.tempest:
            tempest.add((f"[{section}]", option), _yaml_value(setting), origin)
        if settings.nodeset is not None:
            nodesets.setdefault(settings.nodeset, origin)
        tests.update(dict.fromkeys(settings.tests))
        excludes.update(dict.fromkeys(settings.exclude_tests))
        pre_run.update(dict.fromkeys(settings.pre_run))
        sub = settings.subnode
        if sub is not None:
            for variable, setting in sub.localrc:
                sub_localrc.add((variable,), _yaml_value(setting), origin)
            for service, enabled in sub.services:
                sub_services.add((service,), enabled, origin)
            for plugin, url in sub.plugins:
                sub_plugins.add((plugin,), url, origin)
            for conf, section, option, setting in sub.post_config:
                sub_post.add((conf, f"[{section}]", option), _yaml_value(setting), origin)
    final_nodeset = _pick_nodeset(catalog, job.name, nodesets)
    subnode_localrc = {k[0]: v for k, (v, _) in localrc.entries.items()}
    subnode_localrc.update({k[0]: v for k, (v, _) in sub_localrc.entries.items()})
    subnode_services = {
        k[0]: bool(v) for k, (v, _) in services.entries.items() if k[0] in COMPUTE_SIDE_SERVICES
    }
    subnode_services.update({k[0]: bool(v) for k, (v, _) in sub_services.entries.items()})
    subnode_post: dict[tuple[str, ...], Scalar] = {}
    if sub_post.entries:
        subnode_post = {k: v for k, (v, _) in post_config.entries.items()}
        subnode_post.update({k: v for k, (v, _) in sub_post.entries.items()})
    return JobSettings(
        localrc=tuple((k[0], v) for k, (v, _) in localrc.entries.items()),
        services=tuple((k[0], bool(v)) for k, (v, _) in services.entries.items()),
        plugins=tuple((k[0], str(v)) for k, (v, _) in plugins.entries.items()),
        tempest_plugins=tuple(tempest_plugins),
        post_config=tuple((k[0], k[1][1:-1], k[2], v) for k, (v, _) in post_config.entries.items()),
        tempest=tuple((k[0][1:-1], k[1], v) for k, (v, _) in tempest.entries.items()),
        nodeset=final_nodeset,
        multinode=is_multinode(final_nodeset),
        tests=tuple(tests),
        exclude_tests=tuple(excludes),
        pre_run=tuple(pre_run),
        subnode_localrc=tuple(subnode_localrc.items()),
        subnode_services=tuple(subnode_services.items()),
        subnode_plugins=tuple((k[0], str(v)) for k, (v, _) in sub_plugins.entries.items()),
        subnode_post_config=tuple((k[0], k[1][1:-1], k[2], v) for k, v in subnode_post.items()),
    )
