"""CLI: ``knobs validate|list|show|schema`` in-process, exit codes and exact output."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import RunCli
from tests.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "bad_knobs"
GOOD = FIXTURES / "good_dir"


def test_validate_shipped_catalog_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["knobs", "validate"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("ok: 4 drivers, ")
    knobs = int(out.split(", ")[1].split()[0])
    assert knobs >= 60


def test_validate_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "knobs", "validate", str(GOOD)]) == 0
    assert capsys.readouterr() == ("", "")


def test_validate_files_and_dirs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knobs", "validate", str(GOOD / "alpha.yaml"), str(GOOD)]) == 0
    assert capsys.readouterr() == ("ok: 3 drivers, 6 knobs\n", "")


def test_validate_reports_all_problems_of_all_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text("knobs:\n  x: [on]\n", encoding="utf-8")
    Path("b.yaml").write_text("driver: ../b\nknobs:\n  y: [p]\n", encoding="utf-8")
    assert main(["knobs", "validate", "a.yaml", "b.yaml", "nope"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "tempest-matrix: a.yaml:2:7: knob 'x': value on was read as a boolean; quote it: 'on'\n"
        "      x: [on]\n"
        "b.yaml:1:9: driver '../b' is not a safe name: use lowercase letters, digits, '.', "
        "'_' and '-', starting with a letter or digit (no '/' or '..')\n"
        "    driver: ../b\n"
        "nope: no such file or directory\n"
        "3 errors\n"
    )


def test_validate_unsatisfiable_model_names_the_constraints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FIXTURES / "unsatisfiable" / "unsat.yaml"
    assert main(["knobs", "validate", str(path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"tempest-matrix: {path}: ")
    assert f"{path}:6:5: forbid {{b: p}}" in err
    assert f"{path}:7:5: forbid {{a: [x, y], b: q}}" in err


def test_validate_live_without_tempest(capsys: pytest.CaptureFixture[str]) -> None:
    if importlib.util.find_spec("tempest") is not None:
        pytest.skip("tempest is installed")
    assert main(["knobs", "validate", "--live", str(GOOD)]) == 2
    assert capsys.readouterr().err == (
        "tempest-matrix: --live needs tempest installed (pip install tempest and its plugins)\n"
    )


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knobs", "list", "--catalog", str(GOOD)]) == 0
    assert capsys.readouterr().out == (
        "DRIVER  KNOB     DEFAULT  VALUES\n"
        "alpha   mode     fast     fast, slow\n"
        "alpha   backend  ovn      ovn, ovs\n"
        "beta    os       -        linux, mac\n"
        "beta    browser  -        firefox, safari\n"
    )


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["knobs", "list", "--catalog", str(GOOD), "--driver", "alpha", "--format", "json"])
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document == {
        "schema_version": 1,
        "knobs": [
            {
                "driver": "alpha",
                "knob": "mode",
                "values": ["fast", "slow"],
                "default": "fast",
                "description": "the mode",
                "when": {},
                "source": str(GOOD / "alpha.yaml"),
            },
            {
                "driver": "alpha",
                "knob": "backend",
                "values": ["ovn", "ovs"],
                "default": "ovn",
                "description": "shared backend",
                "when": {},
                "source": str(GOOD / "_shared.yaml"),
            },
        ],
    }


def test_list_shipped_catalog_json_has_required_fields(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["knobs", "list", "--format", "json"]) == 0
    knobs = json.loads(capsys.readouterr().out)["knobs"]
    assert len(knobs) >= 60
    for entry in knobs:
        assert {"driver", "knob", "values", "description"} <= set(entry)
        assert entry["description"], entry["knob"]


def test_unknown_driver(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knobs", "list", "--catalog", str(GOOD), "--driver", "alpah"]) == 2
    assert capsys.readouterr().err == (
        "tempest-matrix: unknown driver 'alpah' (did you mean 'alpha'?); "
        f"drivers in {GOOD}: alpha, beta\n"
    )


def test_show_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knobs", "show", "backend", "--catalog", str(GOOD)]) == 0
    assert capsys.readouterr().out == (
        f"backend (driver alpha, {GOOD / '_shared.yaml'}:2:3)\n"
        "  shared backend\n"
        "  default: ovn\n"
        "  - ovn (default)\n"
        "      localrc Q_AGENT=ovn\n"
        "      tempest.conf [compute-feature-enabled] live_migration = False\n"
        "  - ovs\n"
        "      localrc Q_AGENT=openvswitch\n"
        "      tempest.conf [compute-feature-enabled] live_migration = True\n"
    )


def test_show_json_and_when(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["knobs", "show", "num_pcie_ports", "--format", "json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)["knobs"]
    assert entry["driver"] == "libvirt"
    assert entry["when"] == {"hw_machine_type": ["q35"]}
    assert entry["values"][1]["settings"]["post_config"] == {
        "$NOVA_CPU_CONF": {"libvirt": {"num_pcie_ports": 12}}
    }


def test_show_lists_each_values_tests_and_why_untested(cli: RunCli) -> None:
    from generator.catalog.testlist import select, test_list

    catalog = str(ROOT / "knobs")
    code, out, _ = cli("knobs", "show", "swtpm", "--driver", "libvirt", "--catalog", catalog)
    assert code == 0
    regex = r"^whitebox_tempest_plugin\.api\.compute\.test_vtpm\."
    ids = sorted({t.split("[")[0] for t in select(test_list().tests, regex)})
    assert ids
    block = f"      tests {regex} ({len(ids)} tests):\n" + "".join(f"        {t}\n" for t in ids)
    assert block in out
    assert "      untested: " in out  # swtpm=disabled names why no test observes it
    code, out, _ = cli(
        "knobs", "show", "swtpm", "--driver", "libvirt", "--catalog", catalog, "--format", "json"
    )
    values = {v["name"]: v for v in json.loads(out)["knobs"][0]["values"]}
    assert regex in values["enabled"]["settings"]["tests"]
    assert set(ids) <= set(values["enabled"]["test_ids"])
    assert values["enabled"]["untested"] is None
    assert values["disabled"]["untested"]
    assert values["disabled"]["test_ids"] == []


def test_show_names_a_values_subnode_settings(cli: RunCli) -> None:
    catalog = str(ROOT / "knobs")
    code, out, _ = cli("knobs", "show", "images_type", "--driver", "libvirt", "--catalog", catalog)
    assert code == 0
    assert "      on a subnode:\n        localrc REMOTE_CEPH=True\n" in out


def test_show_unknown_knob(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knobs", "show", "bakend", "--catalog", str(GOOD)]) == 2
    assert (
        capsys.readouterr().err
        == "tempest-matrix: unknown knob 'bakend' (did you mean 'backend'?)\n"
    )


def test_schema_is_json_and_names_every_top_level_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knobs", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["required"] == ["knobs"]
    assert "strength_groups" in schema["properties"]


def test_validate_json_lists_every_problem(cli: RunCli) -> None:
    bad = FIXTURES / "include_missing"
    unsat = FIXTURES / "unsatisfiable"
    code, out, err = cli("knobs", "validate", "--format", "json", str(bad), str(unsat))
    assert (code, err) == (2, "")
    document = json.loads(out)
    assert document["ok"] is False
    assert [p["line"] for p in document["problems"]] == [3]
    assert document["problems"][0]["message"].startswith("included file '_absent.yaml' not found")
    assert len(document["unsatisfiable"]) == 1
    assert document["drivers"] == [
        {"driver": "unsat", "path": str(unsat / "unsat.yaml"), "knobs": 2}
    ]
    code, out, _ = cli("knobs", "validate", "--format", "json", str(unsat))
    assert code == 3
    code, out, _ = cli("knobs", "validate", "--format", "json", str(GOOD))
    assert code == 0
    assert json.loads(out)["ok"] is True
