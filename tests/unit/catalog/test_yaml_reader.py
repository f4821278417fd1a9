"""The one YAML reader: regular files only, bounded, every problem located."""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path

import pytest

from generator.catalog import text_file
from generator.catalog.yaml_reader import YAMLFailure, YMap, YScalar, YSeq, parse, read_yaml


def _problems(text: str, *, tags: tuple[str, ...] = ()) -> list[str]:
    with pytest.raises(YAMLFailure) as info:
        parse(text, "f.yaml", tags=tags)
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


def _read_problems(path: Path) -> list[str]:
    with pytest.raises(YAMLFailure) as info:
        read_yaml(str(path))
    return [p.render() for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "a: [x, y]\n\x01\n",
            "2:1: control character U+0001 is not allowed in YAML; write it as an escape "
            '("\\x01") inside a double-quoted string',
            id="F1-control-character",
        ),
        pytest.param(
            "a: [li\x00nux]\n",
            "1:7: control character U+0000 is not allowed in YAML; write it as an escape "
            '("\\x00") inside a double-quoted string',
            id="F1-nul",
        ),
        pytest.param("a: !!timestamp x\n", "1:4: 'x' is not a valid !!timestamp value", id="F2-ts"),
        pytest.param("a: !!float x\n", "1:4: 'x' is not a valid !!float value", id="F2-float"),
        pytest.param("a: !!int x\n", "1:4: 'x' is not a valid !!int value", id="F2-int"),
        pytest.param("a: !!bool x\n", "1:4: 'x' is not a valid !!bool value", id="F2-bool"),
        pytest.param(
            "a: !!binary 'not base64!'\n", "1:4: 'not base64!' is not a valid !!binary value"
        ),
        pytest.param(
            "a: " + "[" * 500 + "]" * 500 + "\n",
            "1:103: YAML nested deeper than 100 levels",
            id="F3",
        ),
        pytest.param(
            "a: &r [x, *r]\n",
            "1:11: recursive YAML alias: *r is used inside the node it names",
            id="F20-recursive-alias",
        ),
        pytest.param(
            "a: !!python/object/apply:os.system\n  b: 1\n",
            "1:4: unsupported YAML tag '!!python/object/apply:os.system'; only plain YAML "
            "values are read",
            id="F21-collection-tag",
        ),
        pytest.param(
            "a: !!omap [{b: 1}]\n",
            "1:4: unsupported YAML tag '!!omap'; only plain YAML values are read",
        ),
        pytest.param(
            "a: !override x\n",
            "1:4: unsupported YAML tag '!override'; only plain YAML values are read",
        ),
        pytest.param("? [a]\n: 1\n", "1:3: a mapping key must be a scalar", id="F9-list-key"),
        pytest.param("a: 1\na: 2\n", "2:1: duplicate key 'a' (first defined at line 1)"),
        pytest.param(
            "a: [x\n",
            "2:1: YAML syntax error: while parsing a flow sequence: expected ',' or ']', "
            "but got '<stream end>'",
        ),
        pytest.param(
            "--- 1\n--- 2\n",
            "2:1: YAML syntax error: expected a single document in the "
            "stream: but found another document",
        ),
    ],
)
def test_bad_text_is_located(text: str, expected: str) -> None:
    assert _problems(text) == [expected]


def test_billion_laughs_stop_at_the_node_bound() -> None:
    levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert _problems("\n".join(levels) + "\n") == [
        "6:5: YAML aliases expand the document to more than 1,000,000 nodes"
    ]


