"""Zuul emitter: required-projects, the subnode's own plugins, third-party secrets.

The ``plug`` fixture catalog has devstack and tempest plugins on the controller, a
plugin its values also load on the subnode, and credentials from a Zuul secret. The
rendered file must lint clean over the bundled upstream files, and the lint must fail
once any of these is taken out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.audit.lint import lint_zuul
from generator.catalog.loader import load_dir
from generator.emit.zuul import render_zuul
from generator.matrix import Job, Matrix
from generator.model import Catalog
from tests.paths import FIXTURES

CEPH = "https://opendev.org/openstack/devstack-plugin-ceph"
BARBICAN = "https://opendev.org/openstack/barbican"
SECRET = {"name": "lab_cloud", "secret": "nova-plug-lab", "pass-to-parent": True}


def _catalog() -> Catalog:
    (catalog,) = load_dir(FIXTURES / "emit" / "plugins" / "knobs")
    return catalog


def _job(name: str, nodes: str, storage: str, keys: str) -> Job:
    values = (("nodes", nodes), ("storage", storage), ("keys", keys), ("lab", "address"))
    return Job(name, values)


MATRIX = Matrix(
    "plug",
    "openstack/nova-plug",
    2,
    0,
    "sha256:0123",
    (
        _job("nova-plug-tm-01", "two", "ceph", "barbican"),
        _job("nova-plug-tm-02", "one", "local", "conf"),
        _job("nova-plug-tm-03", "two", "local", "barbican"),
        _job("nova-plug-tm-04", "one", "ceph", "conf"),
    ),
    4,
)


def _render() -> str:
    return render_zuul(
        _catalog(), MATRIX, command="tempest-matrix generate", matrix_path="matrix/plug.yaml"
    )


def _jobs(text: str) -> dict[str, dict[str, Any]]:
    return {s["job"]["name"]: s["job"] for s in yaml.safe_load(text) if "job" in s}


def test_required_projects_are_every_plugin_and_the_driver_itself() -> None:
    jobs = _jobs(_render())
    assert jobs["nova-plug-tm-01"]["required-projects"] == [
        "openstack/barbican",
        "openstack/devstack-plugin-ceph",
        "openstack/nova-plug",
        "openstack/whitebox-tempest-plugin",
    ]
    # No plugin: only the driver's own repository (the catalog names it org/name).
    assert jobs["nova-plug-tm-02"]["required-projects"] == ["openstack/nova-plug"]
    assert jobs["nova-plug-tm-04"]["required-projects"] == [
        "openstack/devstack-plugin-ceph",
        "openstack/nova-plug",
    ]


def test_subnode_gets_only_the_plugins_its_values_name() -> None:
    jobs = _jobs(_render())
    both = jobs["nova-plug-tm-01"]
    assert both["vars"]["devstack_plugins"] == {"devstack-plugin-ceph": CEPH, "barbican": BARBICAN}
    subnode = both["group-vars"]["subnode"]
    # barbican stays on the controller; the subnode is a Ceph client with one secret UUID.
    assert subnode["devstack_plugins"] == {"devstack-plugin-ceph": CEPH}
    assert subnode["devstack_localrc"]["REMOTE_CEPH"] is True
    assert (
        subnode["devstack_localrc"]["CINDER_CEPH_UUID"]
        == both["vars"]["devstack_localrc"]["CINDER_CEPH_UUID"]
    )
    assert subnode["devstack_local_conf"]["post-config"]["$NOVA_CPU_CONF"]["key_manager"] == {
        "backend": "barbican"
    }
    # A multi-node job whose plugins are all controller-only: an explicit empty map,
    # since group-vars replace the job's devstack_plugins on the subnode.
    assert jobs["nova-plug-tm-03"]["group-vars"]["subnode"]["devstack_plugins"] == {}
    assert "group-vars" not in jobs["nova-plug-tm-02"]
    assert "group-vars" not in jobs["nova-plug-tm-04"]


def test_third_party_jobs_read_their_credentials_from_a_passed_secret() -> None:
    text = _render()
    header = text.split("\n- job:", 1)[0]
    assert "must define the Zuul\n# secrets the jobs read: nova-plug-lab." in header
    for job in _jobs(text).values():
        assert job["secrets"] == [SECRET]
        assert job["vars"]["devstack_localrc"]["LAB_ADDRESS"] == "{{ lab_cloud.address }}"
    stanzas = [next(iter(s)) for s in yaml.safe_load(text)]
    assert "project" not in stanzas  # no OpenDev project stanza for a third-party driver


def _lint(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    folder = tmp_path / "nova-plug" / "zuul.d"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tempest-matrix.yaml").write_text(text, encoding="utf-8")
    report = lint_zuul([folder], upstream=True)
    assert len(report.linted) == 4
    return sorted({(f.job, f.rule) for f in report.findings})


def test_the_rendered_jobs_lint_clean(tmp_path: Path) -> None:
    assert _lint(tmp_path, _render()) == []


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        (
            "      - openstack/devstack-plugin-ceph\n",
            "",
            [("nova-plug-tm-01", "plugin-project"), ("nova-plug-tm-04", "plugin-project")],
        ),
        ("        pass-to-parent: true\n", "", "undefined-variable"),
        ("          REMOTE_CEPH: true\n", "", [("nova-plug-tm-01", "subnode-ceph")]),
        ("        devstack_plugins: {}\n", "", [("nova-plug-tm-03", "subnode-service")]),
    ],
)
def test_the_lint_fails_without_each_of_them(
    tmp_path: Path, old: str, new: str, found: object
) -> None:
    text = _render()
    assert old in text
    findings = _lint(tmp_path, text.replace(old, new))
    if isinstance(found, str):
        assert {rule for _, rule in findings} == {found}
        assert len(findings) == len(MATRIX.jobs)
    else:
        assert findings == found
