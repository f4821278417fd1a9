"""Hypothesis properties of the strength-2 product: renaming and multiplying keep coverage.

The product trusts that renaming each column's symbols keeps a covering array
covering, that the rows ``parallel_class`` picks differ in every column, and that
the product of two covering arrays covers every pair of its columns. All three
are checked here against brute force over itertools.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.engine._product import parallel_class, product, with_constant_rows
from tests.oracle import covers_uniform, random_cover

pytestmark = pytest.mark.property


@given(st.integers(2, 4), st.integers(2, 6), st.integers(2, 6), st.integers(0, 2**32 - 1))
def test_the_product_of_covering_arrays_covers(v: int, k1: int, k2: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = random_cover(rng, v, k1), random_cover(rng, v, k2)
    k = int(rng.integers(1, k1 * k2 + 1))
    arr = product(with_constant_rows(a, v), with_constant_rows(b, v), k)
    assert arr.shape[1] == k
    assert arr.shape[0] <= a.shape[0] + b.shape[0]
    assert len({tuple(r) for r in arr.tolist()}) == arr.shape[0]
    assert covers_uniform(arr, v, 2)


@given(
    st.integers(2, 4),
    st.integers(2, 6),
    st.integers(2, 6),
    st.integers(0, 3),
    st.integers(0, 2**32 - 1),
)
def test_constant_rows_on_different_symbols_still_cover(
    v: int, k1: int, k2: int, first: int, seed: int
) -> None:
    """A constant row of one factor only is dropped: the product still covers, with
    N1 + N2 minus one row per symbol constant in either factor."""
    rng = np.random.default_rng(seed)
    a = with_constant_rows(random_cover(rng, v, k1), v)
    b = with_constant_rows(random_cover(rng, v, k2), v, first)
    k = int(rng.integers(1, k1 * k2 + 1))
    arr = product(a, b, k)
    assert covers_uniform(arr, v, 2)
    constant = {int(r[0]) for r in a.tolist() + b.tolist() if len(set(r)) == 1}
    assert arr.shape[0] <= a.shape[0] + b.shape[0] - len(constant)


@given(st.integers(2, 5), st.integers(2, 8), st.integers(0, 2**32 - 1))
def test_renaming_keeps_coverage_and_makes_the_class_constant(v: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    arr = random_cover(rng, v, k)
    chosen = parallel_class(arr, v)
    assert 1 <= len(chosen) <= v
    for i, j in itertools.combinations(chosen, 2):
        assert (arr[i] != arr[j]).all()
    first = int(rng.integers(0, v))
    renamed = with_constant_rows(arr, v, first)
    assert covers_uniform(renamed, v, 2)
    for n, r in enumerate(chosen):
        assert (renamed[r] == (first + n) % v).all()
