"""Zuul emitter: golden file, devstack variable shape, subnode rule, conflicts, options."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.emit import EmitError, check_catalog_options, is_multinode, merge_settings
from generator.emit.zuul import most_covering, render_zuul
from generator.loader import load_dir
from generator.matrix import Job, Matrix
from generator.model import Catalog, Knob, KnobValue, Location, Settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "emit" / "knobs"
GOLDEN = Path(__file__).parent.parent / "golden"


def mini() -> Catalog:
    (catalog,) = load_dir(FIXTURES)
    return catalog


MATRIX = Matrix(
    "mini",
    "nova-mini",
    2,
    0,
    "sha256:0123",
    (
        Job(
            "nova-mini-tm-01",
            (
                ("virt_type", "qemu"),
                ("images_type", "lvm"),
                ("barbican", "on"),
                ("cpu_models", "nehalem"),
            ),
        ),
        Job(
            "nova-mini-tm-02",
            (
                ("virt_type", "kvm"),
                ("images_type", "default"),
                ("barbican", "off"),
                ("cpu_models", None),
            ),
        ),
        Job(
            "nova-mini-tm-03",
            (
                ("virt_type", "qemu"),
                ("images_type", "default"),
                ("barbican", "off"),
                ("cpu_models", "host-model"),
            ),
        ),
    ),
    4,
)
COMMAND = "tempest-matrix generate --driver mini"


def check_golden(name: str, text: str, update: bool) -> None:
    """Compare with ``tests/golden/<name>``; rewrite it under ``--update-golden``."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path} differs; review the change, then run pytest --update-golden"
    )


def render(check_jobs: int | None = 2) -> str:
    return render_zuul(
        mini(), MATRIX, command=COMMAND, matrix_path="matrix/mini.yaml", check_jobs=check_jobs
    )


def test_golden(update_golden: bool) -> None:
    check_golden("zuul/nova-mini.yaml", render(), update_golden)


def _stanzas(text: str) -> list[dict[str, Any]]:
    data = yaml.safe_load(text)
    assert isinstance(data, list)
    assert all(isinstance(item, dict) and len(item) == 1 for item in data)
    return data


def _jobs(text: str) -> dict[str, dict[str, Any]]:
    return {s["job"]["name"]: s["job"] for s in _stanzas(text) if "job" in s}


def test_every_knob_written_explicitly() -> None:
    jobs = _jobs(render())
    first = jobs["nova-mini-tm-01"]
    assert first["parent"] == "devstack-tempest"
    assert first["nodeset"] == "openstack-single-node-noble"
    variables = first["vars"]
    assert variables["devstack_localrc"] == {"LIBVIRT_TYPE": "qemu", "NOVA_BACKEND": "LVM"}
    assert variables["devstack_services"] == {"barbican": True}
    assert variables["devstack_plugins"] == {"barbican": "https://opendev.org/openstack/barbican"}
    assert variables["tempest_plugins"] == ["barbican-tempest-plugin"]
    post = variables["devstack_local_conf"]["post-config"]
    assert post["$NOVA_CPU_CONF"]["libvirt"] == {
        "virt_type": "qemu",
        "images_type": "lvm",
        "cpu_mode": "custom",
        "cpu_models": "Nehalem,Westmere",
    }
    assert post["$NOVA_CONF"] == {"ephemeral_storage_encryption": {"enabled": True}}
    tempest = variables["devstack_local_conf"]["test-config"]["$TEMPEST_CONFIG"]
    assert tempest == {
        "compute-feature-enabled": {"resize": False, "cold_migration": False},
        "ephemeral_storage_encryption": {"enabled": True},
    }
    # Defaults are written too: job 3 is all defaults but still sets everything.
    third = jobs["nova-mini-tm-03"]["vars"]
    assert third["devstack_services"] == {"barbican": False}
    assert third["devstack_local_conf"]["post-config"]["$NOVA_CPU_CONF"]["libvirt"] == {
        "virt_type": "qemu",
        "images_type": "default",
        "cpu_mode": "host-model",
    }
    assert "group-vars" not in third
    assert (
        "virt_type=qemu\nimages_type=default\nbarbican=off\ncpu_models=host-model"
        in (jobs["nova-mini-tm-03"]["description"])
    )


