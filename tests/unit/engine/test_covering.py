"""Tests of generator.engine.cover, every array checked by the independent oracle."""

from __future__ import annotations

import pytest

from generator.catalog.loader import load_file
from generator.engine import CoverResult, cover
from generator.errors import ConstraintError, ParameterError, UnsatisfiableError
from generator.model import Constraint, Model, Parameter, Pin, StrengthGroup
from tests import oracle
from tests.paths import MODELS


def _p(name: str, *values: str, when: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Parameter:
    return Parameter(name, values, when)


def _forbid(**pairs: str | tuple[str, ...]) -> Constraint:
    return Constraint(
        "forbid", tuple((k, v if isinstance(v, tuple) else (v,)) for k, v in pairs.items())
    )


def _dicts(result: CoverResult) -> list[dict[str, str | None]]:
    return [dict(zip(result.names, row, strict=True)) for row in result.rows]


def _assert_ok(model: Model, result: CoverResult, strength: int) -> None:
    problem = oracle.from_model(model)
    missing, invalid = oracle.check(problem, _dicts(result), strength)
    assert invalid == []
    assert missing == []
    assert result.covered == result.coverable
    assert result.cumulative[-1] == result.covered
    assert list(result.cumulative) == sorted(result.cumulative)


COND = Model(
    (
        _p("virt", "kvm", "qemu"),
        _p("images", "qcow2", "raw", "lvm", "rbd"),
        _p("encrypt", "on", "off"),
        _p("bus", "virtio", "scsi", "sata"),
        _p("scsi_model", "virtio-scsi", "lsi", when=(("bus", ("scsi",)),)),
        _p("mode", "a", "b", "c"),
    ),
    (
        _forbid(encrypt="on", images=("qcow2", "raw")),
        Constraint("if", (("virt", ("qemu",)),), (("mode", ("b", "c")),)),
        _forbid(scsi_model="lsi", virt="qemu"),
    ),
)


@pytest.mark.parametrize("strength", [1, 2, 3])
@pytest.mark.parametrize("optimise", [False, True])
def test_conditional_constrained_model_is_covered(strength: int, optimise: bool) -> None:
    result = cover(COND, strength=strength, optimise=optimise, max_steps=2000)
    _assert_ok(COND, result, strength)
    assert result.names == COND.names


def test_not_applicable_only_where_condition_fails() -> None:
    result = cover(COND, optimise=False)
    for row in _dicts(result):
        assert (row["scsi_model"] is None) == (row["bus"] != "scsi")


@pytest.mark.parametrize("name", ["ci_nova_libvirt", "ci_storage_network", "t2_3e13"])
def test_fixture_models(name: str) -> None:
    model = load_file(MODELS / f"{name}.yaml").model
    result = cover(model, optimise=False)
    _assert_ok(model, result, 2)


def test_sizes_beat_recorded_peers() -> None:
    # PICT gives 46 and 19 rows on these (INDEX.yaml of the benchmark models).
    libvirt = load_file(MODELS / "ci_nova_libvirt.yaml").model
    assert len(cover(libvirt, optimise=False).rows) < 46
    assert len(cover(load_file(MODELS / "t2_3e13.yaml").model, max_steps=2000).rows) <= 16


def test_same_seed_same_rows_other_seed_still_valid() -> None:
    first = cover(COND, seed=7, max_steps=500)
    assert cover(COND, seed=7, max_steps=500) == first
    _assert_ok(COND, cover(COND, seed=8, max_steps=500), 2)


def test_pins_and_initial_rows_come_first_unchanged() -> None:
    model = Model(
        COND.parameters,
        COND.constraints,
        pinned=(Pin((("virt", "qemu"), ("bus", "scsi"))),),
    )
    initial = [{"images": "lvm", "encrypt": "on", "scsi_model": None}]
    result = cover(model, initial=initial, max_steps=300)
    rows = _dicts(result)
    assert rows[0]["images"] == "lvm"
    assert rows[0]["encrypt"] == "on"
    assert rows[0]["scsi_model"] is None
    assert rows[1]["virt"] == "qemu"
    assert rows[1]["bus"] == "scsi"
    _assert_ok(model, result, 2)


def test_impossible_pin_names_pin_and_constraint() -> None:
    model = Model(
        COND.parameters, COND.constraints, pinned=(Pin((("virt", "qemu"), ("mode", "a"))),)
    )
    with pytest.raises(ConstraintError) as info:
        cover(model)
    assert info.value.message == (
        "pinned combination {virt: qemu, mode: a} is impossible: "
        "it violates if {virt: qemu} then {mode: [b, c]}"
    )


def test_initial_row_with_unknown_knob() -> None:
    with pytest.raises(ConstraintError, match=r"initial row 1 .*unknown knob 'virtt'"):
        cover(COND, initial=[{"virtt": "kvm"}])


def test_budget_respected_and_coverage_reported() -> None:
    model = Model(tuple(_p(f"k{i}", "a", "b", "c", "d") for i in range(8)))
    full = cover(model, optimise=False)
    result = cover(model, max_jobs=6, optimise=False)
    assert len(result.rows) == 6
    assert result.coverable == full.coverable
    assert 0 < result.covered < result.coverable
    problem = oracle.from_model(model)
    missing, invalid = oracle.check(problem, _dicts(result), 2)
    assert invalid == []
    assert result.covered == result.coverable - len(missing)
    # A generous budget changes nothing.
    assert cover(model, max_jobs=500, optimise=False).rows == full.rows


def test_budget_smaller_than_pins_is_a_usage_error() -> None:
    with pytest.raises(ParameterError, match="fewer than the 2 initial"):
        cover(COND, max_jobs=1, initial=[{"virt": "kvm"}, {"virt": "qemu"}])


def test_coverage_front_loaded() -> None:
    model = Model(tuple(_p(f"k{i}", "a", "b", "c") for i in range(10)))
    result = cover(model, optimise=False)
    gains = [b - a for a, b in zip((0, *result.cumulative), result.cumulative, strict=False)]
    assert gains[0] == 45
    assert all(g > 0 for g in gains)


def test_mixed_strength_group() -> None:
    model = Model(
        tuple(_p(f"k{i}", "a", "b", "c") for i in range(6)),
        groups=(StrengthGroup(("k1", "k3", "k5"), 3),),
    )
    result = cover(model, optimise=False)
    _assert_ok(model, result, 2)
    triples = {(r[1], r[3], r[5]) for r in result.rows}
    assert len(triples) == 27
    assert len(result.rows) < 27 + 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strength": 7}, "strength must be between 1 and 6, not 7"),
        ({"strength": 0}, "strength must be between 1 and 6, not 0"),
        ({"max_jobs": 0}, "max_jobs must be at least 1, not 0"),
        ({"max_steps": -1}, "max_steps must not be negative, not -1"),
    ],
)
def test_bad_options(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ParameterError) as info:
        cover(COND, **kwargs)  # type: ignore[arg-type]
    assert info.value.message == message


