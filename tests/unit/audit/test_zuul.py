"""Zuul config reading, inheritance and per-host variable squashing (audit.zuul_*)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.audit.zuul_files import (
    Opaque,
    ZuulConfig,
    config_files,
    deep_merge,
    load_zuul,
)
from generator.audit.zuul_resolve import branch_matches, resolve_job
from generator.errors import KnobFileError
from tests.paths import FIXTURES

FIXTURES = FIXTURES / "zuul"
NOVA_REPOS = ["nova", "devstack", "tempest", "devstack-plugin-ceph", "whitebox-tempest-plugin"]


@pytest.fixture(scope="module")
def nova() -> ZuulConfig:
    return load_zuul([FIXTURES / name for name in [*NOVA_REPOS, "ironic"]])


def write(tmp_path: Path, text: str, name: str = ".zuul.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return tmp_path


def test_real_fixtures_parse(nova: ZuulConfig) -> None:
    assert len(nova.files) == 13
    assert len(nova.defined_in(0)) == 21
    assert "openstack-two-node-noble" in nova.nodesets
    assert "integrated-gate-compute" in nova.templates


def test_hidden_config_file_is_found() -> None:
    assert config_files(FIXTURES / "nova") == [FIXTURES / "nova" / ".zuul.yaml"]
    names = [p.name for p in config_files(FIXTURES / "tempest")]
    assert names == [
        "base.yaml",
        "integrated-gate.yaml",
        "project.yaml",
        "stable-jobs.yaml",
        "tempest-specific.yaml",
    ]


def test_nova_lvm_known_facts(nova: ZuulConfig) -> None:
    job = resolve_job(nova, "nova-lvm")
    assert job.chain == (
        "devstack-base",
        "devstack-minimal",
        "devstack",
        "devstack-tempest",
        "nova-lvm",
    )
    assert job.external == "openstack-multinode-fips"
    assert not job.abstract
    assert job.nodeset.name == "openstack-single-node-noble"
    host = job.host("controller")
    assert host["devstack_localrc"]["NOVA_BACKEND"] == "LVM"
    # devstack-base's template evaluated with the default, as Ansible would.
    assert host["devstack_localrc"]["LIBVIRT_TYPE"] == "qemu"
    tempest = host["devstack_local_conf"]["test-config"]["$TEMPEST_CONFIG"]
    assert tempest["compute-feature-enabled"] == {"resize": False, "cold_migration": False}
    # any other template stays opaque
    assert isinstance(tempest["compute"]["min_compute_nodes"], Opaque)


def test_nova_next_subnode_gets_group_vars(nova: ZuulConfig) -> None:
    job = resolve_job(nova, "nova-next")
    assert job.nodeset.name == "openstack-two-node-noble"
    assert job.compute_hosts == ("controller", "compute1")
    assert job.tempest_host == "controller"
    sub = job.host("compute1")
    assert sub["devstack_localrc"]["LIBVIRT_TYPE"] == "qemu"
    assert sub["devstack_localrc"]["Q_AGENT"] == "openvswitch"
    cpu_conf = sub["devstack_local_conf"]["post-config"]["$NOVA_CPU_CONF"]
    assert cpu_conf["libvirt"]["hw_machine_type"] == "x86_64=q35"


def test_whitebox_sets_kvm(nova: ZuulConfig) -> None:
    job = resolve_job(nova, "nova-whitebox")
    assert job.chain[-3:] == (
        "whitebox-devstack-multinode-base",
        "whitebox-devstack-multinode",
        "nova-whitebox",
    )
    for _, variables in job.hosts:
        assert variables["devstack_localrc"]["LIBVIRT_TYPE"] == "kvm"


def test_abstract_job_is_flagged(nova: ZuulConfig) -> None:
    assert resolve_job(nova, "devstack-base").abstract
    assert not resolve_job(nova, "devstack-minimal").abstract


def test_negated_branch_matcher() -> None:
    spec = {"regex": "^.*/(victoria|wallaby)$", "negate": True}
    assert branch_matches(spec, "master")
    assert not branch_matches(spec, "stable/wallaby")
    assert branch_matches(["stable/2024.1", "master"], "master")
    assert not branch_matches("^stable/.*$", "master")
    assert branch_matches(None, "anything")


def test_project_jobs_include_templates(nova: ZuulConfig) -> None:
    names, project_vars = nova.project_jobs(0)
    assert "nova-lvm" in names
    assert "tempest-integrated-compute" in names  # via integrated-gate-compute
    assert "devstack-plugin-ceph-compute-local-ephemeral" in names  # experimental
    assert project_vars == {}


def test_anchors_and_merge_keys(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
- job:
    name: a
    vars:
      base: &common {X: 1, Y: 2}
      merged:
        <<: *common
        Y: 3
""",
    )
    job = resolve_job(load_zuul([tmp_path]), "a")
    assert job.host("controller")["merged"] == {"X": 1, "Y": 3}


