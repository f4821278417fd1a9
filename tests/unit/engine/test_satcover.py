"""SAT-built pairwise rows and row elimination, checked by brute force over a tiny CNF.

The oracle enumerates small components into tables; patching its table cap to 0
sends every constrained component to SAT, which is the path large real models
(thousands of options) take. The checker below reads the DIMACS file itself and
enumerates every assignment: no code shared with the engine.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.catalog.dimacs import read_dimacs
from generator.constraints import _oracle
from generator.engine import compile_model, cover
from generator.engine._build import _sat_build
from generator.engine._rng import SplitMix64
from generator.engine._satcover import CodeSpace, pair_matrix, sat_rows
from generator.engine._satshrink import eliminate
from generator.engine.coverage import Coverage
from generator.model import Constraint, Model, Parameter
from tests import oracle
from tests.paths import FIXTURES

CNF = FIXTURES / "cnf" / "features.cnf"


def _clauses(text: str) -> tuple[int, list[list[int]]]:
    """Variables and clauses of a DIMACS text (comments skipped)."""
    nvars = 0
    clauses: list[list[int]] = []
    current: list[int] = []
    for line in text.splitlines():
        if line.startswith("c") or not line.strip():
            continue
        if line.startswith("p"):
            nvars = int(line.split()[2])
            continue
        for token in line.split():
            if token == "0":
                clauses.append(current)
                current = []
            else:
                current.append(int(token))
    return nvars, clauses


def _brute_force(text: str) -> tuple[list[list[int]], list[tuple[int, ...]]]:
    """The clauses and every satisfying assignment (a 0/1 value per variable)."""
    nvars, clauses = _clauses(text)
    valid = [
        bits
        for bits in itertools.product((0, 1), repeat=nvars)
        if all(any((bits[abs(x) - 1] == 1) == (x > 0) for x in c) for c in clauses)
    ]
    return clauses, valid


@pytest.fixture
def sat_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every constrained component decided by SAT, as in models too large to enumerate."""
    monkeypatch.setattr(_oracle, "TABLE_CAP", 0)


@pytest.mark.usefixtures("sat_only")
@pytest.mark.parametrize("optimise", [True, False])
def test_cnf_rows_are_valid_and_cover_every_feasible_pair(optimise: bool) -> None:
    catalog = read_dimacs(CNF)
    space = compile_model(catalog.model)
    assert all(space.oracle.solved[c] for c in range(len(space.compiled.domains)))
    result = cover(catalog.model, space=space, optimise=optimise)
    clauses, valid = _brute_force(CNF.read_text(encoding="utf-8"))
    # Variable i is the knob x<i>, values "0" and "1".
    nvars = len(valid[0])
    columns = [result.names.index(f"x{i + 1}") for i in range(nvars)]
    by_var = [tuple(int(str(row[c])) for c in columns) for row in result.rows]
    assert all(bits in set(valid) for bits in by_var)
    for i, j in itertools.combinations(range(nvars), 2):
        feasible = {(bits[i], bits[j]) for bits in valid}
        held = {(bits[i], bits[j]) for bits in by_var}
        assert feasible == held, (i, j)
    assert result.covered == result.coverable
    # Clause by clause too, in case the brute force and the rows share a mistake.
    for bits in by_var:
        assert all(any((bits[abs(x) - 1] == 1) == (x > 0) for x in c) for c in clauses)


@pytest.mark.usefixtures("sat_only")
def test_elimination_never_grows_and_is_deterministic() -> None:
    catalog = read_dimacs(CNF)
    space = compile_model(catalog.model)
    coverage = Coverage(space.compiled, space.oracle, 2, ())
    greedy = _sat_build(coverage, SplitMix64(3), optimise=False, max_steps=None)
    shrunk = _sat_build(coverage, SplitMix64(3), optimise=True, max_steps=1_000)
    again = _sat_build(coverage, SplitMix64(3), optimise=True, max_steps=1_000)
    assert shrunk.shape[0] <= greedy.shape[0]
    assert (shrunk == again).all()
    targets = coverage.targets
    assert not (targets.flat & ~targets.covered(shrunk)).any()
    none = _sat_build(coverage, SplitMix64(3), optimise=True, max_steps=0)
    assert (none == greedy).all()


@pytest.mark.usefixtures("sat_only")
def test_wide_domains_one_hot_and_a_poor_start_shrinks() -> None:
    # Three-value knobs (one-hot in the solver) under forbids the brute force reads as written.
    knobs = tuple(Parameter(f"k{i}", ("a", "b", "c")) for i in range(6))
    constraints = (
        Constraint("forbid", (("k0", ("a",)), ("k1", ("b", "c")))),
        Constraint("forbid", (("k2", ("c",)), ("k3", ("c",)))),
        Constraint("forbid", (("k4", ("a",)), ("k5", ("a",)), ("k0", ("b",)))),
    )
    model = Model(knobs, constraints)
    space = compile_model(model)
    coverage = Coverage(space.compiled, space.oracle, 2, ())
    targets = coverage.targets
    codes = CodeSpace(space.compiled)
    rows = sat_rows(targets, codes, SplitMix64(1), candidates=2)
    problem = oracle.from_model(model)
    names = space.compiled.names

    def check(array: np.ndarray) -> None:
        as_dicts = [
            {names[c]: space.compiled.values[c][int(x)] for c, x in enumerate(row)} for row in array
        ]
        missing, invalid = oracle.check(problem, as_dicts, 2)
        assert invalid == []
        assert missing == []

    check(rows)
    # Every row doubled: elimination must drop at least the copies.
    doubled = np.concatenate([rows, rows])
    required = pair_matrix(targets, codes.base, codes.n)
    out = eliminate(doubled, required, codes, SplitMix64(2), 5_000)
    assert out.shape[0] <= rows.shape[0]
    check(out)


def test_models_without_a_sat_component_keep_the_ipog_path() -> None:
    # Small components are enumerated: the rows are IPOG's, unchanged by this path.
    catalog = read_dimacs(CNF)
    space = compile_model(catalog.model)
    assert not any(space.oracle.solved)
    result = cover(catalog.model, space=space, max_steps=100)
    assert result.covered == result.coverable
