"""Loader: golden error messages for bad catalogs, includes, and the shipped catalog."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.catalog.loader import load_dir, load_file
from generator.errors import KnobFileError
from generator.model import Constraint, Location, Pin, Settings, StrengthGroup
from tests.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "bad_knobs"


def test_every_problem_of_a_file_is_reported_with_its_stanza(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cat.yaml").write_text(
        "knobs:\n"
        "  a: [on, x]\n"
        "  b:\n"
        "    default: q\n"
        "    values: [p]\n"
        "constraints:\n"
        "  - forbid: {a: x, c: p}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnobFileError) as info:
        load_file("cat.yaml")
    assert str(info.value) == (
        "cat.yaml:2:7: knob 'a': value on was read as a boolean; quote it: 'on'\n"
        "      a: [on, x]\n"
        "cat.yaml:4:14: knob 'b': default 'q' is not one of its values [p]\n"
        "        default: q\n"
        "cat.yaml:7:20: unknown knob 'c' in constraint\n"
        "      - forbid: {a: x, c: p}\n"
        "3 errors"
    )


def test_include_cycle() -> None:
    with pytest.raises(KnobFileError) as info:
        load_file(FIXTURES / "include_cycle" / "cycle.yaml")
    base = FIXTURES / "include_cycle"
    [problem] = info.value.problems
    assert problem.path == str(base / "_second.yaml")
    assert (problem.line, problem.column) == (1, 11)
    assert problem.message == (
        f"include cycle: {base / '_first.yaml'} -> {base / '_second.yaml'} -> "
        f"{base / '_first.yaml'}"
    )


def test_include_missing() -> None:
    base = FIXTURES / "include_missing"
    with pytest.raises(KnobFileError) as info:
        load_file(base / "missing.yaml")
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (3, 5)
    assert problem.message == (
        f"included file '_absent.yaml' not found (looked for {base / '_absent.yaml'})"
    )


def test_duplicate_knob_across_include() -> None:
    base = FIXTURES / "duplicate_across_include"
    with pytest.raises(KnobFileError) as info:
        load_file(base / "dup.yaml")
    [problem] = info.value.problems
    assert problem.path == str(base / "_shared.yaml")
    assert problem.message == f"knob 'backend' is already declared at {base / 'dup.yaml'}:4:3"


def test_load_dir_collects_problems_of_all_files(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text("knobs:\n  a: []\n", encoding="utf-8")
    (tmp_path / "two.yaml").write_text("knobs:\n  b: [x, x]\n", encoding="utf-8")
    with pytest.raises(KnobFileError) as info:
        load_dir(tmp_path)
    assert [(Path(p.path).name, p.message) for p in info.value.problems] == [
        ("one.yaml", "knob 'a' has no values; list at least one"),
        ("two.yaml", "knob 'b': duplicate value 'x' (first declared at line 2)"),
    ]


def test_load_dir_needs_catalog_files(tmp_path: Path) -> None:
    (tmp_path / "_only_shared.yaml").write_text("knobs:\n  a: [x]\n", encoding="utf-8")
    with pytest.raises(KnobFileError, match=r"no catalog files"):
        load_dir(tmp_path)
    with pytest.raises(KnobFileError, match=r"not a directory"):
        load_dir(tmp_path / "absent")


def test_good_dir_loads_drivers_sorted_with_includes_and_bare_models() -> None:
    base = FIXTURES / "good_dir"
    alpha, beta = load_dir(base)
    assert (alpha.driver, alpha.repo, beta.driver, beta.repo) == (
        "alpha",
        "repo-alpha",
        "beta",
        "beta",
    )
    assert alpha.inputs == (str(base / "alpha.yaml"), str(base / "_shared.yaml"))
    assert alpha.knob_names == ("mode", "backend")
    assert alpha.knob("mode").source == str(base / "alpha.yaml")
    backend = alpha.knob("backend")
    assert backend.source == str(base / "_shared.yaml")
    assert backend.default == "ovn"
    assert backend.value("ovs").settings == Settings(
        localrc=(("Q_AGENT", "openvswitch"),),
        tempest=(("compute-feature-enabled", "live_migration", True),),
    )
    assert backend.location == Location(str(base / "_shared.yaml"), 2, 3)
    assert (alpha.parent, alpha.nodeset, alpha.strength) == (
        "devstack-tempest",
        "openstack-single-node-noble",
        2,
    )
    assert beta.constraints == (
        Constraint(
            "if",
            (("browser", ("safari",)),),
            (("os", ("mac",)),),
            location=Location(str(base / "beta.yaml"), 6, 5),
        ),
    )


def test_pins_groups_when_and_merge_keys(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            driver: m
            strength: 3
            parent: tempest-multinode-full-py3
            knobs:
              a: &ab [x, y]
              b: *ab
              c:
                when: {a: [x]}
                values: [p, q]
            pinned:
              - {a: x, c: q}
              - values: {b: y}
                description: the y job
            strength_groups:
              - {knobs: [a, b, c], strength: 3}
            """
        ),
        encoding="utf-8",
    )
    catalog = load_file(path)
    assert catalog.strength == 3
    assert catalog.parent == "tempest-multinode-full-py3"
    assert catalog.knob("b").value_names == ("x", "y")
    assert catalog.knob("c").when == (("a", ("x",)),)
    assert catalog.pinned == (
        Pin((("a", "x"), ("c", "q")), "", Location(str(path), 11, 5)),
        Pin((("b", "y"),), "the y job", Location(str(path), 12, 5)),
    )
    assert catalog.groups == (StrengthGroup(("a", "b", "c"), 3, Location(str(path), 15, 5)),)


