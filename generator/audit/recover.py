"""Audit stage, recovery: which catalog value of each knob a resolved Zuul job runs.

A knob value's :class:`~generator.model.Settings` are read as *facts* (a localrc
variable, a service, a plugin, a ``post-config`` option, a tempest flag, a
nodeset). Each fact is looked up in a *view* of the job: the variables of one
compute host (localrc, plugins, nova.conf) plus the controller's services and
the Tempest host's tempest.conf. nova.conf is what devstack writes from localrc
and plugins (docs/zuul-and-devstack.md §3-4), overridden by
``post-config`` of ``$NOVA_CONF`` and then ``$NOVA_CPU_CONF``; tempest.conf is
what lib/tempest writes, overridden by ``test-config`` of ``$TEMPEST_CONFIG``.

A value is a candidate when none of its facts contradicts the job and at least
one of its strong facts (anything but a tempest flag) holds; a value with only
tempest flags needs one of them to hold. The best candidate wins (explicit
evidence before devstack-implied evidence, then fewest unset facts); a tie is
ambiguous. Without a candidate the knob takes its declared default, unless the
job sets one of the knob's options to a value no catalog value declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from generator.audit.zuul_files import Opaque
from generator.catalog.config_files import NOVA_FILES, TEMPEST_FILE
from generator.model import is_template

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.audit.zuul_files import ZuulConfig
    from generator.audit.zuul_resolve import ResolvedJob
    from generator.model import Catalog, Knob, KnobValue

__all__ = ["Recovery", "canon", "recover", "view_of"]

Key = tuple[str, ...]
CORE = frozenset({"localrc", "conf"})
Kind = Literal["localrc", "service", "plugin", "tempest_plugin", "conf", "tempest", "nodeset"]

# stackrc / lib defaults devstack uses when a job leaves a variable unset.
STACKRC = {
    "VIRT_DRIVER": "libvirt",
    "LIBVIRT_TYPE": "kvm",
    "LIBVIRT_CPU_MODE": "custom",
    "LIBVIRT_CPU_MODEL": "Nehalem",
    "FORCE_CONFIG_DRIVE": "False",
    "ENABLE_VOLUME_MULTIATTACH": "False",
    "NOVA_LIBVIRT_TB_CACHE_SIZE": "0",
    "LIVE_MIGRATION_AVAILABLE": "False",
    "USE_BLOCK_MIGRATION_FOR_LIVE_MIGRATION": "False",
    "ENABLE_FILE_INJECTION": "False",
    "Q_AGENT": "ovn",
}
IRONIC_FALSE = (
    "change_password",
    "console_output",
    "interface_attach",
    "live_migration",
    "pause",
    "rescue",
    "resize",
    "shelve",
    "snapshot",
    "suspend",
)


def canon(value: object) -> str:
    """A comparable spelling of a setting value (``True``/``"true"`` -> ``true``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    if text.lower() in {"true", "false"}:
        return text.lower()
    return text


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _true(value: object) -> bool:
    return canon(value) in {"true", "yes", "1", "on"}


@dataclass(frozen=True, slots=True)
class View:
    """What one compute host of a job runs, as the facts are looked up."""

    host: str
    localrc: Mapping[str, Any]
    services: Mapping[str, Any]
    plugins: Mapping[str, Any]
    tempest_plugins: tuple[str, ...]
    conf: Mapping[tuple[str, str, str], tuple[object, bool]]
    """(file, section, option) -> (value, explicit); nova files merged as ``$NOVA_CONF``."""
    tempest: Mapping[tuple[str, str], tuple[object, bool]]
    nodeset: str
    computes: int


def _post_config(host: Mapping[str, Any], phase: str) -> Mapping[str, Any]:
    return _dict(_dict(host.get("devstack_local_conf")).get(phase))


def _implied_nova(localrc: Mapping[str, Any], plugins: Mapping[str, Any]) -> dict[Key, object]:
    def var(name: str) -> object:
        return localrc.get(name, STACKRC.get(name))

    implied: dict[Key, object] = {}
    driver = canon(var("VIRT_DRIVER"))
    if driver == "libvirt":
        implied["DEFAULT", "compute_driver"] = "libvirt.LibvirtDriver"
        implied["libvirt", "virt_type"] = var("LIBVIRT_TYPE")
        implied["libvirt", "cpu_mode"] = var("LIBVIRT_CPU_MODE")
        if canon(var("LIBVIRT_CPU_MODE")) == "custom":
            implied["libvirt", "cpu_models"] = var("LIBVIRT_CPU_MODEL")
        if canon(var("NOVA_BACKEND")) == "LVM":
            implied["libvirt", "images_type"] = "lvm"
        if "devstack-plugin-ceph" in plugins and _true(localrc.get("ENABLE_CEPH_NOVA", True)):
            implied["libvirt", "images_type"] = "rbd"
        size = canon(var("NOVA_LIBVIRT_TB_CACHE_SIZE"))
        if size.isdigit() and int(size) > 0:
            implied["libvirt", "tb_cache_size"] = size
    elif driver == "ironic":
        implied["DEFAULT", "compute_driver"] = "ironic.IronicDriver"
    elif driver == "vsphere":
        implied["DEFAULT", "compute_driver"] = "vmwareapi.VMwareVCDriver"
    if canon(var("FORCE_CONFIG_DRIVE")) != "false":
        implied["DEFAULT", "force_config_drive"] = var("FORCE_CONFIG_DRIVE")
    return implied


def _implied_tempest(localrc: Mapping[str, Any], plugins: Mapping[str, Any]) -> dict[Key, object]:
    def var(name: str) -> object:
        return localrc.get(name, STACKRC.get(name))

    feature = "compute-feature-enabled"
    implied: dict[Key, object] = {
        (feature, "resize"): True,
        (feature, "live_migration"): var("LIVE_MIGRATION_AVAILABLE"),
        (feature, "block_migration_for_live_migration"): var(
            "USE_BLOCK_MIGRATION_FOR_LIVE_MIGRATION"
        ),
        (feature, "volume_multiattach"): _true(var("ENABLE_VOLUME_MULTIATTACH")),
        (feature, "personality"): var("ENABLE_FILE_INJECTION"),
        (feature, "change_password"): False,
    }
    driver = canon(var("VIRT_DRIVER"))
    if driver == "libvirt" and canon(var("LIBVIRT_TYPE")) != "lxc":
        implied[feature, "swap_volume"] = True
        implied[feature, "shelve_migrate"] = True
        implied[feature, "stable_rescue"] = True
    if "devstack-plugin-ceph" in plugins and _true(localrc.get("ENABLE_CEPH_NOVA", True)):
        implied[feature, "swap_volume"] = False
        implied[feature, "shelve"] = True
    if driver == "ironic":
        for flag in IRONIC_FALSE:
            implied[feature, flag] = False
    return implied


def view_of(job: ResolvedJob, host: str) -> View:
    """The view of ``job`` on compute host ``host`` (services/tempest from the controller)."""
    variables = job.host(host)
    controller = job.host(job.nodeset.hosts[0])
    tempest_host = job.host(job.tempest_host)
    localrc = _dict(variables.get("devstack_localrc"))
    plugins = _dict(variables.get("devstack_plugins"))
    conf: dict[tuple[str, str, str], tuple[object, bool]] = {}
    for (section, option), value in _implied_nova(localrc, plugins).items():
        conf["$NOVA_CONF", section, option] = (value, False)
    post = _post_config(variables, "post-config")
    for file in post:
        if file not in NOVA_FILES:
            _flatten(conf, str(file), post[file])
    # nova-cpu.conf is a copy of nova.conf plus its own overrides: $NOVA_CPU_CONF wins.
    for file in NOVA_FILES:
        _flatten(conf, "$NOVA_CONF", post.get(file))
    tempest: dict[tuple[str, str], tuple[object, bool]] = {}
    t_localrc = _dict(tempest_host.get("devstack_localrc"))
    t_plugins = _dict(tempest_host.get("devstack_plugins"))
    for (section, option), value in _implied_tempest(t_localrc, t_plugins).items():
        tempest[section, option] = (value, False)
    test = _dict(_post_config(tempest_host, "test-config").get(TEMPEST_FILE))
    for section, options in test.items():
        for option, value in _dict(options).items():
            tempest[str(section), str(option)] = (value, True)
    raw_plugins = tempest_host.get("tempest_plugins")
    tempest_plugins = tuple(str(p) for p in raw_plugins) if isinstance(raw_plugins, list) else ()
    return View(
        host=host,
        localrc=localrc,
        services=_dict(controller.get("devstack_services")),
        plugins=plugins,
        tempest_plugins=tempest_plugins,
        conf=conf,
        tempest=tempest,
        nodeset=job.nodeset.name,
        computes=len(job.compute_hosts),
    )


def _flatten(
    conf: dict[tuple[str, str, str], tuple[object, bool]], file: str, sections: object
) -> None:
    for section, options in _dict(sections).items():
        for option, value in _dict(options).items():
            conf[file, str(section), str(option)] = (value, True)


@dataclass(frozen=True, slots=True)
class Fact:
    kind: Kind
    key: Key
    want: str

    @property
    def strong(self) -> bool:
        return self.kind != "tempest"

    def label(self) -> str:
        if self.kind == "localrc":
            return f"localrc {self.key[0]}"
        if self.kind == "service":
            return f"service {self.key[0]}"
        if self.kind in {"plugin", "tempest_plugin"}:
            return f"{self.kind.replace('_', ' ')} {self.key[0]}"
        if self.kind == "conf":
            return f"{self.key[0]} [{self.key[1]}] {self.key[2]}"
        if self.kind == "tempest":
            return f"tempest [{self.key[0]}] {self.key[1]}"
        return "nodeset"


def facts(value: KnobValue) -> tuple[Fact, ...]:
    """The checkable facts of a knob value's settings, in declaration order."""
    s = value.settings
    out: list[Fact] = [Fact("localrc", (k,), canon(v)) for k, v in s.localrc]
    out += [Fact("service", (k,), canon(v)) for k, v in s.services]
    out += [Fact("plugin", (k,), "true") for k, _ in s.plugins]
    out += [Fact("tempest_plugin", (k,), "true") for k in s.tempest_plugins]
    out += [
        Fact("conf", ("$NOVA_CONF" if f in NOVA_FILES else f, sec, opt), canon(v))
        for f, sec, opt, v in s.post_config
    ]
    out += [Fact("tempest", (sec, opt), canon(v)) for sec, opt, v in s.tempest]
    if s.nodeset:
        out.append(Fact("nodeset", (s.nodeset,), s.nodeset))
    return tuple(out)


Status = Literal["explicit", "implied", "conflict", "unset"]


def _lookup(fact: Fact, view: View, config: ZuulConfig) -> tuple[Status, object]:
    """Whether ``fact`` holds in ``view``: explicitly, by devstack default, not, or unknown."""
    got: object
    explicit: bool
    if fact.kind == "localrc":
        name = fact.key[0]
        if name in view.localrc:
            got, explicit = view.localrc[name], True
        elif name in STACKRC:
            got, explicit = STACKRC[name], False
        else:
            return "unset", None
    elif fact.kind == "service":
        got = view.services.get(fact.key[0], False)
        explicit = fact.key[0] in view.services
    elif fact.kind == "plugin":
        got, explicit = fact.key[0] in view.plugins, True
    elif fact.kind == "tempest_plugin":
        # Zuul can also install a plugin through required-projects: absence proves nothing.
        if fact.key[0] not in view.tempest_plugins:
            return "unset", None
        got, explicit = True, True
    elif fact.kind == "conf":
        if fact.key not in view.conf:
            return "unset", None
        got, explicit = view.conf[fact.key[0], fact.key[1], fact.key[2]]
    elif fact.kind == "tempest":
        if fact.key not in view.tempest:
            return "unset", None
        got, explicit = view.tempest[fact.key[0], fact.key[1]]
    else:
        # A nodeset counts through its number of computes; one no given file
        # defines (often a node label) cannot be compared.
        wanted = config.nodesets.get(fact.want)
        if view.nodeset == fact.want:
            return "explicit", view.nodeset
        if wanted is None or not wanted.hosts:
            return "unset", None
        computes = len(wanted.group("compute") or wanted.hosts[:1])
        return ("explicit" if computes == view.computes else "conflict"), view.nodeset
    if isinstance(got, Opaque) or is_template(fact.want):
        # An unrendered template on either side cannot be compared: no evidence.
        return "unset", got
    if canon(got) != fact.want:
        return "conflict", got
    return ("explicit" if explicit else "implied"), got


@dataclass(frozen=True, slots=True)
class Recovery:
    """The value of one knob on one compute host, or why there is none."""

    value: str | None
    reason: str = ""
    evidence: str = ""
    explicit: bool = False
    """Whether the job itself (not devstack's defaults) wrote a setting of the knob."""


def _pick(knob: Knob, view: View, config: ZuulConfig) -> Recovery:
    scored: list[tuple[tuple[int, int, int], str, str]] = []
    conflicts: list[str] = []
    near: list[str] = []
    for value in knob.values:
        statuses = [(f, *_lookup(f, view, config)) for f in facts(value)]
        bad = [(f, got) for f, status, got in statuses if status == "conflict"]
        if bad:
            fact, got = bad[0]
            if fact.kind in {"plugin", "tempest_plugin"}:
                why = f"{value.name} needs {fact.label()}, the job lacks it"
            else:
                why = f"{value.name} needs {fact.label()} = {fact.want}, job has {canon(got)}"
            conflicts.append(why)
            if any(f.kind in CORE and s == "explicit" for f, s, _ in statuses):
                near.append(why)  # the job writes part of this value, not all of it
            continue
        held = [(f, s) for f, s, _ in statuses if s in {"explicit", "implied"}]
        has_strong = any(f.strong for f, _, _ in statuses)
        if not held or (has_strong and not any(f.strong for f, _ in held)):
            continue
        # A value that writes config (localrc, post-config) needs one of those to
        # hold: a service or plugin alone is shared by too many features.
        if any(f.kind in CORE for f, _, _ in statuses) and not any(f.kind in CORE for f, _ in held):
            continue
        explicit = sum(1 for _, s in held if s == "explicit")
        unset = sum(1 for _, s, _ in statuses if s == "unset")
        evidence = ", ".join(f"{f.label()} = {f.want}" for f, _ in held)
        scored.append(((explicit, len(held) - explicit, -unset), value.name, evidence))
    if scored:
        scored.sort(key=lambda item: item[0], reverse=True)
        best = [item for item in scored if item[0] == scored[0][0]]
        if len(best) > 1:
            names = ", ".join(name for _, name, _ in best)
            return Recovery(None, f"ambiguous: the job's settings fit {names} equally")
        return Recovery(best[0][1], evidence=best[0][2], explicit=best[0][0][0] > 0)
    unknown = _unknown_setting(knob, view, config)
    if unknown:
        return Recovery(None, f"matches no value: {unknown}")
    if near:
        return Recovery(None, "matches no value: " + "; ".join(near))
    default = knob.default or knob.values[0].name
    default_conflicts = [c for c in conflicts if c.startswith(f"{default} needs ")]
    if default_conflicts:
        return Recovery(None, "matches no value: " + "; ".join(conflicts))
    return Recovery(default, evidence="default")


def _unknown_setting(knob: Knob, view: View, config: ZuulConfig) -> str:
    """A strong setting of this knob that the job gives a value no catalog value declares."""
    wants: dict[tuple[Kind, Key], list[str]] = {}
    for value in knob.values:
        for fact in facts(value):
            if fact.kind in {"localrc", "conf"}:
                wants.setdefault((fact.kind, fact.key), []).append(fact.want)
    # Only settings every value spells out enumerate the knob; a value that leaves a
    # setting out accepts whatever the job writes there.
    wants = {key: values for key, values in wants.items() if len(values) == len(knob.values)}
    for (kind, key), values in wants.items():
        if kind == "localrc" and key[0] not in view.localrc:
            continue  # a devstack default, not something the job sets
        status, got = _lookup(Fact(kind, key, values[0]), view, config)
        if status == "conflict" and canon(got) not in values:
            label = Fact(kind, key, "").label()
            return f"{label} = {canon(got)} (catalog values: {', '.join(sorted(set(values)))})"
    return ""


def _compute_side(knob: Knob) -> bool:
    """Whether some value of ``knob`` writes nova's config (so every compute must agree)."""
    return any(
        fact.kind == "conf" and fact.key[0] == "$NOVA_CONF"
        for value in knob.values
        for fact in facts(value)
    )


def recover(catalog: Catalog, job: ResolvedJob, config: ZuulConfig) -> dict[str, Recovery]:
    """Each knob's value in ``job`` (declaration order); None values carry a reason.

    Hosts that disagree on a knob make it unresolved. A knob whose ``when``
    condition fails on the recovered values is not applicable (value None, no reason).
    """
    hosts = job.compute_hosts
    primary = job.tempest_host if job.tempest_host in hosts else hosts[0]
    views = [view_of(job, h) for h in (primary, *(h for h in hosts if h != primary))]
    result: dict[str, Recovery] = {}
    for knob in catalog.knobs:
        first = _pick(knob, views[0], config)
        result[knob.name] = first
        if first.value is None or not _compute_side(knob):
            continue
        # Another compute that resolves to a different value runs a different job.
        others = [(v.host, _pick(knob, v, config)) for v in views[1:]]
        if any(p.value is not None and p.value != first.value for _, p in others):
            shown = ", ".join(
                f"{host}: {p.value or 'unresolved'}" for host, p in [(primary, first), *others]
            )
            result[knob.name] = Recovery(None, f"hosts disagree ({shown})")
    values = {name: r.value for name, r in result.items()}
    for knob in catalog.knobs:
        if knob.when and not all(values.get(k) in allowed for k, allowed in knob.when):
            result[knob.name] = Recovery(None)
    return result
