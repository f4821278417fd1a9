"""Projection of Bush's OA(q^2; 2, q + 1, q) onto q - c symbols, checked by brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.engine._construct import construct, orthogonal_array
from generator.engine._product import parallel_class
from generator.engine._projection import projected_array
from tests.oracle import covers_uniform

_PROJECTIONS = [(q, c) for q in (3, 4, 5, 7, 8, 9, 11, 13, 16) for c in range(1, q - 1)]


@pytest.mark.parametrize(("q", "c"), _PROJECTIONS)
def test_every_projection_is_a_covering_array_with_v_constant_rows(q: int, c: int) -> None:
    v = q - c
    arr = projected_array(orthogonal_array(q, 2, q + 1), q, c)
    assert arr.shape == (q * q - c, q + 1 + c)
    assert arr.dtype == np.int16
    assert arr.min() >= 0
    assert arr.max() < v
    assert covers_uniform(arr, v, 2)
    assert (arr[:v] == np.arange(v)[:, None]).all()


def test_a_product_finds_the_constant_rows() -> None:
    """The constant rows come first, where ``parallel_class`` looks for its starts: a
    product shares all v of them (10^200 in 120 + 145 - 10 rows)."""
    arr = projected_array(orthogonal_array(11, 2, 12), 11, 1)
    assert len(parallel_class(arr, 10)) == 10


@pytest.mark.parametrize(("q", "c"), [(7, 0), (7, 6), (5, -1)])
def test_c_out_of_range_is_refused(q: int, c: int) -> None:
    with pytest.raises(ValueError, match="no projection"):
        projected_array(orthogonal_array(q, 2, q + 1), q, c)


def test_an_array_that_is_not_the_full_oa_is_refused() -> None:
    with pytest.raises(ValueError, match="no projection"):
        projected_array(orthogonal_array(7, 2, 6), 7, 1)


@pytest.mark.parametrize(
    ("domains", "rows"),
    [
        ([10] * 13, 120),  # OA(11^2) folded has 12 columns at most: 136 rows before
        ([10] * 11 + [7, 3], 120),  # mixed: projected onto 10 symbols, then folded
        ([12] * 15, 168),  # OA(13^2) projected onto 12 symbols (237 rows before)
    ],
)
def test_construct_projects_a_larger_field(domains: list[int], rows: int) -> None:
    arr = construct(domains, 2)
    assert arr is not None
    assert arr.shape == (rows, len(domains))
    cols = arr.T.tolist()
    for i, j in itertools.combinations(range(len(domains)), 2):
        assert set(zip(cols[i], cols[j], strict=True)) == set(
            itertools.product(range(domains[i]), range(domains[j]))
        )
