"""Hypothesis strategies shared by the property tests: small catalogs, jobs and strings."""

from __future__ import annotations

from hypothesis import strategies as st

from generator.audit import JobValues
from generator.model import Catalog, Condition, Constraint, Knob, KnobValue

__all__ = ["catalogs", "catalogs_and_jobs", "matrix_text"]


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """A small driver catalog: 2-4 knobs of 2-3 values, maybe a ``when`` and a forbid."""
    count = draw(st.integers(2, 4))
    knobs = []
    for index in range(count):
        values = tuple(KnobValue(f"v{i}") for i in range(draw(st.integers(2, 3))))
        when: Condition = ()
        if index == count - 1 and draw(st.booleans()):
            when = (("k0", ("v0",)),)
        knobs.append(Knob(f"k{index}", values, when=when))
    constraints: tuple[Constraint, ...] = ()
    if draw(st.booleans()):
        constraints = (Constraint("forbid", (("k0", ("v1",)), ("k1", ("v0",)))),)
    return Catalog("drv", "nova-drv", tuple(knobs), constraints=constraints)


@st.composite
def catalogs_and_jobs(draw: st.DrawFn) -> tuple[Catalog, list[JobValues]]:
    """A catalog of 2-4 plain knobs and up to six jobs with arbitrary values."""
    sizes = draw(st.lists(st.integers(2, 3), min_size=2, max_size=4))
    knobs = tuple(
        Knob(f"k{i}", tuple(KnobValue(f"v{j}") for j in range(n))) for i, n in enumerate(sizes)
    )
    constraints: tuple[Constraint, ...] = ()
    if draw(st.booleans()):
        constraints = (Constraint("forbid", (("k0", ("v0",)), ("k1", ("v1",)))),)
    catalog = Catalog(driver="libvirt", repo="r", knobs=knobs, constraints=constraints)
    rows = draw(st.lists(st.tuples(*(st.sampled_from(k.value_names) for k in knobs)), max_size=6))
    jobs = [
        JobValues(f"j{i}", "", tuple(zip(catalog.knob_names, row, strict=True)))
        for i, row in enumerate(rows)
    ]
    return catalog, jobs


_MATRIX_WORDS = st.sampled_from(
    ["yes", "no", "on", "null", "~", "1", "0x1F", "1.5e3", "-", "a: b", "#x"]
)
matrix_text = _MATRIX_WORDS | st.text(
    alphabet="abcXYZ019 .:-_#'\"[]{},&*!|>%@`", min_size=1, max_size=8
)
"""Strings that YAML would misread unless quoted: the matrix writer must quote them."""
