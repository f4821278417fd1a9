"""The ``audit`` subcommand, run in-process through ``main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.catalog.loader import load_file
from tests.conftest import RunCli
from tests.paths import FIXTURES

FIXTURES = FIXTURES / "zuul"
SMALL = FIXTURES / "audit-small"
CATALOG = str(SMALL / "knobs")
ZUUL = [str(SMALL / "project"), str(SMALL / "base")]


def test_table(cli: RunCli) -> None:
    code, out, err = cli("audit", "--catalog", CATALOG, "--zuul", *ZUUL)
    assert code == 0
    assert err == (
        "tempest-matrix: warning: not audited, no devstack settings in the given files "
        "(their parents are not given): job-tox\n"
    )
    lines = out.splitlines()
    assert lines[1] == "  2-way coverage 65.5% (19/29 feasible combinations) by 7 jobs"
    # The jobs first, each with its pipelines and non-default values, then why
    # some were not fully recovered.
    assert lines[3:7] == [
        "  jobs audited: 7",
        "    JOB                  PIPELINES  VALUES (other knobs at their defaults)",
        "    job-default          -          (all defaults)",
        "    job-lvm              -          images_type=lvm",
    ]
    assert "    job-flat             -          images_type=?" in lines
    assert "  jobs whose values are not all recovered: 3" in lines
    start = lines.index("  all 6 knob pairs, worst first:")
    assert lines[start + 1] == "    images_type × console          3/6     50.0%"
    assert (
        "  uncovered: 10 combinations; 4 extra jobs would cover them; the 3 largest cover 9 "
        "(--extra-jobs N or --all for more):"
    ) in lines
    assert "  [1] covers 4; sets images_type=lvm, machine_type=q35, console=spice:" in lines
    assert lines.count("- job:") == 3


def test_extra_jobs_are_zuul_jobs_that_cover_their_group(cli: RunCli) -> None:
    import yaml

    code, out, _ = cli("-q", "audit", "--catalog", CATALOG, "--all", "--zuul", *ZUUL)
    assert code == 0
    model = load_file(SMALL / "knobs" / "libvirt.yaml").model
    _, data, _ = cli("-q", "audit", "--catalog", CATALOG, "--format", "json", "--zuul", *ZUUL)
    (report,) = json.loads(data)
    assert len(report["uncovered_groups"]) == 4
    for n, group in enumerate(report["uncovered_groups"], 1):
        (stanza,) = yaml.safe_load(group["zuul"])
        assert stanza["job"]["name"] == f"nova-libvirt-extra-{n:02d}"
        values = group["job"]
        assert model.row_problems(tuple(values[p.name] for p in model.parameters)) == []
        assert all(values[k] == v for k, v in group["assignment"].items())
        # The table prints the same job, ready to paste.
        assert group["zuul"] in out + "\n"
    # --all lists every pair, every group and the combinations each covers.
    assert out.count("- job:") == 4
    assert "      images_type=lvm, console=spice" in out.splitlines()


def test_top_and_extra_jobs_limit_the_table(cli: RunCli) -> None:
    argv = ("-q", "audit", "--catalog", CATALOG, "--zuul", *ZUUL)
    _, out, _ = cli(*argv, "--top", "2", "--extra-jobs", "1")
    lines = out.splitlines()
    assert "  worst 2 of 6 knob pairs (--all for every pair):" in lines
    assert out.count("- job:") == 1


def test_json_is_a_list_of_reports(cli: RunCli) -> None:
    code, out, _ = cli(
        "audit",
        "--catalog",
        CATALOG,
        "--driver",
        "libvirt",
        "--format",
        "json",
        "--zuul",
        *ZUUL,
    )
    assert code == 0
    (report,) = json.loads(out)
    assert report["schema_version"] == 1
    assert (report["driver"], report["strength"], report["jobs"]) == ("libvirt", 2, 7)
    assert (report["coverable"], report["covered"]) == (29, 19)
    assert report["coverage"] == pytest.approx(19 / 29, abs=1e-6)
    assert len(report["uncovered"]) == 10
    assert {u["job"] for u in report["unmatched_jobs"]} == {
        "job-multinode-mixed",
        "job-flat",
        "job-lvm-resize",
    }


def test_html_to_file(cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "audit.html"
    code, out, _ = cli(
        "audit",
        "--catalog",
        CATALOG,
        "--format",
        "html",
        "--output",
        str(target),
        "--zuul",
        *ZUUL,
    )
    assert code == 0
    assert out == ""
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "<title>" not in html.replace("<title>tempest-matrix audit</title>", "")
    # Contents link to the sections, which come in reading order: summary, jobs,
    # pairs, extra jobs, heatmap.
    anchors = ["driver-libvirt", "-jobs", "-pairs", "-uncovered", "-heatmap"]
    ids = [f'id="driver-libvirt{a}"' if a.startswith("-") else f'id="{a}"' for a in anchors]
    positions = [html.index(i) for i in ids]
    assert positions == sorted(positions)
    for anchor in anchors:
        ref = anchor if not anchor.startswith("-") else f"driver-libvirt{anchor}"
        assert f'href="#{ref}"' in html
    # Numbers are printed: the coverage, each job's values, each heatmap cell.
    assert '<span class="big">65.5%</span> (19 of 29 feasible 2-way combinations)' in html
    assert "<td>job-lvm</td><td class=nowrap>–</td><td>images_type=lvm</td>" in html
    cells = html[html.index("<svg") : html.index("</svg>")]
    assert cells.count("<rect") == 6  # one per knob pair (4 knobs)
    assert ">50</text>" in cells
    assert html.count("<pre>- job:") == 3


def test_fail_under(cli: RunCli) -> None:
    code, _, err = cli("audit", "--catalog", CATALOG, "--fail-under", "70", "--zuul", *ZUUL)
    assert code == 1
    assert err.endswith("tempest-matrix: libvirt: coverage 65.5% is below --fail-under 70%\n")
    code, _, _ = cli("audit", "--catalog", CATALOG, "--fail-under", "65", "--zuul", *ZUUL)
    assert code == 0


def test_strength_three(cli: RunCli) -> None:
    code, out, _ = cli(
        "audit",
        "--catalog",
        CATALOG,
        "--strength",
        "3",
        "--format",
        "json",
        "--zuul",
        *ZUUL,
    )
    assert code == 0
    (report,) = json.loads(out)
    assert report["strength"] == 3
    # (virt, images, machine) 12 - 2 kvm+lvm, (virt, images, console) 12 - 2,
    # (virt, machine, console) 8, (images, machine, console) 12
    assert report["coverable"] == 40


def test_external_parent_warning(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".zuul.yaml").write_text(
        "- job:\n    name: job-ext\n    parent: devstack-elsewhere\n    vars:\n"
        "      devstack_localrc: {LIBVIRT_TYPE: kvm}\n",
        encoding="utf-8",
    )
    code, out, err = cli("audit", "--catalog", CATALOG, "--format", "json", "--zuul", str(tmp_path))
    # The only job's devstack set-up is unknown: the figures mean nothing, exit 1.
    assert code == 1
    assert err == (
        "tempest-matrix: warning: parent devstack-elsewhere is not defined in the given files; "
        "its variables are unknown (jobs: job-ext)\n"
        "tempest-matrix: libvirt: none of the 1 jobs has its devstack set-up in the given "
        "files; pass the repositories that define their parents (e.g. devstack and tempest) "
        "after the audited project\n"
    )
    (report,) = json.loads(out)
    assert report["complete"] is False
    assert report["unresolved_parents"] == [{"job": "job-ext", "parent": "devstack-elsewhere"}]
    quiet = cli("-q", "audit", "--catalog", CATALOG, "--format", "json", "--zuul", str(tmp_path))
    assert quiet[0] == 1
    assert "warning" not in quiet[2]


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
        ("cycle", ".zuul.yaml:2: parent cycle: job-a -> job-b -> job-c -> job-a"),
    ],
)
def test_bad_zuul_exit_2(cli: RunCli, scenario: str, message: str) -> None:
    path = FIXTURES / "bad" / scenario
    code, out, err = cli("audit", "--catalog", CATALOG, "--zuul", str(path))
    assert code == 2
    assert out == ""
    assert err == f"tempest-matrix: {path}/{message}\n"


def test_catalog_that_matches_nothing_exit_2(cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "libvirt.yaml").write_text(
        "driver: libvirt\nrepo: nova-libvirt\nknobs:\n  widget:\n    values:\n"
        "      - plain:\n          localrc: {WIDGET: plain}\n"
        "      - fancy:\n          localrc: {WIDGET: fancy}\n",
        encoding="utf-8",
    )
    code, out, err = cli("audit", "--catalog", str(tmp_path), "--zuul", *ZUUL)
    assert code == 2
    assert out == ""
    assert err == (
        "tempest-matrix: the catalog (drivers: libvirt) matches none of the knobs of the "
        f"7 devstack job(s) in {ZUUL[0]}\n"
    )


def test_unknown_driver_exit_2(cli: RunCli) -> None:
    code, _, err = cli("audit", "--catalog", CATALOG, "--driver", "libvirtt", "--zuul", *ZUUL)
    assert code == 2
    assert err == (
        "tempest-matrix: unknown driver 'libvirtt' (did you mean 'libvirt'?); "
        f"drivers in {CATALOG}: libvirt\n"
    )


def test_sources_are_required(cli: RunCli) -> None:
    code, _, err = cli("audit", "--catalog", CATALOG)
    assert code == 2
    assert "one of the arguments --matrix --zuul is required" in err


def test_audit_matrix_table(cli: RunCli) -> None:
    path = str(SMALL / "matrix" / "libvirt.yaml")
    code, out, _ = cli("audit", "--catalog", CATALOG, "--matrix", path)
    assert code == 0
    assert out.splitlines()[:4] == [
        f"driver libvirt (nova-libvirt), jobs from {path}",
        "  2-way coverage 58.6% (17/29 feasible combinations) by 3 jobs",
        "",
        "  jobs audited: 3",
    ]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--strength", "x", "argument --strength/-t: expected an integer, got 'x'"),
        ("--strength", "0", "argument --strength/-t: expected a positive integer, got 0"),
        ("--fail-under", "lots", "argument --fail-under: expected a percentage, got 'lots'"),
        ("--fail-under", "120", "argument --fail-under: expected 0..100, got 120"),
    ],
)
def test_bad_option_values(cli: RunCli, option: str, value: str, message: str) -> None:
    code, out, err = cli("audit", "--catalog", CATALOG, option, value, "--zuul", *ZUUL)
    assert code == 2
    assert out == ""
    assert err.endswith(f"tempest-matrix audit: error: {message}\n")


def test_nova_table_lists_stale_options(cli: RunCli) -> None:
    repos = ["nova", "devstack", "tempest", "devstack-plugin-ceph", "whitebox-tempest-plugin"]
    code, out, err = cli(
        "audit", "--catalog", CATALOG, "--zuul", *(str(FIXTURES / r) for r in repos)
    )
    assert code == 0
    assert "parent grenade-multinode is not defined in the given files" in err
    assert "  stale or misplaced options: 6" in out.splitlines()
    assert (
        "    nova-alt-configurations: $NOVA_CONF [vnc] ssl_only: unknown option 'ssl_only' in "
        "[vnc] (it is registered in [DEFAULT]) (set in "
        f"{FIXTURES}/nova/.zuul.yaml:165 (nova-alt-configurations))"
    ) in out.splitlines()


def test_fully_covering_matrix_html(cli: RunCli, tmp_path: Path) -> None:
    matrix = tmp_path / "libvirt.yaml"
    text = (SMALL / "matrix" / "libvirt.yaml").read_text(encoding="utf-8")
    rows = [
        ("qemu", "qcow2", "pc", "vnc"),
        ("qemu", "lvm", "q35", "spice"),
        ("qemu", "rbd", "q35", "vnc"),
        ("kvm", "qcow2", "q35", "spice"),
        ("kvm", "rbd", "pc", "spice"),
        ("qemu", "lvm", "pc", "vnc"),
        ("kvm", "qcow2", "pc", "vnc"),
        ("qemu", "rbd", "pc", "spice"),
        ("qemu", "qcow2", "q35", "spice"),
    ]
    jobs = "".join(
        f"- name: nova-libvirt-tm-{i:02d}\n  values:\n"
        + "".join(f"    {k}: {v}\n" for k, v in zip(DOMAIN_ORDER, row, strict=True))
        for i, row in enumerate(rows, 1)
    )
    header = text[: text.index("jobs:\n") + 6].replace("next_number: 4", "next_number: 10")
    matrix.write_text(header + jobs, encoding="utf-8")
    code, out, _ = cli("audit", "--catalog", CATALOG, "--format", "html", "--matrix", str(matrix))
    assert code == 0
    assert "<p>None: every feasible combination is covered.</p>" in out
    assert '<span class="big">100.0%</span> (29 of 29 feasible 2-way combinations)' in out


DOMAIN_ORDER = ("virt_type", "images_type", "machine_type", "console")
