"""A split driver's own option data (``option_data``): the nova-lxd example catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.catalog.loader import load_dir, load_file
from generator.errors import KnobFileError
from tests.conftest import RunCli
from tests.paths import FIXTURES

LXD = FIXTURES / "split" / "nova-lxd"


@pytest.fixture
def lxd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the nova-lxd catalog; the working directory is its folder."""
    folder = tmp_path / "nova-lxd"
    shutil.copytree(LXD, folder)
    monkeypatch.chdir(folder)
    return folder


def _edit(old: str, new: str, path: str = "lxd.yaml") -> None:
    text = Path(path).read_text(encoding="utf-8")
    assert old in text, old
    Path(path).write_text(text.replace(old, new), encoding="utf-8")


def _problems() -> list[str]:
    with pytest.raises(KnobFileError) as info:
        load_file("lxd.yaml")
    return [problem.render() for problem in info.value.problems]


def test_the_example_loads_with_its_own_options() -> None:
    (catalog,) = load_dir(LXD)
    assert (catalog.driver, len(catalog.knobs)) == ("lxd", 6)
    zfs = catalog.knob("storage_pool").value("zfs").settings
    assert ("$NOVA_CPU_CONF", "lxd", "storage_driver", "zfs") in zfs.post_config


def test_the_driver_options_are_checked_like_nova_s(lxd: Path) -> None:
    _edit("lxd: {storage_driver: btrfs}", "lxd: {storage_drive: btrfs}")
    _edit("lxd: {timeout: 300}", "lxd: {timeout: soon}")
    _edit("lxd: {root_dir: /opt/stack/data/lxd}", "DEFAULT: {root_dir: /opt/stack/data/lxd}")
    # a wrong choice; the deprecated name 'pool' is still accepted
    _edit("lxd: {storage_driver: zfs, zfs_pool: nova}", "lxd: {storage_driver: ceph, pool: nova}")
    _edit("lxd_feature_enabled: {console_log: true}", "lxd_feature_enabled: {console_logs: true}")
    assert _problems() == [
        "lxd.yaml:39:21: knob 'storage_pool' value 'zfs': $NOVA_CPU_CONF: [lxd] "
        "storage_driver: 'ceph' is not one of [dir, zfs, btrfs, lvm]\n"
        "                  lxd: {storage_driver: ceph, pool: nova}",
        "lxd.yaml:43:21: knob 'storage_pool' value 'btrfs': $NOVA_CPU_CONF: unknown option "
        "'storage_drive' in [lxd] (did you mean 'storage_driver'?)\n"
        "                  lxd: {storage_drive: btrfs}",
        "lxd.yaml:57:25: knob 'root_dir' value 'opt': $NOVA_CPU_CONF: unknown option "
        "'root_dir' in [DEFAULT] (it is registered in [lxd])\n"
        "                  DEFAULT: {root_dir: /opt/stack/data/lxd}",
        "lxd.yaml:70:21: knob 'timeout' value '300': $NOVA_CPU_CONF: [lxd] timeout: "
        "expected an integer, got 'soon'\n"
        "                  lxd: {timeout: soon}",
        "lxd.yaml:102:35: knob 'console_log' value 'tested': tempest.conf: unknown option "
        "'console_logs' in [lxd_feature_enabled] (did you mean 'console_log'?)\n"
        "                lxd_feature_enabled: {console_logs: true}",
    ]