def test_strength_larger_than_parameters() -> None:
    model = Model((_p("a", "x", "y"), _p("b", "x", "y")))
    with pytest.raises(
        ParameterError, match=r"^strength 3 is larger than the number of parameters \(2\)$"
    ):
        cover(model, strength=3)


def test_unsatisfiable_model() -> None:
    model = Model(
        (_p("a", "x", "y"), _p("b", "p", "q"), _p("c", "1", "2")),
        (_forbid(a="x"), _forbid(c="1", b="p"), _forbid(a="y", b="q"), _forbid(a="y", b="p")),
    )
    with pytest.raises(UnsatisfiableError) as info:
        cover(model)
    assert info.value.message == (
        "no valid row exists: these constraints conflict: forbid {a: x}; "
        "forbid {a: y, b: q}; forbid {a: y, b: p}"
    )


def test_infeasible_reported_not_raised() -> None:
    result = cover(COND, optimise=False)
    pairs = {item.assignment: item.kind for item in result.infeasible}
    assert pairs[(("images", "qcow2"), ("encrypt", "on"))] == "explicit"
    assert pairs[(("virt", "qemu"), ("scsi_model", "lsi"))] == "explicit"
    assert pairs[(("virt", "qemu"), ("mode", "a"))] == "explicit"


def test_strength_one() -> None:
    result = cover(COND, strength=1, optimise=False)
    assert len(result.rows) == 4
    _assert_ok(COND, result, 1)


def test_search_components_give_valid_full_cover(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.constraints import _oracle

    monkeypatch.setattr(_oracle, "TABLE_CAP", 1)
    for strength in (2, 3):
        result = cover(COND, strength=strength, max_steps=300)
        _assert_ok(COND, result, strength)


def test_strength_six_and_progress() -> None:
    model = Model(tuple(_p(f"b{i}", "0", "1") for i in range(7)))
    seen: list[tuple[str, int, int]] = []
    result = cover(model, strength=6, optimise=False, progress=lambda *a: seen.append(a))
    _assert_ok(model, result, 6)
    assert seen[0] == ("build", 0, 7)
    assert seen[-1] == ("build", 7, 7)


def test_nothing_to_cover_still_gives_one_valid_row() -> None:
    model = Model(
        (_p("a", "x", "y"), _p("b", "p", when=(("a", ("x",)),))),
        (_forbid(a="x"),),
    )
    result = cover(model)
    assert result.rows == (("y", None),)
    assert (result.coverable, result.covered, result.cumulative) == (0, 0, (0,))
    assert result.coverage == 1.0


@pytest.mark.parametrize("optimise", [False, True])
def test_one_value_parameter_among_binary_ones(optimise: bool) -> None:
    """A driver's fixed knob (one value) beside binary knobs: constructions must fold onto it."""
    model = Model((*(_p(f"b{i}", "off", "on") for i in range(17)), _p("compute_driver", "ironic")))
    result = cover(model, optimise=optimise)
    _assert_ok(model, result, 2)
    assert {row[-1] for row in result.rows} == {"ironic"}


def test_uniform_model_with_a_stronger_group_skips_t2_constructions() -> None:
    # 2^4 has a 6-row Katona array at t=2, which misses triples of the t=3 group.
    model = Model(
        tuple(_p(f"k{i}", "a", "b") for i in range(4)),
        groups=(StrengthGroup(("k0", "k1", "k2"), 3),),
    )
    result = cover(model)
    _assert_ok(model, result, 2)
    problem = oracle.from_model(model)
    problem.sets = [("k0", "k1", "k2")]
    missing, _ = oracle.check(problem, _dicts(result), 3)
    assert missing == []


@pytest.mark.parametrize("path", ["ci_storage_network.yaml", "t2_3e13.yaml"])
def test_plain_ipog_rows_cover_too(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The row-by-row horizontal growth (used when IPOG-F's gain table is too costly)."""
    from generator.engine import _ipog

    model = load_file(MODELS / path).model
    monkeypatch.setattr(_ipog, "F_COST", 0)
    _assert_ok(model, cover(model, optimise=False), 2)
