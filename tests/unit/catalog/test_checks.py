"""Catalog-wide checks of what values write: golden messages (file, line, column, text)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.catalog.config_files import DEVSTACK_CONFIG_FILES, file_key_problem
from generator.catalog.loader import load_file
from generator.errors import KnobFileError


def problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """Load ``text`` as ``cat.yaml`` (in ``tmp_path``); every problem, rendered in full."""
    monkeypatch.chdir(tmp_path)
    Path("cat.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(KnobFileError) as info:
        load_file("cat.yaml")
    return [problem.render() for problem in info.value.problems]


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
    assert problems(tmp_path, monkeypatch, _post_config(key)) == [
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
    assert problems(tmp_path, monkeypatch, text) == [
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
