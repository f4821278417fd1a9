"""``tempest-matrix lint``: each rule on jobs that break it, the shipped output, nova's jobs."""

from __future__ import annotations

import filecmp
from collections import Counter
from pathlib import Path

import pytest

from generator.audit.lint import (
    RULES,
    lint_config,
    lint_zuul,
    project_name,
    upstream_config,
    upstream_paths,
    with_context,
)
from generator.audit.lint_vars import template_strings, undefined_names
from generator.audit.zuul_files import load_zuul
from generator.audit.zuul_resolve import Resolver
from generator.matrix import read_matrix
from tests.paths import FIXTURES, ROOT

ZUUL = FIXTURES / "zuul"
UPSTREAM = ("devstack", "tempest", "whitebox-tempest-plugin", "devstack-plugin-ceph", "ironic")
BAD = ZUUL / "lint-bad" / ".zuul.yaml"


def _context() -> list[Path]:
    return [ZUUL / name for name in UPSTREAM]


def _line(job: str, text: str) -> int:
    """The 1-based line of ``BAD`` holding ``text`` in the stanza of job ``job``."""
    lines = BAD.read_text().splitlines()
    start = lines.index(f"    name: {job}")
    for number, line in enumerate(lines[start:], start + 1):
        if text in line:
            return number
    raise AssertionError(text)


def _zuul_folder(repo: str) -> Path:
    (folder,) = [
        ROOT / "output" / repo / name
        for name in ("zuul.d", "third-party-zuul.d")
        if (ROOT / "output" / repo / name).is_dir()
    ]
    return folder


