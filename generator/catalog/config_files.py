"""Catalog stage, config files: what a ``post_config`` key may name.

A ``post_config`` key becomes a ``[[post-config|KEY]]`` section of devstack's
local.conf, and devstack's ``merge_config_group`` (inc/meta-config) finds the file
with ``eval echo KEY``. So a misspelt variable (``$NOVA_CPUCONF``) evaluates to
nothing and devstack skips the section with a warning, and a missing ``$``
(``NOVA_CPU_CONF``) writes a file of that name in devstack's working directory:
either way the option never reaches the service. The keys accepted are devstack's
own config-file variables (:data:`DEVSTACK_CONFIG_FILES`), or another key (a devstack
plugin's variable, a literal path) only when the catalog's ``option_data`` covers it.

``$NOVA_CPU_CONF`` must be written exactly so: devstack's lib/nova creates
nova-cpu.conf when nova-compute starts by copying nova.conf and then re-applying
only the local.conf section named literally ``$NOVA_CPU_CONF``; ``${NOVA_CPU_CONF}``
or ``/etc/nova/nova-cpu.conf`` would be overwritten by that copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.catalog.names import did_you_mean

__all__ = [
    "DEVSTACK_CONFIG_FILES",
    "NOVA_FILES",
    "TEMPEST_FILE",
    "ConfigFile",
    "file_key_problem",
]


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """A config-file variable devstack defines, as a ``post_config`` key names it."""

    variable: str
    path: str
    """What devstack sets it to."""
    defined_in: str
    """The devstack file that defines it."""
    rooted: bool = False
    """Devstack sets it relative to ``/``: the key is ``"/$VARIABLE"``."""

    @property
    def key(self) -> str:
        return f"/${self.variable}" if self.rooted else f"${self.variable}"


DEVSTACK_CONFIG_FILES: tuple[ConfigFile, ...] = (
    # devstack master 493835a6 (July 2026), the lib/ files' top-level assignments
    # of INI config files (the files local.conf post-config can merge into).
    ConfigFile("CINDER_CONF", "$CINDER_CONF_DIR/cinder.conf", "lib/cinder"),
    ConfigFile("CINDER_UWSGI_CONF", "$CINDER_CONF_DIR/cinder-api-uwsgi.ini", "lib/cinder"),
    ConfigFile("CINDER_API_PASTE_INI", "$CINDER_CONF_DIR/api-paste.ini", "lib/cinder"),
    ConfigFile("GLANCE_API_CONF", "$GLANCE_CONF_DIR/glance-api.conf", "lib/glance"),
    ConfigFile("GLANCE_API_PASTE_INI", "$GLANCE_CONF_DIR/glance-api-paste.ini", "lib/glance"),
    ConfigFile("GLANCE_CACHE_CONF", "$GLANCE_CONF_DIR/glance-cache.conf", "lib/glance"),
    ConfigFile("GLANCE_SWIFT_STORE_CONF", "$GLANCE_CONF_DIR/glance-swift-store.conf", "lib/glance"),
    ConfigFile(
        "GLANCE_IMAGE_IMPORT_CONF", "$GLANCE_CONF_DIR/glance-image-import.conf", "lib/glance"
    ),
    ConfigFile("GLANCE_UWSGI_CONF", "$GLANCE_CONF_DIR/glance-uwsgi.ini", "lib/glance"),
    ConfigFile("KEYSTONE_CONF", "$KEYSTONE_CONF_DIR/keystone.conf", "lib/keystone"),
    ConfigFile(
        "KEYSTONE_PUBLIC_UWSGI_CONF", "$KEYSTONE_CONF_DIR/keystone-uwsgi-public.ini", "lib/keystone"
    ),
    ConfigFile("NEUTRON_CONF", "$NEUTRON_CONF_DIR/neutron.conf", "lib/neutron"),
    ConfigFile("NEUTRON_UWSGI_CONF", "$NEUTRON_CONF_DIR/neutron-api-uwsgi.ini", "lib/neutron"),
    ConfigFile("NEUTRON_TEST_CONFIG_FILE", "$NEUTRON_CONF_DIR/debug.ini", "lib/neutron"),
    ConfigFile("Q_DHCP_CONF_FILE", "$NEUTRON_CONF_DIR/dhcp_agent.ini", "lib/neutron"),
    ConfigFile("NEUTRON_DHCP_CONF", "$Q_DHCP_CONF_FILE", "lib/neutron"),
    ConfigFile("Q_L3_CONF_FILE", "$NEUTRON_CONF_DIR/l3_agent.ini", "lib/neutron"),
    ConfigFile("NEUTRON_L3_CONF", "$Q_L3_CONF_FILE", "lib/neutron"),
    ConfigFile("Q_META_CONF_FILE", "$NEUTRON_CONF_DIR/metadata_agent.ini", "lib/neutron"),
    ConfigFile("Q_RR_CONF_FILE", "$NEUTRON_CONF_DIR/rootwrap.conf", "lib/neutron"),
    # Q_PLUGIN_CONF_PATH is relative (etc/neutron/plugins/ml2): devstack itself
    # writes /$Q_PLUGIN_CONF_FILE.
    ConfigFile(
        "Q_PLUGIN_CONF_FILE", "$Q_PLUGIN_CONF_PATH/$Q_PLUGIN_CONF_FILENAME", "lib/neutron", True
    ),
    ConfigFile("NEUTRON_CORE_PLUGIN_CONF", "$Q_PLUGIN_CONF_FILE", "lib/neutron", True),
    ConfigFile(
        "OVN_META_CONF",
        "$NEUTRON_CONF_DIR/neutron_ovn_metadata_agent.ini",
        "lib/neutron_plugins/ovn_agent",
    ),
    ConfigFile(
        "OVN_AGENT_CONF",
        "$NEUTRON_CONF_DIR/plugins/ml2/ovn_agent.ini",
        "lib/neutron_plugins/ovn_agent",
    ),
    # lib/nova fixes NOVA_CONF_DIR=/etc/nova: a literal path there is recognised.
    ConfigFile("NOVA_CONF", "/etc/nova/nova.conf", "lib/nova"),
    ConfigFile("NOVA_COND_CONF", "/etc/nova/nova.conf", "lib/nova"),
    ConfigFile("NOVA_CPU_CONF", "/etc/nova/nova-cpu.conf", "lib/nova"),
    ConfigFile("NOVA_FAKE_CONF", "/etc/nova/nova-fake.conf", "lib/nova"),
    ConfigFile("NOVA_UWSGI_CONF", "/etc/nova/nova-api-uwsgi.ini", "lib/nova"),
    ConfigFile("NOVA_METADATA_UWSGI_CONF", "/etc/nova/nova-metadata-uwsgi.ini", "lib/nova"),
    ConfigFile("NOVA_API_PASTE_INI", "/etc/nova/api-paste.ini", "lib/nova"),
    ConfigFile("PLACEMENT_CONF", "$PLACEMENT_CONF_DIR/placement.conf", "lib/placement"),
    ConfigFile("PLACEMENT_UWSGI_CONF", "$PLACEMENT_CONF_DIR/placement-uwsgi.ini", "lib/placement"),
    ConfigFile("TEMPEST_CONFIG", "$TEMPEST_CONFIG_DIR/tempest.conf", "lib/tempest"),
)
"""Devstack's config-file variables, each as a ``post_config`` key writes it."""

