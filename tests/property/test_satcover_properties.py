"""Hypothesis properties of the SAT-built rows over random small CNF formulas.

With the oracle's table cap at 0 every constrained component is decided by SAT,
so these small formulas take the path of real models with thousands of options
(``_satcover`` then ``_satshrink``). Validity and pair coverage are checked by
brute force over every assignment, clause by clause, sharing no engine code.
"""

from __future__ import annotations

import itertools
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.constraints import _oracle
from generator.engine import cover
from generator.errors import ConstraintError, UnsatisfiableError
from generator.model import Constraint, Model, Parameter

pytestmark = pytest.mark.property


@st.composite
def formulas(draw: st.DrawFn) -> tuple[int, list[list[int]]]:
    nvars = draw(st.integers(2, 8))
    literal = st.integers(1, nvars).flatmap(lambda v: st.sampled_from((v, -v)))
    clauses = draw(st.lists(st.lists(literal, min_size=1, max_size=3), max_size=10))
    # One variable per clause at most once, as the DIMACS reader leaves them.
    return nvars, [sorted(set(c), key=abs) for c in clauses if len({abs(x) for x in c}) == len(c)]


def _model(nvars: int, clauses: list[list[int]]) -> Model:
    knobs = tuple(Parameter(f"x{i + 1}", ("0", "1")) for i in range(nvars))
    forbids = tuple(
        Constraint("forbid", tuple((f"x{abs(x)}", ("0" if x > 0 else "1",)) for x in c))
        for c in clauses
    )
    return Model(knobs, forbids)


def _satisfies(bits: tuple[int, ...], clauses: list[list[int]]) -> bool:
    return all(any((bits[abs(x) - 1] == 1) == (x > 0) for x in c) for c in clauses)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(formulas(), st.booleans(), st.integers(0, 2**32))
def test_sat_rows_are_valid_complete_and_reproducible(
    formula: tuple[int, list[list[int]]], optimise: bool, seed: int
) -> None:
    nvars, clauses = formula
    valid = [b for b in itertools.product((0, 1), repeat=nvars) if _satisfies(b, clauses)]
    model = _model(nvars, clauses)
    message = ""
    with mock.patch.object(_oracle, "TABLE_CAP", 0):
        try:
            result = cover(model, optimise=optimise, seed=seed, max_steps=300)
        except UnsatisfiableError:
            assert valid == []
            return
        except ConstraintError as exc:
            message = exc.message
        else:
            again = cover(model, optimise=optimise, seed=seed, max_steps=300)
    if message:
        # A clause that forbids every value of a variable on its own: refused up front.
        assert "forbids every value" in message
        return
    assert again == result
    assert valid
    columns = [result.names.index(f"x{i + 1}") for i in range(nvars)]
    rows = [tuple(int(str(row[c])) for c in columns) for row in result.rows]
    assert all(_satisfies(bits, clauses) for bits in rows)
    for i, j in itertools.combinations(range(nvars), 2):
        assert {(b[i], b[j]) for b in valid} == {(b[i], b[j]) for b in rows}
