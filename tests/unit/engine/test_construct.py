"""Algebraic constructions, each result checked with plain itertools."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest

from generator.engine._construct import (
    _plain,
    _unfactored,
    construct,
    cover_starter,
    gf_tables,
    hash_stack,
    orthogonal_array,
)
from generator.engine._gf import prime_power_from
from generator.engine._product import product, product_array, with_constant_rows


def _covers(arr: np.ndarray, domains: list[int], t: int) -> bool:
    """Independent check: every t-tuple of values over every t columns appears in a row."""
    rows = [tuple(int(x) for x in r) for r in arr.tolist()]
    for cols in itertools.combinations(range(len(domains)), t):
        seen = {tuple(r[c] for c in cols) for r in rows}
        if len(seen) != math.prod(domains[c] for c in cols):
            return False
    return all(0 <= r[c] < domains[c] for r in rows for c in range(len(domains)))


@pytest.mark.parametrize(
    ("v", "k", "t", "size"),
    [
        (3, 4, 2, 9),  # Bush OA(9; 2, 4, 3)
        (5, 6, 2, 25),
        (7, 8, 2, 49),
        (4, 5, 2, 16),  # GF(4)
        (8, 9, 2, 64),  # GF(8)
        (9, 10, 2, 81),  # GF(9)
        (4, 6, 3, 64),  # q+2 hyperoval column, q even
        (8, 10, 3, 512),
        (3, 4, 3, 27),  # parity array
        (5, 5, 4, 625),
        (2, 100, 2, 10),  # Kleitman-Spencer / Katona
        (2, 10, 2, 6),
        (2, 3, 2, 4),
        (10, 6, 3, 1330),  # OA(11^3) folded onto 10 symbols, one duplicate row dropped
        (6, 6, 3, 342),  # OA(7^3) folded: a loose start for the post-optimiser
        (10, 20, 2, 168),  # cover starter over Z_8 with 2 fixed points: 8*20 + CAN(2,20,2)
        (4, 10, 2, 26),  # cover starter: 2*10 + 6
        (8, 18, 2, 107),  # cover starter with 3 fixed symbols: 5*18 + a searched 3^18 (17)
        (4, 50, 2, 34),  # quasi-cyclic: five starters of length 11 over Z_3 + infinity
        (3, 13, 2, 15),  # quasi-cyclic: two starters of length 7 over Z_2 + infinity
        # products: OA(16; 2, 5, 4) and a CA(28; 2, 20, 4), one constant row each on
        # different symbols (16 + 28 - 2), smaller than the stack; partitioned, they
        # have 4 * 20 + 16 columns, too few
        (4, 100, 2, 42),
        # OA(64; 2, 9, 8) and an 85-row CA(2, 12, 8), partitioned: 64 + 85 - 8 rows,
        # against 147 from the plain product and 176 from the stack
        (8, 100, 2, 141),
        (6, 64, 2, 86),  # product of two OA(7^2) folded onto 6 symbols (46 rows each)
        (6, 40, 3, 624),  # cyclotomy mod 103: 6 * 103 + 6 (test_cyclotomy: 683 without)
        (3, 12, 3, 45),  # cyclic: one starter of length 14 over Z_3, 3 * 14 + 3 rows
        (3, 10, 3, 45),  # the same length-14 starter's first 10 columns
        (2, 11, 3, 12),  # Paley Hadamard matrix of order 12
        (2, 20, 3, 18),  # doubling: Paley 12 + Katona's CA(6; 2, 10, 2)
        (2, 40, 3, 26),  # doubling twice: 18 + Katona's CA(8; 2, 20, 2)
        (4, 21, 3, 127),  # hash family: two rows of PG(2, 4) points, 2 * 63 + 1
        (5, 20, 3, 245),  # hash family: two rows of affine points, 2 * 120 + 5
        (5, 12, 3, 225),  # doubling: OA(5^3) twice, OA(5^2) shifted four times
        (3, 8, 3, 45),  # doubling: OA(3^3) + 2 * OA(3^2)
    ],
)
def test_construction_sizes_and_coverage(v: int, k: int, t: int, size: int) -> None:
    domains = [v] * k
    arr = construct(domains, t)
    assert arr is not None
    assert arr.dtype == np.int16
    assert arr.shape == (size, k)
    assert _covers(arr, domains, t)


def test_a_wider_construction_is_cut_when_smaller() -> None:
    """6^11 at t=3: the direct constructions give 678 rows, the search-free doubling for
    16 columns (OA(7^3; 3, 8, 7) folded, twice, and OA(7^2) shifted) cut to 11 gives 582."""
    direct = _unfactored((6,) * 11, 3, nested=False)
    assert direct is not None
    assert direct.shape[0] == 678
    wide = _plain((6,) * 16, 3)
    assert wide is not None
    assert wide.shape[0] == 582
    arr = construct([6] * 11, 3)
    assert arr is not None
    assert arr.shape == (582, 11)
    assert np.array_equal(arr, wide[:, :11])
    assert _covers(arr, [6] * 11, 3)


@pytest.mark.parametrize("v", [2, 3, 4, 5])
def test_sizes_never_drop_as_columns_are_added_at_strength_three(v: int) -> None:
    sizes = []
    for k in range(4, 11):
        arr = construct([v] * k, 3)
        assert arr is not None
        sizes.append(arr.shape[0])
    assert sizes == sorted(sizes)


def test_a_product_takes_the_wider_factor_when_it_is_smaller() -> None:
    """A factor for 3 columns with 11 rows loses to the 9-row OA(9; 2, 4, 3) cut to 3
    (the base is not monotone in k here, as 6^7 and 6^8 are in the engine)."""
    oa = orthogonal_array(3, 2, 4)

    def base(v: int, k: int) -> np.ndarray:
        assert v == 3
        if k == 4:
            return oa
        head = {tuple(r) for r in oa[:, :k].tolist()}
        extra = [r for r in itertools.product(range(3), repeat=k) if r not in head][:2]
        return np.concatenate([oa[:, :k], np.array(extra, dtype=np.int16)])  # 11 rows

    arr = product_array(3, 10, 100, base, balanced=False)
    assert arr is not None
    cut = product(with_constant_rows(oa, 3), with_constant_rows(oa[:, :3], 3), 10)
    padded = product(with_constant_rows(oa, 3), with_constant_rows(base(3, 3), 3), 10)
    assert arr.shape == cut.shape
    assert arr.shape[0] < padded.shape[0]
    assert _covers(arr, [3] * 10, 2)


def test_a_loose_factor_beside_the_projection_is_post_optimised_first() -> None:
    """6^50 as OA(49) projected onto 6 symbols (9 columns, 48 rows, 6 constant rows)
    times 6^6: the folded OA(49) is a loose 6^6 (48 rows, best known 41), polished first
    it gives a smaller product than any unpolished split's 90 rows."""
    from generator.engine._construct import _orthogonal_on
    from generator.engine._polish import polish

    def base(v: int, k: int) -> np.ndarray | None:
        return _orthogonal_on(7, 2, (v,) * k) if k <= 9 else None

    plain = product_array(6, 50, 10_000, base, balanced=False)
    polished = product_array(6, 50, 10_000, base, balanced=False, polish=polish)
    assert plain is not None
    assert polished is not None
    assert plain.shape[0] == 90
    assert polished.shape[0] <= 85
    assert _covers(polished, [6] * 50, 2)