def test_without_its_option_data_the_driver_section_is_unknown(lxd: Path) -> None:
    text = Path("lxd.yaml").read_text(encoding="utf-8")
    start, end = text.index("option_data:"), text.index("knobs:")
    Path("lxd.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    found = _problems()
    assert found[0] == (
        "lxd.yaml:27:21: knob 'storage_pool' value 'dir': $NOVA_CPU_CONF: unknown nova "
        "section [lxd]; a split driver's own options are checked against its option data: "
        "name it under 'option_data' (knobs/README.md)\n"
        "                  lxd: {storage_driver: dir}"
    )
    assert found[-1] == (
        "lxd.yaml:94:35: knob 'console_log' value 'tested': tempest.conf: unknown tempest "
        "section [lxd_feature_enabled] (did you mean 'designate_feature_enabled'?)\n"
        "                lxd_feature_enabled: {console_log: true}"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  - path: optdata/nova-lxd.json\n",
            "  - path: ../nova-lxd.json\n",
            "lxd.yaml:9:5: option data '../nova-lxd.json' is outside the catalog's "
            "directory; keep it next to the catalog (or below it)\n"
            "      - path: ../nova-lxd.json",
        ),
        (
            "  - path: optdata/nova-lxd.json\n",
            "  - path: optdata/missing.json\n",
            "optdata/missing.json: cannot read the file: No such file or directory",
        ),
        (
            "    post_config: [$NOVA_CPU_CONF]\n",
            "    post_config: [NOVA_CPU_CONF]\n",
            "lxd.yaml:10:19: option data 'optdata/nova-lxd.json': post_config: write "
            "'$NOVA_CPU_CONF', not 'NOVA_CPU_CONF': without '$' devstack writes a file named "
            "NOVA_CPU_CONF in its working directory\n"
            "        post_config: [NOVA_CPU_CONF]",
        ),
        (
            "    post_config: [$NOVA_CPU_CONF]\n",
            "    post_config: [$NOVA_CPU_CONF]\n    tempest_plugin: x\n",
            "lxd.yaml:9:5: an option_data entry has either 'post_config' or 'tempest_plugin'\n"
            "      - path: optdata/nova-lxd.json",
        ),
        (
            "    tempest_plugin: nova-lxd-tempest-plugin\n",
            "    tempest_plugins: nova-lxd-tempest-plugin\n",
            "lxd.yaml:13:5: unknown key 'tempest_plugins' in an option_data entry (did you "
            "mean 'tempest_plugin'?); expected one of: path, post_config, tempest_plugin, "
            "description\n"
            "        tempest_plugins: nova-lxd-tempest-plugin",
        ),
    ],
)
def test_bad_option_data_entries(lxd: Path, old: str, new: str, message: str) -> None:
    _edit(old, new)
    assert _problems()[0] == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"options": ', "optdata/nova-lxd.json:1:13: not valid JSON: Expecting value"),
        (
            '{"groups": {}}',
            "lxd.yaml:9:5: option data 'optdata/nova-lxd.json': neither oslo-config-generator "
            "JSON (an 'options' object) nor tempest-matrix option data (a 'sections' object)\n"
            "      - path: optdata/nova-lxd.json",
        ),
        (
            '{"sections": {"lxd": [{"name": "timeout"}]}}',
            "lxd.yaml:9:5: option data 'optdata/nova-lxd.json': section [lxd] must list "
            "options with a 'name' and a 'type'\n"
            "      - path: optdata/nova-lxd.json",
        ),
    ],
)
def test_bad_option_data_files(lxd: Path, text: str, message: str) -> None:
    Path("optdata/nova-lxd.json").write_text(text, encoding="utf-8")
    assert _problems()[0] == message


def test_a_literal_path_with_option_data_covering_it(lxd: Path) -> None:
    _edit("    post_config: [$NOVA_CPU_CONF]\n", "    post_config: [/etc/nova/nova-lxd.conf]\n")
    found = _problems()
    # the driver's options are no longer nova-cpu.conf's ...
    assert found[0].startswith(
        "lxd.yaml:35:21: knob 'storage_pool' value 'dir': $NOVA_CPU_CONF: unknown nova "
        "section [lxd]"
    )
    # ... but the path is now a valid post_config key, checked against that data
    _edit("$NOVA_CPU_CONF:\n              lxd:", "/etc/nova/nova-lxd.conf:\n              lxd:")
    _edit("lxd: {timeout: 300}", "lxd: {timeout: -2}")
    assert _problems() == [
        "lxd.yaml:70:21: knob 'timeout' value '300': /etc/nova/nova-lxd.conf: [lxd] timeout: "
        "-2 is below the minimum -1\n"
        "                  lxd: {timeout: -2}"
    ]


def test_validate_and_generate_from_its_own_option_data(cli: RunCli, tmp_path: Path) -> None:
    assert cli("knobs", "validate", str(LXD)) == (0, "ok: 1 driver, 6 knobs\n", "")
    code, out, err = cli(
        "generate",
        "--catalog",
        str(LXD),
        "--matrix-dir",
        str(tmp_path / "matrix"),
        "--output-dir",
        str(tmp_path / "output"),
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "lxd: 6 knobs, 48 combinations, 8 jobs, 2-way coverage 100.0% (52/52 feasible "
        "tuples); churn: 0 kept, 0 changed, 8 added, 0 removed"
    )
    # the repo is the Zuul project openstack/nova-lxd: its files go to output/openstack/nova-lxd/
    zuul = tmp_path / "output" / "openstack" / "nova-lxd" / "zuul.d" / "tempest-matrix.yaml"
    text = zuul.read_text(encoding="utf-8")
    assert "storage_driver: zfs" in text
    assert "lxd_feature_enabled:" in text
    assert "- name: nova-lxd-tm-01\n" in text or "name: nova-lxd-tm-01\n" in text
    assert "    required-projects:\n      - openstack/nova-lxd\n" in text
    assert text.endswith(
        "- project:\n    name: openstack/nova-lxd\n    templates:\n"
        "      - nova-lxd-tempest-matrix\n"
    )


def test_its_tempest_plugin_s_flags_need_that_plugin(lxd: Path) -> None:
    _edit("          tempest_plugins: [nova-lxd-tempest-plugin]\n", "")
    assert _problems() == [
        "lxd.yaml:101:35: knob 'console_log' value 'tested': tempest.conf: "
        "[lxd_feature_enabled] console_log is registered by nova-lxd-tempest-plugin, which "
        "a job with console_log=tested need not install (nothing would read the option "
        "there); add 'tempest_plugins: [nova-lxd-tempest-plugin]' to knob 'console_log' "
        "value 'tested'\n"
        "                lxd_feature_enabled: {console_log: true}"
    ]
