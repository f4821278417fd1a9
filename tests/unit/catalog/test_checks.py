"""Catalog-wide checks of what values write: golden messages (file, line, column, text)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.catalog.config_files import DEVSTACK_CONFIG_FILES, file_key_problem
from generator.catalog.loader import load_file
from tests.unit.catalog.loader_problems import rendered_problems


def _post_config(key: str) -> str:
    return f"""\
        knobs:
          a:
            - x:
                post_config:
                  {key}:
                    libvirt: {{images_type: qcow2}}
        """


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "$NOVA_CPUCONF",
            "unknown config file variable '$NOVA_CPUCONF' (did you mean '$NOVA_CPU_CONF'?); "
            "a post_config key is one of devstack's config file variables ($NOVA_CONF, "
            "$NOVA_CPU_CONF, $NEUTRON_CONF, ...) or a key the catalog's option_data covers",
        ),
        (
            "NOVA_CPU_CONF",
            "write '$NOVA_CPU_CONF', not 'NOVA_CPU_CONF': without '$' devstack writes a file "
            "named NOVA_CPU_CONF in its working directory",
        ),
        (
            "${NOVA_CPU_CONF}",
            "write '$NOVA_CPU_CONF', not '${NOVA_CPU_CONF}': devstack's lib/nova creates "
            "nova-cpu.conf by copying nova.conf, then re-applies only the section named "
            "exactly $NOVA_CPU_CONF",
        ),
        (
            "/etc/nova/nova-cpu.conf",
            "write '$NOVA_CPU_CONF', not the path '/etc/nova/nova-cpu.conf': devstack's "
            "lib/nova creates nova-cpu.conf by copying nova.conf, then re-applies only the "
            "section named exactly $NOVA_CPU_CONF",
        ),
        (
            "/etc/nova/nova-lxd.conf",
            "no option_data covers the path '/etc/nova/nova-lxd.conf'; a post_config key is "
            "one of devstack's config file variables ($NOVA_CONF, $NOVA_CPU_CONF, "
            "$NEUTRON_CONF, ...) or a key the catalog's option_data covers",
        ),
        (
            "$TEMPEST_CONFIG",
            "$TEMPEST_CONFIG: tempest.conf options go under the value's 'tempest' key "
            "(devstack writes them in its test-config phase, after tempest is configured)",
        ),
    ],
)
def test_post_config_keys_are_devstack_config_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, message: str
) -> None:
    assert rendered_problems(tmp_path, monkeypatch, _post_config(key)) == [
        f"cat.yaml:5:11: knob 'a' value 'x': post_config: {message}\n              {key}:"
    ]


def test_rooted_variable_needs_its_slash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """\
        knobs:
          a:
            - x:
                post_config:
                  $NEUTRON_CORE_PLUGIN_CONF:
                    ml2: {tenant_network_types: vxlan}
        """
    assert rendered_problems(tmp_path, monkeypatch, text) == [
        "cat.yaml:5:11: knob 'a' value 'x': post_config: write '/$NEUTRON_CORE_PLUGIN_CONF', "
        "not '$NEUTRON_CORE_PLUGIN_CONF': devstack sets NEUTRON_CORE_PLUGIN_CONF relative to "
        "/ ($Q_PLUGIN_CONF_FILE)\n"
        "              $NEUTRON_CORE_PLUGIN_CONF:"
    ]


def test_every_devstack_config_file_is_accepted_as_written() -> None:
    for config in DEVSTACK_CONFIG_FILES:
        if config.variable != "TEMPEST_CONFIG":
            assert file_key_problem(config.key) is None, config
    assert file_key_problem("$BARBICAN_CONF", ("$BARBICAN_CONF",)) is None
    # a literal path option data covers, unless it is one devstack names itself
    assert file_key_problem("/etc/nova/nova-lxd.conf", ("/etc/nova/nova-lxd.conf",)) is None
    assert file_key_problem("/etc/nova/nova-cpu.conf", ("/etc/nova/nova-cpu.conf",)) is not None


VTPM = """\
    knobs:
      swtpm:
        - disabled:
            tempest:
              compute-feature-enabled: {vtpm_device_supported: false}
        - enabled:
            tempest:
              compute-feature-enabled: {vtpm_device_supported: true}
      cpu_power:
        - "off":
            tempest:
              compute-feature-enabled: {cpu_power_management: false}
        - "on":
            tempest_plugins: [whitebox-tempest-plugin]
    projects: {whitebox-tempest-plugin: openstack/whitebox-tempest-plugin}
    """


def test_a_plugin_option_needs_its_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # swtpm=enabled runs with cpu_power=off, a job without whitebox-tempest-plugin
    assert rendered_problems(tmp_path, monkeypatch, VTPM) == [
        "cat.yaml:8:37: knob 'swtpm' value 'enabled': tempest.conf: "
        "[compute-feature-enabled] vtpm_device_supported is registered by "
        "whitebox-tempest-plugin, which a job with swtpm=enabled need not install (nothing "
        "would read the option there); add 'tempest_plugins: [whitebox-tempest-plugin]' "
        "to knob 'swtpm' value 'enabled'\n"
        "              compute-feature-enabled: {vtpm_device_supported: true}"
    ]


def _loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cat.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    load_file("cat.yaml")


@pytest.mark.parametrize(
    "fix",
    [
        # the value installs the plugin itself
        (
            "        - enabled:\n",
            "        - enabled:\n            tempest_plugins: [whitebox-tempest-plugin]\n",
        ),
        # every job with the value installs it through another knob
        (
            "            tempest_plugins: [whitebox-tempest-plugin]\n",
            "            tempest_plugins: [whitebox-tempest-plugin]\n"
            "    constraints:\n"
            "      - if: {swtpm: enabled}\n"
            "        then: {cpu_power: 'on'}\n",
        ),
    ],
)
def test_a_plugin_option_with_its_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fix: tuple[str, str]
) -> None:
    old, new = fix
    assert old in VTPM
    _loads(tmp_path, monkeypatch, VTPM.replace(old, new))


def test_writing_a_plugin_option_s_default_needs_no_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # swtpm=disabled writes the default (false): harmless without whitebox, and what
    # keeps vTPM tests off where cpu_power=on installs it
    _loads(
        tmp_path,
        monkeypatch,
        VTPM.replace("vtpm_device_supported: true", "vtpm_device_supported: false"),
    )


def test_barbican_group_needs_barbican_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = """\
        knobs:
          ephemeral_encryption:
            - disabled:
                tempest:
                  ephemeral_storage_encryption: {enabled: false}
            - enabled:
                tempest:
                  ephemeral_storage_encryption: {enabled: true, key_size: 512}
        """
    found = rendered_problems(tmp_path, monkeypatch, text)
    assert [line.split("\n")[0] for line in found] == [
        f"cat.yaml:8:{column}: knob 'ephemeral_encryption' value 'enabled': tempest.conf: "
        f"[ephemeral_storage_encryption] {option} is registered by barbican-tempest-plugin, "
        "which a job with ephemeral_encryption=enabled need not install (nothing would read "
        "the option there); add 'tempest_plugins: [barbican-tempest-plugin]' to knob "
        "'ephemeral_encryption' value 'enabled'"
        for column, option in ((42, "enabled"), (57, "key_size"))
    ]


def test_a_bare_value_must_be_called_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = """\
        knobs:
          discard:
            - ignore
            - unmap:
                post_config:
                  $NOVA_CPU_CONF: {libvirt: {hw_disk_discard: unmap}}
        """
    assert rendered_problems(tmp_path, monkeypatch, text) == [
        "cat.yaml:3:7: knob 'discard': value 'ignore' sets nothing, but the knob's other "
        "values do: write what it means (what the other values set), or, if it means "
        "'leave the option unset', name it 'unset' (knobs/README.md, 'Every value is "
        "explicit')\n"
        "        - ignore"
    ]
    # 'unset' may be bare; so may every value of a knob that sets nothing at all
    _loads(tmp_path, monkeypatch, text.replace("- ignore", "- unset") + "  os: [linux, mac]\n")


SHARED = """\
    knobs:
      config_drive:
        - "off":
            post_config:
              $NOVA_CONF: {DEFAULT: {force_config_drive: false}}
        - "on":
            post_config:
              $NOVA_CONF: {DEFAULT: {force_config_drive: true}}
      ironic:
        - "off":
            localrc: {VIRT_DRIVER: libvirt}
        - "on":
            localrc: {VIRT_DRIVER: ironic}
            post_config:
              $NOVA_CONF: {DEFAULT: {force_config_drive: true}}
    """


def test_two_knobs_writing_one_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ironic=on with config_drive=off would set force_config_drive twice
    assert rendered_problems(tmp_path, monkeypatch, SHARED) == [
        "cat.yaml:15:34: knob 'ironic' value 'on': option $NOVA_CONF [DEFAULT] "
        "force_config_drive is also written by knob 'config_drive' value 'off' (as 'false', "
        "here 'true'), and a job can have both; a value sets only its own knob's options: "
        "move the setting to one knob, or forbid the combination with a constraint\n"
        "              $NOVA_CONF: {DEFAULT: {force_config_drive: true}}"
    ]


def test_two_knobs_writing_one_option_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a constraint keeps the different values apart; equal values never conflict
    apart = "    constraints:\n      - if: {ironic: 'on'}\n        then: {config_drive: 'on'}\n"
    _loads(tmp_path, monkeypatch, SHARED.rstrip(" ") + apart)