def test_deep_merge_and_override(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
- job:
    name: parent
    vars:
      d: {a: 1, nested: {x: 1, y: 2}}
      keep: {k: 1}
- job:
    name: child
    parent: parent
    vars:
      d: {b: 2, nested: {y: 3}}
      keep: !override {z: 9}
- job:
    name: child
    vars:
      d: {c: 3}
""",
    )
    host = resolve_job(load_zuul([tmp_path]), "child").host("controller")
    assert host["d"] == {"a": 1, "b": 2, "c": 3, "nested": {"x": 1, "y": 3}}
    assert host["keep"] == {"z": 9}


def test_deep_merge_replaces_non_dicts() -> None:
    assert deep_merge({"a": [1], "b": {"c": 1}}, {"a": [2], "b": 5}) == {"a": [2], "b": 5}


def test_branch_variants_are_filtered(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
- job:
    name: j
    vars: {v: master}
- job:
    name: j
    branches: ^stable/.*$
    vars: {v: stable}
""",
    )
    config = load_zuul([tmp_path])
    assert resolve_job(config, "j").host("controller")["v"] == "master"
    assert resolve_job(config, "j", branch="stable/2024.1").host("controller")["v"] == "stable"


def test_host_squashing_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
- nodeset:
    name: two
    nodes:
      - {name: controller, label: x}
      - {name: compute1, label: x}
    groups:
      - {name: subnode, nodes: [compute1]}
      - {name: peers, nodes: [compute1]}
- job:
    name: j
    nodeset: two
    vars: {a: job, b: job, c: job, d: job}
    group-vars:
      subnode: {a: subnode, b: subnode}
      peers: {a: peers, c: peers}
    host-vars:
      compute1: {b: host}
    extra-vars: {d: extra}
""",
    )
    job = resolve_job(load_zuul([tmp_path]), "j")
    # groups in NAME order: peers first, then subnode wins; host-vars; extra-vars last.
    assert job.host("compute1") == {"a": "subnode", "b": "host", "c": "peers", "d": "extra"}
    assert job.host("controller") == {"a": "job", "b": "job", "c": "job", "d": "extra"}


def test_group_vars_are_shallow_per_host(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
- job:
    name: j
    nodeset:
      nodes: [{name: controller, label: x}, {name: compute1, label: x}]
      groups: [{name: subnode, nodes: [compute1]}]
    vars:
      devstack_localrc: {A: 1, B: 2}
    group-vars:
      subnode:
        devstack_localrc: {A: 9}
""",
    )
    job = resolve_job(load_zuul([tmp_path]), "j")
    assert job.host("compute1")["devstack_localrc"] == {"A": 9}
    assert job.host("controller")["devstack_localrc"] == {"A": 1, "B": 2}


@pytest.mark.parametrize(
    ("template", "variables", "expected"),
    [
        ('{{ t | default("qemu") }}', {}, "qemu"),
        ('{{ t | default("qemu") }}', {"t": "kvm"}, "kvm"),
        ("{{ n | default(3) }}", {}, 3),
        ("{{ t }}", {"t": "x"}, "x"),
    ],
)
def test_jinja_default(
    tmp_path: Path, template: str, variables: dict[str, Any], expected: object
) -> None:
    extra = "".join(f"      {k}: {v}\n" for k, v in variables.items())
    write(tmp_path, f"- job:\n    name: j\n    vars:\n      r: '{template}'\n{extra}")
    assert resolve_job(load_zuul([tmp_path]), "j").host("controller")["r"] == expected


def test_unset_template_without_default_is_opaque(tmp_path: Path) -> None:
    write(tmp_path, "- job:\n    name: j\n    vars:\n      r: '{{ missing }}'\n")
    value = resolve_job(load_zuul([tmp_path]), "j").host("controller")["r"]
    assert isinstance(value, Opaque)


def test_external_parent_is_named(nova: ZuulConfig) -> None:
    job = resolve_job(nova, "nova-grenade-multinode")
    assert job.chain == ("nova-grenade-multinode",)
    assert job.external == "grenade-multinode"


def test_parent_cycle() -> None:
    config = load_zuul([FIXTURES / "bad" / "cycle"])
    with pytest.raises(KnobFileError) as info:
        resolve_job(config, "job-a")
    assert str(info.value) == (
        f"{FIXTURES}/bad/cycle/.zuul.yaml:2: parent cycle: job-a -> job-b -> job-c -> job-a"
    )


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (
            "malformed",
            ".zuul.yaml:3:20: YAML syntax error: while parsing a flow sequence: expected ',' or "
            "']', but got '}'\n        vars: {a: [1, 2}",
        ),
        (
            "duplicate",
            ".zuul.yaml:7:9: duplicate key 'NOVA_BACKEND' (first defined at line 6)\n"
            "            NOVA_BACKEND: LVM",
        ),
        ("notlist", ".zuul.yaml:1:1: a Zuul config file must be a list of stanzas"),
    ],
)
def test_bad_files(scenario: str, message: str) -> None:
    with pytest.raises(KnobFileError) as info:
        load_zuul([FIXTURES / "bad" / scenario])
    assert str(info.value) == f"{FIXTURES}/bad/{scenario}/{message}"