def test_multinode_repeats_localrc_and_services_for_subnode() -> None:
    job = _jobs(render())["nova-mini-tm-02"]
    assert job["nodeset"] == "nested-virt-multinode"
    assert job["group-vars"] == {
        "subnode": {
            "devstack_localrc": {"LIBVIRT_TYPE": "kvm"},
            "devstack_services": {"barbican": False},
        }
    }
    assert "cpu_models" not in job["description"]  # not applicable under kvm


def test_project_stanza() -> None:
    (project,) = [s["project"] for s in _stanzas(render(check_jobs=2)) if "project" in s]
    assert project == {
        # tm-03 sets four applicable values (six pairs), tm-02 only three.
        "check": {
            "jobs": [{"nova-mini-tm-01": {"voting": False}}, {"nova-mini-tm-03": {"voting": False}}]
        },
        "periodic-weekly": {"jobs": ["nova-mini-tm-02"]},
    }
    (project,) = [s["project"] for s in _stanzas(render(check_jobs=None)) if "project" in s]
    assert project == {
        "periodic-weekly": {"jobs": ["nova-mini-tm-01", "nova-mini-tm-02", "nova-mini-tm-03"]}
    }
    (project,) = [s["project"] for s in _stanzas(render(check_jobs=9)) if "project" in s]
    assert list(project) == ["check"]


def test_row_comments_and_header() -> None:
    text = render()
    assert text.startswith(
        "# Generated by tempest-matrix 0.1.0 from matrix/mini.yaml; do not edit by hand.\n"
        "# Strength 2, seed 0, catalog sha256:0123.\n"
        f"# Regenerate with: {COMMAND}\n"
    )
    assert "\n# matrix/mini.yaml row 2: nova-mini-tm-02\n- job:\n" in text


def _value(name: str, settings: Settings, line: int) -> KnobValue:
    return KnobValue(name, settings=settings, location=Location("k.yaml", line))


def _catalog(*knobs: Knob) -> Catalog:
    return Catalog("c", "nova-c", knobs)


def test_conflicting_localrc_names_both_knobs() -> None:
    catalog = _catalog(
        Knob("a", (_value("x", Settings(localrc=(("NOVA_BACKEND", "LVM"),)), 3),)),
        Knob("b", (_value("y", Settings(localrc=(("NOVA_BACKEND", "RBD"),)), 7),)),
    )
    job = Job("nova-c-tm-01", (("a", "x"), ("b", "y")))
    with pytest.raises(EmitError) as info:
        merge_settings(catalog, job)
    assert str(info.value) == (
        "job nova-c-tm-01: devstack_localrc NOVA_BACKEND is set to 'LVM' by knob "
        "a=x (k.yaml:3) and to 'RBD' by knob b=y (k.yaml:7); change one of the two knob "
        "values or forbid the combination with a constraint"
    )
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("first", "second", "fragment"),
    [
        (
            Settings(tempest=(("compute-feature-enabled", "resize", True),)),
            Settings(tempest=(("compute-feature-enabled", "resize", False),)),
            "tempest option [compute-feature-enabled] resize is set to True by knob a=x",
        ),
        (
            Settings(post_config=(("$NOVA_CONF", "libvirt", "x", "1"),)),
            Settings(post_config=(("$NOVA_CONF", "libvirt", "x", "2"),)),
            "post-config $NOVA_CONF [libvirt] x is set to '1' by knob a=x",
        ),
        (
            Settings(services=(("c-vol", True),)),
            Settings(services=(("c-vol", False),)),
            "devstack_services c-vol is set to True",
        ),
        (
            Settings(nodeset="openstack-two-node-noble"),
            Settings(nodeset="nested-virt-multinode"),
            "knob a=x (k.yaml:3) needs nodeset openstack-two-node-noble but knob b=y (k.yaml:7) "
            "needs nodeset nested-virt-multinode; declare a nodeset serving both under "
            "'nodeset_combinations' or forbid the combination with a constraint",
        ),
    ],
)
def test_conflicts(first: Settings, second: Settings, fragment: str) -> None:
    catalog = _catalog(Knob("a", (_value("x", first, 3),)), Knob("b", (_value("y", second, 7),)))
    with pytest.raises(EmitError, match=r"^job nova-c-tm-01: ") as info:
        merge_settings(catalog, Job("nova-c-tm-01", (("a", "x"), ("b", "y"))))
    assert fragment in str(info.value)


