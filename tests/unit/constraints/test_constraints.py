"""Tests of generator.constraints: compilation, exact feasibility, explanations, repair."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.constraints import _oracle, compile_boxes, compile_model
from generator.constraints._solve import nearest, solve
from generator.engine import Coverage
from generator.errors import ConstraintError, UnsatisfiableError
from generator.model import Constraint, Model, Parameter
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


def test_boxes_in_internal_order() -> None:
    compiled = compile_boxes(MODEL)
    # Larger domains first (d has 2 values + "not applicable"), then declaration order.
    assert compiled.names == ("c", "a", "d", "b", "e")
    assert compiled.domains == (4, 3, 3, 2, 2)
    assert compiled.conditional == (False, False, True, False, False)
    boxes = {(b.cols, b.masks, b.origin) for b in compiled.boxes}
    assert ((1, 3), (0b001, 0b01), 0) in boxes  # forbid a=x, b=1
    assert ((0, 3), (0b1100, 0b01), 1) in boxes  # if b=1 then c in [p, q]
    assert ((1, 2), (0b011, 0b100), -1) in boxes  # a in [x, y] -> d applies
    assert ((1, 2), (0b100, 0b011), -1) in boxes  # a = z -> d not applicable


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        (
            _forbid(("aa", ("x",))),
            "constraint forbid {aa: x}: unknown knob 'aa' (did you mean 'a'?)",
        ),
        (
            _forbid(("a", ("w",)), ("b", ("1",))),
            "constraint forbid {a: w, b: 1}: knob 'a' has no value 'w' (values: x, y, z)",
        ),
        (
            _forbid(("a", ("x", "y", "z"))),
            "constraint forbid {a: [x, y, z]} forbids every value of knob 'a'",
        ),
        (
            _if(("b", ("1",)), ("b", ("2",))),
            None,
        ),
    ],
)
def test_bad_constraints(constraint: Constraint, message: str | None) -> None:
    model = Model(MODEL.parameters, (constraint,))
    if message is None:
        compile_model(model)  # forbids only b=1: fine
        return
    with pytest.raises(ConstraintError) as info:
        compile_model(model)
    assert info.value.message == message


def test_unsatisfiable_names_a_minimal_subset() -> None:
    model = Model(
        MODEL.parameters,
        (
            *MODEL.constraints,
            _forbid(("b", ("2",))),
            _forbid(("e", ("u",))),
        ),
    )
    # b=1 forces a in [y, z] and c in [p, q]; a=z forbids c=p; so a=y or (a=z, c=q)...
    # still satisfiable: check the space agrees with brute force.
    space = compile_model(model)
    assert space.is_feasible({})
    blocking = Model(model.parameters, (*model.constraints, _forbid(("c", ("q",)), ("b", ("1",)))))
    space = compile_model(blocking)
    assert not space.is_feasible({"a": "z"})
    more = Model(model.parameters, (*blocking.constraints, _forbid(("a", ("y",)))))
    with pytest.raises(UnsatisfiableError) as info:
        compile_model(more)
    assert info.value.message == (
        "no valid row exists: these constraints conflict: forbid {a: x, b: 1}; "
        "if {b: 1} then {c: [p, q]}; forbid {c: p, a: z}; forbid {b: 2}; "
        "forbid {c: q, b: 1}; forbid {a: y}"
    )


def test_feasibility_matches_brute_force() -> None:
    space = compile_model(MODEL)
    problem = oracle.from_model(MODEL)
    rows = oracle.valid_rows(problem)
    names = MODEL.names
    for size in (1, 2, 3):
        for knobs in itertools.combinations(names, size):
            options = [[*MODEL.parameter(k).values, None] for k in knobs]
            for combo in itertools.product(*options):
                assignment = dict(zip(knobs, combo, strict=True))
                if any(v is None and not MODEL.parameter(k).when for k, v in assignment.items()):
                    continue
                expected = any(all(r[k] == v for k, v in assignment.items()) for r in rows)
                assert space.is_feasible(assignment) is expected, assignment


def test_why_infeasible_is_deletion_minimal() -> None:
    space = compile_model(MODEL)
    assert space.why_infeasible({"a": "z", "b": "1"}) == ()
    why = space.why_infeasible({"b": "1", "d": "on", "a": "y"})
    # b=1 -> c in [p, q]; d=on forbids q and r -> c=p ... allowed with a=y: feasible.
    assert why == ()
    why = space.why_infeasible({"b": "1", "d": "on", "a": "x"})
    assert why == (MODEL.constraints[0],)
    why = space.why_infeasible({"b": "1", "d": "on", "e": "u", "c": "q"})
    assert why == (MODEL.constraints[3],)
    implied = space.why_infeasible({"b": "1", "a": "z", "c": "p"})
    assert implied == (MODEL.constraints[2],)


def test_blockers_name_the_when_conditions_too() -> None:
    space = compile_model(MODEL)
    assert space.blockers({"a": "z", "b": "1"}) is None
    # only d's condition (a in [x, y]) rules d=on out with a=z: why_infeasible is empty
    assert space.why_infeasible({"a": "z", "d": "on"}) == ()
    blockers = space.blockers({"a": "z", "d": "on"})
    assert blockers is not None
    assert (blockers.constraints, blockers.when) == ((), (MODEL.parameters[3],))
    # a constraint alone: no condition named
    blockers = space.blockers({"b": "1", "d": "on", "a": "x"})
    assert blockers is not None
    assert (blockers.constraints, blockers.when) == ((MODEL.constraints[0],), ())
    # a constraint and a condition together: d=on needs a=x, and c=p forbids a=x
    mixed = Model(
        (
            Parameter("a", ("x", "y")),
            Parameter("d", ("on", "off"), when=(("a", ("x",)),)),
            Parameter("c", ("p", "q")),
        ),
        (_forbid(("c", ("p",)), ("a", ("x",))),),
    )
    blockers = compile_model(mixed).blockers({"c": "p", "d": "on"})
    assert blockers is not None
    assert (blockers.constraints, blockers.when) == (mixed.constraints, (mixed.parameters[1],))


def test_repair_changes_fewest_cells() -> None:
    space = compile_model(MODEL)
    # One change either way (a=y or b=2); ties go to the earlier codes.
    assert space.repair({"a": "x", "b": "1", "c": "p", "d": "on", "e": "v"}) == {
        "a": "x",
        "b": "2",
        "c": "p",
        "d": "on",
        "e": "v",
    }
    # d=on needs a in [x, y]: change a (to its first value) or drop d; one change.
    assert space.repair({"a": "z", "d": "on"}) == {
        "a": "x",
        "b": "2",
        "c": "p",
        "d": "on",
        "e": "u",
    }
    assert space.repair({"a": "z", "d": None, "b": "1"}) == {
        "a": "z",
        "b": "1",
        "c": "q",
        "d": None,
        "e": "u",
    }
    assert space.repair({}) == {"a": "x", "b": "2", "c": "p", "d": "on", "e": "u"}


def test_unknown_knob_in_assignment() -> None:
    space = compile_model(MODEL)
    with pytest.raises(ConstraintError, match="unknown knob 'f'"):
        space.is_feasible({"f": "x"})
    with pytest.raises(ConstraintError, match="knob 'a' always applies"):
        space.is_feasible({"a": None})


def test_search_components_agree_with_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    table = compile_model(MODEL)
    monkeypatch.setattr(_oracle, "TABLE_CAP", 1)
    search = compile_model(MODEL)
    assert all(c.table is None for c in search.oracle.components)
    for strength in (2, 3):
        searched = Coverage(search.compiled, search.oracle, strength)
        tabled = Coverage(table.compiled, table.oracle, strength)
        assert searched.combinations() == tabled.combinations()
        assert searched.infeasible() == tabled.infeasible()
    for assignment in ({"a": "x", "b": "1"}, {"a": "z", "d": "on"}, {}):
        assert search.repair(assignment) == table.repair(assignment)
    for col in range(5):
        row = np.array([-1, 0, -1, 1, -1])
        assert (search.oracle.allowed(row, col) == table.oracle.allowed(row, col)).all()


def test_solver_directly() -> None:
    boxes = [((0, 1), (0b01, 0b01)), ((0,), (0b10,))]
    assert solve([0b11, 0b11], boxes) == [0, 1]
    assert solve([0b11, 0b01], boxes) is None
    assert nearest([0b11, 0b11], boxes, [0, 0]) == [0, 1]
    with pytest.raises(RuntimeError, match="node budget"):
        solve([0b11] * 4, [], limit=2)


def test_allowed_rows_matches_allowed_row_by_row() -> None:
    space = compile_model(MODEL)
    oracle_ = space.oracle
    domains = space.compiled.domains
    rng = np.random.default_rng(5)
    # partial rows, some repeated, some with every cell unset
    rows = np.array(
        [[int(rng.integers(-1, d)) for d in domains] for _ in range(40)] + [[-1] * len(domains)],
        dtype=np.int16,
    )
    rows = np.concatenate([rows, rows[:7]])
    for col in range(len(domains)):
        batch = oracle_.allowed_rows(rows, col)
        assert batch.shape == (rows.shape[0], domains[col])
        for r in range(rows.shape[0]):
            assert (batch[r] == oracle_.allowed(rows[r], col)).all(), (r, col)
    assert oracle_.allowed_rows(rows[:0], 0).shape == (0, domains[0])
