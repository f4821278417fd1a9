"""Hypothesis properties of the incomplete transversal designs (``_itd``).

Whatever group, column count and hole size are asked, a matrix the solver returns is a
quasi-difference matrix by its definition, and its development is an incomplete
transversal design: on every two columns each pair of symbols not both in the hole
appears exactly once and no pair of hole symbols appears. The matrix is checked with
tuple arithmetic (not the engine's addition table), the design by counting its pairs.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.engine._itd import _addition, abelian_groups, developed, quasi_difference_matrix
from tests.oracle import is_quasi_difference_matrix

pytestmark = pytest.mark.property


@st.composite
def _asks(draw: st.DrawFn) -> tuple[tuple[int, ...], int, int]:
    order = draw(st.integers(2, 9))
    moduli = draw(st.sampled_from(abelian_groups(order)))
    u = draw(st.integers(1, 3))
    k = draw(st.integers(2, max(2, (order + 2 * u) // u)))
    return moduli, k, u


@given(_asks())
def test_a_returned_matrix_develops_into_an_incomplete_transversal_design(
    ask: tuple[tuple[int, ...], int, int],
) -> None:
    moduli, k, u = ask
    matrix, spent = quasi_difference_matrix(moduli, k, u, conflicts=2_000)
    assert spent >= 0
    if matrix is None:
        return
    assert matrix.shape == (k, len(list(itertools.product(*map(range, moduli)))) + 2 * u)
    assert is_quasi_difference_matrix(matrix, moduli, u)
    design = developed(matrix, _addition(moduli))
    g = design.shape[0] // matrix.shape[1]
    assert design.shape == (g * (g + 2 * u), k)
    symbols = range(g + u)
    for i, j in itertools.combinations(range(k), 2):
        seen = Counter(zip(design[:, i].tolist(), design[:, j].tolist(), strict=True))
        for a, b in itertools.product(symbols, repeat=2):
            assert seen[(a, b)] == (0 if a >= g and b >= g else 1)
