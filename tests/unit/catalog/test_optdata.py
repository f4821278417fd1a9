"""Option registries: committed data, oslo.config-like parsing, messages, --live."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources

import pytest

from generator.catalog.optdata import (
    Option,
    nova_registry,
    registry_from_json,
    tempest_registry,
)
from generator.catalog.optdata_sources import generator_sections, live_tempest_registry


def test_committed_data_records_versions_and_plugin_flags() -> None:
    text = resources.files("generator.catalog").joinpath("data", "tempest.json").read_text("utf-8")
    data = json.loads(text)
    assert data["versions"]["tempest"] == "47.0.0"
    assert "whitebox-tempest-plugin" in data["versions"]
    registry = tempest_registry()
    # whitebox injects these into an existing group at register_opts() time
    assert registry.check("compute-feature-enabled", "vtpm_device_supported", True) is None
    assert registry.check("compute-feature-enabled", "uefi_boot", "false") is None
    assert registry.check("ephemeral_storage_encryption", "enabled", True) is None
    nova = json.loads(
        resources.files("generator.catalog").joinpath("data", "nova.json").read_text("utf-8")
    )
    assert nova["versions"]["nova"] == "34.0.0"
    # oslo-config-generator's 899, plus the 5 of the sections nova-compute registers
    # at run time ([mdev_*], [neutron_physnet_*], [neutron_tunnel])
    assert sum(len(v) for v in nova["sections"].values()) == 904


@pytest.mark.parametrize(
    ("section", "option", "value", "expected"),
    [
        ("mdev_nvidia-35", "device_addresses", "0000:84:00.0,0000:85:00.0", None),
        ("mdev_mtty-1", "mdev_class", "CUSTOM_MTTY", None),
        (
            "mdev_mtty-1",
            "mdev_class",
            "custom",
            "[mdev_mtty-1] mdev_class: 'custom' does not match ^(VGPU|CUSTOM_[A-Z0-9_]+)$",
        ),
        (
            "mdev_mtty-1",
            "max_instances",
            0,
            "[mdev_mtty-1] max_instances: 0 is below the minimum 1",
        ),
        (
            "mdev_nvidia-35",
            "device_adresses",
            "x",
            "unknown option 'device_adresses' in [mdev_nvidia-35] "
            "(did you mean 'device_addresses'?)",
        ),
        # the deprecated group nova still reads device_addresses from, and only that
        ("vgpu_nvidia-35", "device_addresses", "0000:84:00.0", None),
        (
            "vgpu_nvidia-35",
            "mdev_class",
            "VGPU",
            "unknown option 'mdev_class' in [vgpu_nvidia-35] (it is registered in [mdev_*])",
        ),
        ("neutron_physnet_foo", "numa_nodes", "0,1", None),
        (
            "neutron_physnet_foo",
            "numa_nodes",
            "0,x",
            "[neutron_physnet_foo] numa_nodes: list item 'x': expected an integer, got 'x'",
        ),
        ("neutron_tunnel", "numa_nodes", 1, None),
        # a pattern needs at least one character for its *
        ("mdev_", "device_addresses", "x", "unknown nova section [mdev_] (did you mean 'mdev_*'?)"),
        (
            "devices",
            "device_addresses",
            "x",
            "unknown option 'device_addresses' in [devices] (it is registered in [mdev_*])",
        ),
    ],
)
def test_sections_nova_registers_at_run_time(
    section: str, option: str, value: object, expected: str | None
) -> None:
    assert nova_registry().check(section, option, value) == expected


@pytest.mark.parametrize(
    ("section", "option", "plugin"),
    [
        # a group only a plugin registers
        ("whitebox", "max_compute_nodes", "whitebox-tempest-plugin"),
        ("ephemeral_storage_encryption", "enabled", "barbican-tempest-plugin"),
        ("baremetal", "active_timeout", "ironic-tempest-plugin"),
        ("neutron_plugin_options", "available_type_drivers", "neutron-tempest-plugin"),
        # flags a plugin injects into tempest's own group
        ("compute-feature-enabled", "vtpm_device_supported", "whitebox-tempest-plugin"),
        # an option a plugin adds to a group tempest and other plugins share
        ("service_available", "barbican", "barbican-tempest-plugin"),
        # tempest's own options, and unknown ones
        ("compute-feature-enabled", "resize", None),
        ("service_available", "nova", None),
        ("oslo_concurrency", "lock_path", None),
        ("whitebox", "no_such_option", None),
    ],
)
def test_plugin_of_names_the_registering_plugin(
    section: str, option: str, plugin: str | None
) -> None:
    assert tempest_registry().plugin_of(section, option) == plugin


def test_plugins_recorded_with_their_versions() -> None:
    assert tempest_registry().plugins == {
        "barbican-tempest-plugin": "4.6.0",
        "ironic-tempest-plugin": "3.2.0",
        "neutron-tempest-plugin": "3.3.0",
        "whitebox-tempest-plugin": "0.1.0",
    }
    assert nova_registry().plugins == {}
    assert nova_registry().plugin_of("libvirt", "images_type") is None


def test_plugin_of_from_json_and_deprecated_names() -> None:
    sections = {
        "whitebox": [
            {
                "name": "max_compute_nodes",
                "type": "integer value",
                "plugin": "whitebox-tempest-plugin",
                "deprecated_names": ["whitebox.max_nodes"],
            }
        ]
    }
    registry = registry_from_json("tempest", {"sections": sections})
    assert registry.plugin_of("whitebox", "max_nodes") == "whitebox-tempest-plugin"


@pytest.mark.parametrize(
    ("section", "option", "value", "expected"),
    [
        ("compute-feature-enabled", "resize", False, None),
        ("compute-feature-enabled", "resize", "Off", None),
        ("compute-feature-enabled", "resize", "1", None),
        ("compute-feature-enabled", "resize", 0, None),
        (
            "compute-feature-enabled",
            "resize",
            "sometimes",
            "[compute-feature-enabled] resize: expected a boolean (true/false), got 'sometimes'",
        ),
        ("compute", "min_compute_nodes", "{{ groups['compute'] | length }}", None),
        ("compute", "min_compute_nodes", 2, None),
        (
            "compute",
            "min_compute_nodes",
            True,
            "[compute] min_compute_nodes: expected an integer, got boolean True",
        ),
        (
            "compute",
            "min_compute_nodes",
            "two",
            "[compute] min_compute_nodes: expected an integer, got 'two'",
        ),
        (
            "whitebox",
            "libvirt_hw_machine_type",
            "q35",
            None,
        ),
        (
            "compute-feature-enabled",
            "block_migrate_cinder_iscsi",
            True,
            "unknown option 'block_migrate_cinder_iscsi' in [compute-feature-enabled] "
            "(did you mean 'block_migration_for_live_migration'?)",
        ),
        (
            "no-such-group",
            "resize",
            True,
            "unknown tempest section [no-such-group] ('resize' is registered in "
            "[compute-feature-enabled])",
        ),
    ],
)
def test_tempest_checks(section: str, option: str, value: object, expected: str | None) -> None:
    assert tempest_registry().check(section, option, value) == expected


@pytest.mark.parametrize(
    ("section", "option", "value", "expected"),
    [
        ("libvirt", "images_type", "lvm", None),
        ("libvirt", "hw_machine_type", "x86_64=q35", None),
        ("libvirt", "cpu_models", "Nehalem,Haswell", None),
        ("libvirt", "num_pcie_ports", 28, None),
        ("libvirt", "num_pcie_ports", 29, "[libvirt] num_pcie_ports: 29 is above the maximum 28"),
        (
            "libvirt",
            "live_migration_downtime",
            99,
            "[libvirt] live_migration_downtime: 99 is below the minimum 100",
        ),
        ("DEFAULT", "ram_allocation_ratio", 1.0, None),
        ("DEFAULT", "ram_allocation_ratio", "1.5", None),
        (
            "DEFAULT",
            "ram_allocation_ratio",
            "much",
            "[DEFAULT] ram_allocation_ratio: expected a number, got 'much'",
        ),
        (
            "vnc",
            "ssl_only",
            True,
            "unknown option 'ssl_only' in [vnc] (it is registered in [DEFAULT])",
        ),
        (
            "compute",
            "heal_instance_info_cache_interval",
            60,
            "unknown option 'heal_instance_info_cache_interval' in [compute] "
            "(it is registered in [DEFAULT])",
        ),
        ("libvirt", "iscsi_use_multipath", True, None),  # deprecated name, still accepted
        ("os_vif_ovs", "isolate_vif", "true", None),
        (
            "os_vif_ovs",
            "ovsdb_interface",
            "rest",
            "[os_vif_ovs] ovsdb_interface: 'rest' is not one of [vsctl, native]",
        ),
    ],
)
def test_nova_checks(section: str, option: str, value: object, expected: str | None) -> None:
    assert nova_registry().check(section, option, value) == expected


def test_sections_of() -> None:
    assert nova_registry().sections_of("ssl_only") == ("DEFAULT",)
    assert tempest_registry().sections_of("no_such_option_anywhere") == ()
    assert "compute-feature-enabled" in tempest_registry().sections_of("live_migration")


def test_option_parsing_rules() -> None:
    port = Option("p", "port value")
    assert port.parse(80) is None
    assert port.parse(70000) == "70000 is above the maximum 65535"
    ranged = Option("f", "floating point value", min=0.5, max=2.0)
    assert ranged.parse("nan") == "expected a finite number, got 'nan'"
    assert ranged.parse(0.25) == "0.25 is below the minimum 0.5"
    listed = Option("l", "list value", item_choices=("a", "b"))
    assert listed.parse("a, b") is None
    assert listed.parse("a,c") == "list item 'c' is not one of [a, b]"
    mapping = Option("d", "dict value")
    assert mapping.parse("a:1,b:2") is None
    assert mapping.parse("a") == "expected key:value pairs separated by commas, got 'a'"
    chosen = Option("i", "integer value", choices=(256, 512))
    assert chosen.parse("512") is None
    assert chosen.parse(300) == "300 is not one of [256, 512]"


def test_nova_generator_conversion() -> None:
    generator_json = {
        "options": {
            "libvirt": {
                "opts": [
                    {
                        "name": "images_type",
                        "type": "string value",
                        "default": "default",
                        "choices": [["raw", None], ["lvm", "LVM"]],
                        "min": None,
                        "max": None,
                        "deprecated_opts": [{"group": "DEFAULT", "name": "libvirt_images_type"}],
                        "deprecated_for_removal": False,
                    }
                ]
            }
        }
    }
    sections = generator_sections(generator_json)
    assert sections == {
        "libvirt": [
            {
                "name": "images_type",
                "type": "string value",
                "default": "default",
                "choices": ["raw", "lvm"],
                "deprecated_names": ["DEFAULT.libvirt_images_type"],
            }
        ]
    }
    registry = registry_from_json("nova", {"sections": sections})
    assert registry.check("DEFAULT", "libvirt_images_type", "lvm") is None
    assert registry.check("libvirt", "images_type", "qcow2") == (
        "[libvirt] images_type: 'qcow2' is not one of [raw, lvm]"
    )


@pytest.mark.skipif(importlib.util.find_spec("tempest") is None, reason="tempest is not installed")
def test_live_registry_matches_committed_data() -> None:  # pragma: no cover - needs tempest
    live = live_tempest_registry()
    assert live is not None
    assert live.check("compute-feature-enabled", "resize", "maybe") is not None
    assert live.check("compute-feature-enabled", "resize", True) is None
    committed = tempest_registry()
    for section in committed.sections:
        for option in committed.options(section):
            assert live.plugin_of(section, option.name) == option.plugin, (section, option.name)


@pytest.mark.skipif(importlib.util.find_spec("tempest") is not None, reason="tempest is installed")
def test_live_registry_absent_without_tempest() -> None:
    assert live_tempest_registry() is None


@pytest.mark.parametrize("name", ["tempest.json", "nova.json"])
def test_committed_files_are_in_the_dump_format(name: str) -> None:
    from tools.optdata_dump import _render

    text = resources.files("generator.catalog").joinpath("data", name).read_text("utf-8")
    data = json.loads(text)
    rendered = _render(
        data["registry"], data["source"], data["versions"], data["sections"], data.get("plugins")
    )
    assert rendered == text
