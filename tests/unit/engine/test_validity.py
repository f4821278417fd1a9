"""Validity: the vectorised ``flip_ok`` against a brute force over the compiled boxes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from generator.constraints.space import compile_model
from generator.engine._validity import Validity
from generator.model import Constraint, Model, Parameter

if TYPE_CHECKING:
    from collections.abc import Sequence

    from generator.constraints import Box


def _chain_model(width: int) -> Model:
    """A ``when`` chain k0 <- k1 <- ... plus forbids across it; ``width`` values per knob
    (above 62 the bitmask tables give way to the box-by-box path)."""
    values = tuple(f"v{i}" for i in range(width))
    params = [Parameter(f"k{i}", values, ((f"k{i + 1}", ("v0",)),)) for i in range(5)]
    params.append(Parameter("k5", values))
    forbids = (
        Constraint("forbid", (("k5", ("v1",)), ("k3", ("v0", "v2")))),
        Constraint("forbid", (("k0", ("v1",)), ("k1", ("v1",)), ("k4", ("v0",)))),
    )
    return Model(tuple(params), forbids)


def _no_box_on_col_matches(boxes: Sequence[Box], row: np.ndarray, col: int, value: int) -> bool:
    """Brute force over the compiled boxes: none holding ``col`` matches the row with
    ``col`` set to ``value`` (a box matches when every cell's bit is set in its mask)."""
    flipped = row.copy()
    flipped[col] = value
    return not any(
        col in box.cols
        and all(mask >> int(flipped[c]) & 1 for c, mask in zip(box.cols, box.masks, strict=True))
        for box in boxes
    )


@pytest.mark.parametrize("width", [3, 64])
def test_flip_ok_agrees_with_the_flipped_rows_validity(width: int) -> None:
    compiled = compile_model(_chain_model(width)).compiled
    validity = Validity(compiled)
    rng = np.random.default_rng(7)
    rows = np.stack([rng.integers(0, d, size=40) for d in compiled.domains], axis=1)
    rows = rows.astype(np.int16)
    invalid_flips = 0
    for col, domain in enumerate(compiled.domains):
        for value in range(domain):
            expected = [_no_box_on_col_matches(compiled.boxes, row, col, value) for row in rows]
            assert validity.flip_ok(rows, col, value).tolist() == expected
            invalid_flips += expected.count(False)
    assert invalid_flips > 0  # the constraints do rule flips out, so the check means something
