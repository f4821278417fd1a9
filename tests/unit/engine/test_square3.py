from __future__ import annotations

import numpy as np
import pytest

from generator.engine._construct import orthogonal_array
from generator.engine._square3 import square3, square_from, squared_rows
from generator.engine._strength3 import paley_binary, strength3
from tests.oracle import covers_uniform


def test_the_binary_square_of_the_paley_array_covers_the_whole_plane() -> None:
    arr = square3(paley_binary(11), 2, 121)
    assert arr.shape == (34, 121)
    assert covers_uniform(arr, 2, 3)


@pytest.mark.parametrize("k", [10, 16, 25])
def test_a_square_over_a_small_plane_covers_every_triple(k: int) -> None:
    inner = paley_binary(5)  # CA(12; 3, 5, 2)
    arr = square3(inner, 2, k)
    assert arr.shape[0] <= squared_rows(inner.shape[0], 2)
    assert covers_uniform(arr, 2, 3)


def test_three_symbols_need_the_fourth_block() -> None:
    inner = orthogonal_array(3, 3, 4)  # OA(27; 3, 4, 3): q = 4 columns
    arr = square3(inner, 3, 16)
    assert arr.shape == (squared_rows(27, 3), 16) == (105, 16)
    assert covers_uniform(arr, 3, 3)
    # the rows of the first three blocks alone miss a triple of some non-collinear points
    assert not covers_uniform(arr[: 1 + 3 * 26], 3, 3)


def test_a_square_needs_a_prime_power_column_count_and_fits_the_plane() -> None:
    with pytest.raises(ValueError, match="prime-power"):
        square3(paley_binary(6), 2, 20)
    with pytest.raises(ValueError, match="prime-power"):
        square3(paley_binary(5), 2, 26)


def test_the_square_is_offered_only_when_it_wins() -> None:
    calls: list[tuple[int, int, int]] = []

    def base(v: int, k: int, t: int) -> np.ndarray | None:
        calls.append((v, k, t))
        return paley_binary(k) if v == 2 and t == 3 and k <= 11 else None

    square = square_from(2, 100, 35, base)
    assert square is not None
    assert square.shape == (34, 100)
    assert square_from(2, 100, 34, base) is None  # no fewer rows than the bound
    assert square_from(2, 100, 20, base) is None
    assert len(calls) == 2
    assert square_from(2, 3, 100, base) is None  # k <= q: no plane to square into
    found = strength3(2, 100, 1000, base, search=False)
    assert found is not None
    assert found.shape[0] <= 34
