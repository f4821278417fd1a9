from __future__ import annotations

import itertools

import numpy as np
import pytest

from generator.engine._construct import construct
from generator.engine._gf import gf_power, gf_tables, primitive_element
from generator.engine._group3 import develop
from generator.engine._multiplier3 import (
    multiplier3,
    multiplier_rows,
    multiplier_starter,
    passing,
    starter_of,
)
from tests.oracle import covers_uniform


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9, 11, 13, 16])
def test_the_primitive_element_generates_every_nonzero_element(q: int) -> None:
    mul = gf_tables(q)[1]
    w = primitive_element(q)
    assert {gf_power(mul, w, e) for e in range(q - 1)} == set(range(1, q))


def _all_vectors(q: int) -> np.ndarray:
    """Every x with x[A] = 0 and x[B] in {0, 1}, as the enumeration takes them."""
    tails = list(itertools.product(range(q), repeat=2 * q - 2))
    return np.array([[0, b, *t] for b in (0, 1) for t in tails], dtype=np.int64)


def test_the_conditions_agree_with_brute_force_on_every_vector_of_q_3() -> None:
    cand = _all_vectors(3)
    verdict = set(passing(3, cand).tolist())
    brute = {i for i, x in enumerate(cand) if covers_uniform(develop(starter_of(3, x), 3, 2), 3, 3)}
    assert verdict == brute
    assert 0 < len(brute) < len(cand)  # both outcomes are exercised


def test_the_conditions_agree_with_brute_force_on_vectors_of_q_5() -> None:
    rng = np.random.default_rng(5)
    cand = rng.integers(0, 5, size=(60, 10))
    cand[:, 0], cand[:, 1] = 0, rng.integers(0, 2, size=60)
    found = multiplier_starter(5)
    assert found is not None
    # the found starter's own vector is S_0 read back: S_0[c] = x[c]
    cand[0] = found[1]
    # and vectors one cell away from it, which mostly fail
    for i in range(1, 20):
        cand[i] = found[1]
        cand[i, 2 + i % 8] = (cand[i, 2 + i % 8] + 1 + i % 4) % 5
    verdict = set(passing(5, cand).tolist())
    brute = {i for i, x in enumerate(cand) if covers_uniform(develop(starter_of(5, x), 5, 4), 5, 3)}
    assert verdict == brute
    assert 0 in brute
    assert len(brute) < len(cand)


@pytest.mark.parametrize(("q", "rows"), [(3, 33), (5, 185)])
def test_the_starter_gives_the_best_known_size_and_has_the_symmetry(q: int, rows: int) -> None:
    starter = multiplier_starter(q)
    assert starter is not None
    n = 2 * (q - 1)
    assert starter.shape == (2 * q - 1, 2 * q)
    assert multiplier_rows(q) == rows
    arr = develop(starter, q, q - 1)
    assert arr.shape == (rows, 2 * q)
    assert covers_uniform(arr, q, 3)
    # sigma (C_j -> C_(j+1), u -> w u) carries the starter's rows onto its rows
    mul = gf_tables(q)[1]
    w = primitive_element(q)
    moved = np.zeros_like(starter)
    moved[:, :2] = mul[w, starter[:, :2]]
    for j in range(n):
        moved[:, 2 + (j + 1) % n] = mul[w, starter[:, 2 + j]]
    assert {tuple(r) for r in moved.tolist()} == {tuple(r) for r in starter.tolist()}


def test_no_starter_where_the_enumeration_finds_none_or_cannot_run() -> None:
    assert multiplier_starter(4) is None  # exhaustive: none of the 8,192 vectors works
    assert multiplier_starter(6) is None  # no field
    assert multiplier_starter(7) is None  # 2 * 7^12 vectors: beyond the enumeration
    assert multiplier_starter(2) is None


def test_multiplier3_cuts_columns_and_respects_below() -> None:
    arr = multiplier3(5, 8, 200)
    assert arr is not None
    assert arr.shape == (185, 8)
    assert covers_uniform(arr, 5, 3)
    assert multiplier3(5, 10, 185) is None  # not fewer rows than asked for
    assert multiplier3(5, 11, 10**6) is None  # more than 2q columns
    assert multiplier3(4, 8, 10**6) is None


def test_construct_takes_it_for_5_to_the_10_at_strength_3() -> None:
    arr = construct([5] * 10, 3)
    assert arr is not None
    assert arr.shape == (185, 10)  # 225 from a doubling before
    assert covers_uniform(arr, 5, 3)
