"""The matrix file round-trips any strings, YAML look-alikes included."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.matrix import Job, Matrix, read_matrix, render_matrix
from tests.property.strategies import matrix_text


def _matrix(*jobs: Job, next_number: int = 3) -> Matrix:
    return Matrix("drv", "nova-drv", 2, 7, "sha256:ab", jobs, next_number)


@pytest.mark.property
@given(
    st.lists(
        st.lists(
            st.tuples(matrix_text, matrix_text | st.none()), max_size=4, unique_by=lambda kv: kv[0]
        ),
        max_size=4,
    )
)
def test_round_trip_any_strings(rows: list[list[tuple[str, str | None]]]) -> None:
    import tempfile
    from pathlib import Path

    jobs = tuple(Job(f"nova-drv-tm-{i + 1:02d}", tuple(row)) for i, row in enumerate(rows))
    matrix = _matrix(*jobs, next_number=len(jobs) + 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.yaml"
        path.write_text(render_matrix(matrix, source="s", command="c"), encoding="utf-8")
        assert read_matrix(path) == matrix
