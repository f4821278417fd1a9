"""Audit stage, lint rules: what stops a resolved devstack job, checked per host.

Each rule reads one :class:`JobView` (a job after Zuul inheritance, with the
required projects and secrets of its whole chain) and yields :class:`Finding`
objects located at the variant that sets the offending value. The facts behind the
rules, from devstack 493835a6, tempest fa340b1f, devstack-plugin-ceph 0e147a8d and
barbican 2d1ea860 (docs/zuul-and-devstack.md says what Zuul and devstack do with a
job's variables):

* devstack-base sets ``ERROR_ON_CLONE: true``: stack.sh dies on a devstack plugin
  Zuul did not check out, and ``tempest_plugins`` become ``TEMPEST_PLUGINS=/opt/stack/
  <name>``, pip-installed from a directory only Zuul's checkout creates; Zuul checks
  out the project under test and every required project of the job's chain.
* orchestrate-devstack runs the controller set-up only on the node named
  ``controller`` and devstack on the hosts of group ``subnode``;
  playbooks/devstack-tempest.yaml runs Tempest on group ``tempest``.
* run-tempest runs ``tox -e <tox_envlist>`` (default ``smoke``) and tempest's tox envs
  select tests as :data:`~generator.catalog.testlist.TOX_ENVS` says.
* a subnode runs compute-side services only (devstack's own subnode list); the
  barbican plugin enables its API service wherever it is loaded (devstack/settings);
  devstack-plugin-ceph installs a Ceph cluster where ``REMOTE_CEPH`` is false and
  gives each node a fresh ``CINDER_CEPH_UUID`` (lib/cephadm) unless one is set.
* a tempest option a plugin registers is read only where that plugin is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.audit.lint_selection import selection_findings
from generator.audit.lint_vars import RENDERED_VARS, is_builtin, template_strings, undefined_names
from generator.audit.lint_view import (
    CONTROLLER,
    TEMPEST_FILE,
    Finding,
    JobView,
    as_dict,
    devstack_plugins,
    installed_tempest_plugins,
)
from generator.catalog.optdata import tempest_registry
from generator.emit.job_settings import COMPUTE_SIDE_SERVICES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = ["RULES", "Finding", "JobView", "run_rules"]

RULES: dict[str, str] = {
    "plugin-project": "a devstack or tempest plugin that no required project provides",
    "nodeset-undefined": "a nodeset that no given file defines",
    "nodeset-layout": "a nodeset without a 'controller' node, 'tempest' group or 'subnode' group",
    "tox-env": "a tox_envlist that is not one of tempest's test envs",
    "smoke-only": "a test selection of smoke tests only",
    "empty-selection": "a test selection that runs no test",
    "test-regex": "a test regex that is invalid or matches no known test",
    "subnode-service": "a controller-only service, or a plugin starting one, on a subnode",
    "subnode-ceph": "a subnode that deploys its own Ceph cluster or secret",
    "plugin-option": "a tempest option of a plugin the job does not install",
    "undefined-variable": "a Jinja variable that nothing defines",
}
"""Rule name -> what it reports."""

SUBNODE_SERVICES = COMPUTE_SIDE_SERVICES | {"openstack-cli-server", "atop"}
"""What a subnode may run: the compute side, the per-node CLI helper devstack-minimal
enables on subnodes, and atop (devstack lib/atop, a per-node monitor like dstat)."""
PLUGIN_SERVICES = {"barbican": "barbican"}
"""devstack plugins that enable a controller service wherever they load."""


def _plugin_project(view: JobView) -> Iterator[Finding]:
    reported: set[str] = set()
    for host, variables in view.job.hosts:
        error_on_clone = as_dict(variables.get("devstack_localrc")).get("ERROR_ON_CLONE")
        if error_on_clone is True or str(error_on_clone).lower() == "true":
            for name in devstack_plugins(variables):
                if name in view.required or name in reported:
                    continue
                reported.add(name)
                url = str(variables["devstack_plugins"][name])
                org = url.rstrip("/").removesuffix(".git").rsplit("/", 2)
                hint = f"{org[-2]}/{org[-1]}" if len(org) == 3 else f"<org>/{name}"
                yield view.finding(
                    "plugin-project",
                    host,
                    ("devstack_plugins", name),
                    f"devstack plugin {name!r} ({host}) is not a required project: with "
                    f"ERROR_ON_CLONE stack.sh dies instead of cloning it; add {hint} to "
                    "required-projects",
                )
        plugins, from_localrc = installed_tempest_plugins(variables)
        keys = ("devstack_localrc", "TEMPEST_PLUGINS") if from_localrc else ("tempest_plugins",)
        for name in plugins:
            if name in view.required or name in reported:
                continue
            reported.add(name)
            yield view.finding(
                "plugin-project",
                host,
                keys,
                f"tempest plugin {name!r} ({host}) is not a required project: devstack "
                f"pip-installs it from /opt/stack/{name}, which only Zuul's checkout of a "
                f"required project creates; add its project (e.g. openstack/{name})",
            )


def _nodeset(view: JobView) -> Iterator[Finding]:
    job = view.job
    spec: object = None
    path, line = job.own_variants[0].path, job.own_variants[0].line
    for variant in reversed(job.variants):
        if "nodeset" in variant.body:
            spec = variant.body["nodeset"]
            path = variant.path
            line = variant.body.key_lines.get("nodeset", variant.line)  # type: ignore[attr-defined]
            break
    if spec is None:
        return
    if isinstance(spec, str) and spec not in view.config.nodesets:
        yield Finding(
            "nodeset-undefined",
            job.name,
            path,
            line,
            f"nodeset {spec!r} is defined in none of the given files (a nodepool label "
            "is not a nodeset); define it, or pass the repository that does",
        )
        return
    if not job.nodeset_known:
        return
    nodeset = job.nodeset
    problems = []
    if CONTROLLER not in nodeset.hosts:
        problems.append(
            "no node named 'controller' (orchestrate-devstack sets up devstack's "
            "services only there)"
        )
    if view.runs_tempest() and not nodeset.group("tempest"):
        problems.append("no 'tempest' group (devstack-tempest runs Tempest on hosts: tempest)")
    subnodes = nodeset.group("subnode")
    lost = [h for h in nodeset.hosts if h != CONTROLLER and h not in subnodes]
    if lost:
        problems.append(
            f"{', '.join(lost)} in no 'subnode' group (orchestrate-devstack runs devstack "
            "only on groups['subnode'])"
        )
    if problems:
        yield Finding(
            "nodeset-layout",
            job.name,
            path,
            line,
            f"nodeset {nodeset.name!r} has " + "; ".join(problems),
        )


def _subnodes(view: JobView) -> Iterator[Finding]:
    ceph_hosts: list[tuple[str, object]] = []
    subnodes = view.job.nodeset.group("subnode")
    for host, variables in view.job.hosts:
        plugins = devstack_plugins(variables)
        localrc = as_dict(variables.get("devstack_localrc"))
        if host != CONTROLLER and host not in subnodes:
            continue  # devstack never runs there (nodeset-layout says so)
        if "devstack-plugin-ceph" in plugins:
            ceph_hosts.append((host, localrc.get("CINDER_CEPH_UUID")))
        if host == CONTROLLER:
            continue
        services = as_dict(variables.get("devstack_services"))
        for name, enabled in services.items():
            if enabled is True and name != "base" and name not in SUBNODE_SERVICES:
                yield view.finding(
                    "subnode-service",
                    host,
                    ("devstack_services", name),
                    f"subnode {host} enables {name!r}, a controller service (devstack's "
                    "own multinode jobs run only compute-side services on a subnode)",
                )
        for plugin, service in PLUGIN_SERVICES.items():
            if plugin in plugins and services.get(service) is not False:
                yield view.finding(
                    "subnode-service",
                    host,
                    ("devstack_plugins", plugin),
                    f"subnode {host} loads the {plugin} devstack plugin, which enables and "
                    f"starts {service!r} there; set devstack_services {service}: false for "
                    "the subnode (or drop the plugin there)",
                )
        if "devstack-plugin-ceph" in plugins and str(localrc.get("REMOTE_CEPH")).lower() not in (
            "true",
            "yes",
            "1",
            "on",
        ):
            yield view.finding(
                "subnode-ceph",
                host,
                ("devstack_plugins", "devstack-plugin-ceph"),
                f"subnode {host} runs devstack-plugin-ceph without REMOTE_CEPH: true, so it "
                "installs a second Ceph cluster instead of using the controller's",
            )
    uuids = {str(uuid) for _, uuid in ceph_hosts if uuid is not None}
    if len(ceph_hosts) > 1 and (len(uuids) > 1 or any(u is None for _, u in ceph_hosts)):
        host = next((h for h, _ in ceph_hosts if h != CONTROLLER), ceph_hosts[-1][0])
        yield view.finding(
            "subnode-ceph",
            host,
            ("devstack_plugins", "devstack-plugin-ceph"),
            "the Ceph nodes do not share one CINDER_CEPH_UUID (lib/cephadm defaults it to a "
            "fresh uuidgen per node), so the libvirt secrets differ between the computes",
        )


def _plugin_options(view: JobView) -> Iterator[Finding]:
    if not view.runs_tempest():
        return
    host = view.job.tempest_host
    variables = view.vars(host)
    installed, _ = installed_tempest_plugins(variables)
    sections = as_dict(
        as_dict(as_dict(variables.get("devstack_local_conf")).get("test-config")).get(TEMPEST_FILE)
    )
    registry = tempest_registry()
    for section, options in sections.items():
        for option, value in as_dict(options).items():
            plugin = registry.plugin_of(str(section), str(option))
            found = registry.option(str(section), str(option))
            if plugin is None or found is None or plugin in installed or found.is_default(value):
                continue
            yield view.finding(
                "plugin-option",
                host,
                ("devstack_local_conf", "test-config", TEMPEST_FILE, str(section), str(option)),
                f"tempest option [{section}] {option} is registered by {plugin}, which the "
                "job does not install, so nothing reads it",
            )


def _variables(view: JobView) -> Iterator[Finding]:
    reported: set[str] = set()
    for host, variables in view.job.hosts:
        defined = set(variables) | view.passed_secrets
        for name in RENDERED_VARS:
            for keys, text in template_strings(variables.get(name), (name,)):
                missing, error = undefined_names(text)
                if error and text not in reported:
                    reported.add(text)
                    yield view.finding(
                        "undefined-variable",
                        host,
                        keys,
                        f"{'.'.join(keys)}: template {text!r} does not parse: {error}",
                    )
                for word in missing:
                    if word in defined or is_builtin(word) or word in reported:
                        continue
                    reported.add(word)
                    why = (
                        f"secret {word!r} is declared without pass-to-parent: true, and "
                        "devstack's pre-run (a parent's playbook) cannot read it"
                        if word in view.bound_secrets
                        else "no job variable, secret passed to the job, Zuul or Ansible "
                        "variable defines it"
                    )
                    yield view.finding(
                        "undefined-variable",
                        host,
                        keys,
                        f"{'.'.join(keys)} uses {word!r}: {why}",
                    )


_RULES: tuple[Callable[[JobView], Iterator[Finding]], ...] = (
    _plugin_project,
    _nodeset,
    selection_findings,
    _subnodes,
    _plugin_options,
    _variables,
)


def run_rules(view: JobView) -> list[Finding]:
    """Every finding of one job, rule by rule."""
    return [finding for rule in _RULES for finding in rule(view)]