def test_an_orthogonal_arrays_constant_rows_save_v_rows_whatever_the_other_factor() -> None:
    """OA(9; 2, 3, 3) has 3 constant rows; OA(9; 2, 4, 3) has no two rows apart in every
    column, yet their product is CA(9 + 9 - 3; 2, 12, 3), the optimal 15 rows."""
    a = with_constant_rows(orthogonal_array(3, 2, 3), 3)
    b = with_constant_rows(orthogonal_array(3, 2, 4), 3, 3)
    arr = product(a, b, 12)
    assert arr.shape == (15, 12)
    assert _covers(arr, [3] * 12, 2)


def test_a_row_constant_on_the_columns_used_only_counts_as_constant() -> None:
    """OA(25; 2, 6, 5)'s rows (c, 0) read c on five columns and 0 on the sixth: with the
    sixth cut (15 = 5 * 3 columns) they are constant rows of the product too."""
    a = orthogonal_array(5, 2, 6)
    b = with_constant_rows(orthogonal_array(5, 2, 3), 5, 1)
    arr = product(a, b, 15)
    assert _covers(arr, [5] * 15, 2)


def test_mixed_domains_fold_onto_smaller_columns() -> None:
    domains = [4, 4, 4, 3, 3]
    arr = construct(domains, 2)
    assert arr is not None
    assert arr.shape[0] == 16
    assert _covers(arr, domains, 2)


@pytest.mark.parametrize(
    "domains",
    [[2] * 17 + [1], [1, 2, 2, 2], [2, 2, 1], [3, 3, 3, 1]],
)
def test_one_value_columns_stay_in_range(domains: list[int]) -> None:
    """A one-value knob (e.g. a driver's fixed compute_driver) never gets a second value."""
    arr = construct(domains, 2)
    assert arr is not None
    assert _covers(arr, domains, 2)


@pytest.mark.parametrize(
    ("domains", "t"),
    [
        ([5] * 6 + [4] * 2, 3),  # mixed: no OA(5^3) with 8 columns, OA(7^3) is 2.7x the bound
        ([6, 6, 6, 6, 6, 6, 6, 6, 5], 3),  # OA(8^3) folded would be 512 rows, 2.4x the bound 216
        ([3] * 3, 4),  # t > k
    ],
)
def test_returns_none_when_nothing_beats_greedy(domains: list[int], t: int) -> None:
    assert construct(domains, t) is None


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9, 16, 25, 27])
def test_field_tables_are_fields(q: int) -> None:
    add, mul = gf_tables(q)
    elems = range(q)
    for a in elems:
        assert sorted(int(x) for x in add[a]) == list(elems)  # additive latin square
        if a:
            assert sorted(int(x) for x in mul[a, 1:]) == list(range(1, q))
        assert int(add[a, 0]) == a
        assert int(mul[a, 1]) == a
    for a, b, c in itertools.product(elems, repeat=3):
        assert mul[a, add[b, c]] == add[mul[a, b], mul[a, c]]


