"""Churn between two matrices: jobs matched by name, value changes per job."""

from __future__ import annotations

from generator.matrix import Job, JobChange, Matrix, ValueChange, churn
from generator.matrix.churn import value_changes


def _matrix(*jobs: Job) -> Matrix:
    return Matrix("drv", "nova-drv", 2, 0, "sha256:ab", jobs, 20)


def test_value_changes_name_changed_added_and_removed_knobs() -> None:
    old = Job("j", (("a", "x"), ("b", "p"), ("gone", "v")))
    new = Job("j", (("new", None), ("a", "y"), ("b", "p")))
    assert value_changes(old, new) == (
        ValueChange("new", "added", new=None),
        ValueChange("a", "changed", "x", "y"),
        ValueChange("gone", "removed", old="v"),
    )
    assert [str(c) for c in value_changes(old, new)] == [
        "new knob new=n/a",
        "a x -> y",
        "knob gone removed (was v)",
    ]


def test_churn_matches_jobs_by_name() -> None:
    old = _matrix(Job("t-01", (("a", "x"),)), Job("t-02", (("a", "y"),)))
    new = _matrix(Job("t-02", (("a", "x"),)), Job("t-03", (("a", "y"),)))
    report = churn(old, new)
    assert report.kept == ()
    assert report.changed == (JobChange("t-02", (ValueChange("a", "changed", "y", "x"),)),)
    assert (report.added, report.removed) == (("t-03",), ("t-01",))
    assert churn(None, new).added == ("t-02", "t-03")


def test_rendered_differences_turn_a_kept_job_into_a_changed_one() -> None:
    old = _matrix(Job("x-tm-01", (("a", "x"),)), Job("x-tm-02", (("a", "y"),)))
    new = _matrix(Job("x-tm-01", (("a", "x"),)), Job("x-tm-02", (("a", "x"),)))
    report = churn(old, new).with_rendered(
        {"x-tm-01": ("settings localrc FOO",), "x-tm-02": ("plugins +ceph",)}
    )
    assert report.kept == ()
    first, second = report.changed
    assert (first.name, first.rendered_only) == ("x-tm-01", True)
    assert str(first) == "same knob values, rendered files changed: settings localrc FOO"
    assert str(second) == "a y -> x; plugins +ceph"
    assert second.to_json() == {
        "job": "x-tm-02",
        "values": [{"knob": "a", "kind": "changed", "old": "y", "new": "x"}],
        "rendered": ["plugins +ceph"],
        "rendered_only": False,
    }
