"""Loader: the golden message for each kind of bad catalog, one YAML text per case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.catalog.loader_problems import problems
from tests.unit.catalog.stanza_shapes import STANZA_SHAPES

# (YAML text, the problems it must produce: "line:col: message")
BAD_INPUTS: list[tuple[str, str, list[str]]] = [
    (
        "yaml-syntax",
        "knobs:\n  a: [x, y\n",
        [
            "3:1: YAML syntax error: while parsing a flow sequence: expected ',' or ']', "
            "but got '<stream end>'"
        ],
    ),
    (
        "duplicate-yaml-key",
        "knobs:\n  a: [x]\n  a: [y]\n",
        ["3:3: duplicate key 'a' (first defined at line 2)"],
    ),
    (
        "unknown-top-level-key",
        "driver: d\nknbos:\n  a: [x]\n",
        [
            "2:1: unknown key 'knbos' in a catalog file (did you mean 'knobs'?); expected one "
            "of: driver, repo, description, parent, nodeset, strength, include, knobs, "
            "constraints, pinned, strength_groups, nodeset_combinations, option_data, projects, "
            "baseline_tests, exclude_tests, nodesets, third_party, irrelevant_files, check_jobs",
            "1:1: missing key 'knobs': declare at least one knob",
        ],
    ),
    (
        "unknown-knob-key",
        "knobs:\n  a:\n    descripton: typo\n    values: [x]\n",
        [
            "3:5: unknown key 'descripton' in knob 'a' (did you mean 'description'?); expected "
            "one of: description, default, when, values"
        ],
    ),
    (
        "unknown-settings-key",
        "knobs:\n  a:\n    - x:\n        localcr: {A: 1}\n",
        [
            "4:9: unknown key 'localcr' in knob 'a' value 'x' (did you mean 'localrc'?); "
            "expected one of: description, localrc, services, plugins, tempest_plugins, "
            "post_config, tempest, nodeset, tests, exclude_tests, untested, pre_run, subnode"
        ],
    ),
    (
        "knob-without-values-list",
        "knobs:\n  a: []\n",
        ["2:3: knob 'a' has no values; list at least one"],
    ),
    ("knob-null", "knobs:\n  a:\n", ["2:3: knob 'a' has no values; list at least one"]),
    (
        "knob-mapping-without-values",
        "knobs:\n  a:\n    description: nothing\n",
        ["2:3: knob 'a' has no values; list at least one"],
    ),
    (
        "duplicate-value",
        "knobs:\n  a: [x, y, x]\n",
        ["2:13: knob 'a': duplicate value 'x' (first declared at line 2)"],
    ),
    (
        "unquoted-boolean-value",
        "knobs:\n  vif_multiqueue: [on, 'off']\n",
        ["2:20: knob 'vif_multiqueue': value on was read as a boolean; quote it: 'on'"],
    ),
    (
        "unquoted-number-value",
        "knobs:\n  version: [1.10, '1.2']\n",
        ["2:13: knob 'version': value 1.10 was read as a number; quote it: '1.10'"],
    ),
    (
        "unquoted-default",
        "knobs:\n  size:\n    default: 5\n    values: ['5', '6']\n",
        ["3:14: knob 'size': default 5 was read as a number; quote it: '5'"],
    ),
    (
        "unquoted-constraint-value",
        "knobs:\n  a: ['yes', 'no']\n  b: [x, y]\nconstraints:\n  - forbid: {a: yes, b: x}\n",
        ["5:17: knob 'a': value in constraint yes was read as a boolean; quote it: 'yes'"],
    ),
    (
        "default-not-a-value",
        "knobs:\n  a:\n    default: z\n    values: [x, y]\n",
        ["3:14: knob 'a': default 'z' is not one of its values [x, y]"],
    ),
    (
        "default-typo",
        "knobs:\n  images_type:\n    default: qcow\n    values: [qcow2, lvm]\n",
        [
            "3:14: knob 'images_type': default 'qcow' is not one of its values [qcow2, lvm] "
            "(did you mean 'qcow2'?)"
        ],
    ),
    (
        "constraint-unknown-value",
        "knobs:\n  images_type: [qcow2, lvm, rbd]\n  force_raw: ['yes', 'no']\n"
        "constraints:\n  - if: {images_type: rdb}\n    then: {force_raw: 'yes'}\n",
        [
            "5:23: knob 'images_type': value 'rdb' in constraint is not declared "
            "(did you mean 'rbd'?)"
        ],
    ),
    (
        "constraint-unknown-knob",
        "knobs:\n  images_type: [qcow2, lvm]\n  force_raw: ['yes', 'no']\n"
        "constraints:\n  - forbid: {image_type: lvm, force_raw: 'no'}\n",
        ["5:14: unknown knob 'image_type' in constraint (did you mean 'images_type'?)"],
    ),
    (
        "constraint-without-then",
        "knobs:\n  a: [x, y]\nconstraints:\n  - if: {a: x}\n",
        ["4:5: a constraint needs 'then'"],
    ),
    (
        "constraint-both-forms",
        "knobs:\n  a: [x, y]\nconstraints:\n  - forbid: {a: x}\n    if: {a: y}\n    then: {a: x}\n",
        ["4:5: a constraint has either 'forbid' or 'if' + 'then', not both"],
    ),
    (
        "constraint-forbids-every-value",
        "knobs:\n  a: [x, y]\n  b: [p, q]\nconstraints:\n  - forbid: {a: [x, y]}\n",
        [
            "5:5: constraint forbids every value of knob 'a': no job could be generated; "
            "narrow it or remove it"
        ],
    ),
    (
        "constraint-value-twice",
        "knobs:\n  a: [x, y]\n  b: [p, q]\nconstraints:\n  - forbid: {a: [x, x], b: p}\n",
        ["5:21: knob 'a': value 'x' is listed twice in constraint"],
    ),
    (
        "when-unknown-knob",
        "knobs:\n  a: [x, y]\n  b:\n    when: {c: x}\n    values: [p]\n",
        ["4:12: unknown knob 'c' in when of knob 'b'"],
    ),
    (
        "when-unknown-value",
        "knobs:\n  images_type: [qcow2, lvm]\n  vg:\n    when: {images_type: lmv}\n"
        "    values: [stack]\n",
        [
            "4:25: knob 'images_type': value 'lmv' in when of knob 'vg' is not declared "
            "(did you mean 'lvm'?)"
        ],
    ),
    (
        "when-self",
        "knobs:\n  a:\n    when: {a: x}\n    values: [x, y]\n",
        ["3:12: knob 'a': 'when' cannot name the knob itself"],
    ),
    (
        "when-cycle",
        "knobs:\n  a:\n    when: {b: p}\n    values: [x]\n  b:\n    when: {a: x}\n"
        "    values: [p]\n",
        ["2:3: 'when' conditions form a cycle: a -> b -> a"],
    ),
    (
        "pinned-unknown-value",
        "knobs:\n  a: [x, y]\npinned:\n  - {a: z}\n",
        ["4:9: knob 'a': value 'z' in pinned is not declared"],
    ),
    (
        "strength-groups-unknown-knob",
        "knobs:\n  alpha: [x, y]\n  beta: [p, q]\nstrength_groups:\n"
        "  - {knobs: [alpha, bet], strength: 2}\n",
        ["5:21: unknown knob 'bet' in strength_groups (did you mean 'beta'?)"],
    ),
    (
        "nodeset-combination-of-one",
        "knobs:\n  a: [x]\nnodeset_combinations:\n  - {nodesets: [n1], use: n2}\n",
        [
            "4:16: a nodeset combination needs 'nodesets': a list of two or more distinct "
            "nodeset names"
        ],
    ),
    (
        "nodeset-combination-without-use",
        "knobs:\n  a: [x]\nnodeset_combinations:\n  - {nodesets: [n1, n2], usage: n3}\n",
        [
            "4:26: unknown key 'usage' in a nodeset combination (did you mean 'use'?); "
            "expected one of: nodesets, use",
            "4:5: a nodeset combination needs 'use': a nodeset name",
        ],
    ),
    (
        "unsafe-driver",
        "driver: ../x\nknobs:\n  a: [x]\n",
        [
            "1:9: driver '../x' is not a safe name: use lowercase letters, digits, '.', '_' and "
            "'-', starting with a letter or digit (no '/' or '..')"
        ],
    ),
    (
        "unsafe-repo",
        "driver: d\nrepo: openstack/../libvirt\nknobs:\n  a: [x]\n",
        [
            "2:7: repo 'openstack/../libvirt' is not a name or a Zuul project 'org/name': each "
            "part lowercase letters, digits, '.', '_' and '-', starting with a letter or "
            "digit, at most 64 characters (no '..', and one '/' at most, between the two)"
        ],
    ),
    (
        "strength-out-of-range",
        "strength: 7\nknobs:\n  a: [x]\n",
        ["1:11: strength must be an integer from 1 to 6, got 7"],
    ),
    (
        "tempest-unknown-option",
        "knobs:\n  a:\n    - x:\n        tempest:\n          compute-feature-enabled: "
        "{block_migrate_cinder_iscsi: true}\n",
        [
            "5:37: knob 'a' value 'x': tempest.conf: unknown option 'block_migrate_cinder_iscsi' "
            "in [compute-feature-enabled] (did you mean 'block_migration_for_live_migration'?)"
        ],
    ),
    (
        "tempest-unknown-section",
        "knobs:\n  a:\n    - x:\n        tempest:\n          compute-features-enabled: "
        "{resize: false}\n",
        [
            "5:38: knob 'a' value 'x': tempest.conf: unknown tempest section "
            "[compute-features-enabled] (did you mean 'compute-feature-enabled'?)"
        ],
    ),
    (
        "tempest-wrong-type",
        "knobs:\n  a:\n    - x:\n        tempest:\n          compute-feature-enabled: "
        "{resize: maybe}\n",
        [
            "5:37: knob 'a' value 'x': tempest.conf: [compute-feature-enabled] resize: expected "
            "a boolean (true/false), got 'maybe'"
        ],
    ),
    (
        "tempest-wrong-choice",
        "knobs:\n  a:\n    - x:\n        tempest:\n          whitebox: "
        "{libvirt_hw_machine_type: q36}\n",
        [
            "5:22: knob 'a' value 'x': tempest.conf: [whitebox] libvirt_hw_machine_type: 'q36' "
            "is not one of [pc, q35] (did you mean 'q35'?)"
        ],
    ),
    (
        "nova-wrong-section",
        "knobs:\n  a:\n    - x:\n        post_config:\n          $NOVA_CONF:\n"
        "            vnc: {ssl_only: true}\n",
        [
            "6:19: knob 'a' value 'x': $NOVA_CONF: unknown option 'ssl_only' in [vnc] "
            "(it is registered in [DEFAULT])"
        ],
    ),
    (
        "nova-bad-choice",
        "knobs:\n  a:\n    - x:\n        post_config:\n          $NOVA_CPU_CONF:\n"
        "            libvirt: {images_type: rdb}\n",
        [
            "6:23: knob 'a' value 'x': $NOVA_CPU_CONF: [libvirt] images_type: 'rdb' is not one "
            "of [raw, flat, qcow2, lvm, rbd, ploop, default] (did you mean 'rbd'?)"
        ],
    ),
    (
        "nova-out-of-range",
        "knobs:\n  a:\n    - x:\n        post_config:\n          $NOVA_CPU_CONF:\n"
        "            libvirt: {num_pcie_ports: 40}\n",
        [
            "6:23: knob 'a' value 'x': $NOVA_CPU_CONF: [libvirt] num_pcie_ports: 40 is above "
            "the maximum 28"
        ],
    ),
    (
        "service-not-bool",
        "knobs:\n  a:\n    - x:\n        services: {q-agt: 'yes'}\n",
        ["4:27: knob 'a' value 'x': service 'q-agt' must be true or false"],
    ),
    (
        "top-level-list",
        "- a\n- b\n",
        ["1:1: the top level must be a mapping, not a list"],
    ),
    ("empty-file", "", ["1:0: the file is empty; a catalog needs at least 'knobs'"]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(text, expected, id=name)
        for name, text, expected in (*BAD_INPUTS, *STANZA_SHAPES)
    ],
)
def test_bad_input_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]
) -> None:
    assert problems(tmp_path, monkeypatch, text) == expected
