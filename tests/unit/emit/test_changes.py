"""Differences between two rendered Zuul files, job by job."""

from __future__ import annotations

from typing import Any

import yaml

from generator.emit.changes import rendered_changes


def _zuul(jobs: list[dict[str, Any]], check: tuple[str, ...] = ()) -> str:
    names = [job["name"] for job in jobs]
    project: dict[str, Any] = {"periodic-weekly": {"jobs": [n for n in names if n not in check]}}
    if check:
        project["check"] = {"jobs": [{n: {"voting": False}} for n in check]}
    return yaml.safe_dump([*({"job": job} for job in jobs), {"project": project}])


BASE = {
    "name": "j1",
    "parent": "devstack-tempest",
    "description": "knob values",
    "nodeset": "single",
    "vars": {
        "devstack_localrc": {"A": 1},
        "devstack_plugins": {"ceph": "https://x"},
        "devstack_local_conf": {
            "post-config": {"$NOVA_CPU_CONF": {"libvirt": {"images_type": "rbd"}}},
            "test-config": {"$TEMPEST_CONFIG": {"compute": {"x": True}}},
        },
    },
}


def _changed(**changes: Any) -> dict[str, Any]:
    job: dict[str, Any] = yaml.safe_load(yaml.safe_dump(BASE))
    for key, value in changes.items():
        job["vars"][key] = value
    return job


def test_identical_files_have_no_changes() -> None:
    text = _zuul([BASE])
    assert rendered_changes(text, text) == {}


def test_each_kind_of_change_is_named() -> None:
    new = _changed(
        devstack_plugins={"barbican": "https://y"},
        tempest_plugins=["barbican-tempest-plugin"],
        tempest_test_regex="^tempest.api.compute",
        devstack_local_conf={
            "post-config": {"$NOVA_CPU_CONF": {"libvirt": {"images_type": "lvm"}}},
            "test-config": {"$TEMPEST_CONFIG": {"compute": {"x": False}}},
        },
    )
    new["nodeset"] = "two-node"
    new["description"] = "other knob values"  # mirrors the values: not reported
    assert rendered_changes(_zuul([BASE]), _zuul([new], check=("j1",))) == {
        "j1": (
            "nodeset single -> two-node",
            "plugins +barbican -ceph",
            "tempest plugins +barbican-tempest-plugin",
            "selected tests (tempest_test_regex)",
            "settings $NOVA_CPU_CONF [libvirt] images_type, tempest.conf [compute] x",
            "pipeline periodic-weekly -> check",
        )
    }


def test_many_settings_are_summarised() -> None:
    new = _changed(devstack_localrc={f"V{i}": i for i in range(9)})
    (line,) = rendered_changes(_zuul([BASE]), _zuul([new]))["j1"]
    assert line.startswith("settings localrc A, localrc V0, ")
    assert line.endswith(" and 4 more")


def test_jobs_only_in_one_file_and_unreadable_files_are_skipped() -> None:
    other = {**BASE, "name": "j2"}
    assert rendered_changes(_zuul([BASE]), _zuul([other])) == {}
    assert rendered_changes("- job: [unclosed", _zuul([BASE])) == {}
    assert rendered_changes(None, _zuul([BASE])) == {}
