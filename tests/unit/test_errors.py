"""Tests of generator.errors: library errors name parameters, front ends word them."""

from __future__ import annotations

from generator.errors import EXIT_BAD_INPUT, ParameterError


def test_parameter_error_names_parameters_and_can_be_reworded() -> None:
    error = ParameterError("{max_jobs} 2 is fewer than 3 rows; add {fresh}", "max_jobs", "fresh")
    assert error.message == "max_jobs 2 is fewer than 3 rows; add fresh"
    assert (
        error.worded({"max_jobs": "--max-jobs"}) == "--max-jobs 2 is fewer than 3 rows; add fresh"
    )
    assert error.exit_code == EXIT_BAD_INPUT


def test_parameter_error_without_fields_keeps_braces() -> None:
    error = ParameterError("pin {a: x} is odd")
    assert error.message == "pin {a: x} is odd"
    assert error.worded({"a": "--a"}) == "pin {a: x} is odd"
