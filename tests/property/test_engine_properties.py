"""Hypothesis properties of the engine over random small models.

Random knobs (some conditional), random forbid / if-then constraints, pins,
mixed strength and budgets; every array is checked by the independent oracle.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.engine import Coverage, Infeasible, compile_model, cover
from generator.errors import ConstraintError, UnsatisfiableError
from generator.model import Constraint, Model, Parameter, Pin, StrengthGroup
from tests import oracle

pytestmark = pytest.mark.property


@st.composite
def models(draw: st.DrawFn) -> Model:
    k = draw(st.integers(2, 6))
    names = [f"k{i}" for i in range(k)]
    sizes = [draw(st.integers(1, 4)) for _ in names]
    values = [tuple(f"v{j}" for j in range(n)) for n in sizes]
    params = []
    for i, name in enumerate(names):
        when: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if i > 0 and draw(st.integers(0, 4)) == 0:
            other = draw(st.integers(0, i - 1))
            picked = draw(st.lists(st.sampled_from(values[other]), min_size=1, unique=True))
            when = ((names[other], tuple(sorted(picked))),)
        params.append(Parameter(name, values[i], when))

    def side(size: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
        idx = draw(st.lists(st.integers(0, k - 1), min_size=size, max_size=size, unique=True))
        return tuple(
            (
                names[i],
                tuple(sorted(draw(st.lists(st.sampled_from(values[i]), min_size=1, unique=True)))),
            )
            for i in idx
        )

    constraints = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):
            constraints.append(Constraint("forbid", side(draw(st.integers(1, min(3, k))))))
        else:
            cond = side(1)
            then = side(1)
            assume(then[0][0] != cond[0][0])
            constraints.append(Constraint("if", cond, then))
    pinned: tuple[Pin, ...] = ()
    if draw(st.booleans()):
        pinned = (Pin(tuple((n, v[0]) for n, v in side(draw(st.integers(1, 2))))),)
    groups: tuple[StrengthGroup, ...] = ()
    if k >= 4 and draw(st.booleans()):
        members = tuple(
            sorted(draw(st.lists(st.sampled_from(names), min_size=3, max_size=3, unique=True)))
        )
        groups = (StrengthGroup(members, 3),)
    return Model(tuple(params), tuple(constraints), pinned, groups)


def _rows(result: object) -> list[dict[str, str | None]]:
    names = result.names  # type: ignore[attr-defined]
    return [dict(zip(names, row, strict=True)) for row in result.rows]  # type: ignore[attr-defined]


def _cover_or_none(model: Model, **kwargs: object) -> object | None:
    problem = oracle.from_model(model)
    try:
        result = cover(model, **kwargs)  # type: ignore[arg-type]
    except UnsatisfiableError:
        assert oracle.valid_rows(problem) == []
        return None
    except ConstraintError as exc:
        message = exc.message
    else:
        return result
    # A single constraint forbidding a whole always-applicable knob, or an impossible pin.
    assert "forbids every value" in message or "impossible" in message
    return None


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(models(), st.integers(1, 3), st.booleans(), st.integers(0, 2**32))
def test_full_coverage_valid_rows_pins(
    model: Model, strength: int, optimise: bool, seed: int
) -> None:
    assume(strength <= len(model.parameters))
    result = _cover_or_none(model, strength=strength, optimise=optimise, seed=seed, max_steps=300)
    if result is None:
        return
    rows = _rows(result)
    assert rows
    missing, invalid = oracle.check(oracle.from_model(model), rows, strength)
    assert invalid == []
    assert missing == []
    assert result.covered == result.coverable  # type: ignore[attr-defined]
    for i, pin in enumerate(model.pinned):
        assert all(rows[i][k] == v for k, v in pin.assignment)
    again = cover(model, strength=strength, optimise=optimise, seed=seed, max_steps=300)
    assert again == result


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(models(), st.integers(1, 5), st.data())
def test_budget_and_initial_rows(model: Model, budget: int, data: st.DataObject) -> None:
    initial: list[dict[str, str | None]] = []
    if data.draw(st.booleans()):
        p = data.draw(st.sampled_from(model.parameters))
        initial.append({p.name: p.values[-1]})
    assume(budget >= len(initial) + len(model.pinned))
    result = _cover_or_none(model, max_jobs=budget, initial=initial, optimise=False)
    if result is None:
        return
    rows = _rows(result)
    assert len(rows) <= budget
    missing, invalid = oracle.check(oracle.from_model(model), rows, 2)
    assert invalid == []
    if len(rows) < budget:
        assert missing == []
    # Count over the engine's own target sets (a set inside a larger one is not repeated).
    problem = oracle.from_model(model)
    problem.sets = list(Coverage.of(model, 2).knob_sets())
    missing, _ = oracle.check(problem, rows, 2)
    assert result.covered == result.coverable - len(missing)  # type: ignore[attr-defined]
    for i, row in enumerate(initial):
        assert all(rows[i][k] == v for k, v in row.items())


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(models(), st.integers(1, 5), st.integers(0, 2**32), st.data())
def test_budget_search_never_covers_less_than_greedy(
    model: Model, budget: int, seed: int, data: st.DataObject
) -> None:
    initial: list[dict[str, str | None]] = []
    if data.draw(st.booleans()):
        p = data.draw(st.sampled_from(model.parameters))
        initial.append({p.name: p.values[0]})
    assume(budget >= len(initial) + len(model.pinned))
    kwargs: dict[str, object] = {"max_jobs": budget, "initial": initial, "seed": seed}
    greedy = _cover_or_none(model, optimise=False, **kwargs)
    if greedy is None:
        return
    result = cover(model, max_steps=300, **kwargs)  # type: ignore[arg-type]
    rows = _rows(result)
    assert len(rows) <= budget
    assert result.covered >= greedy.covered  # type: ignore[attr-defined]
    problem = oracle.from_model(model)
    problem.sets = list(Coverage.of(model, 2).knob_sets())
    missing, invalid = oracle.check(problem, rows, 2)
    assert invalid == []
    assert result.covered == result.coverable - len(missing)
    assert list(result.cumulative) == sorted(result.cumulative)
    for i, row in enumerate(initial):
        assert all(rows[i][k] == v for k, v in row.items())
    for i, pin in enumerate(model.pinned, start=len(initial)):
        assert all(rows[i][k] == v for k, v in pin.assignment)
    assert cover(model, max_steps=300, **kwargs) == result  # type: ignore[arg-type]


def _feasible_under(model: Model, kept: tuple[Constraint, ...], item: Infeasible) -> bool:
    try:
        space = compile_model(Model(model.parameters, kept))
    except UnsatisfiableError:
        return False
    return space.is_feasible(dict(item.assignment))


def _assert_explains(model: Model, item: Infeasible) -> None:
    """The constraints named rule the combination out (minimality is the unit tests')."""
    assert not _feasible_under(model, item.constraints, item)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(models())
def test_search_components_match_enumerated_tables(model: Model) -> None:
    from generator.constraints import _oracle

    try:
        table = compile_model(model)
    except (UnsatisfiableError, ConstraintError):
        return
    saved = _oracle.TABLE_CAP
    _oracle.TABLE_CAP = 1
    try:
        search = compile_model(model)
        searched = Coverage(search.compiled, search.oracle, 2, model.groups)
        tabled = Coverage(table.compiled, table.oracle, 2, model.groups)
        assert searched.combinations() == tabled.combinations()
        # Both report the same combinations; SAT explanations start from a core, so
        # they may name another deletion-minimal set of constraints.
        found, want = searched.infeasible(), tabled.infeasible()
        assert [(i.assignment, i.kind) for i in found] == [(i.assignment, i.kind) for i in want]
        for item in found:
            _assert_explains(model, item)
        first = {p.name: p.values[-1] for p in model.parameters[:2]}
        assert search.is_feasible(first) == table.is_feasible(first)
        assert search.repair(first) == table.repair(first)
        model = Model(model.parameters, model.constraints, groups=model.groups)
        result = cover(model, optimise=False)
    finally:
        _oracle.TABLE_CAP = saved
    missing, invalid = oracle.check(oracle.from_model(model), _rows(result), 2)
    assert invalid == []
    assert missing == []