def test_no_field_of_order_six() -> None:
    with pytest.raises(ValueError, match="q=6"):
        gf_tables(6)


def test_orthogonal_array_has_index_one() -> None:
    arr = orthogonal_array(4, 3, 6)
    for cols in itertools.combinations(range(6), 3):
        keys = arr[:, cols].astype(int) @ np.array([16, 4, 1])
        assert sorted(keys.tolist()) == list(range(64))


def test_too_many_columns_rejected() -> None:
    with pytest.raises(ValueError, match="k=7"):
        orthogonal_array(5, 2, 7)


@pytest.mark.parametrize(
    ("v", "k", "fixed", "size"), [(5, 10, 1, 41), (6, 12, 1, 61), (10, 20, 2, 168)]
)
def test_cover_starter(v: int, k: int, fixed: int, size: int) -> None:
    arr = cover_starter(v, k, fixed)
    assert arr is not None
    assert arr.shape == (size, k)
    assert _covers(arr, [v] * k, 2)


def test_cover_starter_deterministic() -> None:
    a = cover_starter(10, 20, 2)
    b = cover_starter(10, 20, 2)
    assert a is not None
    assert b is not None
    assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize(
    ("q", "k", "size"), [(4, 64, 40), (4, 20, 31), (5, 30, 49), (2, 10, 9), (8, 70, 127)]
)
def test_hash_stack(q: int, k: int, size: int) -> None:
    arr = hash_stack(q, k)
    assert arr.shape == (size, k)
    assert _covers(arr, [q] * k, 2)


def test_hash_stack_needs_a_field() -> None:
    with pytest.raises(ValueError, match="q=6"):
        hash_stack(6, 10)


def _cached_with(
    monkeypatch: pytest.MonkeyPatch,
    domains: tuple[int, ...],
    rest: np.ndarray,
    fake_product: Callable[..., np.ndarray | None],
) -> tuple[np.ndarray | None, tuple[np.ndarray, ...]]:
    """``_construct_cached(domains, 2)`` with ``rest`` as the only non-product
    construction and ``fake_product`` as the product search."""
    from generator.engine import _construct

    monkeypatch.setattr(_construct, "product_array", fake_product)
    monkeypatch.setattr(_construct, "_unfactored", lambda *a, **kw: rest)
    monkeypatch.setattr(_construct, "_truncated", lambda *a: None)
    _construct._construct_cached.cache_clear()
    try:
        return _construct._construct_cached(domains, 2)
    finally:
        _construct._construct_cached.cache_clear()


@pytest.mark.parametrize("extra", [-1, 0, 2])
def test_a_product_within_ten_percent_is_a_second_start(
    monkeypatch: pytest.MonkeyPatch, extra: int
) -> None:
    """A product a row smaller, as large or a little larger than the other construction
    is offered to the post-optimiser beside it; only a smaller one is ``construct``'s."""
    n = 60  # v = 6, not a prime power: products of the projection
    grid = np.array(list(itertools.product(range(6), repeat=2)), dtype=np.int16)
    rest = np.resize(grid, (n, 20)).astype(np.int16)  # stand-ins: only sizes are read
    stand_in = np.resize(grid, (n + extra, 20)).astype(np.int16)

    def fake_product(v: int, k: int, below: int, *args: object) -> np.ndarray | None:
        assert below == math.ceil(n * 1.1)
        return stand_in if stand_in.shape[0] < below else None

    smallest, starts = _cached_with(monkeypatch, (6,) * 20, rest, fake_product)
    assert [s.shape[0] for s in starts] == [n, n + extra]
    assert smallest is not None
    assert smallest.shape[0] == min(n, n + extra)


def test_for_a_prime_power_only_a_smaller_product_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """v = 5: products of an orthogonal array are rigid, so none larger is a start."""
    rest = np.resize(np.arange(5, dtype=np.int16), (40, 20))  # a stand-in: only its size
    asked: list[int] = []

    def fake_product(v: int, k: int, below: int, *args: object) -> None:
        asked.append(below)

    smallest, starts = _cached_with(monkeypatch, (5,) * 20, rest, fake_product)
    assert asked == [40]
    assert smallest is rest
    assert len(starts) == 1


@pytest.mark.parametrize(("n", "q"), [(0, 2), (2, 2), (6, 7), (10, 11), (12, 13), (14, 16)])
def test_the_smallest_prime_power_from_n(n: int, q: int) -> None:
    assert prime_power_from(n) == q
