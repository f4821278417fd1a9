"""Hypothesis strategies shared by the property tests: small catalogs, jobs and strings."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from generator.audit import JobValues
from generator.model import Catalog, Condition, Constraint, Knob, KnobValue

__all__ = [
    "HOSTILE_TOKENS",
    "catalogs",
    "catalogs_and_jobs",
    "hostile",
    "matrix_text",
    "mutated",
    "restructured",
]


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


HOSTILE_TOKENS = (
    b"\x00",
    b"\x01",
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\t",
    b"\r\n",
    b"\n",
    b"  ",
    b": ",
    b"- ",
    b"? ",
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b"'",
    b'"',
    b"#",
    b"|",
    b">",
    b"&a ",
    b"*a",
    b"<<: *a",
    b"!!int ",
    b"!!float ",
    b"!!bool ",
    b"!!timestamp ",
    b"!!binary ",
    b"!!str ",
    b"!!omap ",
    b"!!python/object/apply:os.system ",
    b"!override ",
    b"!inherit ",
    b"!encrypted/pkcs1-oaep ",
    b"!unsafe ",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"null",
    b"~",
    b"on",
    b"yes",
    b"1.10",
    b"0x1F",
    b"1e400",
    b"-1",
    b"99999999999999999999",
    b"include: [/etc/hostname]\n",
    b"include: [../x.yaml]\n",
    b"strength: 6\n",
    b"{{ x }}",
    b"../../",
    b"x" * 300,
)
"""Byte strings that stress a YAML reader: controls, encodings, tags, flow, anchors."""


@st.composite
def _nesting(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(50, 600))
    return b"n: " + b"[" * depth + b"]" * depth + b"\n"


@st.composite
def _laughs(draw: st.DrawFn) -> bytes:
    levels = draw(st.integers(2, 9))
    lines = [b"l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]".encode())
    return b"\n".join(lines) + b"\n"


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after one to four random edits: inserted hostile tokens or bytes, a
    deleted or duplicated span, a truncation, deep nesting or an alias bomb."""
    for _ in range(draw(st.integers(1, 4))):
        size = len(data)
        where = draw(st.integers(0, size))
        lines = data.split(b"\n")
        kind = draw(st.integers(0, 7))
        if kind == 0:
            data = data[:where] + draw(st.sampled_from(HOSTILE_TOKENS)) + data[where:]
        elif kind == 1:
            data = data[:where] + draw(st.binary(min_size=1, max_size=6)) + data[where:]
        elif kind == 2:
            data = data[:where] + data[where + draw(st.integers(1, 40)) :]
        elif kind == 3:
            line = draw(st.integers(0, len(lines) - 1))
            lines.insert(draw(st.integers(0, len(lines))), lines[line])
            data = b"\n".join(lines)
        elif kind == 4:
            line = draw(st.integers(0, len(lines) - 1))
            lines[line] = draw(st.sampled_from(HOSTILE_TOKENS)).rstrip(b"\n")
            data = b"\n".join(lines)
        elif kind == 5:
            data = data[:where]
        elif kind == 6:
            line = draw(st.integers(0, len(lines)))
            lines.insert(line, draw(_nesting()).rstrip(b"\n"))
            data = b"\n".join(lines)
        else:
            data = draw(_laughs()) + data
    return data


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 40),
    st.sampled_from(["", "x", "on", "1.10", "qemu", "kvm", "lvm", "a b", "ü", "x" * 300]),
)


def _paths(value: object, here: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a node of plain YAML data (keys of mappings, indexes of lists)."""
    found = [here]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*here, index))
    return found


@st.composite
def restructured(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` (YAML) read, changed at one to three nodes (removed, replaced by a scalar
    or a collection, duplicated, wrapped) and written back: mostly well-formed YAML that
    the schema layers must judge."""
    import yaml

    try:
        value: Any = yaml.safe_load(data)
    except yaml.YAMLError:
        return data
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(value) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = value
        for step in path[:-1]:
            parent = parent[step]
        last: Any = path[-1]
        kind = draw(st.integers(0, 4))
        if kind == 0:
            del parent[last]
        elif kind == 1:
            parent[last] = draw(_SCALARS)
        elif kind == 2:
            parent[last] = draw(st.sampled_from([[], {}, ["x", "y"], {"x": None}]))
        elif kind == 3 and isinstance(parent, list):
            parent.append(parent[last])
        elif kind == 3:
            parent[f"{last}_copy"] = parent[last]
        else:
            parent[last] = [parent[last]]
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).encode()


def hostile(data: bytes) -> st.SearchStrategy[bytes]:
    """``data`` mutated as bytes (:func:`mutated`) or as YAML data (:func:`restructured`)."""
    return st.one_of(mutated(data), restructured(data))
