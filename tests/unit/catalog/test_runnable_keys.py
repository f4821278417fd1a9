"""Loader: the keys that make jobs run: plugin projects, tests, subnode, nodesets, third party."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.catalog.loader import load_file
from generator.catalog.testlist import literal_prefix, regex_problem, select
from generator.catalog.testlist import test_list as committed_tests
from generator.errors import KnobFileError


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> object:
    monkeypatch.chdir(tmp_path)
    Path("cat.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_file("cat.yaml")


def _problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    with pytest.raises(KnobFileError) as info:
        _load(tmp_path, monkeypatch, text)
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


def test_plugin_without_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(
        tmp_path,
        monkeypatch,
        """\
        projects: {barbican: openstack/barbican}
        knobs:
          a:
            values:
              - x: {plugins: [barbicane], tempest_plugins: [whitebox-tempest-plugin]}
        """,
    )
    assert problems == [
        "5:9: knob 'a' value 'x': plugin 'barbicane' has no Zuul project; add it to "
        "'projects' (e.g. barbicane: openstack/barbicane) (did you mean 'barbican'?)",
        "5:9: knob 'a' value 'x': plugin 'whitebox-tempest-plugin' has no Zuul project; add "
        "it to 'projects' (e.g. whitebox-tempest-plugin: openstack/whitebox-tempest-plugin)",
    ]


def test_project_short_name_must_be_the_plugin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = _problems(
        tmp_path,
        monkeypatch,
        """\
        projects: {ceph: openstack/devstack-plugin-ceph, x: not-a-project}
        knobs: {a: [x]}
        """,
    )
    assert problems == [
        "1:18: project 'openstack/devstack-plugin-ceph' of plugin 'ceph': Zuul and devstack "
        "check the repository out as /opt/stack/devstack-plugin-ceph, so the plugin must be "
        "named 'devstack-plugin-ceph'",
        "1:53: project 'not-a-project' of 'x' is not a Zuul org/name",
    ]


def test_plugin_urls_come_from_projects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = _load(
        tmp_path,
        monkeypatch,
        """\
        projects: {barbican: openstack/barbican}
        knobs:
          a:
            values:
              - x: {plugins: [barbican]}
        """,
    )
    value = catalog.knobs[0].values[0]  # type: ignore[attr-defined]
    assert value.settings.plugins == (("barbican", "https://opendev.org/openstack/barbican"),)
    assert catalog.project("barbican") == "openstack/barbican"  # type: ignore[attr-defined]
    problems = _problems(
        tmp_path,
        monkeypatch,
        """\
        projects: {barbican: openstack/barbican}
        knobs:
          a:
            values:
              - x: {plugins: {barbican: https://opendev.org/x/barbican}}
        """,
    )
    assert problems == [
        "5:9: knob 'a' value 'x': plugin 'barbican' URL https://opendev.org/x/barbican is "
        "not project openstack/barbican"
    ]


def test_regex_matching_no_test_names_the_nearest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (problem,) = _problems(
        tmp_path,
        monkeypatch,
        """\
        knobs:
          a:
            values:
              - x: {tests: [^tempest\\.api\\.compute\\.servers\\.test_novnk]}
        """,
    )
    assert problem.startswith(
        "4:21: knob 'a' value 'x': tests: test regex '^tempest\\\\.api\\\\.compute\\\\.servers"
        "\\\\.test_novnk' matches no test of barbican_tempest_plugin 4.6.0,"
    )
    assert "nearest tests: tempest.api.compute.servers.test_novnc.NoVNCConsoleTestJSON" in problem


def test_bad_regexes() -> None:
    tests = committed_tests()
    assert "whitespace" in str(regex_problem("a b", tests))
    assert "not a valid regular expression" in str(regex_problem("(", tests))
    assert regex_problem(r"^tempest\.api\.compute\.servers\.test_novnc\.", tests) is None
    assert literal_prefix(r"^tempest\.api\.(a|b)") == "tempest.api."


def test_selection_follows_tempest_run() -> None:
    tests = ("t.a[id-1,smoke]", "t.b[id-2]", "p.c[id-3,smoke]")
    # --regex is split on whitespace; any part selects; exclude removes.
    assert select(tests, r"^t\.a ^t\.b") == ("t.a[id-1,smoke]", "t.b[id-2]")
    assert select(tests, r"smoke", r"^p\.") == ("t.a[id-1,smoke]",)
    listed = committed_tests()
    every = listed.available([name for name, _ in listed.plugins])
    assert len(every) == len(listed.tests)
    core = listed.available([])
    assert all(listed.plugin_of(t) is None for t in core)
    assert any(
        t.startswith("whitebox_tempest_plugin.")
        for t in listed.available(["whitebox-tempest-plugin"])
    )


def test_baseline_asks_every_value_for_tests_or_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = _problems(
        tmp_path,
        monkeypatch,
        """\
        baseline_tests: [^tempest\\.scenario\\.test_server_basic_ops\\.]
        knobs:
          a:
            values:
              - unset
              - x: {localrc: {A: 1}}
              - y: {localrc: {A: 2}, untested: nothing observes A}
              - z: {localrc: {A: 3}, untested: " ", tests: [^tempest\\.api\\.compute\\.]}
        """,
    )
    assert problems == [
        "8:40: knob 'a' value 'z': untested must say why, as a string",
        "8:40: knob 'a' value 'z': a value with tests is not untested; remove one of the two",
        "6:9: knob 'a' value 'x': name the Tempest tests that exercise it ('tests') or say "
        "why no test can ('untested'); the driver declares baseline_tests",
    ]


def test_nodesets_third_party_and_pipelines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = _load(
        tmp_path,
        monkeypatch,
        """\
        nodesets:
          one:
            nodes: [{name: controller, label: l}]
            groups: [{name: tempest, nodes: [controller]}]
        third_party:
          reason: needs hardware
          secrets: {creds: site-creds}
        irrelevant_files: ['^doc/.*$']
        check_jobs: 1
        knobs:
          a:
            values:
              - x:
                  localrc: {A: "{{ creds.user }}"}
                  subnode: {localrc: {B: 1}}
        """,
    )
    (nodeset,) = catalog.nodesets  # type: ignore[attr-defined]
    assert (nodeset.name, nodeset.nodes, nodeset.groups) == (
        "one",
        (("controller", "l"),),
        (("tempest", ("controller",)),),
    )
    third = catalog.third_party  # type: ignore[attr-defined]
    assert (third.reason, third.secrets, third.pipelines) == (
        "needs hardware",
        (("creds", "site-creds"),),
        ("check",),
    )
    assert catalog.irrelevant_files == ("^doc/.*$",)  # type: ignore[attr-defined]
    assert catalog.check_jobs == 1  # type: ignore[attr-defined]
    subnode = catalog.knobs[0].values[0].settings.subnode  # type: ignore[attr-defined]
    assert subnode.localrc == (("B", 1),)
    problems = _problems(
        tmp_path,
        monkeypatch,
        """\
        nodesets:
          two:
            nodes: [{name: controller}]
        third_party: {secrets: {x: y}}
        check_jobs: -1
        knobs:
          a:
            values:
              - x: {subnode: {tempest: {a: {b: 1}}}}
        """,
    )
    assert sorted(problems) == sorted(
        [
            "9:23: unknown key 'tempest' in knob 'a' value 'x': subnode; expected one of: "
            "localrc, services, plugins, post_config",
            "9:37: knob 'a' value 'x': tempest.conf: unknown tempest section [a]",
            "3:13: nodeset 'two': each node needs a name and a label",
            "2:3: nodeset 'two' needs 'nodes': a list of {name, label}",
            "4:14: third_party needs 'reason': why the jobs cannot run in OpenDev",
            "5:13: check_jobs must be a whole number (0: no check/gate jobs)",
        ]
    )