def test_same_value_from_two_knobs_is_fine() -> None:
    same = Settings(localrc=(("X", "1"),), nodeset="openstack-two-node-noble")
    catalog = _catalog(Knob("a", (_value("x", same, 3),)), Knob("b", (_value("y", same, 7),)))
    merged = merge_settings(catalog, Job("j", (("a", "x"), ("b", "y"))))
    assert merged.localrc == (("X", "1"),)
    assert merged.multinode


def test_nodeset_names() -> None:
    assert is_multinode("openstack-two-node-noble")
    assert is_multinode("nested-virt-multinode")
    assert not is_multinode("openstack-single-node-noble")


def test_unknown_options_are_rejected() -> None:
    catalog = _catalog(
        Knob(
            "a",
            (
                _value(
                    "x",
                    Settings(
                        tempest=(("compute-feature-enabled", "no_such_flag", True),),
                        post_config=(
                            ("$NOVA_CPU_CONF", "libvirt", "images_type", "nonsense"),
                            ("$NOVA_CONF", "mdev_nvidia-35", "device_addresses", "x"),
                            ("$NEUTRON_CONF", "whatever", "thing", "1"),
                        ),
                    ),
                    3,
                ),
            ),
        )
    )
    with pytest.raises(EmitError) as info:
        check_catalog_options(catalog)
    lines = str(info.value).splitlines()
    assert lines[0] == "c: 2 options the Tempest/Nova option data does not accept:"
    assert lines[1].startswith(
        "  a=x (k.yaml:3): tempest.conf [compute-feature-enabled] no_such_flag: "
    )
    assert lines[2].startswith("  a=x (k.yaml:3): $NOVA_CPU_CONF [libvirt] images_type: ")
    assert len(lines) == 3


def test_shipped_style_options_pass() -> None:
    check_catalog_options(mini())


def test_check_jobs_are_the_ones_that_cover_most() -> None:
    """The jobs put in check are picked by coverage, not by their position."""
    poor = Job("r-tm-01", (("a", "x"), ("b", "x"), ("c", "x")))
    rich = Job("r-tm-02", (("a", "y"), ("b", "y"), ("c", "y")))
    overlap = Job("r-tm-03", (("a", "x"), ("b", "x"), ("c", "y")))
    matrix = Matrix("r", "r", 2, 0, "sha256:0", (poor, overlap, rich), 4)
    # tm-01 and tm-03 share the pair a=x,b=x; tm-02 shares nothing with either.
    assert most_covering(matrix, 1) == ("r-tm-01",)
    assert most_covering(matrix, 2) == ("r-tm-01", "r-tm-02")
    assert most_covering(matrix, 5) == ("r-tm-01", "r-tm-02", "r-tm-03")


def test_nodeset_combination_serves_both_requests() -> None:
    nested = Settings(nodeset="nested-virt-ubuntu-noble")
    two = Settings(nodeset="openstack-two-node-noble")
    base = _catalog(Knob("a", (_value("x", nested, 3),)), Knob("b", (_value("y", two, 7),)))
    catalog = dataclasses.replace(
        base,
        nodeset_combinations=(
            (("nested-virt-ubuntu-noble", "openstack-two-node-noble"), "nested-virt-multinode"),
        ),
    )
    merged = merge_settings(catalog, Job("j", (("a", "x"), ("b", "y"))))
    assert merged.nodeset == "nested-virt-multinode"
    assert merged.multinode
    alone = merge_settings(catalog, Job("j", (("a", "x"),)))
    assert alone.nodeset == "nested-virt-ubuntu-noble"
