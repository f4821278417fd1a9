"""Golden messages for each value-settings, Zuul-facing, option-data or combination
stanza of the wrong shape (the second table of ``test_loader_messages``)."""

from __future__ import annotations

# (name, YAML text, the problems it must produce: "line:col: message")
__all__ = ["STANZA_SHAPES"]

STANZA_SHAPES: list[tuple[str, str, list[str]]] = [
    (
        "projects-not-a-map",
        "knobs:\n  a: [x, y]\nprojects: [a]\n",
        ["3:11: 'projects' must map plugin name -> Zuul project (org/name)"],
    ),
    (
        "projects-entry-not-a-string",
        "knobs:\n  a: [x, y]\nprojects:\n  devstack-plugin-ceph: [x]\n",
        ["4:3: 'projects' must map plugin name -> Zuul project (org/name)"],
    ),
    (
        "nodesets-not-a-map",
        "knobs:\n  a: [x, y]\nnodesets: [n]\n",
        ["3:11: 'nodesets' must map nodeset name -> {nodes, groups}"],
    ),
    (
        "nodeset-body-not-a-map",
        "knobs:\n  a: [x, y]\nnodesets:\n  two: [a]\n",
        ["4:3: 'nodesets' must map nodeset name -> {nodes, groups}"],
    ),
    (
        "nodeset-group-without-nodes",
        "knobs:\n  a: [x, y]\nnodesets:\n  two:\n"
        "    nodes: [{name: c, label: l}]\n    groups: [{name: g}]\n",
        ["6:14: nodeset 'two': each group needs a name and nodes"],
    ),
    (
        "nodeset-group-unknown-node",
        "knobs:\n  a: [x, y]\nnodesets:\n  two:\n"
        "    nodes: [{name: c, label: l}]\n    groups: [{name: g, nodes: [d]}]\n",
        ["6:14: nodeset 'two': group 'g' names unknown nodes d; its nodes are c"],
    ),
    (
        "third-party-not-a-map",
        "knobs:\n  a: [x, y]\nthird_party: yes-please\n",
        ["3:14: 'third_party' must be a mapping with at least 'reason'"],
    ),
    (
        "third-party-secrets-not-a-map",
        "knobs:\n  a: [x, y]\nthird_party:\n  reason: r\n  secrets: [s]\n",
        ["5:12: third_party secrets must map variable -> secret name"],
    ),
    (
        "third-party-secret-bad-variable",
        "knobs:\n  a: [x, y]\nthird_party:\n  reason: r\n  secrets: {'not ok': s}\n",
        ["5:13: a secret needs a variable name and a secret name"],
    ),
    (
        "third-party-pipelines-empty",
        "knobs:\n  a: [x, y]\nthird_party:\n  reason: r\n  pipelines: []\n",
        ["5:14: third_party pipelines must list pipeline names"],
    ),
    (
        "irrelevant-files-not-text",
        "knobs:\n  a: [x, y]\nirrelevant_files: [[x]]\n",
        ["3:20: irrelevant_files must list file regexes"],
    ),
    (
        "irrelevant-files-bad-regex",
        "knobs:\n  a: [x, y]\nirrelevant_files: ['^(doc/']\n",
        [
            "3:20: irrelevant_files: '^(doc/' is not a regex: missing ), unterminated "
            "subpattern at position 1"
        ],
    ),
    (
        "forbid-empty",
        "knobs:\n  a: [x, y]\nconstraints:\n  - forbid: {}\n",
        ["4:13: constraint must be a non-empty mapping of knob -> value or [values]"],
    ),
    (
        "forbid-knob-no-values",
        "knobs:\n  a: [x, y]\n  b: [p, q]\nconstraints:\n  - forbid: {a: [], b: p}\n",
        ["5:17: constraint: knob 'a' lists no values"],
    ),
    (
        "constraints-not-a-list",
        "knobs:\n  a: [x, y]\nconstraints: {forbid: {a: x}}\n",
        ["3:14: 'constraints' must be a list of 'forbid' or 'if'/'then' entries"],
    ),
    (
        "constraint-not-a-map",
        "knobs:\n  a: [x, y]\nconstraints:\n  - forbid a=x\n",
        ["4:5: a constraint must be a mapping with 'forbid' or 'if' + 'then'"],
    ),
    (
        "pinned-not-a-list",
        "knobs:\n  a: [x, y]\npinned: {a: x}\n",
        ["3:9: 'pinned' must be a list of {knob: value} combinations"],
    ),
    (
        "pinned-entry-not-a-map",
        "knobs:\n  a: [x, y]\npinned:\n  - a=x\n",
        ["4:5: a pinned entry must be a mapping {knob: value, ...}"],
    ),
    (
        "pinned-bad-knob-name",
        "knobs:\n  a: [x, y]\npinned:\n  - {[a]: x}\n",
        ["4:6: a mapping key must be a scalar"],
    ),
    (
        "pinned-bad-value",
        "knobs:\n  a: [x, y]\npinned:\n  - {a: [x]}\n",
        ["4:9: knob 'a': pinned value must be a name, not a list"],
    ),
    (
        "nodeset-combinations-not-a-list",
        "knobs:\n  a: [x, y]\nnodeset_combinations: {nodesets: [n1, n2], use: n3}\n",
        ["3:23: 'nodeset_combinations' must be a list of {nodesets: [a, b], use: c}"],
    ),
    (
        "nodeset-combination-not-a-map",
        "knobs:\n  a: [x, y]\nnodeset_combinations:\n  - n1\n",
        ["4:5: a nodeset combination must be a mapping {nodesets: [a, b], use: c}"],
    ),
    (
        "nodeset-combination-twice",
        "knobs:\n  a: [x, y]\nnodeset_combinations:\n"
        "  - {nodesets: [n1, n2], use: n3}\n  - {nodesets: [n2, n1], use: n3}\n",
        ["5:5: nodesets n2, n1 are combined twice"],
    ),
    (
        "strength-groups-not-a-list",
        "knobs:\n  a: [x, y]\nstrength_groups: {knobs: [a], strength: 1}\n",
        ["3:18: 'strength_groups' must be a list of {knobs: [...], strength: N}"],
    ),
    (
        "strength-group-not-a-map",
        "knobs:\n  a: [x, y]\nstrength_groups:\n  - a\n",
        ["4:5: a strength group must be a mapping {knobs: [...], strength: N}"],
    ),
    (
        "strength-group-no-knobs",
        "knobs:\n  a: [x, y]\nstrength_groups:\n  - {strength: 2}\n",
        ["4:5: a strength group needs 'knobs': a non-empty list of knob names"],
    ),
    (
        "strength-group-too-strong",
        "knobs:\n  a: [x, y]\n  b: [p, q]\nstrength_groups:\n  - {knobs: [a, b], strength: 3}\n",
        ["5:31: a strength group of 2 knobs cannot have strength 3"],
    ),
    (
        "subnode-not-a-map",
        "knobs:\n  a:\n    values:\n      - x: {subnode: [localrc]}\n      - y\n",
        [
            "4:22: knob 'a' value 'x': subnode must be a mapping of settings",
        ],
    ),
    (
        "plugins-not-names",
        "knobs:\n  a:\n    values:\n      - x: {plugins: [[p]]}\n      - y\n",
        [
            "4:23: knob 'a' value 'x': plugins must list plugin names",
        ],
    ),
    (
        "plugin-url-not-text",
        "knobs:\n  a:\n    values:\n      - x: {plugins: {devstack-plugin-ceph: [u]}}\n      - y\n",
        [
            "4:45: knob 'a' value 'x': plugin 'devstack-plugin-ceph' needs its git URL as a string",
        ],
    ),
    (
        "tempest-plugins-not-names",
        "knobs:\n  a:\n    values:\n      - x: {tempest_plugins: [{a: b}]}\n      - y\n",
        [
            "4:31: knob 'a' value 'x': tempest_plugins must list repository names",
        ],
    ),
    (
        "nodeset-not-a-name",
        "knobs:\n  a:\n    values:\n      - x: {nodeset: [n]}\n      - y\n",
        [
            "4:22: knob 'a' value 'x': nodeset must be a nodeset name",
        ],
    ),
    (
        "pre-run-not-a-list",
        "knobs:\n  a:\n    values:\n      - x: {pre_run: {a: b}}\n      - y\n",
        [
            "4:22: knob 'a' value 'x': pre_run must be a list of strings",
        ],
    ),
    (
        "pre-run-item-not-text",
        "knobs:\n  a:\n    values:\n      - x: {pre_run: [[p]]}\n      - y\n",
        [
            "4:23: knob 'a' value 'x': pre_run must be a list of strings",
        ],
    ),
    (
        "localrc-not-a-map",
        "knobs:\n  a:\n    values:\n      - x: {localrc: [A]}\n      - y\n",
        [
            "4:22: knob 'a' value 'x': localrc must be a mapping",
        ],
    ),
    (
        "localrc-key-not-text",
        "knobs:\n  a:\n    values:\n      - x: {localrc: {1: on}}\n      - y\n",
        [
            "4:23: knob 'a' value 'x': localrc: key 1 must be a string; quote it",
        ],
    ),
    (
        "option-data-not-a-list",
        "knobs:\n  a: [x, y]\noption_data: lxd.json\n",
        [
            "3:14: 'option_data' must be a list of {path: FILE.json, post_config: "
            "[$NOVA_CPU_CONF]} or {path: ..., tempest_plugin: P}",
        ],
    ),
    (
        "option-data-entry-not-a-map",
        "knobs:\n  a: [x, y]\noption_data: [lxd.json]\n",
        [
            "3:15: an option_data entry must be a mapping {path: FILE.json, "
            "post_config: [$NOVA_CPU_CONF]} or {path: ..., tempest_plugin: "
            "P}",
        ],
    ),
    (
        "option-data-without-path",
        "knobs:\n  a: [x, y]\noption_data: [{format: oslo-config-generator}]\n",
        [
            "3:16: unknown key 'format' in an option_data entry; expected "
            "one of: path, post_config, tempest_plugin, description",
            "3:15: an option_data entry needs 'path': a file name",
        ],
    ),
    (
        "option-data-bad-plugin",
        "knobs:\n  a: [x, y]\noption_data: [{path: t.json, tempest_plugin: [x]}]\n",
        [
            "3:46: 'tempest_plugin' must be a plugin repository name",
        ],
    ),
]
