"""Knob recovery from Zuul jobs and coverage counting (generator.audit)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from generator.audit import (
    AuditReport,
    JobValues,
    audit_jobs,
    audit_matrix,
    audit_zuul,
    stale_options,
)
from generator.audit.html import render_html
from generator.audit.zuul_files import load_zuul
from generator.audit.zuul_resolve import resolve_job
from generator.catalog.loader import load_dir, load_file
from generator.errors import GeneratorError, ParameterError
from generator.model import Catalog, Knob, KnobValue, Settings
from tests.paths import FIXTURES, ROOT

FIXTURES = FIXTURES / "zuul"
SMALL = FIXTURES / "audit-small"
NOVA_REPOS = ["nova", "devstack", "tempest", "devstack-plugin-ceph", "whitebox-tempest-plugin"]

# What each hand-made job really runs, written down from its YAML (None = unknown).
EXPECTED: dict[str, dict[str, str | None]] = {
    "job-default": {
        "virt_type": "qemu",
        "images_type": "qcow2",
        "machine_type": "pc",
        "console": "vnc",
    },
    "job-lvm": {"virt_type": "qemu", "images_type": "lvm", "machine_type": "pc", "console": "vnc"},
    "job-kvm-q35": {
        "virt_type": "kvm",
        "images_type": "qcow2",
        "machine_type": "q35",
        "console": "vnc",
    },
    "job-ceph-spice": {
        "virt_type": "qemu",
        "images_type": "rbd",
        "machine_type": "pc",
        "console": "spice",
    },
    "job-multinode-mixed": {
        "virt_type": "qemu",
        "images_type": None,
        "machine_type": "pc",
        "console": "vnc",
    },
    "job-flat": {"virt_type": "qemu", "images_type": None, "machine_type": "pc", "console": "vnc"},
    "job-lvm-resize": {
        "virt_type": "qemu",
        "images_type": None,
        "machine_type": "pc",
        "console": "vnc",
    },
}
DOMAINS = {
    "virt_type": ["qemu", "kvm"],
    "images_type": ["qcow2", "lvm", "rbd"],
    "machine_type": ["pc", "q35"],
    "console": ["vnc", "spice"],
}


def independent_count(jobs: dict[str, dict[str, str | None]]) -> tuple[int, int]:
    """Feasible pairs (forbid kvm+lvm) and how many the jobs cover, by brute force."""
    names = list(DOMAINS)
    rows = [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*DOMAINS.values())
        if not (values[0] == "kvm" and values[1] == "lvm")
    ]
    feasible: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    for row in rows:
        for a, b in itertools.combinations(names, 2):
            feasible.add(((a, row[a]), (b, row[b])))
    covered = {
        pair for pair in feasible if any(all(job[k] == v for k, v in pair) for job in jobs.values())
    }
    return len(feasible), len(covered)


@pytest.fixture(scope="module")
def small() -> AuditReport:
    catalog = load_file(SMALL / "knobs" / "libvirt.yaml")
    (report,) = audit_zuul([catalog], [SMALL / "project", SMALL / "base"])
    return report


def test_small_recovered_values(small: AuditReport) -> None:
    got = {job.job: dict(job.values) for job in small.jobs}
    assert got == EXPECTED


def test_small_coverage_matches_independent_count(small: AuditReport) -> None:
    total, covered = independent_count(EXPECTED)
    assert (small.coverable, small.covered) == (total, covered) == (29, 19)
    assert small.coverage == pytest.approx(19 / 29)
    assert len(small.uncovered) == 10


def test_small_pairs_worst_first(small: AuditReport) -> None:
    fractions = [p.fraction for p in small.pairs]
    assert fractions == sorted(fractions)
    stats = {p.knobs: (p.covered, p.total) for p in small.pairs}
    assert stats[("virt_type", "images_type")] == (4, 5)
    assert sum(t for _, t in stats.values()) == 29


def test_small_uncovered_groups_are_feasible_and_largest_first(small: AuditReport) -> None:
    sizes = [len(g.tuples) for g in small.groups]
    assert sizes == sorted(sizes, reverse=True)
    for group in small.groups:
        assignment = dict(group.assignment)
        assert not (assignment.get("virt_type") == "kvm" and assignment.get("images_type") == "lvm")
        for combo in group.tuples:
            assert all(assignment[k] == v for k, v in combo)


def test_small_unmatched_reasons(small: AuditReport) -> None:
    reasons = {u.job: u.reason for u in small.unmatched}
    assert reasons == {
        "job-multinode-mixed": "images_type: hosts disagree (controller: lvm, compute1: qcow2)",
        "job-flat": "images_type: matches no value: $NOVA_CONF [libvirt] images_type = flat "
        "(catalog values: lvm, qcow2, rbd)",
        "job-lvm-resize": "images_type: matches no value: lvm needs tempest "
        "[compute-feature-enabled] resize = false, job has true",
    }


def test_abstract_branch_and_non_devstack_jobs_are_not_counted(small: AuditReport) -> None:
    names = {job.job for job in small.jobs}
    assert "job-abstract" not in names
    assert "job-stable-only" not in names
    assert "job-tox" not in names
    assert len(small.jobs) == 7


def catalog_of(*knobs: Knob) -> Catalog:
    return Catalog(driver="libvirt", repo="nova-libvirt", knobs=knobs)


def test_ambiguous_match(tmp_path: Path) -> None:
    (tmp_path / ".zuul.yaml").write_text(
        "- job:\n    name: j\n    vars:\n      devstack_localrc: {X: '1'}\n", encoding="utf-8"
    )
    same = Settings(localrc=(("X", "1"),))
    knob = Knob(
        "k",
        (KnobValue("a"), KnobValue("b", settings=same), KnobValue("c", settings=same)),
        default="a",
    )
    (report,) = audit_zuul(
        [catalog_of(knob, Knob("other", (KnobValue("x"), KnobValue("y"))))], [tmp_path]
    )
    assert [(u.job, u.reason) for u in report.unmatched] == [
        ("j", "k: ambiguous: the job's settings fit b, c equally")
    ]


def test_a_templated_catalog_setting_is_no_evidence_against_a_job(tmp_path: Path) -> None:
    # The catalog writes MAX_COMPUTE_NODES as a template Ansible renders on the node; a job
    # that writes the number itself must still be recognised by the value's other facts.
    (tmp_path / ".zuul.yaml").write_text(
        "- job:\n    name: j\n    vars:\n      devstack_localrc: {MAX_COMPUTE_NODES: 2, X: '1'}\n",
        encoding="utf-8",
    )
    templated = Settings(
        localrc=(("MAX_COMPUTE_NODES", "{{ groups['compute'] | length }}"), ("X", "1"))
    )
    knob = Knob("k", (KnobValue("a"), KnobValue("b", settings=templated)), default="a")
    (report,) = audit_zuul(
        [catalog_of(knob, Knob("other", (KnobValue("x"), KnobValue("y"))))], [tmp_path]
    )
    assert report.unmatched == ()
    assert dict(report.jobs[0].values)["k"] == "b"


def test_catalog_matching_no_job_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".zuul.yaml").write_text(
        "- job:\n    name: j\n    vars:\n      devstack_localrc: {X: '1'}\n", encoding="utf-8"
    )
    knob = Knob("k", (KnobValue("a"), KnobValue("b", settings=Settings(localrc=(("Y", "2"),)))))
    with pytest.raises(GeneratorError) as info:
        audit_zuul([catalog_of(knob)], [tmp_path])
    assert str(info.value) == (
        f"the catalog (drivers: libvirt) matches none of the knobs of the 1 devstack job(s) "
        f"in {tmp_path}"
    )


def test_strength_out_of_range() -> None:
    knob = Knob("k", (KnobValue("a"), KnobValue("b")))
    with pytest.raises(ParameterError, match="out of range"):
        audit_jobs(catalog_of(knob), [], strength=2)


def test_matrix_like_rows_full_coverage() -> None:
    knobs = tuple(Knob(n, (KnobValue("0"), KnobValue("1"))) for n in "abc")
    rows = [("0", "0", "0"), ("0", "1", "1"), ("1", "0", "1"), ("1", "1", "0")]
    jobs = [JobValues(f"j{i}", "", tuple(zip("abc", r, strict=True))) for i, r in enumerate(rows)]
    report = audit_jobs(catalog_of(*knobs), jobs)
    assert (report.coverable, report.covered, report.uncovered) == (12, 12, ())
    three = audit_jobs(catalog_of(*knobs), jobs, strength=3)
    assert (three.coverable, three.covered) == (8, 4)


def test_json_keys(small: AuditReport) -> None:
    data = small.to_json()
    assert {
        "schema_version",
        "driver",
        "strength",
        "jobs",
        "coverable",
        "covered",
        "coverage",
        "uncovered",
        "unmatched_jobs",
        "stale_options",
        "pairs",
        "job_values",
    } <= set(data)
    assert data["jobs"] == 7
    assert data["uncovered"][0] == dict(small.groups[0].tuples[0])


def test_nova_stale_options() -> None:
    config = load_zuul([FIXTURES / name for name in NOVA_REPOS])
    found = {
        (job, s.file, s.section, s.option)
        for job in ("nova-live-migration", "nova-alt-configurations", "nova-lvm")
        for s in stale_options(resolve_job(config, job))
    }
    assert found == {
        (
            "nova-live-migration",
            "$TEMPEST_CONFIG",
            "compute-feature-enabled",
            "block_migrate_cinder_iscsi",
        ),
        ("nova-alt-configurations", "$NOVA_CONF", "vnc", "ssl_only"),
        ("nova-alt-configurations", "$NOVA_CONF", "spice", "ssl_only"),
        (
            "nova-alt-configurations",
            "$NOVA_CPU_CONF",
            "compute",
            "heal_instance_info_cache_interval",
        ),
    }


def test_nova_jobs_against_small_catalog() -> None:
    catalog = load_file(SMALL / "knobs" / "libvirt.yaml")
    (report,) = audit_zuul([catalog], [FIXTURES / name for name in NOVA_REPOS])
    values = {job.job: dict(job.values) for job in report.jobs}
    assert values["nova-lvm"]["images_type"] == "lvm"
    assert values["nova-ceph-multistore"]["images_type"] == "rbd"  # implied by the plugin
    assert values["nova-live-migration-ceph"]["images_type"] == "rbd"
    assert values["nova-whitebox"]["virt_type"] == "kvm"
    assert values["nova-next"]["machine_type"] == "q35"
    assert values["nova-next"]["console"] == "spice"
    # post-config images_type=default overrides the ceph plugin: not rbd
    assert values["devstack-plugin-ceph-compute-local-ephemeral"]["images_type"] is None
    # grenade-multinode is external: what it sets is unknown
    assert values["nova-grenade-multinode"]["virt_type"] is None
    assert any("grenade-multinode" in w for w in report.warnings)


MATRIX_JOBS: dict[str, dict[str, str | None]] = {
    "nova-libvirt-tm-01": {
        "virt_type": "qemu",
        "images_type": "lvm",
        "machine_type": "q35",
        "console": "spice",
    },
    "nova-libvirt-tm-02": {
        "virt_type": "kvm",
        "images_type": "rbd",
        "machine_type": "pc",
        "console": "vnc",
    },
    "nova-libvirt-tm-03": {
        "virt_type": "qemu",
        "images_type": "qcow2",
        "machine_type": "pc",
        "console": "vnc",
    },
}


def test_matrix_file_coverage_matches_independent_count() -> None:
    catalog = load_file(SMALL / "knobs" / "libvirt.yaml")
    (report,) = audit_matrix([catalog], [SMALL / "matrix" / "libvirt.yaml"])
    assert {job.job: dict(job.values) for job in report.jobs} == MATRIX_JOBS
    assert (report.coverable, report.covered) == independent_count(MATRIX_JOBS)


def test_matrix_of_another_driver() -> None:
    knob = Knob("k", (KnobValue("a"), KnobValue("b")))
    other = Catalog(driver="vmware", repo="nova-vmware", knobs=(knob,))
    with pytest.raises(
        GeneratorError, match="matrix of driver 'libvirt', but the catalog has vmware"
    ):
        audit_matrix([other], [SMALL / "matrix" / "libvirt.yaml"])


def test_shipped_catalog_on_nova() -> None:
    catalogs = load_dir(ROOT / "knobs")
    (report,) = audit_zuul(catalogs, [FIXTURES / name for name in NOVA_REPOS], driver="libvirt")
    values = {job.job: dict(job.values) for job in report.jobs}
    assert values["nova-lvm"]["images_type"] == "lvm"
    assert values["nova-ceph-multistore"]["images_type"] == "rbd"
    assert values["nova-whitebox"]["virt_type"] == "kvm"
    assert values["nova-next"]["hw_machine_type"] == "q35"
    assert 0 < report.covered < report.coverable
    assert {(s.section, s.option) for s in report.stale} == {
        ("compute-feature-enabled", "block_migrate_cinder_iscsi"),
        ("vnc", "ssl_only"),
        ("spice", "ssl_only"),
        ("compute", "heal_instance_info_cache_interval"),
    }
    html = render_html([report])
    assert "Stale or misplaced options" in html
    assert "parent grenade-multinode is not defined" in html
    assert 'fill="#dddddd"' in html  # a knob pair with no feasible value pair (when)


def test_ironic_implied_flags_and_tempest_plugins(tmp_path: Path) -> None:
    (tmp_path / ".zuul.yaml").write_text(
        """
