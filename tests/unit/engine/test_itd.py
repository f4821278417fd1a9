"""Incomplete transversal designs from quasi-difference matrices, checked by brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from generator.engine._construct import _hole, construct
from generator.engine._itd import abelian_groups, itd_array, quasi_difference_matrix
from tests.oracle import covers_uniform, is_quasi_difference_matrix


def _partitions(n: int) -> int:
    """Partitions of n, counted by brute force: the abelian groups of order p^n."""
    return sum(
        1
        for parts in itertools.product(range(n + 1), repeat=n)
        if sum(parts) == n and list(parts) == sorted(parts, reverse=True)
    )


@pytest.mark.parametrize("order", [2, 4, 6, 8, 9, 12, 16, 32, 36, 72])
def test_abelian_groups_are_the_invariant_factor_chains(order: int) -> None:
    groups = abelian_groups(order)
    assert len(set(groups)) == len(groups)
    for group in groups:
        assert math.prod(group) == order
        assert all(m >= 2 for m in group)
        assert all(b % a == 0 for a, b in itertools.pairwise(group))
    # the number of abelian groups is multiplicative over prime powers: p(e) per p^e
    count = 1
    rest = order
    for p in (2, 3, 5, 7):
        e = 0
        while rest % p == 0:
            rest, e = rest // p, e + 1
        count *= _partitions(e) if e else 1
    assert len(groups) == count


@pytest.mark.parametrize(
    ("moduli", "k", "u"), [((2, 4), 6, 2), ((9,), 4, 1), ((4,), 4, 2), ((11,), 4, 1)]
)
def test_a_found_matrix_is_a_quasi_difference_matrix(
    moduli: tuple[int, ...], k: int, u: int
) -> None:
    matrix, spent = quasi_difference_matrix(moduli, k, u)
    assert matrix is not None
    assert spent >= 0
    assert is_quasi_difference_matrix(matrix, moduli, u)


def test_two_mols_of_order_six_are_refuted() -> None:
    # a (5, 4; 1, 1; 1) matrix would give two MOLS(6), which do not exist (Tarry): the
    # solver refutes it before the budget runs out (MiniSat needs about 24,000 conflicts)
    matrix, spent = quasi_difference_matrix((5,), 4, 1, conflicts=100_000)
    assert matrix is None
    assert 0 < spent < 100_000


def test_a_budget_too_small_gives_none() -> None:
    matrix, spent = quasi_difference_matrix((2, 4), 6, 2, conflicts=10)
    assert matrix is None
    assert spent <= 11


@pytest.mark.parametrize(("v", "k", "rows"), [(10, 4, 100), (10, 6, 102), (6, 4, 37)])
def test_the_design_and_its_hole_cover_every_pair(v: int, k: int, rows: int) -> None:
    arr = itd_array(v, k, 10_000, _hole)
    assert arr is not None
    assert arr.shape == (rows, k)
    assert arr.dtype == np.int16
    assert arr.min() >= 0
    assert arr.max() < v
    assert covers_uniform(arr, v, 2)


def test_only_a_smaller_array_is_offered() -> None:
    assert itd_array(10, 6, 102, _hole) is None
    assert itd_array(10, 6, 103, _hole) is not None


def test_more_columns_than_a_hole_allows_give_none_without_a_search() -> None:
    # k - 2 IMOLS(v, u) need v >= (k - 1) u: 6^8 leaves only u = 0
    assert itd_array(6, 8, 10_000, _hole) is None


def test_the_construction_reaches_the_tables_sizes_for_ten_symbols() -> None:
    # Colbourn's table: 10^4 in 100 (an orthogonal array), 10^6 in 102 (an ITD)
    for k, rows in [(4, 100), (6, 102)]:
        arr = construct((10,) * k, 2)
        assert arr is not None
        assert arr.shape[0] == rows
        assert covers_uniform(arr, 10, 2)