def test_jinja_setting_values_are_opaque(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(
        "knobs:\n  a:\n    - x:\n        tempest:\n"
        "          compute: {min_compute_nodes: \"{{ groups['compute'] | length }}\"}\n",
        encoding="utf-8",
    )
    assert load_file(path).knob("a").value("x").settings.tempest == (
        ("compute", "min_compute_nodes", "{{ groups['compute'] | length }}"),
    )


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(KnobFileError) as info:
        load_file(tmp_path / "absent.yaml")
    assert info.value.problems[0].message.startswith("cannot read the file: ")


def test_shipped_catalog_loads_with_the_agreed_drivers() -> None:
    catalogs = {c.driver: c for c in load_dir(ROOT / "knobs")}
    assert list(catalogs) == ["ironic", "libvirt", "vmware", "zvm"]
    assert {d: c.repo for d, c in catalogs.items()} == {
        "ironic": "nova-ironic",
        "libvirt": "nova-libvirt",
        "vmware": "nova-vmware",
        "zvm": "nova-zvm",
    }
    libvirt = catalogs["libvirt"]
    own = [k for k in libvirt.knobs if k.source.endswith("libvirt.yaml")]
    assert len(own) >= 12
    unique = {(k.source, k.name) for c in catalogs.values() for k in c.knobs}
    assert len(unique) >= 60
    assert libvirt.knob("virt_type").value_names == ("qemu", "kvm")
    for catalog in catalogs.values():
        for knob in catalog.knobs:
            assert knob.default in knob.value_names, (catalog.driver, knob.name)
    lvm = libvirt.knob("images_type").value("lvm").settings
    assert ("NOVA_BACKEND", "LVM") in lvm.localrc
    assert ("$NOVA_CPU_CONF", "libvirt", "images_type", "lvm") in lvm.post_config
    assert ("compute-feature-enabled", "resize", False) in lvm.tempest
    assert ("compute-feature-enabled", "cold_migration", False) in lvm.tempest
    ovs = libvirt.knob("neutron_backend").value("ovs-openvswitch-firewall").settings
    assert ("Q_AGENT", "openvswitch") in ovs.localrc
    assert ("q-agt", True) in ovs.services
    assert libvirt.inputs[0].endswith("libvirt.yaml")


def test_recursive_and_exponential_aliases_fail_fast(tmp_path: Path) -> None:
    recursive = tmp_path / "rec.yaml"
    recursive.write_text("knobs: &k\n  a: *k\n", encoding="utf-8")
    with pytest.raises(KnobFileError) as info:
        load_file(recursive)
    assert [p.render() for p in info.value.problems] == [
        f"{recursive}:2:6: recursive YAML alias: *k is used inside the node it names\n      a: *k"
    ]
    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    laughs = tmp_path / "laughs.yaml"
    laughs.write_text("\n".join([*levels, "knobs:", "  x: *a8", ""]), encoding="utf-8")
    with pytest.raises(KnobFileError) as info:
        load_file(laughs)
    assert [(p.line, p.message) for p in info.value.problems] == [
        (7, "YAML aliases expand the document to more than 1,000,000 nodes")
    ]


def test_only_nova_files_are_checked_and_run_time_sections_too(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "knobs:\n"
        "  a:\n"
        "    - x:\n"
        "        post_config:\n"
        "          $NEUTRON_CONF:\n"
        "            anything: {goes: here}\n"
        "          $NOVA_CPU_CONF:\n"
        "            devices: {enabled_mdev_types: mtty-1}\n"
        "            mdev_mtty-1: {device_addresses: '0000:00:01.0'}\n"
        "            vgpu_nvidia-35: {device_addresses: '0000:84:00.0'}\n",
        encoding="utf-8",
    )
    settings = load_file(path).knob("a").value("x").settings
    assert settings.post_config == (
        ("$NEUTRON_CONF", "anything", "goes", "here"),
        ("$NOVA_CPU_CONF", "devices", "enabled_mdev_types", "mtty-1"),
        ("$NOVA_CPU_CONF", "mdev_mtty-1", "device_addresses", "0000:00:01.0"),
        ("$NOVA_CPU_CONF", "vgpu_nvidia-35", "device_addresses", "0000:84:00.0"),
    )
    path.write_text(
        "knobs:\n"
        "  a:\n"
        "    - x:\n"
        "        post_config:\n"
        "          $NOVA_CPU_CONF:\n"
        "            mdev_mtty-1: {mdev_class: mtty}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnobFileError) as info:
        load_file(path)
    assert [p.render() for p in info.value.problems] == [
        f"{path}:6:27: knob 'a' value 'x': $NOVA_CPU_CONF: [mdev_mtty-1] mdev_class: "
        "'mtty' does not match ^(VGPU|CUSTOM_[A-Z0-9_]+)$\n"
        "                mdev_mtty-1: {mdev_class: mtty}"
    ]


def test_non_string_knob_name_says_how_to_quote(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("knobs:\n  yes: [a]\n", encoding="utf-8")
    with pytest.raises(KnobFileError) as info:
        load_file(path)
    assert [p.message for p in info.value.problems] == [
        "knob name yes was read as a boolean; quote it: 'yes'"
    ]