- job:
    name: bm
    vars:
      tempest_plugins: [ironic-tempest-plugin]
      devstack_localrc: {VIRT_DRIVER: ironic, SWAP: "{{ lookup('env', 'X') }}"}
- job:
    name: vm
    vars:
      devstack_localrc: {LIBVIRT_TYPE: qemu}
""",
        encoding="utf-8",
    )
    plugin = Settings(tempest_plugins=("ironic-tempest-plugin",))
    resize = Settings(tempest=(("compute-feature-enabled", "resize", False),))
    swap = Settings(localrc=(("SWAP", "1"),))
    ironic = Catalog(
        driver="ironic",
        repo="nova-ironic",
        knobs=(
            Knob("plugin", (KnobValue("off"), KnobValue("on", settings=plugin)), default="off"),
            Knob("resize", (KnobValue("yes"), KnobValue("no", settings=resize)), default="yes"),
            Knob("swap", (KnobValue("none"), KnobValue("one", settings=swap)), default="none"),
        ),
    )
    (report,) = audit_zuul([ironic], [tmp_path])
    # only the ironic job is the ironic driver's; the opaque SWAP proves nothing
    assert [(j.job, dict(j.values)) for j in report.jobs] == [
        ("bm", {"plugin": "on", "resize": "no", "swap": "none"})
    ]