def test_a_long_merge_chain_is_flattened_without_recursion() -> None:
    lines = ["m0: &m0 {k0: 0}"]
    lines += [f"m{i}: &m{i} {{<<: *m{i - 1}, k{i}: {i}}}" for i in range(1, 400)]
    text = "\n".join(lines) + "\n"
    limit = sys.getrecursionlimit()
    # Well below the chain's length: merging one link per call level would fail.
    sys.setrecursionlimit(len(inspect.stack()) + 150)
    try:
        root = parse(text, "f.yaml")
    finally:
        sys.setrecursionlimit(limit)
    assert isinstance(root, YMap)
    last = root.get("m399")
    assert isinstance(last, YMap)
    assert [k.value for k, _ in last.items][:2] == ["k0", "k1"]
    assert len(last.items) == 400


def test_merged_keys_may_be_overridden_and_duplicates_are_not() -> None:
    root = parse("base: &b {x: 1, y: 2}\nuse: {<<: *b, x: 3}\n", "f.yaml")
    assert isinstance(root, YMap)
    use = root.get("use")
    assert isinstance(use, YMap)
    assert {k.value: v.value for k, v in use.items if isinstance(v, YScalar)} == {"x": 3, "y": 2}


def test_accepted_tags_are_recorded_and_plain_values_kept() -> None:
    root = parse(
        "a: !override {b: 1}\nc: !inherit [1]\nd: !!str 1\ne: on\nf: 2001-01-01\ng: <<\n",
        "f.yaml",
        tags=("!override", "!inherit"),
    )
    assert isinstance(root, YMap)
    a, c, d, e, f, g = (root.get(k) for k in "acdefg")
    assert isinstance(a, YMap)
    assert a.tag == "!override"
    assert isinstance(c, YSeq)
    assert c.tag == "!inherit"
    assert isinstance(d, YScalar)
    assert d.value == "1"
    assert isinstance(e, YScalar)
    assert e.value is True
    assert isinstance(f, YScalar)
    assert f.value == "2001-01-01"
    assert isinstance(g, YScalar)
    assert g.value == "<<"


def test_a_custom_scalar_tag_resolves_like_a_plain_scalar() -> None:
    root = parse("a: !override 5\n", "f.yaml", tags=("!override",))
    assert isinstance(root, YMap)
    value = root.get("a")
    assert isinstance(value, YScalar)
    assert (value.value, value.tag) == (5, "!override")


def test_undecodable_bytes_are_reported_at_their_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_bytes("knobs:\n  a: [é, \xff]\n".encode("latin-1").replace(b"\xe9", "é".encode()))
    assert _read_problems(path) == [
        f"{path}:2:10: not valid UTF-8 (byte 0xff); save the file as UTF-8\n      a: [é, \ufffd]"
    ]


def test_a_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    root, lines = read_yaml(str(path))
    assert isinstance(root, YMap)
    assert [k.value for k, _ in root.items] == ["a", "b"]
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        pytest.param(os.mkfifo, "a FIFO (named pipe)", id="F8-fifo"),
        pytest.param(lambda p: p.symlink_to("/dev/zero"), "a character device", id="F8-dev-zero"),
        pytest.param(lambda p: p.mkdir(), "a directory", id="directory"),
    ],
)
def test_only_regular_files_are_read(tmp_path: Path, make: object, kind: str) -> None:
    path = tmp_path / "x.yaml"
    make(path)  # type: ignore[operator]
    assert _read_problems(path) == [
        f"{path}: cannot read the file: it is {kind}, not a regular file"
    ]


def test_missing_and_oversized_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "absent.yaml"
    assert _read_problems(missing) == [
        f"{missing}: cannot read the file: No such file or directory"
    ]
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 100 + "\n", encoding="utf-8")
    monkeypatch.setattr(text_file, "MAX_FILE_BYTES", 64)
    assert _read_problems(big) == [f"{big}: the file is larger than 64 bytes"]


def test_snippets_of_very_long_lines_are_shortened() -> None:
    with pytest.raises(YAMLFailure) as info:
        parse("a: 1\na: " + "x" * 1000 + "\n", "f.yaml")
    (problem,) = info.value.problems
    assert len(problem.snippet) < 200
    assert problem.snippet.endswith("...")