NOVA_FILES = ("$NOVA_CONF", "$NOVA_COND_CONF", "$NOVA_FAKE_CONF", "$NOVA_CPU_CONF")
"""The keys of the files nova's services read (all hold nova options); nova-compute
reads nova-cpu.conf, which overrides nova.conf, so it comes last."""

TEMPEST_FILE = "$TEMPEST_CONFIG"
"""tempest.conf: written in devstack's test-config phase, from a value's ``tempest``."""

_BY_KEY = {f.key: f for f in DEVSTACK_CONFIG_FILES}
_BY_VARIABLE = {f.variable: f for f in DEVSTACK_CONFIG_FILES}
_SPELLING = re.compile(r"^/?\$?\{?([A-Za-z_][A-Za-z0-9_]*)\}?$")


def _respelt(key: str, known: ConfigFile) -> str:
    """Why a known variable written as ``key`` (not as ``known.key``) goes wrong."""
    if "$" not in key:
        return (
            f"without '$' devstack writes a file named {key.lstrip('/')} in its working directory"
        )
    if known.variable == "NOVA_CPU_CONF":
        return (
            "devstack's lib/nova creates nova-cpu.conf by copying nova.conf, then re-applies "
            "only the section named exactly $NOVA_CPU_CONF"
        )
    if known.rooted:
        return f"devstack sets {known.variable} relative to / ({known.path})"
    return "one spelling per file, so that the settings of several knobs for it merge"


def file_key_problem(key: str, covered: tuple[str, ...] = ()) -> str | None:
    """Why ``key`` cannot be a ``post_config`` key, or None when devstack writes it.

    ``covered`` are the keys the catalog's option data declares (a devstack plugin's
    variable or a literal path is accepted only then).
    """
    if key == TEMPEST_FILE:
        return (
            f"{key}: tempest.conf options go under the value's 'tempest' key "
            "(devstack writes them in its test-config phase, after tempest is configured)"
        )
    if key in _BY_KEY:
        return None
    spelling = _SPELLING.match(key)
    known = _BY_VARIABLE.get(spelling.group(1)) if spelling else None
    if known is not None:
        return f"write {known.key!r}, not {key!r}: {_respelt(key, known)}"
    same_path = [f for f in DEVSTACK_CONFIG_FILES if f.path == key]
    if same_path:
        return f"write {same_path[0].key!r}, not the path {key!r}: {_respelt('$', same_path[0])}"
    if key in covered:
        return None
    keys = [*_BY_KEY, *covered]
    hint = did_you_mean(key, keys)
    if key.startswith(("$", "/$")):
        what = f"unknown config file variable {key!r}{hint}"
    elif key.startswith("/"):
        what = f"no option_data covers the path {key!r}{hint}"
    else:
        what = f"{key!r} is neither a config file variable nor an absolute path{hint}"
    return (
        f"{what}; a post_config key is one of devstack's config file variables "
        "($NOVA_CONF, $NOVA_CPU_CONF, $NEUTRON_CONF, ...) or a key the catalog's "
        "option_data covers"
    )