def test_stanza_shape_errors(tmp_path: Path) -> None:
    write(tmp_path, "- job: {parent: x}\n- widget: {name: y}\n- [1]\n")
    with pytest.raises(KnobFileError) as info:
        load_zuul([tmp_path])
    lines = str(info.value).splitlines()
    assert lines[0].endswith(":1:3: job without a name")
    assert "unknown stanza 'widget'" in lines[1]
    assert lines[2].endswith("each stanza must be a mapping with one key")
    assert lines[3] == "3 errors"


def test_missing_path_and_empty_dir(tmp_path: Path) -> None:
    with pytest.raises(KnobFileError, match="no such file or directory"):
        load_zuul([tmp_path / "nope"])
    with pytest.raises(KnobFileError, match="no Zuul configuration here"):
        load_zuul([tmp_path])


def test_unknown_nodeset_falls_back_to_one_node(tmp_path: Path) -> None:
    write(tmp_path, "- job:\n    name: j\n    nodeset: elsewhere\n")
    job = resolve_job(load_zuul([tmp_path]), "j")
    assert job.nodeset.name == "elsewhere"
    assert not job.nodeset_known
    assert job.compute_hosts == ("controller",)


def test_tags_secrets_lists_and_whole_vars_override(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
- secret:
    name: s
    data:
      password: !encrypted/pkcs1-oaep [abc]
- job:
    name: parent
    vars: {a: 1, b: {c: 2}, l: [1]}
- job:
    name: child
    parent: parent
    vars: !override
      l: !override [2]
      b: !inherit {d: 3}
      n: !override plain
""",
    )
    host = resolve_job(load_zuul([tmp_path]), "child").host("controller")
    assert host == {"l": [2], "b": {"d": 3}, "n": "plain"}


def test_single_file_path_and_project_vars(tmp_path: Path) -> None:
    path = (
        write(
            tmp_path,
            """
- project-template:
    name: t
    check: {jobs: [from-template]}
- project:
    templates: [t]
    vars: {pv: project, both: project}
    gate:
      jobs:
        - j: {voting: false}
- job:
    name: j
    vars: {both: job}
""",
            "config.yaml",
        )
        / "config.yaml"
    )
    config = load_zuul([path])
    names, project_vars = config.project_jobs(0)
    assert names == ("j", "from-template")
    assert resolve_job(config, "j", project_vars=project_vars).host("controller") == {
        "pv": "project",
        "both": "job",
    }


def test_nodeset_alternatives_group_all_and_node_name_lists(tmp_path: Path) -> None:
    write(
        tmp_path,
        """
- nodeset:
    name: pair
    nodes:
      - {name: [controller, other], label: x}
    groups:
      - {name: compute, nodes: [controller, other]}
- job:
    name: j
    nodeset: {alternatives: [pair]}
    vars: {a: job}
    group-vars:
      all: {a: all}
""",
    )
    job = resolve_job(load_zuul([tmp_path]), "j")
    assert job.nodeset.hosts == ("controller", "other")
    assert job.compute_hosts == ("controller", "other")
    assert job.host("other") == {"a": "all"}
    with pytest.raises(KeyError):
        job.host("missing")
    with pytest.raises(KeyError):
        resolve_job(load_zuul([tmp_path]), "missing")


def test_template_bound_to_another_template_is_opaque(tmp_path: Path) -> None:
    write(
        tmp_path,
        "- job:\n    name: j\n    vars:\n      a: '{{ b }}'\n      b: '{{ c | length }}'\n"
        "      d: '{{ e | default(unparsable: [) }}'\n",
    )
    host = resolve_job(load_zuul([tmp_path]), "j").host("controller")
    assert isinstance(host["a"], Opaque)
    assert isinstance(host["b"], Opaque)
    assert isinstance(host["d"], Opaque)


def test_empty_file_and_body_errors(tmp_path: Path) -> None:
    write(tmp_path, "", "zuul.yaml")
    assert load_zuul([tmp_path]).jobs == {}
    write(tmp_path, "- job: plain\n- job:\n    name: j\n    vars: [1]\n", "zuul.yaml")
    with pytest.raises(KnobFileError) as info:
        load_zuul([tmp_path])
    assert str(info.value) == (
        f"{tmp_path}/zuul.yaml:1:3: the job stanza must be a mapping\n"
        f"{tmp_path}/zuul.yaml:4:11: job j: vars must be a mapping, got a list\n2 errors"
    )


def test_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / ".zuul.yaml").write_bytes(b"- job: {name: \xff}\n")
    with pytest.raises(KnobFileError, match=r"\.zuul\.yaml:1:15: not valid UTF-8 \(byte 0xff\)"):
        load_zuul([tmp_path])
