"""Audit stage, lint helper: the Jinja names a job's variables use, and who defines them.

Zuul hands a job's variables to Ansible, which renders every ``{{ }}`` template when a
play reads the variable. devstack writes ``local.conf`` from ``devstack_localrc``,
``devstack_local_conf``, ``devstack_services``, ``devstack_plugins`` and
``tempest_plugins`` in its pre-run (roles/write-devstack-local-conf), and tempest's
run-tempest role reads ``tox_envlist`` and the ``tempest_*`` selection variables; a
name no one defines there stops the job with "undefined variable". Templates are
parsed with Jinja2 itself (the engine Ansible uses).

What defines a name there, besides the job's own variables:

* Ansible's magic variables and facts (``hostvars``, ``groups``, ``inventory_hostname``,
  ``ansible_*``, ...) and the globals Ansible adds to Jinja (``lookup``, ``query``, ...);
* Zuul's ``zuul`` and ``nodepool`` variables; OpenDev names its site variables
  ``zuul_site_*`` (a tenant's own site variables are not in any job file);
* role defaults and facts of the plays that read those variables: devstack
  ``roles/*/defaults/main.yaml`` and ``playbooks/pre.yaml`` (493835a6), tempest
  ``roles/run-tempest`` (fa340b1f);
* a secret the job passes with ``pass-to-parent: true``: a secret is bound to the
  playbooks of the job declaring it, and devstack's pre-run is a parent's playbook.

A name used only under ``| default(...)`` or in an ``is defined`` test needs no
definition.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import jinja2
from jinja2 import meta, nodes

from generator.model import is_template

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ANSIBLE_NAMES",
    "RENDERED_VARS",
    "ROLE_NAMES",
    "ZUUL_NAMES",
    "is_builtin",
    "template_strings",
    "undefined_names",
]

RENDERED_VARS = (
    "devstack_localrc",
    "devstack_local_conf",
    "devstack_services",
    "devstack_plugins",
    "tempest_plugins",
    "tox_envlist",
    "tempest_test_regex",
    "tempest_exclude_regex",
    "tempest_test_exclude_list",
    "tempest_concurrency",
)
"""The variables devstack's local.conf writer and tempest's run-tempest role render."""

ANSIBLE_NAMES = frozenset(
    {
        "hostvars",
        "groups",
        "group_names",
        "inventory_hostname",
        "inventory_hostname_short",
        "inventory_dir",
        "inventory_file",
        "playbook_dir",
        "play_hosts",
        "role_path",
        "role_name",
        "omit",
        "environment",
        # Jinja globals, and those Ansible adds
        "lookup",
        "query",
        "q",
        "now",
        "undef",
        "range",
        "dict",
        "lipsum",
        "cycler",
        "joiner",
        "namespace",
    }
)
ZUUL_NAMES = frozenset({"zuul", "nodepool"})
ROLE_NAMES = frozenset(
    {
        # devstack roles/*/defaults/main.yaml
        "devstack_base_dir",
        "devstack_conf_dir",
        "devstack_local_conf_path",
        "devstack_base_services",
        "devstack_cache_dir",
        "devstack_source_dirs",
        "devstack_stack_home_dir",
        "devstack_data_base_dir",
        "stage_dir",
        # devstack playbooks/pre.yaml facts
        "local_mtu",
        "external_bridge_mtu",
        # tempest roles/run-tempest defaults and facts
        "stable_constraints_file",
        "target_branch",
        "tempest_tox_environment",
        "tempest_test_timeout",
        "tox_extra_args",
        "num_cores",
        "default_concurrency",
    }
)


def is_builtin(name: str) -> bool:
    """Whether Ansible, Zuul, OpenDev's site variables or the devstack/tempest roles
    define ``name`` for every job."""
    return (
        name in ANSIBLE_NAMES
        or name in ZUUL_NAMES
        or name in ROLE_NAMES
        or name.startswith(("ansible_", "zuul_site_"))
    )


_ENVIRONMENT = jinja2.Environment()


def _root(node: nodes.Node) -> nodes.Node:
    """The variable under ``x.a``, ``x['b']``, ``x.a | f``: its leftmost name."""
    while isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Filter) and node.node is not None:
        node = node.node
    return node


def undefined_names(template: str) -> tuple[tuple[str, ...], str | None]:
    """The names ``template`` reads without a local definition or a default, sorted,
    and the syntax error (None when it parses)."""
    try:
        tree = _ENVIRONMENT.parse(template)
    except jinja2.TemplateSyntaxError as exc:
        return (), f"{exc.message} (line {exc.lineno} of the template)"
    undeclared = meta.find_undeclared_variables(tree)
    used = Counter(n.name for n in tree.find_all(nodes.Name) if n.ctx == "load")
    guarded: Counter[str] = Counter()
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        if node.name in ("default", "d", "defined", "undefined") and node.node is not None:
            root = _root(node.node)
            if isinstance(root, nodes.Name):
                guarded[root.name] += 1
    return tuple(sorted(n for n in undeclared if used[n] > guarded[n])), None


def template_strings(
    value: object, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string (mapping keys too) under ``value`` holding a Jinja template, with
    the key path leading to it."""
    if isinstance(value, dict):
        for key, item in value.items():
            if is_template(key):
                yield (*path, key), key
            yield from template_strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from template_strings(item, path)
    elif is_template(value):
        yield path, value
