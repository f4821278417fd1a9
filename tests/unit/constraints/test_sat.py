"""Tests of generator.constraints._sat: SAT-decided components answer as tables do."""

from __future__ import annotations

import itertools

import numpy as np

from generator.constraints._oracle import Component, enumerate_valid
from generator.constraints._sat import SatComponent
from generator.constraints._solve import LocalBox

DOMAINS = (2, 3, 2, 4, 2)
BOXES: list[LocalBox] = [
    ((0, 1), (0b01, 0b001)),  # c0=0 with c1=0
    ((1, 3), (0b110, 0b0011)),  # c1 in {1,2} with c3 in {0,1}
    ((2,), (0b10,)),  # c2=1 never
    ((3, 4), (0b1000, 0b01)),  # c3=3 with c4=0
    ((0, 4), (0b10, 0b10)),  # c0=1 with c4=1
]
ORIGINS = (0, 1, 2, 3, -1)
COLS = tuple(range(len(DOMAINS)))


def _both() -> tuple[Component, SatComponent]:
    table = enumerate_valid(DOMAINS, BOXES, 10**6)
    assert table is not None
    return Component(COLS, DOMAINS, BOXES, table), SatComponent(COLS, DOMAINS, BOXES)


def test_questions_agree_with_the_table() -> None:
    table, sat = _both()
    partials = itertools.product(*((-1, *range(v)) for v in DOMAINS))
    for partial in list(partials)[::7]:
        assert sat.feasible(partial) == table.feasible(partial), partial
        for j in range(len(DOMAINS)):
            assert (sat.allowed(partial, j) == table.allowed(partial, j)).all(), (partial, j)
        found = sat.solution(partial)
        assert (found is not None) == table.feasible(partial)
        if found is not None:
            assert table.feasible(found)
            assert all(x < 0 or found[j] == x for j, x in enumerate(partial))
    for local in itertools.combinations(range(len(DOMAINS)), 3):
        assert (sat.projection(local) == table.projection(local)).all()


def test_pairs_in_bulk_are_exact() -> None:
    table, sat = _both()
    pairs, unary = sat.pairs()
    want_pairs, want_unary = table.pairs()
    assert (unary == want_unary).all()
    assert (pairs == want_pairs).all()
    assert not pairs.flags.writeable


def test_core_is_infeasible_and_deletion_minimal() -> None:
    _, sat = _both()
    every = {o for o in ORIGINS if o >= 0}
    # c0=0, c4=1: box 0 forces c1 != 0 ... infeasible only through several boxes?
    for partial in itertools.product(*((-1, *range(v)) for v in DOMAINS)):
        if sat.feasible(partial):
            continue
        chosen = sat.core(partial, ORIGINS, every)
        active = [b for b, o in zip(BOXES, ORIGINS, strict=True) if o < 0 or o in chosen]
        check = SatComponent(COLS, DOMAINS, active)
        assert not check.feasible(partial)
        for drop in chosen:
            fewer = [
                b
                for b, o in zip(BOXES, ORIGINS, strict=True)
                if o < 0 or (o in chosen and o != drop)
            ]
            assert SatComponent(COLS, DOMAINS, fewer).feasible(partial)


def test_decode_gives_one_code_per_column() -> None:
    _, sat = _both()
    found = sat.solution([-1] * len(DOMAINS))
    assert found is not None
    assert all(0 <= x < v for x, v in zip(found, DOMAINS, strict=True))
    assert np.asarray(found).shape == (len(DOMAINS),)
