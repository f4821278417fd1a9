"""Tests of generator.engine.coverage: the one coverage counter every stage uses."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.constraints import compile_model
from generator.engine import Coverage
from generator.errors import ConstraintError, ParameterError
from generator.model import Constraint, Model, Parameter, StrengthGroup
from tests import oracle


def _forbid(*pairs: tuple[str, tuple[str, ...]]) -> Constraint:
    return Constraint("forbid", tuple(pairs))


def _if(cond: tuple[str, tuple[str, ...]], *then: tuple[str, tuple[str, ...]]) -> Constraint:
    return Constraint("if", (cond,), tuple(then))


MODEL = Model(
    (
        Parameter("a", ("x", "y", "z")),
        Parameter("b", ("1", "2")),
        Parameter("c", ("p", "q", "r", "s")),
        Parameter("d", ("on", "off"), when=(("a", ("x", "y")),)),
        Parameter("e", ("u", "v")),
    ),
    (
        _forbid(("a", ("x",)), ("b", ("1",))),
        _if(("b", ("1",)), ("c", ("p", "q"))),
        _forbid(("c", ("p",)), ("a", ("z",))),
        _forbid(("d", ("on",)), ("c", ("q", "r"))),
    ),
)


def test_combinations_and_infeasible_partition_tuples() -> None:
    coverage = Coverage.of(MODEL, 2)
    problem = oracle.from_model(MODEL)
    feasible = oracle.feasible_tuples(problem, 2)
    assert set(coverage.combinations()) == feasible
    assert coverage.total == len(feasible)
    infeasible = {i.assignment for i in coverage.infeasible()}
    assert not infeasible & feasible
    every = {
        tuple((k, v) for k, v in zip(knobs, combo, strict=True))
        for knobs in itertools.combinations(MODEL.names, 2)
        for combo in itertools.product(*(MODEL.parameter(k).values for k in knobs))
    }
    assert infeasible | feasible == every


def test_combinations_listed_in_declaration_order() -> None:
    listed = Coverage.of(MODEL, 2).combinations()
    names = MODEL.names
    keys = [
        (
            tuple(names.index(k) for k, _ in combo),
            tuple(MODEL.parameter(k).values.index(v) for k, v in combo),
        )
        for combo in listed
    ]
    assert keys == sorted(keys)
    assert all(names.index(a[0]) < names.index(b[0]) for a, b in listed)


def test_infeasible_kinds_and_reasons() -> None:
    found = {i.assignment: i for i in Coverage.of(MODEL, 2).infeasible()}
    explicit = found[(("a", "x"), ("b", "1"))]
    assert explicit.kind == "explicit"
    assert explicit.constraints == (MODEL.constraints[0],)
    # b=1 with c=r: the if/then forbids it literally.
    assert found[(("b", "1"), ("c", "r"))].kind == "explicit"
    # a=z with d: d is not applicable when a=z (a condition, no constraint).
    assert found[(("a", "z"), ("d", "on"))].constraints == ()
    assert found[(("a", "z"), ("d", "on"))].kind == "implied"
    # a=z with b=1 is feasible (c=q): not reported.
    assert (("a", "z"), ("b", "1")) not in found


def test_knob_sets_with_group() -> None:
    sets = Coverage.of(MODEL, 2, (StrengthGroup(("a", "c", "e"), 3),)).knob_sets()
    assert ("a", "c", "e") in sets
    assert ("a", "c") not in sets
    assert ("a", "b") in sets
    assert len(sets) == 10 - 3 + 1


def test_bad_strength_and_group() -> None:
    with pytest.raises(ParameterError, match=r"^strength must be between 1 and 6, not 7$"):
        Coverage.of(MODEL, 7)
    with pytest.raises(ConstraintError, match="strength group: unknown knob 'zz'"):
        Coverage.of(MODEL, 2, (StrengthGroup(("a", "zz"), 2),))


SMALL = Model(tuple(Parameter(n, ("0", "1")) for n in "abc"))


def _row(a: str | None, b: str | None, c: str | None) -> dict[str, str | None]:
    return {"a": a, "b": b, "c": c}


def test_hits_count_only_known_applicable_cells() -> None:
    coverage = Coverage.of(SMALL, 2)
    assert coverage.total == 12
    # A missing knob, an unknown value and None hold nothing.
    rows: list[dict[str, str | None]] = [
        {"a": "0", "b": "0"},
        {"a": "1", "b": "zz", "c": None},
        _row("1", "1", "1"),
    ]
    assert coverage.covered(rows) == 1 + 3
    marked = dict(coverage.marked(coverage.hits(rows)))
    assert marked[(("a", "0"), ("b", "0"))]
    assert not marked[(("a", "1"), ("b", "0"))]
    assert coverage.combinations(~coverage.hits(rows))[0] == (("a", "0"), ("b", "1"))


def test_redundant_rows_in_order_and_extra_requirements() -> None:
    coverage = Coverage.of(SMALL, 2)
    rows = [_row("0", "0", "0"), _row("0", "0", "0"), _row("1", "1", "1"), _row("0", "1", "1")]
    # Row 1 repeats row 0: whichever is tried first goes, never both.
    assert coverage.redundant(rows, [0, 1, 2, 3]) == {0}
    assert coverage.redundant(rows, [1, 0, 2, 3]) == {1}
    # A requirement met only by rows 0 and 1 keeps one of them; one met by row 0 alone keeps it.
    assert coverage.redundant(rows, [0, 1], [[0, 1]]) == {0}
    assert coverage.redundant(rows, [0, 1], [[0]]) == {1}
    assert coverage.redundant([], []) == set()


def test_most_covering_is_greedy_with_ties_to_the_earlier_row() -> None:
    coverage = Coverage.of(SMALL, 2)
    rows = [_row("0", "0", "0"), _row("0", "0", "1"), _row("1", "1", "1"), _row("1", "1", "0")]
    assert coverage.most_covering(rows, 1) == [0]
    # After row 0, row 2 adds 3 new pairs, rows 1 and 3 add 2.
    assert coverage.most_covering(rows, 2) == [0, 2]
    assert coverage.most_covering(rows, 9) == [0, 2, 1, 3]


def test_count_tuples_matches_the_sets() -> None:
    from generator.engine._targets import count_tuples, target_sets

    domains = (4, 3, 3, 2, 2)
    for strength in (1, 2, 3):
        sets = target_sets(len(domains), strength, ())
        want = sum(int(np.prod([domains[c] for c in s])) for s in sets)
        assert count_tuples(domains, strength) == want
    assert count_tuples(domains, 2, (((0, 1, 2), 3),)) == count_tuples(domains, 2) + 36


def test_oversized_builds_are_refused_with_an_estimate() -> None:
    model = Model(tuple(Parameter(f"k{i}", ("a", "b", "c")) for i in range(41)))
    with pytest.raises(ParameterError) as info:
        Coverage.of(model, 6)
    assert info.value.message == (
        "strength 6 over 41 knobs means 3,277,866,852 combinations to cover (about 122.1 GiB "
        "to build), above the limit of 50,000,000; lower the strength or raise max_tuples to "
        "build it anyway"
    )
    assert "--max-tuples" in info.value.worded({"max_tuples": "--max-tuples"})
    space = compile_model(model)
    assert Coverage(space.compiled, space.oracle, 2, max_tuples=None).total == 41 * 40 // 2 * 9