@pytest.mark.parametrize("matrix", sorted((ROOT / "matrix").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_output_is_lint_clean_over_the_real_upstream_files(matrix: Path) -> None:
    jobs = read_matrix(matrix)
    report = lint_zuul([_zuul_folder(jobs.repo), *_context()])
    assert [f.render() for f in report.findings] == []
    assert sorted(report.linted) == sorted(job.name for job in jobs.jobs)
    assert report.skipped == ()


def test_every_rule_fires_at_the_line_that_breaks_it() -> None:
    report = lint_zuul([ZUUL / "lint-bad", ZUUL / "devstack", ZUUL / "tempest"])
    found = {(f.job, f.rule, f.line) for f in report.findings}
    expected = {
        ("lint-bad-plugins", "plugin-project", _line("lint-bad-plugins", "barbican:")),
        ("lint-bad-plugins", "plugin-project", _line("lint-bad-plugins", "tempest_plugins:")),
        ("lint-bad-smoke", "smoke-only", _line("lint-bad-smoke", "name:")),
        ("lint-bad-label", "nodeset-undefined", _line("lint-bad-label", "nodeset:")),
        ("lint-bad-layout", "nodeset-layout", _line("lint-bad-layout", "nodeset:")),
        ("lint-bad-tox-env", "tox-env", _line("lint-bad-tox-env", "tox_envlist:")),
        ("lint-bad-empty", "empty-selection", _line("lint-bad-empty", "tempest_test_regex:")),
        ("lint-bad-option", "plugin-option", _line("lint-bad-option", "max_compute_nodes:")),
        ("lint-bad-subnode", "subnode-service", _line("lint-bad-subnode", "q-dhcp:")),
        ("lint-bad-ceph", "subnode-ceph", _line("lint-bad-ceph", "devstack-plugin-ceph:")),
        ("lint-bad-jinja", "undefined-variable", _line("lint-bad-jinja", "VCENTER_IP")),
        ("lint-bad-jinja", "undefined-variable", _line("lint-bad-jinja", "CLOUD_USER")),
        ("lint-bad-jinja", "undefined-variable", _line("lint-bad-jinja", "BROKEN")),
    }
    assert expected <= found, sorted(expected - found)
    by_job = Counter((f.job, f.rule) for f in report.findings)
    assert by_job[("lint-bad-plugins", "plugin-project")] == 2
    assert by_job[("lint-bad-regex", "test-regex")] == 3
    assert by_job[("lint-bad-subnode", "subnode-service")] == 2
    assert by_job[("lint-bad-ceph", "subnode-ceph")] == 2
    assert not [f for f in report.findings if f.job == "lint-good"]
    assert {f.rule for f in report.findings} == set(RULES)
    assert report.linted == tuple(f"lint-{n}" for n in _names())


def _names() -> list[str]:
    return [
        line.split("name: lint-", 1)[1]
        for line in BAD.read_text().splitlines()
        if line.startswith("    name: lint-") and "no-controller" not in line
    ]


def test_messages_name_the_cause() -> None:
    report = lint_zuul([ZUUL / "lint-bad", ZUUL / "devstack", ZUUL / "tempest"])
    text = "\n".join(f.render() for f in report.findings)
    assert "add openstack/barbican to required-projects" in text
    assert "names tests of whitebox-tempest-plugin, which the job does not install" in text
    assert "'no_such_test_anywhere' matches no test" in text
    assert "nearest tests: tempest.api.compute." in text
    assert "subnode compute1 enables 'q-dhcp'" in text
    assert "subnode compute1 loads the barbican devstack plugin" in text
    assert "without REMOTE_CEPH: true" in text
    assert "do not share one CINDER_CEPH_UUID" in text
    assert "secret 'bound_cloud' is declared without pass-to-parent" in text
    assert "uses 'vcenter_ip'" in text
    assert "no node named 'controller'" in text
    assert "no 'tempest' group" in text
    assert "primary in no 'subnode' group" in text


def test_nova_real_jobs() -> None:
    """What the lint says about nova's own jobs (over the real upstream files)."""
    report = lint_zuul([ZUUL / "nova", *_context()])
    assert [(f.rule, f.job) for f in report.findings] == [("plugin-option", "nova-next")]
    (finding,) = report.findings
    assert finding.location.endswith("nova/.zuul.yaml:698")
    assert "[neutron_plugin_options] available_type_drivers" in finding.message
    assert len(report.linted) == 24
    assert dict(report.skipped)["nova-grenade-multinode"] == (
        "parent grenade-multinode is not in the given files"
    )


def test_a_job_whose_devstack_set_up_is_unknown_is_not_linted() -> None:
    report = lint_zuul([ZUUL / "nova"])
    assert report.linted == ()
    assert len(report.skipped) == 21
    assert (
        "parent tempest-multinode-full-py3 is not in the given files"
        in dict(report.skipped)["nova-live-migration"]
    )


def test_bundled_upstream_files_are_the_fixtures() -> None:
    assert [p.name for p in upstream_paths()] == sorted(UPSTREAM)
    for folder in upstream_paths():
        compared = filecmp.dircmp(folder, ZUUL / folder.name)
        assert compared.left_only == compared.right_only == compared.diff_files == []
        for sub in compared.subdirs.values():
            assert sub.left_only == sub.right_only == sub.diff_files == []


def test_upstream_context_resolves_like_reading_every_file() -> None:
    project = ROOT / "output" / "nova-libvirt" / "zuul.d"
    merged = with_context(load_zuul([project]), upstream_config())
    direct = load_zuul([project, *upstream_paths()])
    assert merged.defined_in(0) == direct.defined_in(0)
    assert set(merged.nodesets) == set(direct.nodesets)
    for name in list(merged.defined_in(0))[:3]:
        assert Resolver(merged).resolve(name).hosts == Resolver(direct).resolve(name).hosts
    assert (
        lint_config(merged, project="nova-libvirt").linted
        == lint_zuul([project], upstream=True).linted
    )


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("output/nova-libvirt/zuul.d", "nova-libvirt"),
        ("output/nova-zvm/third-party-zuul.d", "nova-zvm"),
        ("tests/fixtures/zuul/nova/.zuul.yaml", "nova"),
        ("tests/fixtures/zuul/tempest/zuul.d/base.yaml", "tempest"),
    ],
)
def test_project_name(path: str, name: str) -> None:
    assert project_name(path) == name


@pytest.mark.parametrize(
    ("template", "names"),
    [
        ("{{ a }}", ("a",)),
        ("{{ a | default('x') }}", ()),
        ("{{ a.b.c | default('x') }}", ()),
        ("{{ a['b'] | d(1) }} {{ c }}", ("c",)),
        ("{% if a is defined %}{{ a }}{% endif %}", ("a",)),
        ("{% if a is defined %}yes{% endif %}", ()),
        (
            "{% for h in groups['x'] %}{{ hostvars[h].y }}{% set z = 1 %}{{ z }}{% endfor %}",
            (
                "groups",
                "hostvars",
            ),
        ),
        ("{{ a | default(b) }}", ("b",)),
    ],
)
def test_undefined_names(template: str, names: tuple[str, ...]) -> None:
    assert undefined_names(template) == (names, None)


def test_undefined_names_reports_syntax_errors() -> None:
    names, error = undefined_names("{{ a.b")
    assert names == ()
    assert error is not None
    assert "line 1" in error


def test_template_strings_walks_keys_and_lists() -> None:
    value = {"A": "{{ x }}", "{{ k }}": 1, "L": ["plain", "{% if y %}z{% endif %}"], "N": 3}
    assert list(template_strings(value, ("v",))) == [
        (("v", "A"), "{{ x }}"),
        (("v", "{{ k }}"), "{{ k }}"),
        (("v", "L"), "{% if y %}z{% endif %}"),
    ]
